"""Due dates under the three shipped profiles, across holidays, year-end closure and tolling."""

from __future__ import annotations

from datetime import date

import pytest

from disclosure.deadlines import due_date, is_open
from disclosure.profiles import available_profiles, load_profile

OSAKA, NATIONAL, FOIA = (load_profile(c) for c in ("osaka-city", "japan-national", "us-foia"))


def test_profiles_are_data() -> None:
    assert {"osaka-city", "japan-national", "us-foia"} <= set(available_profiles())
    assert (
        OSAKA.days_to_decide == 14
        and OSAKA.extension_max_days == 30
        and not OSAKA.receipt_day_counts
    )
    assert FOIA.counting == "business"


def test_osaka_counts_fourteen_days_from_the_day_after_receipt() -> None:
    assert due_date(OSAKA, date(2025, 4, 10)) == date(2025, 4, 24)


def test_a_due_date_in_the_year_end_closure_moves_to_the_first_open_day() -> None:
    # 2025-12-21 is day 1; day 14 is 2026-01-03 (closure, Saturday); 1/4 is Sunday.
    assert due_date(OSAKA, date(2025, 12, 20)) == date(2026, 1, 5)
    assert not is_open(OSAKA, date(2025, 12, 29)) and is_open(OSAKA, date(2025, 12, 26))


def test_a_due_date_on_a_national_holiday_moves() -> None:
    # Day 14 from 2025-04-22 is 2025-05-06 (振替休日), so the due date is 5/7.
    assert due_date(OSAKA, date(2025, 4, 22)) == date(2025, 5, 7)


def test_national_law_thirty_days_and_extension() -> None:
    assert due_date(NATIONAL, date(2025, 4, 10)) == date(2025, 5, 12)  # 5/10 is a Saturday
    assert due_date(NATIONAL, date(2025, 4, 10), extended_days=30) == date(2025, 6, 9)  # 6/9 Monday


def test_us_foia_counts_working_days_without_federal_holidays() -> None:
    # From 2025-11-21: Thanksgiving (11/27) does not count; the 20th working day is 12/19.
    assert due_date(FOIA, date(2025, 11, 20)) == date(2025, 12, 19)
    assert due_date(FOIA, date(2025, 11, 20), extended_days=10) == date(
        2026, 1, 6
    )  # 12/25 and 1/1 skipped


def test_tolling_moves_the_due_date_by_the_paused_days() -> None:
    # Paused 4/14 to 4/17: three days do not count, so day 14 is 4/27 (Sunday) → 4/28.
    assert due_date(
        OSAKA, date(2025, 4, 10), pauses=[(date(2025, 4, 14), date(2025, 4, 17))]
    ) == date(2025, 4, 28)


def test_an_open_pause_counts_up_to_today() -> None:
    paused = due_date(
        OSAKA, date(2025, 4, 10), pauses=[(date(2025, 4, 14), None)], as_of=date(2025, 4, 16)
    )
    assert paused == due_date(
        OSAKA, date(2025, 4, 10), pauses=[(date(2025, 4, 14), date(2025, 4, 17))]
    )


@pytest.mark.parametrize("code", ["osaka-city", "japan-national", "us-foia"])
def test_a_due_date_is_always_an_open_day(code: str) -> None:
    profile = load_profile(code)
    for day in range(1, 366, 3):
        received = date.fromordinal(date(2025, 1, 1).toordinal() + day)
        assert is_open(profile, due_date(profile, received))
