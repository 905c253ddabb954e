"""Vendor templates: where one vendor prints a field, learned from one corrected invoice.

A vendor whose labels the generic extractor does not know (``Zu zahlen``, ``ご入金額``) is
read wrong on every invoice until someone teaches it. When an officer corrects a field, the
corrected value is looked up in the page text and the label printed before it (on its
line, or on the line above when the value starts its line) becomes the template; the next
invoice from that vendor is read at that label:

    template = learn(pages, "total_amount", "1234500")   # None: the value is not in the text
    fields = apply(pages, [template])                    # source "template", with a confidence
    fields = merge(generic, fields)                      # a template's field wins over a guess

An officer who shows where the value is (a box on the page) teaches the place too: where
the label is not found (a value printed with no label, at a fixed place of the vendor's
layout), the value is read from the words in that box (``apply(pages, templates, words)``).

Labels are compared without whitespace and case, so OCR spacing does not hide them, and a
label printed nowhere is looked for with a quarter of its characters misread. No pattern is
ever built from a label or a value: both are looked up as literal text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from ingest.extract.base import PageText
from ingest.fields.base import Field, Value
from ingest.fields.normalize import find_amounts, find_dates, halfwidth, parse_date, parse_number
from ingest.words import Box, PageWords, Word

MAX_LABEL = 40
MAX_TEXT_VALUE = 200
VALUE_TYPES: dict[str, str] = {
    "date": "date",
    "date_due": "date",
    "total_amount": "amount",
    "tax_amount": "amount",
}
"""The type of the invoice fields that are not text."""
UNLEARNABLE = frozenset({"registration_number", "currency"})
"""The key itself, and what follows from the amount's own mark."""

_LINE = re.compile(r"[^\n\f]+")
_NUMBER = re.compile(
    r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?(?![\d,])|(?<![\d.,])\d+(?:\.\d{1,2})?(?!\d)"
)
_SEPARATORS = re.compile(r"(?:[\s:：.．…・=|/_\-]|[¥$€£₹]|JPY|USD|EUR|GBP|金)+$")
_COLUMN = re.compile(r"\s{2,}|\t")
_WORDY = re.compile(r"[^\W\d_]")
_NEAR_MIN = 4
_NEAR_DISCOUNT = 0.75


@dataclass(frozen=True)
class Place:
    """A box on a page (``ingest.words.Box``: fractions of the page, origin top left)."""

    page: int
    box: Box


@dataclass(frozen=True)
class Template:
    """Where a vendor prints ``field``: after ``label`` on its line, or on the next line;
    and, where an officer showed it, in a box on the page (``label`` empty: only there)."""

    field: str
    value_type: str
    label: str
    next_line: bool = False
    corrections: int = 1
    place: Place | None = None

    @property
    def confidence(self) -> float:
        """0.8 after one correction, rising with each correction that agreed with it."""
        return round(min(0.95, 1 - 0.2 / max(1, self.corrections)), 3)


@dataclass(frozen=True)
class _Line:
    page: int
    start: int
    text: str


def value_type_of(name: str) -> str:
    return VALUE_TYPES.get(name, "text")


def learn(
    pages: Sequence[PageText], name: str, value: str, place: Place | None = None
) -> Template | None:
    """The template for ``name`` from where the page text prints ``value``, with ``place``
    (where an officer showed the value); None when the value is not in the text, or
    nothing that reads as a label stands before it and no place was shown."""
    value_type = value_type_of(name)
    wanted = _typed(value_type, value)
    if name in UNLEARNABLE or wanted is None:
        return None
    found = _labelled(pages, name, value_type, wanted)
    if found is not None:
        return Template(found.field, value_type, found.label, found.next_line, place=place)
    return Template(name, value_type, "", place=place) if place is not None else None


