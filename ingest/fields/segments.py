"""Words joined into the runs a reader sees as one piece: a table cell, a label, a name.

Words on one line join when the gap between them is small; a wide gap (a column, a table
cell's border) starts a new segment. The geometry helpers answer "what is right of this
label on its line" and "what is below it in its column".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ingest.fields.normalize import halfwidth
from ingest.words import Box, PageWords, Word

_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")
MAX_SEGMENTS = 5_000
"""Segments per page a reader looks at (a huge table is read from its top)."""


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    """Half-width (``normalize.halfwidth``), words joined as printed."""
    box: Box
    page: int


def segments(page: PageWords) -> list[Segment]:
    """The page's segments, top to bottom and left to right."""
    lines: list[list[Word]] = []
    for word in sorted(page.words, key=lambda w: (w.box.y0, w.box.x0)):
        line = next((ln for ln in reversed(lines[-3:]) if _same_line(ln[-1], word)), None)
        if line is None:
            lines.append([word])
        else:
            line.append(word)
    found: list[Segment] = []
    for line in lines:
        run: list[Word] = []
        for word in sorted(line, key=lambda w: w.box.x0):
            if run and not _close(run[-1], word, page.aspect):
                found.append(_segment(run, page.number))
                run = []
            run.append(word)
        found.append(_segment(run, page.number))
        if len(found) >= MAX_SEGMENTS:
            break
    return sorted(found[:MAX_SEGMENTS], key=lambda s: (round(s.box.middle, 3), s.box.x0))


def _same_line(a: Word, b: Word) -> bool:
    size = max(a.box.height, b.box.height, 1e-6)
    return abs(a.box.middle - b.box.middle) < size * 0.5


def _close(a: Word, b: Word, aspect: float) -> bool:
    """Whether ``b`` continues ``a``'s segment: a gap under about one character height."""
    height_as_width = max(a.box.height, b.box.height) / max(aspect, 1e-6)
    return b.box.x0 - a.box.x1 < height_as_width * 1.1


def _segment(words: list[Word], page: int) -> Segment:
    text = words[0].text
    box = words[0].box
    for previous, word in itertools.pairwise(words):
        joint = "" if _CJK.search(previous.text[-1:]) and _CJK.search(word.text[:1]) else " "
        text += joint + word.text
        box = box.union(word.box)
    return Segment(halfwidth(text), box, page)


def right_of(label: Segment, candidates: Iterable[Segment]) -> list[Segment]:
    """Segments on ``label``'s line to its right, nearest first."""
    size = label.box.height
    return sorted(
        (
            s
            for s in candidates
            if s.page == label.page
            and s.box.x0 >= label.box.x1 - size * 0.2
            and abs(s.box.middle - label.box.middle) < size * 0.6
        ),
        key=lambda s: s.box.x0,
    )


def below(label: Segment, candidates: Iterable[Segment], lines: float = 2.5) -> list[Segment]:
    """Segments under ``label`` (overlapping its column) within ``lines`` line heights, nearest first."""
    size = label.box.height
    return sorted(
        (
            s
            for s in candidates
            if s.page == label.page
            and label.box.y1 - size * 0.2 < s.box.y0 < label.box.y1 + size * lines
            and s.box.x0 < label.box.x1 + size
            and s.box.x1 > label.box.x0
        ),
        key=lambda s: s.box.y0,
    )


def beside_or_below(
    label: Segment, candidates: Sequence[Segment], reach: float = 1.0
) -> list[Segment]:
    """Where a label's value is printed: right of it on its line (at most ``reach`` of the
    page's width away: a name's label does not reach into the next column), else under it."""
    beside = [s for s in right_of(label, candidates) if s.box.x0 - label.box.x1 <= reach]
    return [*beside[:2], *below(label, candidates)[:2]]
