"""Marking redactions on a responsive record's pages: boxes drawn, text found, PII proposed,
accepted or rejected, moved, deleted; the pages as the officer sees them."""

from __future__ import annotations

import enum
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from archive import BlobStore, InvalidInput, RecordNotFound
from disclosure import pii
from disclosure.convert import working_pdf
from disclosure.errors import BadRedaction
from disclosure.locate import Box, Found, find, page_sizes, texts_under
from disclosure.models import (
    Redaction,
    RedactionStatus,
    ResponsiveRecord,
)
from disclosure.render import page_png
from retention import Backends

STATUSES = tuple(s.value for s in RedactionStatus)


class MarkKind(enum.StrEnum):
    """How a redaction was marked (``Redaction.kind``)."""

    BOX = "box"
    """Drawn by the officer."""
    SPAN = "span"
    """Text found by a search."""
    PII = "pii"
    """Proposed by the personal-data finder (``note`` says what it found)."""


@contextmanager
def opened(store: BlobStore, record: ResponsiveRecord) -> Iterator[Path]:
    """The record's working PDF (see ``disclosure.convert``) in a scratch directory."""
    with tempfile.TemporaryDirectory(prefix="bunko-disclosure-") as scratch:
        original = Path(scratch) / "original"
        with store.open(record.blob_key) as source, original.open("wb") as sink:
            while chunk := source.read(1 << 20):
                sink.write(chunk)
        yield working_pdf(original, Path(scratch) / "working.pdf")


@dataclass(frozen=True)
class Mark:
    page: int
    box: Box
    category: str
    note: str = ""


def add_boxes(
    backends: Backends,
    record: ResponsiveRecord,
    marks: Sequence[Mark],
    *,
    actor: str,
    kind: MarkKind = MarkKind.BOX,
    status: RedactionStatus = RedactionStatus.ACCEPTED,
) -> list[Redaction]:
    """Add drawn boxes after checking each lies on its page (``BadRedaction``, a 422, otherwise)."""
    session, store = backends.session, backends.store
    with opened(store, record) as pdf:
        sizes = page_sizes(pdf)
    rows = []
    for mark in marks:
        _check(mark, sizes)
        x0, y0, x1, y1 = mark.box
        rows.append(
            Redaction(
                record_id=record.id,
                page=mark.page,
                x0=x0,
                y0=y0,
                x1=x1,
                y1=y1,
                kind=kind,
                category=mark.category.strip(),
                note=mark.note,
                status=status.value,
                created_by=actor,
            )
        )
    session.add_all(rows)
    session.flush()
    return rows


def _check(mark: Mark, sizes: list[tuple[float, float]]) -> None:
    if not mark.category.strip():
        raise BadRedaction("every redaction needs a non-disclosure category", field="category")
    if not 1 <= mark.page <= len(sizes):
        raise BadRedaction(
            f"page {mark.page} does not exist (the record has {len(sizes)})", field="page"
        )
    width, height = sizes[mark.page - 1]
    x0, y0, x1, y1 = mark.box
    if not (x0 < x1 and y0 < y1):
        raise BadRedaction("a box needs x0 < x1 and y0 < y1", field="box")
    if x0 < 0 or y0 < 0 or x1 > width + 0.01 or y1 > height + 0.01:
        raise BadRedaction(
            f"the box lies outside page {mark.page} ({width:.0f} × {height:.0f} pt)", field="box"
        )


def search_and_redact(
    backends: Backends,
    record: ResponsiveRecord,
    *,
    pattern: str,
    regex: bool,
    category: str,
    note: str,
    actor: str,
    status: RedactionStatus = RedactionStatus.ACCEPTED,
) -> list[Found]:
    """Mark every occurrence of a term (or regular expression) on every page; return what was found.

    ``RedactionStatus.PROPOSED`` shows the occurrences on the page for the officer to accept first.
    """
    store = backends.store
    if not pattern.strip():
        raise InvalidInput("give a term or a pattern", field="pattern")
    try:
        compiled = (
            re.compile(pattern.replace(" ", ""))
            if regex
            else re.compile("".join(re.escape(c) for c in pattern if c.strip()))
        )
    except re.error as exc:
        raise InvalidInput(f"bad pattern: {exc}", field="pattern") from None
    with opened(store, record) as pdf:
        found = find(pdf, compiled)
    marks = [Mark(f.page, box, category, note) for f in found for box in f.boxes]
    if marks:
        add_boxes(backends, record, marks, actor=actor, kind=MarkKind.SPAN, status=status)
    return found


