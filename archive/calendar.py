"""Japan's calendar, once for every layer: Japan time, fiscal years (年度), today in Japan."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

JST = timezone(timedelta(hours=9), "JST")


def fiscal_year_of(day: date) -> int:
    """The fiscal year a day falls in: 2025-03-31 is FY2024, 2025-04-01 is FY2025."""
    return day.year if day.month >= 4 else day.year - 1


def today_in_japan(now: datetime | None = None) -> date:
    """The date in Japan at ``now`` (default: this instant)."""
    return (now or datetime.now(UTC)).astimezone(JST).date()


def end_of_day_utc(day: date) -> datetime:
    """The instant a day ends in Japan: a record kept "until 2031-03-31" is kept through that day."""
    return datetime.combine(day + timedelta(days=1), time(0), JST).astimezone(UTC)