def _labelled(
    pages: Sequence[PageText], name: str, value_type: str, wanted: Value
) -> Template | None:
    lines = list(_lines(pages))
    candidates: list[Template] = []
    for i, line in enumerate(lines):
        for start, _ in _occurrences(line.text, value_type, wanted):
            label = _label(line.text[:start])
            if label:
                return Template(name, value_type, label)
            above = _label(lines[i - 1].text) if i > 0 and not line.text[:start].strip() else ""
            if above:
                candidates.append(Template(name, value_type, above, next_line=True))
    return candidates[0] if candidates else None


def apply(
    pages: Sequence[PageText], templates: Sequence[Template], words: Sequence[PageWords] = ()
) -> list[Field]:
    """The fields ``templates`` read from ``pages``: the first value found at each label, or,
    where no line prints the label, at a line that prints it with a few characters misread
    (OCR), or else in the template's box (``words``), with a lower confidence."""
    lines = list(_lines(pages))
    found = (
        _read(lines, t, _find) or _read(lines, t, _find_near) or _read_at(pages, words, t)
        for t in templates
    )
    return [f for f in found if f is not None]


def _read_at(
    pages: Sequence[PageText], words: Sequence[PageWords], template: Template
) -> Field | None:
    """The value in the words of the template's box (lines top down, words left to right)."""
    place = template.place
    if place is None:
        return None
    inside = words_in(words, place)
    text = " ".join(w.text for w in inside)
    hit = _first_value(halfwidth(text), template.value_type)
    if hit is None:
        return None
    value, start, end = hit
    page_text = next((halfwidth(p.text) for p in pages if p.number == place.page), "")
    span = _find(page_text, text[start:end]) or (0, 0)
    box = inside[0].box
    for word in inside[1:]:
        box = box.union(word.box)
    discount = 1.0 if not template.label else _NEAR_DISCOUNT
    return Field(
        template.field,
        value,
        place.page,
        *span,
        source="template",
        confidence=round(template.confidence * discount, 3),
        box=box.rounded(),
    )


def words_in(words: Sequence[PageWords], place: Place) -> list[Word]:
    """The words of ``place``'s page on a line through its box and touching it, in reading
    order (lines top down, words left to right)."""
    page = next((p for p in words if p.number == place.page), None)
    if page is None:
        return []
    box = place.box
    inside = [
        w
        for w in page.words
        if box.y0 <= w.box.middle <= box.y1 and w.box.x1 > box.x0 and w.box.x0 < box.x1
    ]
    height = max((w.box.height for w in inside), default=0.0)
    return sorted(inside, key=lambda w: (round(w.box.middle / max(height, 1e-6)), w.box.x0))


def merge(generic: Sequence[Field], learned: Sequence[Field]) -> list[Field]:
    """``generic`` with the fields of every name ``learned`` found replaced by the learned ones."""
    names = {f.name for f in learned}
    return [f for f in generic if f.name not in names] + list(learned)


def _read(
    lines: list[_Line], template: Template, find: Callable[[str, str], tuple[int, int] | None]
) -> Field | None:
    for i, line in enumerate(lines):
        span = find(line.text, template.label)
        if span is None:
            continue
        if template.next_line:
            if i + 1 >= len(lines) or lines[i + 1].page != line.page:
                continue
            target, offset = lines[i + 1], 0
        else:
            target, offset = line, span[1]
        hit = _first_value(target.text[offset:], template.value_type)
        if hit is not None:
            value, start, end = hit
            return Field(
                template.field,
                value,
                target.page,
                target.start + offset + start,
                target.start + offset + end,
                source="template",
                confidence=round(
                    template.confidence * (1.0 if find is _find else _NEAR_DISCOUNT), 3
                ),
            )
    return None


def _lines(pages: Sequence[PageText]) -> Iterator[_Line]:
    for page in pages:
        for match in _LINE.finditer(halfwidth(page.text)):
            if match.group().strip():
                yield _Line(page.number, match.start(), match.group())


def _typed(value_type: str, value: str) -> Value | None:
    value = halfwidth(value).strip()
    if not value or len(value) > MAX_TEXT_VALUE:
        return None
    if value_type == "date":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return parse_date(value)
    if value_type == "amount":
        try:
            amount = Decimal(value.replace(",", "").lstrip("¥$€£"))
        except InvalidOperation:
            return None
        return amount if amount.is_finite() else None
    return value


