"""Search helpers shared by the per-type field extractors."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from functools import partial
from typing import Any

from ingest.extract.base import PageText
from ingest.fields import labels
from ingest.fields.base import Field, Value
from ingest.fields.normalize import Found, T, find_dates, halfwidth
from ingest.language import detect_language


def pages(page_texts: Sequence[PageText]) -> Iterator[tuple[int, str]]:
    """(page number, half-width text) for each page; offsets are those of the page text."""
    for page in page_texts:
        yield page.number, halfwidth(page.text)


def after_label(
    page_texts: Sequence[PageText],
    label: re.Pattern[str],
    finder: Callable[[str], list[Found[T]]],
    window: int = 80,
) -> list[tuple[int, Found[T]]]:
    """(page, found) for the first value ``finder`` finds starting within ``window`` characters
    after each ``label`` match; offsets are page offsets."""
    hits: list[tuple[int, Found[T]]] = []
    for number, text in pages(page_texts):
        for match in label.finditer(text):
            # A value must start within the window, but may run past it (JPY 15,985,200).
            found = [
                f for f in finder(text[match.end() : match.end() + window + 40]) if f.start < window
            ]
            if found:
                value, start, end = found[0]
                hits.append((number, Found(value, match.end() + start, match.end() + end)))
    return hits


def present(*fields: Field | None) -> list[Field]:
    """The fields that were found, in the order given."""
    return [f for f in fields if f is not None]


def field(name: str, page: int, found: Found[Any], value: Value) -> Field:
    return Field(name, value, page, found.start, found.end)


def first_match(
    name: str,
    page_texts: Sequence[PageText],
    pattern: re.Pattern[str],
    clean: Callable[[str], str] = str.strip,
) -> Field | None:
    """The first match of ``pattern``'s group 1, as a string field."""
    for number, text in pages(page_texts):
        match = pattern.search(text)
        if match:
            return Field(name, clean(match.group(1)), number, match.start(1), match.end(1))
    return None


DateFinder = Callable[[str], list[Found[date]]]


def date_finder(page_texts: Sequence[PageText]) -> DateFinder:
    """``find_dates``, reading a/b/yyyy day first where the labels are of a language that
    writes dates so (``labels.day_first``), or the text is (a notice in French)."""
    texts = [text for _, text in pages(page_texts)]
    if any(labels.day_first(text) for text in texts) or (
        detect_language("\n".join(texts)) in labels.DAY_FIRST
    ):
        return partial(find_dates, day_first=True)
    return find_dates


def first_date(
    name: str, page_texts: Sequence[PageText], finder: DateFinder = find_dates
) -> Field | None:
    for number, text in pages(page_texts):
        found = finder(text)
        if found:
            return field(name, number, found[0], found[0].value)
    return None


def labelled_date(
    name: str,
    page_texts: Sequence[PageText],
    label: re.Pattern[str],
    finder: DateFinder = find_dates,
) -> Field | None:
    hits = after_label(page_texts, label, finder, window=40)
    if not hits:
        return None
    page, found = hits[0]
    return field(name, page, found, found.value)
