"""Typed fields with the span of page text they were read from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

Value = str | Decimal | date


@dataclass(frozen=True, slots=True)
class Field:
    """One extracted value. ``start``/``end`` index ``Extraction.pages[page - 1].text``.

    ``valid`` is False for a value that was found but fails its own check (a registration
    number with a wrong check digit): shown to the records officer, never trusted silently.
    """

    name: str
    value: Value
    page: int
    start: int
    end: int
    valid: bool = True
