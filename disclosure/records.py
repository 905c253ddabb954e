"""Responsive records: attach documents (frozen at their current version, held by retention) and
mark redactions on them (boxes, found text, PII proposals)."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from archive.access import AccessScope
from archive.blobs.base import BlobStore
from archive.disclosure_tables import (
    DisclosureRequest,
    Redaction,
    RedactionStatus,
    RequestState,
    ResponsiveRecord,
)
from archive.documents import document_exists, get_document
from archive.errors import InvalidInput, NotCleared, NotReadable, RecordNotFound
from archive.models import Document, DocumentVersion
from archive.policy import readable, readable_reference
from archive.retention_tables import Hold
from disclosure import pii
from disclosure.convert import working_pdf
from disclosure.errors import BadRedaction, InvalidTransition
from disclosure.locate import Box, Found, find, page_sizes, texts_under
from disclosure.render import page_png
from retention import holds
from search import SearchIndex, SearchRequest

EDITABLE = frozenset({RequestState.RECEIVED, RequestState.SEARCHING, RequestState.REVIEWING})
STATUSES = tuple(s.value for s in RedactionStatus)


def check_editable(request: DisclosureRequest) -> None:
    if request.state not in EDITABLE:
        raise InvalidTransition(f"the records of a {request.state.value} request are fixed")


def attach(
    session: Session,
    store: BlobStore,
    index: SearchIndex | None,
    request: DisclosureRequest,
    *,
    document_ids: Sequence[str],
    scope: AccessScope,
    actor: str,
) -> list[ResponsiveRecord]:
    """Attach documents at their current version and hold them (one retention hold per request)."""
    check_editable(request)
    existing = {r.document_id for r in records_of(session, request.id)}
    added = []
    for document_id in dict.fromkeys(document_ids):
        document = _readable(session, document_id, scope)
        if document_id in existing:
            continue
        version = document.current_version
        record = ResponsiveRecord(
            request_id=request.id,
            document_id=document.id,
            version_id=version.id,
            blob_key=version.blob_key,
            media_type=version.media_type,
            title=document.title,
            security_level=document.security_level,
            added_by=actor,
        )
        session.add(record)
        added.append(record)
    if not added:
        return []
    ids = [r.document_id for r in added]
    if request.hold_id is None:
        hold, _ = holds.place_hold(
            session,
            store,
            index,
            name=f"情報公開請求 {request.number}",
            actor=actor,
            scope=scope,
            document_ids=ids,
            reason=f"情報公開請求 {request.number}: 決定の日から1年間保存 (公文書管理法施行令 第9条)",
        )
        request.hold_id = hold.id
    else:
        holds.add_to_hold(
            session,
            store,
            index,
            holds.get_hold(session, request.hold_id),
            actor=actor,
            scope=scope,
            document_ids=ids,
        )
    session.flush()
    return added


def attach_found(
    session: Session,
    store: BlobStore,
    index: SearchIndex,
    request: DisclosureRequest,
    *,
    query: str,
    scope: AccessScope,
    actor: str,
    also: Sequence[str] = (),
) -> list[ResponsiveRecord]:
    """Attach every document a search finds (up to 100) that ``scope`` may read, plus ``also`` by id."""
    ids = list(also) + (_found_ids(index, query, scope) if query.strip() else [])
    if not ids:
        raise InvalidInput("give document ids or a query that finds documents", field="query")
    return attach(session, store, index, request, document_ids=ids, scope=scope, actor=actor)


def _found_ids(index: SearchIndex, query: str, scope: AccessScope) -> list[str]:
    return [
        str(hit.id) for hit in index.search(SearchRequest(scope=scope, query=query, size=100)).hits
    ]


@dataclass(frozen=True)
class Candidate:
    """A document a query would attach: its id, title, and whether the request has it already."""

    document_id: str
    title: str
    attached: bool


def preview_found(
    session: Session,
    index: SearchIndex,
    request: DisclosureRequest,
    *,
    query: str,
    scope: AccessScope,
) -> list[Candidate]:
    """What ``attach_found`` would attach for ``query``, in the search's order, without attaching."""
    if not query.strip():
        raise InvalidInput("give a query that finds documents", field="attach_query")
    ids = _found_ids(index, query, scope)
    rows = session.execute(
        select(Document.id, Document.title).where(Document.id.in_(ids), readable(scope))
    )
    titles = {document_id: title for document_id, title in rows}
    existing = {r.document_id for r in records_of(session, request.id)}
    return [Candidate(i, titles[i], i in existing) for i in ids if i in titles]


def detach(
    session: Session,
    store: BlobStore,
    index: SearchIndex | None,
    request: DisclosureRequest,
    record: ResponsiveRecord,
    *,
    scope: AccessScope,
    actor: str,
) -> int:
    """Remove a record attached by mistake, with its redactions, and free it from the request's
    hold; return how many redactions went with it."""
    check_editable(request)
    marks = redactions_of(session, [record.id])
    for mark in marks:
        session.delete(mark)
    session.delete(record)
    session.flush()
    if request.hold_id is not None:
        holds.release(
            session,
            store,
            index,
            holds.get_hold(session, request.hold_id),
            actor=actor,
            scope=scope,
            document_ids=[record.document_id],
            reason=f"情報公開請求 {request.number}: 誤って添付した文書を対象から除く",
        )
    return len(marks)


def _readable(session: Session, document_id: str, scope: AccessScope) -> Document:
    try:
        return get_document(session, document_id, scope)
    except RecordNotFound:
        if document_exists(session, document_id):
            raise NotReadable(document_id) from None
        raise


def record_readable(scope: AccessScope) -> ColumnElement[bool]:
    """The responsive records ``scope`` may see, as a WHERE clause on ``ResponsiveRecord``."""
    return readable_reference(ResponsiveRecord.document_id, ResponsiveRecord.security_level, scope)


