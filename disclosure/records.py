"""Responsive records: attach documents (frozen at their current version, held by retention),
list and detach them; marking redactions on them is ``disclosure.marking``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from archive import (
    AccessScope,
    Document,
    DocumentVersion,
    InvalidInput,
    NotCleared,
    NotReadable,
    RecordNotFound,
    document_exists,
    get_document,
    readable,
    readable_reference,
)
from disclosure.errors import InvalidTransition
from disclosure.models import (
    DisclosureRequest,
    Redaction,
    RedactionStatus,
    RequestState,
    ResponsiveRecord,
)
from retention import Backends, Hold
from retention import hold_service as holds
from search import SearchIndex, SearchRequest

EDITABLE = frozenset({RequestState.RECEIVED, RequestState.SEARCHING, RequestState.REVIEWING})


def check_editable(request: DisclosureRequest) -> None:
    if request.state not in EDITABLE:
        raise InvalidTransition(f"the records of a {request.state.value} request are fixed")


def attach(
    backends: Backends,
    request: DisclosureRequest,
    *,
    document_ids: Sequence[str],
    scope: AccessScope,
    actor: str,
) -> list[ResponsiveRecord]:
    """Attach documents at their current version and hold them (one retention hold per request)."""
    session = backends.session
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
            backends,
            name=f"情報公開請求 {request.number}",
            actor=actor,
            scope=scope,
            document_ids=ids,
            reason=f"情報公開請求 {request.number}: 決定の日から1年間保存 (公文書管理法施行令 第9条)",
        )
        request.hold_id = hold.id
    else:
        holds.add_to_hold(
            backends,
            holds.get_hold(session, request.hold_id),
            actor=actor,
            scope=scope,
            document_ids=ids,
        )
    session.flush()
    return added


def attach_found(
    backends: Backends,
    request: DisclosureRequest,
    *,
    query: str,
    scope: AccessScope,
    actor: str,
    also: Sequence[str] = (),
) -> list[ResponsiveRecord]:
    """Attach every document a search finds (up to 100) that ``scope`` may read, plus ``also`` by id."""
    ids = list(also) + (_found_ids(backends.index, query, scope) if query.strip() else [])
    if not ids:
        raise InvalidInput("give document ids or a query that finds documents", field="query")
    return attach(backends, request, document_ids=ids, scope=scope, actor=actor)


def _found_ids(index: SearchIndex | None, query: str, scope: AccessScope) -> list[str]:
    if index is None:
        raise InvalidInput("attaching by query needs the search index", field="query")
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
    backends: Backends,
    request: DisclosureRequest,
    record: ResponsiveRecord,
    *,
    scope: AccessScope,
    actor: str,
) -> int:
    """Remove a record attached by mistake, with its redactions, and free it from the request's
    hold; return how many redactions went with it."""
    session = backends.session
    check_editable(request)
    marks = redactions_of(session, [record.id])
    for mark in marks:
        session.delete(mark)
    session.delete(record)
    session.flush()
    if request.hold_id is not None:
        holds.release(
            backends,
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


def release_expired_holds(
    backends: Backends,
    *,
    as_of: date,
    actor: str,
    scope: AccessScope,
) -> list[str]:
    """End the holds of requests whose year after the decision has passed; return their numbers."""
    session = backends.session
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
            backends,
            hold,
            actor=actor,
            scope=scope,
            everything=True,
            reason=f"情報公開請求 {request.number}: 決定から1年を経過 ({request.hold_until})",
        )
        released.append(request.number)
    return released
