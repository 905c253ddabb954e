"""Tie fields to both places they were seen: the span of the page text and the box on the page.

A field read from the text has a span and gets the box of the words that print it; a field
read from the layout has a box and gets the span where the page text prints its segment.
Spaces are not compared (OCR and PDF text layers space words differently).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ingest.extract.base import PageText
from ingest.fields.base import Field
from ingest.fields.normalize import halfwidth
from ingest.fields.segments import Segment
from ingest.words import Box

_SPACE = re.compile(r"\s+")


def with_boxes(
    fields: Sequence[Field], pages: Sequence[PageText], segs: Sequence[Segment]
) -> list[Field]:
    """``fields`` with boxes for text spans and spans for boxes, where either can be found."""
    texts = {page.number: page.text for page in pages}
    located = []
    for found in fields:
        text = texts.get(found.page, "")
        if found.box is None and found.end > found.start:
            box = _box_of(text, found, [s for s in segs if s.page == found.page])
            located.append(replace(found, box=box))
        elif found.box is not None and found.end <= found.start:
            located.append(_with_span(found, text, segs))
        else:
            located.append(found)
    return located


def _box_of(text: str, found: Field, segs: Sequence[Segment]) -> Box | None:
    """The box of the segments that print ``found``'s span (the same occurrence of it)."""
    wanted = _SPACE.sub("", halfwidth(text[found.start : found.end]))
    if not wanted:
        return None
    before = _SPACE.sub("", halfwidth(text[: found.start])).count(wanted)
    seen = 0
    for seg in segs:
        compact = _SPACE.sub("", seg.text)
        count = compact.count(wanted)
        if seen + count > before:
            return seg.box.rounded()
        seen += count
    return None


def _with_span(found: Field, text: str, segs: Sequence[Segment]) -> Field:
    """``found`` with the span where the page text prints the segment its box came from."""
    seg = next((s for s in segs if s.page == found.page and s.box.rounded() == found.box), None)
    if seg is None:
        return found
    chars = [re.escape(c) for c in _SPACE.sub("", seg.text)]
    if not chars:
        return found
    match = re.compile(r"\s*".join(chars)).search(halfwidth(text))
    return replace(found, start=match.start(), end=match.end()) if match else found
