"""Due dates of a request under a profile: counting, extensions, tolling (補正), closed days.

Pure functions: everything comes in as arguments, so a due date can be explained and tested.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache

import holidays

from disclosure.profiles import Profile

Pause = tuple[date, date | None]
"""A tolling period: the clock stops on the first day and runs again on the second (None: still paused)."""


@cache
def _holidays(country: str, year: int) -> frozenset[date]:
    if not country:
        return frozenset()
    return frozenset(holidays.country_holidays(country, years=year).keys())


def is_open(profile: Profile, day: date) -> bool:
    """Whether the office is open on ``day`` (not a weekend, national holiday or closure day)."""
    if day.weekday() in profile.closed_weekdays:
        return False
    if (day.month, day.day) in profile.closure_days:
        return False
    return day not in _holidays(profile.holidays, day.year)


def _paused(day: date, pauses: Sequence[Pause]) -> bool:
    return any(start <= day and (end is None or day < end) for start, end in pauses)


def due_date(
    profile: Profile,
    received: date,
    *,
    extended_days: int = 0,
    pauses: Sequence[Pause] = (),
    as_of: date | None = None,
) -> date:
    """The last day for the decision: ``days_to_decide + extended_days`` counted days after receipt.

    A day counts unless the clock is paused then, or (``business`` counting) the office is
    closed. Under ``next_open_day`` a due date on a closed day moves to the next open day.
    An open-ended pause counts as paused up to ``as_of`` (today), so the date is provisional then.
    """
    if any(end is None for _, end in pauses):
        # Still paused: the due date moves a day for every day of the pause; show it as of today.
        until = (as_of or date.today()) + timedelta(days=1)
        pauses = [(start, end or until) for start, end in pauses]
    remaining = profile.days_to_decide + extended_days
    day = received if profile.receipt_day_counts else received + timedelta(days=1)
    while True:
        counts = not _paused(day, pauses) and (
            profile.counting == "calendar" or is_open(profile, day)
        )
        if counts:
            remaining -= 1
            if remaining == 0:
                break
        day += timedelta(days=1)
    if profile.due_on_closed_day == "next_open_day":
        while not is_open(profile, day):
            day += timedelta(days=1)
    return day


def paused_days(pauses: Sequence[Pause], as_of: date) -> int:
    return sum(((end or as_of) - start).days for start, end in pauses)
