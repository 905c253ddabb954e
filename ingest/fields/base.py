"""Typed fields with the span of page text they were read from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ingest.words import Box

Value = str | Decimal | date


@dataclass(frozen=True, slots=True)
class Field:
    """One extracted value. ``start``/``end`` index ``Extraction.pages[page - 1].text``.

    ``valid`` is False for a value that was found but fails its own check (a registration
    number with a wrong check digit): shown to the records officer, never trusted silently.
    ``source`` says what it was read from: ``text`` (found in the page text, ``confidence``
    None), ``xml`` (an e-invoice's structured data: exact, ``confidence`` 1.0; the span
    is where the page text prints it, or empty when it does not), ``layout`` (read from
    the words' positions: a label and its value in separate cells, a signature block) or
    ``template`` (read at the label a vendor's template knows, ``ingest.fields.templates``,
    with its confidence).
    ``box`` is where the value is on the page (``ingest.words.Box``), when the page has words.
    """

    name: str
    value: Value
    page: int
    start: int
    end: int
    valid: bool = True
    source: str = "text"
    confidence: float | None = None
    box: Box | None = None
