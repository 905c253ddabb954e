"""A record's retention as operations: assigned by hand, extended, filed, its file closed.

Each change mirrors the new dates onto the storage's object lock (``retention.worm``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from archive import Actor, BlobStore, InvalidInput, record
from retention import engine, extensions, files
from retention.backends import Backends
from retention.models import RecordFile, RetentionExtension
from retention.worm import protect_document

VIEW = "retention.view"
"""Reading a document's retention (``retention.explanation.explain``), audited by the reader."""
ASSIGN = "retention.assign"
EXTEND = "retention.extend"
OPEN_FILE = "retention.file.open"
FILE_DOCUMENTS = "retention.file.add"
CLOSE_FILE = "retention.file.close"
FILE_EVENT = "retention.file.event"


def assign(
    backends: Backends,
    document_id: str,
    *,
    actor: Actor,
    series: str | None = None,
    event_date: date | None = None,
    clear_event_date: bool = False,
    reason: str | None = None,
) -> engine.Computed:
    """Set a document's series and/or its event date by hand; its dates follow."""
    session, store = backends.session, backends.store
    if series is None and event_date is None and not clear_event_date:
        raise InvalidInput("give series, event_date or clear_event_date", field="series")
    before = engine.retention_row(session, document_id)
    old_date = before.disposition_date if before else None
    computed = engine.assign_by_hand(
        session,
        document_id,
        actor=actor.name,
        series_code=series,
        event_date=event_date,
        clear_event_date=clear_event_date,
        reason=reason,
    )
    protect_document(session, store, document_id, permanent=computed.permanent)
    detail = {
        "series": series,
        "event_date": event_date,
        "clear_event_date": clear_event_date,
        "reason": reason,
        "disposition_date": (old_date, computed.disposition_date),
    }
    record(session, actor=actor, action=ASSIGN, target=document_id, detail=detail)
    return computed


def _record_extension(
    session: Session, actor: Actor, target: str, extension: RetentionExtension
) -> None:
    record(
        session,
        actor=actor,
        action=EXTEND,
        target=target,
        detail={
            "from": extension.previous_date,
            "to": extension.new_date,
            "reason": extension.reason,
            "legal_basis": extension.legal_basis,
        },
    )


def extend_document(
    backends: Backends,
    document_id: str,
    *,
    actor: Actor,
    reason: str,
    legal_basis: str,
    until: date | None = None,
    years: int | None = None,
) -> RetentionExtension:
    """Extend (延長) a document's retention to a later date (``until``, or by ``years``)."""
    session, store = backends.session, backends.store
    extension = extensions.extend(
        session,
        actor=actor.name,
        document_id=document_id,
        until=until,
        years=years,
        reason=reason,
        legal_basis=legal_basis,
    )
    protect_document(session, store, document_id, permanent=False)
    _record_extension(session, actor, document_id, extension)
    return extension


def _protect_file(session: Session, store: BlobStore, record_file: RecordFile) -> None:
    permanent = record_file.series.permanent
    for document_id in files.file_document_ids(session, record_file.id):
        protect_document(session, store, document_id, permanent=permanent)


def extend_file(
    backends: Backends,
    file_id: str,
    *,
    actor: Actor,
    reason: str,
    legal_basis: str,
    until: date | None = None,
    years: int | None = None,
) -> RecordFile:
    """Extend (延長) a file's retention; every document in it follows."""
    session, store = backends.session, backends.store
    record_file = files.get_file(session, file_id)
    extension = extensions.extend(
        session,
        actor=actor.name,
        file_id=file_id,
        until=until,
        years=years,
        reason=reason,
        legal_basis=legal_basis,
    )
    _protect_file(session, store, record_file)
    _record_extension(session, actor, file_id, extension)
    return record_file


def open_file(
    session: Session,
    *,
    actor: Actor,
    series: str,
    title: str,
    opened_on: date,
    department: str | None = None,
) -> RecordFile:
    """Open a file (簿冊) of a series."""
    record_file = files.open_file(
        session,
        series_code=series,
        title=title,
        opened_on=opened_on,
        department=department,
        actor=actor.name,
    )
    detail = {"series": series, "title": title, "department": department, "opened_on": opened_on}
    record(session, actor=actor, action=OPEN_FILE, target=record_file.id, detail=detail)
    return record_file


def file_documents(
    session: Session, store: BlobStore, file_id: str, document_ids: Sequence[str], *, actor: Actor
) -> RecordFile:
    """File documents into an open file: they take its series and dates."""
    record_file = files.get_file(session, file_id)
    files.file_documents(session, record_file, list(document_ids))
    _protect_file(session, store, record_file)
    record(
        session,
        actor=actor,
        action=FILE_DOCUMENTS,
        target=file_id,
        detail={"documents": list(document_ids)},
    )
    return record_file


def close_file(
    session: Session, store: BlobStore, file_id: str, closed_on: date, *, actor: Actor
) -> RecordFile:
    """Close the file (the cutoff): retention starts April 1 after the fiscal year of ``closed_on``."""
    record_file = files.get_file(session, file_id)
    moved = files.close_file(session, record_file, closed_on)
    _protect_file(session, store, record_file)
    record(
        session,
        actor=actor,
        action=CLOSE_FILE,
        target=file_id,
        detail={"closed_on": closed_on, "documents": moved},
    )
    return record_file


def set_file_event_date(
    session: Session, store: BlobStore, file_id: str, event_date: date | None, *, actor: Actor
) -> RecordFile:
    """Set (or clear) the event a file's retention counts from; its documents follow."""
    record_file = files.get_file(session, file_id)
    files.set_file_event_date(session, record_file, event_date)
    _protect_file(session, store, record_file)
    record(
        session,
        actor=actor,
        action=FILE_EVENT,
        target=file_id,
        detail={"event_date": event_date},
    )
    return record_file
