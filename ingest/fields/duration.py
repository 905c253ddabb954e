"""Contract terms given as a length of time, and the end date they give from a start.

    found = find_durations("for a period of twelve (12) months from the Effective Date")
    found[0].value            # Duration(months=12, inclusive=True)
    term_end(date(2024, 1, 1), found[0].value)    # 2024-12-31

A term "for a period of one year from" its start runs to the day before the anniversary
where the start day counts (民法 第140条 ただし書, BGB §187(2): a period from a day's
beginning: Japanese and continental terms); an English term ends on the anniversary (the
common law leaves out the day a period runs from, as contract registers record an expiry:
start plus length), as does a contract that ends "twelve months after" or "on the first
anniversary of" its start. English, Japanese, German, French, Dutch, Spanish and Italian.
Notice periods ("thirty (30) days' prior written notice") and renewal periods ("successive
one-year periods") are not terms and are skipped.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta
from typing import NamedTuple

from ingest.fields.normalize import Found

_WORDS = {
    **dict.fromkeys(("one", "ein", "eine", "einem", "einen", "un", "une", "uno", "una", "een", "één"), 1),
    **dict.fromkeys(("two", "zwei", "deux", "dos", "due", "twee"), 2),
    **dict.fromkeys(("three", "drei", "trois", "tres", "tre", "drie"), 3),
    **dict.fromkeys(("four", "vier", "quatre", "cuatro", "quattro"), 4),
    **dict.fromkeys(("five", "fünf", "cinq", "cinco", "cinque", "vijf"), 5),
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "eighteen": 18, "twenty-four": 24, "thirty-six": 36, "forty-eight": 48, "sixty": 60,
    "thirty": 30, "ninety": 90,
}  # fmt: skip
_KANJI = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "tenth": 10}
_UNITS = {
    "year": r"years?|jahre?n?|jahres|ans?|ann[ée]es?|años?|anni|anno|jaar|jaren",
    "month": r"months?|monate?n?|monats|mois|mes(?:es)?|mesi|mese|maanden|maand",
    "week": r"weeks?|wochen?|semaines?|semanas?|settimane?|weken",
    "day": r"days?|tage?n?|jours?|d[íi]as?|giorni|giorno|dagen|dag",
}
_NUMBER = rf"\d{{1,3}}|{'|'.join(sorted(map(re.escape, _WORDS), key=len, reverse=True))}"
_LATIN = re.compile(
    rf"(?i)(?<![\w-])(?P<n>{_NUMBER})(?:\s*\((?P<digits>\d{{1,3}})\))?[\s-]*"
    rf"(?:{'|'.join(f'(?P<{unit}>{words})' for unit, words in _UNITS.items())})(?![\w])"
    r"|(?i:the\s+)(?P<ordinal>first|second|third|fourth|fifth|tenth)\s+anniversary"
)
_JAPANESE = re.compile(
    r"(?P<n>\d{1,3}|[一二三四五六七八九十]{1,2})\s*(?:(?P<year>年)|(?P<month>か月|ヶ月|ケ月|カ月|箇月)|(?P<day>日))間"
)
_ENGLISH_UNIT = re.compile(r"(?i)(?:year|month|week|day)s?")
_AFTER = re.compile(
    r"(?i)^[\s,]*(?:after|following|thereafter|nach\b|après|después|dopo|na\b|を経過)"
)
_NOT_TERM = re.compile(
    r"(?i)(?:notice|prior|written|kündigung|préavis|preaviso|preavviso|opzegtermijn|予告|前までに)"
)
_RENEWAL = re.compile(
    r"(?i)(?:successive|additional|further|renewal|each|weitere|renouvel|更新)\W*$"
)


class Duration(NamedTuple):
    years: int = 0
    months: int = 0
    days: int = 0
    inclusive: bool = True
    """True when the start day is the term's first day (the end is the day before the date
    the length reaches); False for "N months after", "on the first anniversary" and English
    terms."""


def find_durations(text: str) -> list[Found[Duration]]:
    """Every contract-term length in ``text`` (already ``halfwidth``), in order."""
    found: list[Found[Duration]] = []
    for pattern in (_LATIN, _JAPANESE):
        for match in pattern.finditer(text):
            duration = _duration(match, text)
            if duration is not None:
                found.append(Found(duration, match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)


def term_end(start: date, duration: Duration) -> date | None:
    """The last day of a term of ``duration`` from ``start``; None past the calendar."""
    months = start.month - 1 + duration.months + 12 * duration.years
    year = start.year + months // 12
    if not 1 <= year <= 9999 or duration.days > 3_650_000:
        return None
    month = months % 12 + 1
    reached = date(year, month, min(start.day, monthrange(year, month)[1]))
    try:
        reached += timedelta(days=duration.days)
        return reached - timedelta(days=1) if duration.inclusive else reached
    except OverflowError:
        return None


def _duration(match: re.Match[str], text: str) -> Duration | None:
    before = text[max(0, match.start() - 30) : match.start()]
    after = text[match.end() : match.end() + 40]
    if _RENEWAL.search(before) or _NOT_TERM.search(after[:25]) or _NOT_TERM.search(before[-12:]):
        return None
    groups = match.groupdict()
    if groups.get("ordinal"):
        return Duration(years=_ORDINALS[groups["ordinal"].lower()], inclusive=False)
    count = _count(groups.get("digits") or groups["n"])
    if not count:
        return None
    inclusive = _AFTER.match(after) is None and not _ENGLISH_UNIT.fullmatch(_unit(match))
    if groups.get("year"):
        return Duration(years=count, inclusive=inclusive)
    if groups.get("month"):
        return Duration(months=count, inclusive=inclusive)
    return Duration(days=count * (7 if groups.get("week") else 1), inclusive=inclusive)


def _unit(match: re.Match[str]) -> str:
    return next((text for unit in _UNITS if (text := match.groupdict().get(unit))), "")


def _count(raw: str) -> int:
    if raw.isdigit():
        return int(raw)
    if raw.lower() in _WORDS:
        return _WORDS[raw.lower()]
    if raw[0] == "十":  # 十, 十二
        return 10 + _KANJI.get(raw[1:], 0)
    return _KANJI.get(raw[0], 0) * (10 if raw[1:] == "十" else 1) if len(raw) <= 2 else 0