PII_CATEGORY = "personal"


def propose_pii(
    backends: Backends, record: ResponsiveRecord, *, actor: str
) -> list[tuple[Redaction, str]]:
    """Run the PII detector over every page and add its findings as proposals (status ``proposed``)."""
    wanted: dict[tuple[int, str], str] = {}
    with opened(backends.store, record) as pdf:
        for line in find(pdf, re.compile(r"[^\n]+")):
            for finding in pii.detect(line.text):
                wanted.setdefault((line.page, finding.text), finding.kind)
        marks: list[tuple[Mark, str]] = []
        for (page, text), kind in wanted.items():
            for hit in find(pdf, re.compile(re.escape(text)), pages={page}):
                marks += [(Mark(hit.page, box, PII_CATEGORY, kind), kind) for box in hit.boxes]
    rows = (
        add_boxes(
            backends,
            record,
            [m for m, _ in marks],
            actor=actor,
            kind=MarkKind.PII,
            status=RedactionStatus.PROPOSED,
        )
        if marks
        else []
    )
    return list(zip(rows, [k for _, k in marks], strict=True))


def _redaction(session: Session, record: ResponsiveRecord, redaction_id: int) -> Redaction:
    row = session.get(Redaction, redaction_id)
    if row is None or row.record_id != record.id:
        raise RecordNotFound(f"no redaction {redaction_id} on this record")
    return row


def set_status(
    session: Session, record: ResponsiveRecord, redaction_id: int, status: str
) -> Redaction:
    if status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}", field="status")
    row = _redaction(session, record, redaction_id)
    row.status = status
    session.flush()
    return row


def set_statuses(
    session: Session, record: ResponsiveRecord, redaction_ids: Sequence[int], status: str
) -> list[Redaction]:
    """Accept or reject several redactions at once (all or none: an unknown id refuses the lot)."""
    if not redaction_ids:
        raise InvalidInput("choose at least one redaction", field="redaction")
    return [set_status(session, record, i, status) for i in dict.fromkeys(redaction_ids)]


def move_box(
    session: Session, store: BlobStore, record: ResponsiveRecord, redaction_id: int, box: Box
) -> Redaction:
    """Move or resize a redaction to ``box`` on its page (checked as a new box is)."""
    row = _redaction(session, record, redaction_id)
    with opened(store, record) as pdf:
        _check(Mark(row.page, box, row.category), page_sizes(pdf))
    row.x0, row.y0, row.x1, row.y1 = box
    session.flush()
    return row


def delete_redaction(session: Session, record: ResponsiveRecord, redaction_id: int) -> Redaction:
    """Remove a redaction drawn by mistake (the audit entry of the unit of work keeps it)."""
    row = _redaction(session, record, redaction_id)
    session.delete(row)
    session.flush()
    return row


@dataclass(frozen=True)
class PageView:
    """What the officer's page view needs: each page's size in points and the text under each mark."""

    sizes: list[tuple[float, float]]
    texts: dict[int, tuple[str, str]]
    """redaction id → (text under it, its whole line); empty on image-only pages."""


def page_view(store: BlobStore, record: ResponsiveRecord, marks: Sequence[Redaction]) -> PageView:
    with opened(store, record) as pdf:
        texts = texts_under(pdf, [(m.page, (m.x0, m.y0, m.x1, m.y1)) for m in marks])
        return PageView(page_sizes(pdf), dict(zip([m.id for m in marks], texts, strict=True)))


def page_count(store: BlobStore, record: ResponsiveRecord) -> int:
    with opened(store, record) as pdf:
        return len(page_sizes(pdf))


def page_image(store: BlobStore, record: ResponsiveRecord, number: int, dpi: int) -> bytes:
    """Page ``number`` of the record's working PDF as PNG (``RecordNotFound`` past its end)."""
    with opened(store, record) as pdf:
        if not 1 <= number <= len(page_sizes(pdf)):
            raise RecordNotFound(f"the record has no page {number}")
        return page_png(pdf, number, dpi)
