"""A request's responsive records as operations: attached, detached, looked at; the decision,
the release and its package."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from archive import AccessScope, Actor, BlobStore, RecordNotFound, record
from disclosure import decision, marking, records, release
from disclosure.models import DisclosureRequest, RedactionStatus, ResponsiveRecord
from disclosure.notice import Notice
from retention import Backends, today_in_japan
from search import SearchIndex

ATTACH = "disclosure.records.attach"
DETACH = "disclosure.records.detach"
PREVIEW_FOUND = "disclosure.records.preview"
VIEW = "disclosure.record.view"
PAGE = "disclosure.record.page"
PREVIEW = "disclosure.preview"
DECIDE = "disclosure.decide"
NOTICE = "disclosure.notice"
RELEASE = "disclosure.release"
PACKAGE = "disclosure.package.download"
HOLDS_RELEASE = "disclosure.holds.release"


def attach(
    backends: Backends,
    request: DisclosureRequest,
    *,
    query: str,
    also: Sequence[str],
    scope: AccessScope,
    actor: Actor,
) -> list[ResponsiveRecord]:
    """Attach documents by id and/or all a search finds; each is frozen at its version and held."""
    session = backends.session
    added = records.attach_found(
        backends, request, query=query, also=also, scope=scope, actor=actor.name
    )
    detail = {"documents": [r.document_id for r in added], "hold": request.hold_id}
    record(session, actor=actor, action=ATTACH, target=request.id, detail=detail)
    return added


def preview_found(
    session: Session,
    index: SearchIndex,
    request: DisclosureRequest,
    *,
    query: str,
    scope: AccessScope,
    actor: Actor,
) -> list[records.Candidate]:
    """What ``attach`` would attach for ``query``, without attaching (the search is recorded)."""
    found = records.preview_found(session, index, request, query=query, scope=scope)
    detail = {"query": query, "found": len(found)}
    record(session, actor=actor, action=PREVIEW_FOUND, target=request.id, detail=detail)
    return found


def detach(
    backends: Backends,
    request: DisclosureRequest,
    record_id: int,
    *,
    scope: AccessScope,
    actor: Actor,
) -> ResponsiveRecord:
    """Remove a record attached by mistake, with its redactions, and free it from the hold."""
    session = backends.session
    row = records.get_record(session, request, record_id, scope)
    gone = {"record": row.id, "document": row.document_id, "title": row.title}
    removed = records.detach(backends, request, row, scope=scope, actor=actor.name)
    detail = {"redactions": removed, **gone}
    record(session, actor=actor, action=DETACH, target=request.id, detail=detail)
    return row


def view_record(
    session: Session,
    request: DisclosureRequest,
    record_id: int,
    *,
    scope: AccessScope,
    actor: Actor,
) -> ResponsiveRecord:
    """A responsive record the officer may read, its reading recorded."""
    row = records.get_record(session, request, record_id, scope)
    record(session, actor=actor, action=VIEW, target=request.id, detail={"record": row.id})
    return row


def page_image(
    backends: Backends,
    request: DisclosureRequest,
    record_id: int,
    *,
    page: int,
    dpi: int,
    scope: AccessScope,
    actor: Actor,
) -> bytes:
    """One page of a record, unredacted, as PNG (for marking); its reading recorded."""
    session, store = backends.session, backends.store
    row = records.get_record(session, request, record_id, scope)
    png = marking.page_image(store, row, page, dpi)
    detail = {"record": row.id, "page": page}
    record(session, actor=actor, action=PAGE, target=request.id, detail=detail)
    return png


def preview(
    backends: Backends,
    request: DisclosureRequest,
    record_id: int,
    *,
    ocr: bool,
    scope: AccessScope,
    actor: Actor,
) -> bytes:
    """The record as it would be released now (accepted redactions applied), as PDF bytes."""
    session, store = backends.session, backends.store
    row = records.get_record(session, request, record_id, scope)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "preview.pdf"
        accepted = records.redactions_of(session, [row.id], status=RedactionStatus.ACCEPTED)
        release.redacted_pdf(store, row, accepted, out, ocr=ocr)
        data = out.read_bytes()
    record(session, actor=actor, action=PREVIEW, target=request.id, detail={"record": row.id})
    return data


def decide(
    session: Session,
    request: DisclosureRequest,
    *,
    kind: str,
    reason: str,
    decided_on: date | None,
    scope: AccessScope,
    actor: Actor,
) -> None:
    """Issue the decision (by an officer who may read every record); the records stay held."""
    records.require_every_record(session, request, scope)
    decision.decide(
        session,
        request,
        decision=kind,
        reason=reason,
        decided_on=decided_on or today_in_japan(),
        actor=actor.name,
    )
    detail = {"decision": kind, "hold_until": request.hold_until}
    record(session, actor=actor, action=DECIDE, target=request.id, detail=detail)


def notice(session: Session, request: DisclosureRequest, *, scope: AccessScope) -> Notice:
    """The decision notice's content, for an officer who may read every record."""
    records.require_every_record(session, request, scope)
    if request.decision is None:
        raise RecordNotFound("no decision yet")
    return release.build_notice(session, request)


def release_records(
    session: Session,
    store: BlobStore,
    request: DisclosureRequest,
    *,
    ocr: bool,
    scope: AccessScope,
    actor: Actor,
) -> release.Package:
    """Produce the release package (redacted PDFs, notice, log, manifest); the request is released."""
    records.require_every_record(session, request, scope)
    package = release.release(
        session, store, request, today=today_in_japan(), actor=actor.name, ocr=ocr
    )
    detail = {"package": package.key, "files": package.files}
    record(session, actor=actor, action=RELEASE, target=request.id, detail=detail)
    return package


def package(
    session: Session, request: DisclosureRequest, *, scope: AccessScope, actor: Actor
) -> str:
    """The blob key of the released package, for an officer who may read every record."""
    records.require_every_record(session, request, scope)
    if request.package_key is None:
        raise RecordNotFound("not released yet")
    record(session, actor=actor, action=PACKAGE, target=request.id)
    return request.package_key


def release_expired_holds(
    backends: Backends,
    *,
    scope: AccessScope,
    actor: Actor,
) -> list[str]:
    """The daily job: end the holds of requests decided more than a year ago (as of today in
    Japan); return their numbers."""
    session = backends.session
    released = records.release_expired_holds(
        backends, as_of=today_in_japan(), actor=actor.name, scope=scope
    )
    record(session, actor=actor, action=HOLDS_RELEASE, detail={"requests": released})
    return released
