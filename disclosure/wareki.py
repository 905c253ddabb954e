"""Japanese era dates (和暦) as notices print them: 令和8年4月1日, the first year as 元年."""

from __future__ import annotations

from datetime import date

ERAS = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
    (date(1912, 7, 30), "大正"),
    (date(1873, 1, 1), "明治"),
)


def wareki(day: date) -> str:
    """``day`` in the era of its date; days before 1873 (the Gregorian calendar) keep the Western year."""
    for start, era in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return f"{era}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    return f"{day.year}年{day.month}月{day.day}日"
