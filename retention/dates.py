"""Date arithmetic of retention: Japanese fiscal years and periods counted as the Civil Code counts them.

* A fiscal year (年度) runs April 1 to March 31 and is named by the year it starts in.
* A period of N years (or months) that starts on day S ends on the day before the day
  that corresponds to S N years later; when that month has no such day, it ends on the
  month's last day (民法 §143). So a period starting 2026-04-01 of 5 years ends
  2031-03-31, and one starting 2024-02-29 of 1 year ends 2025-02-28.
* Japan time, fiscal years of a day and today in Japan are ``archive.calendar``'s
  (re-exported here for retention's callers).
* A period counted from a date that is not the start of a day (a document's date, an
  event) starts on the following day (民法 §140, 初日不算入).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from archive import JST, end_of_day_utc, fiscal_year_of, today_in_japan

__all__ = [
    "JST",
    "end_of_day_utc",
    "fiscal_year_end",
    "fiscal_year_of",
    "fiscal_year_start",
    "next_fiscal_year_start",
    "period_end",
    "today_in_japan",
]


def fiscal_year_start(fiscal_year: int) -> date:
    return date(fiscal_year, 4, 1)


def fiscal_year_end(fiscal_year: int) -> date:
    return date(fiscal_year + 1, 3, 31)


def next_fiscal_year_start(day: date) -> date:
    """April 1 after the fiscal year that ``day`` falls in (起算日 of a file closed on ``day``)."""
    return fiscal_year_start(fiscal_year_of(day) + 1)


def _corresponding_day(start: date, years: int, months: int) -> date | None:
    total = start.year * 12 + (start.month - 1) + years * 12 + months
    year, month = divmod(total, 12)
    month += 1
    if start.day > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, start.day)


def period_end(start: date, *, years: int = 0, months: int = 0) -> date:
    """The last day of a period of ``years`` and ``months`` that starts on ``start`` (民法 §143)."""
    if years < 0 or months < 0 or years * 12 + months == 0:
        raise ValueError("a retention period must be positive")
    corresponding = _corresponding_day(start, years, months)
    if corresponding is not None:
        return corresponding - timedelta(days=1)
    total = start.year * 12 + (start.month - 1) + years * 12 + months
    year, month = divmod(total, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])
