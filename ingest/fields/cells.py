"""A label's value on the page: in the same segment after it, in the next cell, or below it.

labelled(segs, TOTAL_AMOUNT, cell_amounts)    # [(value, segment the value is in), ...]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from ingest.fields.normalize import Found
from ingest.fields.segments import Segment, beside_or_below

Finder = Callable[[str], list[Found[Any]]]


def labelled(
    segs: Sequence[Segment], label: re.Pattern[str], finder: Finder, reach: float = 1.0
) -> list[tuple[Any, Segment]]:
    """(value, segment) for each label whose value is in the next cell (at most ``reach`` of
    the page's width right of it) or the one below."""
    hits: list[tuple[Any, Segment]] = []
    for seg in segs:
        match = label.search(seg.text)
        # A label starts its segment, or is inside a short one ("Sales Tax", "10%対象 消費税").
        if match is None or (match.start() > 2 and len(seg.text) > 24):
            continue
        if (
            match.start()
            and seg.text[match.start() - 1].isascii()
            and seg.text[match.start() - 1].isalpha()
        ):
            continue  # "Subtotal" is no "Total"
        rest = seg.text[match.end() :]
        own = [f for f in finder(rest) if f.start < 6] if rest.strip(" :：") else []
        if own:
            hits.append((own[0].value, seg))
            continue
        for other in beside_or_below(seg, segs, reach):
            found = finder(other.text)
            if found and found[0].start < 3:
                hits.append((found[0].value, other))
                break
    return hits


def whole(text: str) -> list[Found[str]]:
    """The whole text of a cell as the value (a name after its label)."""
    stripped = text.strip()
    return [Found(stripped, 0, len(stripped))] if len(stripped) >= 2 else []