def records_of(session: Session, request_id: str) -> list[ResponsiveRecord]:
    """Every record of the request, whoever may see it (for the decision and the release)."""
    return list(
        session.scalars(
            select(ResponsiveRecord)
            .where(ResponsiveRecord.request_id == request_id)
            .order_by(ResponsiveRecord.id)
        )
    )


def readable_records(
    session: Session, request_id: str, scope: AccessScope
) -> tuple[list[ResponsiveRecord], int]:
    """The records of the request ``scope`` may see, and how many more there are."""
    every = records_of(session, request_id)
    visible = list(
        session.scalars(
            select(ResponsiveRecord)
            .where(ResponsiveRecord.request_id == request_id, record_readable(scope))
            .order_by(ResponsiveRecord.id)
        )
    )
    return visible, len(every) - len(visible)


def require_every_record(session: Session, request: DisclosureRequest, scope: AccessScope) -> None:
    """Refuse (``NotCleared``) to decide, release or export a request with records ``scope`` may not see."""
    _, hidden = readable_records(session, request.id, scope)
    if hidden:
        raise NotCleared(
            f"{hidden} record(s) of this request are above your clearance: "
            "an officer cleared for them must decide, release and export it"
        )


def get_record(
    session: Session, request: DisclosureRequest, record_id: int, scope: AccessScope
) -> ResponsiveRecord:
    """One record of the request, if ``scope`` may see it (``NotReadable``, a 404, if not)."""
    record = session.get(ResponsiveRecord, record_id)
    if record is None or record.request_id != request.id:
        raise RecordNotFound(f"no record {record_id} on this request")
    visible = session.scalar(
        select(ResponsiveRecord.id).where(ResponsiveRecord.id == record_id, record_readable(scope))
    )
    if visible is None:
        raise NotReadable(f"no record {record_id} on this request")
    return record


@dataclass(frozen=True)
class VersionState:
    """The version a record was frozen at, and its document's current one (None once disposed)."""

    attached: int | None
    current: int | None

    @property
    def newer_exists(self) -> bool:
        return (
            self.attached is not None and self.current is not None and self.current > self.attached
        )


def version_states(session: Session, rows: Sequence[ResponsiveRecord]) -> dict[int, VersionState]:
    """For each record, whether a version newer than the attached one has been added since."""
    numbers: dict[str, int] = {
        version_id: number
        for version_id, number in session.execute(
            select(DocumentVersion.id, DocumentVersion.number).where(
                DocumentVersion.id.in_({r.version_id for r in rows})
            )
        )
    }
    current: dict[str, int] = {
        document_id: number
        for document_id, number in session.execute(
            select(DocumentVersion.document_id, func.max(DocumentVersion.number))
            .where(DocumentVersion.document_id.in_({r.document_id for r in rows}))
            .group_by(DocumentVersion.document_id)
        )
    }
    return {r.id: VersionState(numbers.get(r.version_id), current.get(r.document_id)) for r in rows}


def redactions_of(
    session: Session, record_ids: Sequence[int], *, status: RedactionStatus | None = None
) -> list[Redaction]:
    query = (
        select(Redaction)
        .where(Redaction.record_id.in_(list(record_ids)))
        .order_by(Redaction.page, Redaction.id)
    )
    if status:
        query = query.where(Redaction.status == status.value)
    return list(session.scalars(query))


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
    session: Session,
    store: BlobStore,
    record: ResponsiveRecord,
    marks: Sequence[Mark],
    *,
    actor: str,
    kind: str = "box",
    status: RedactionStatus = RedactionStatus.ACCEPTED,
) -> list[Redaction]:
    """Add drawn boxes after checking each lies on its page (``BadRedaction``, a 422, otherwise)."""
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
    session: Session,
    store: BlobStore,
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
        add_boxes(session, store, record, marks, actor=actor, kind="span", status=status)
    return found


PII_CATEGORY = "personal"


def propose_pii(
    session: Session, store: BlobStore, record: ResponsiveRecord, *, actor: str
) -> list[tuple[Redaction, str]]:
    """Run the PII detector over every page and add its findings as proposals (status ``proposed``)."""
    wanted: dict[tuple[int, str], str] = {}
    with opened(store, record) as pdf:
        for line in find(pdf, re.compile(r"[^\n]+")):
            for finding in pii.detect(line.text):
                wanted.setdefault((line.page, finding.text), finding.kind)
        marks: list[tuple[Mark, str]] = []
        for (page, text), kind in wanted.items():
            for hit in find(pdf, re.compile(re.escape(text)), pages={page}):
                marks += [(Mark(hit.page, box, PII_CATEGORY, kind), kind) for box in hit.boxes]
    rows = (
        add_boxes(
            session,
            store,
            record,
            [m for m, _ in marks],
            actor=actor,
            kind="pii",
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


def release_expired_holds(
    session: Session,
    store: BlobStore,
    index: SearchIndex | None,
    *,
    as_of: date,
    actor: str,
    scope: AccessScope,
) -> list[str]:
    """End the holds of requests whose year after the decision has passed; return their numbers."""
    released = []
    rows = session.scalars(
        select(DisclosureRequest).where(
            DisclosureRequest.hold_until < as_of, DisclosureRequest.hold_id.is_not(None)
        )
    )
    for request in rows:
        hold = session.get(Hold, request.hold_id)
        if hold is None or hold.released_at is not None:
            continue
        holds.release(
            session,
            store,
            index,
            hold,
            actor=actor,
            scope=scope,
            everything=True,
            reason=f"情報公開請求 {request.number}: 決定から1年を経過 ({request.hold_until})",
        )
        released.append(request.number)
    return released
