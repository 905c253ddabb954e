"""Fiscal years and Civil-Code periods: the arithmetic every retention date rests on."""

from __future__ import annotations

from datetime import date

import pytest

from retention.dates import end_of_day_utc, fiscal_year_of, next_fiscal_year_start, period_end


def test_a_file_completed_on_march_31_starts_a_year_earlier_than_one_completed_on_april_1() -> None:
    assert fiscal_year_of(date(2025, 3, 31)) == 2024
    assert fiscal_year_of(date(2025, 4, 1)) == 2025
    assert next_fiscal_year_start(date(2025, 3, 31)) == date(2025, 4, 1)
    assert next_fiscal_year_start(date(2025, 4, 1)) == date(2026, 4, 1)
    assert period_end(next_fiscal_year_start(date(2025, 3, 31)), years=5) == date(2030, 3, 31)
    assert period_end(next_fiscal_year_start(date(2025, 4, 1)), years=5) == date(2031, 3, 31)


def test_the_issue_example_closed_mid_year() -> None:
    assert period_end(next_fiscal_year_start(date(2025, 6, 15)), years=5) == date(2031, 3, 31)


@pytest.mark.parametrize(
    ("start", "years", "months", "end"),
    [
        (
            date(2024, 2, 29),
            1,
            0,
            date(2025, 2, 28),
        ),  # no Feb 29 in 2025: the month's last day (民法 §143)
        (
            date(2024, 2, 29),
            4,
            0,
            date(2028, 2, 28),
        ),  # the corresponding day exists: the day before it
        (date(2023, 3, 1), 1, 0, date(2024, 2, 29)),  # a period running over a leap day ends on it
        (date(2024, 1, 31), 0, 1, date(2024, 2, 29)),
        (date(2025, 1, 31), 0, 1, date(2025, 2, 28)),
        (date(2024, 4, 1), 0, 18, date(2025, 9, 30)),
        (date(2024, 4, 1), 30, 0, date(2054, 3, 31)),
    ],
)
def test_periods_end_as_the_civil_code_counts(
    start: date, years: int, months: int, end: date
) -> None:
    assert period_end(start, years=years, months=months) == end


def test_a_period_must_be_positive() -> None:
    with pytest.raises(ValueError):
        period_end(date(2024, 4, 1))


def test_a_day_is_kept_until_it_ends_in_japan() -> None:
    assert end_of_day_utc(date(2031, 3, 31)).isoformat() == "2031-03-31T15:00:00+00:00"