def _occurrences(text: str, value_type: str, wanted: Value) -> list[tuple[int, int]]:
    if value_type == "date":
        return [(f.start, f.end) for f in find_dates(text) if f.value == wanted]
    if value_type == "amount":
        return [(s, e) for value, s, e in _amounts(text) if value == wanted]
    span = _find(text, str(wanted))
    return [span] if span else []


def value_in(text: str, value_type: str) -> str | None:
    """The first value of ``value_type`` in ``text`` as the API gives it (a date as
    YYYY-MM-DD, an amount as a decimal string); None when there is none."""
    hit = _first_value(halfwidth(text), value_type)
    if hit is None:
        return None
    value = hit[0]
    return value.isoformat() if isinstance(value, date) else str(value)


def _first_value(text: str, value_type: str) -> tuple[Value, int, int] | None:
    if value_type == "date":
        dates = find_dates(text)
        return (dates[0].value, dates[0].start, dates[0].end) if dates else None
    if value_type == "amount":
        amounts = _amounts(text)
        return amounts[0] if amounts else None
    lead = len(text) - len(text.lstrip(" \t:：.・=|-"))
    cell = _COLUMN.split(text[lead:], maxsplit=1)[0].strip()[:MAX_TEXT_VALUE]
    return (cell, lead, lead + len(cell)) if cell else None


def _amounts(text: str) -> list[tuple[Decimal, int, int]]:
    """Amounts with a currency mark, and bare numbers, in order of appearance."""
    marked = [(f.value.value, f.start, f.end) for f in find_amounts(text)]
    covered = [(s, e) for _, s, e in marked]
    bare = [
        (number, m.start(), m.end())
        for m in _NUMBER.finditer(text)
        if not any(s <= m.start() < e for s, e in covered)
        and (number := parse_number(m.group())) is not None
    ]
    return sorted(marked + bare, key=lambda hit: hit[1])


def _label(before: str) -> str:
    """The label in the text before a value: its last column, without separators or a
    currency mark; empty unless it has letters, and no more digits than letters."""
    trimmed = _SEPARATORS.sub("", before.rstrip())
    cell = _COLUMN.split(trimmed)[-1].strip() if trimmed.strip() else ""
    label = cell[-MAX_LABEL:].strip()
    # A label has letters, and fewer digits than letters: a number, an amount or a code
    # above the value (``JPY 1,885,400``, ``NO-6233``) is another value, not its label.
    letters, digits = len(_WORDY.findall(label)), sum(c.isdigit() for c in label)
    return label if letters and digits <= letters else ""


def _find(text: str, needle: str) -> tuple[int, int] | None:
    """Where ``needle`` is in ``text``, ignoring whitespace and case, as offsets of ``text``."""
    want = _squeeze(needle)[0]
    if not want:
        return None
    squeezed, where = _squeeze(text)
    at = squeezed.find(want)
    if at < 0:
        return None
    return where[at], where[at + len(want) - 1] + 1


def _find_near(text: str, needle: str) -> tuple[int, int] | None:
    """Where ``text`` prints ``needle`` (four characters or more, whitespace and case
    ignored) with at most a quarter of its characters replaced by others."""
    want = _squeeze(needle)[0]
    if len(want) < _NEAR_MIN:
        return None
    squeezed, where = _squeeze(text)
    allowed = len(want) // _NEAR_MIN
    for at in range(len(squeezed) - len(want) + 1):
        window = squeezed[at : at + len(want)]
        if sum(a != b for a, b in zip(window, want, strict=True)) <= allowed:
            return where[at], where[at + len(want) - 1] + 1
    return None


def _squeeze(text: str) -> tuple[str, list[int]]:
    where = [i for i, c in enumerate(text) if not c.isspace()]
    return "".join(_lower(text[i]) for i in where), where


def _lower(char: str) -> str:
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char
