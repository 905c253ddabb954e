"""Redactions as operations: boxes drawn, moved and deleted, search-and-redact, PII proposals,
accepted or rejected. Each works on a record of an editable request that the officer may read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from archive import AccessScope, Actor, BlobStore, record
from disclosure import marking, records
from disclosure.locate import Box
from disclosure.models import (
    DisclosureRequest,
    Redaction,
    RedactionStatus,
    ResponsiveRecord,
)
from retention import Backends

ADD = "disclosure.redaction.add"
FIND = "disclosure.redaction.find"
PROPOSE = "disclosure.redaction.propose"
STATUS = "disclosure.redaction.status"
MOVE = "disclosure.redaction.move"
DELETE = "disclosure.redaction.delete"


@dataclass(frozen=True)
class Target:
    """Which record of which request, for whom."""

    request: DisclosureRequest
    record_id: int
    scope: AccessScope
    actor: Actor

    def editable_record(self, session: Session) -> ResponsiveRecord:
        records.check_editable(self.request)
        return records.get_record(session, self.request, self.record_id, self.scope)

    def audit(self, session: Session, action: str, row: ResponsiveRecord, **detail: object) -> None:
        detail = {"record": row.id, **detail}
        record(session, actor=self.actor, action=action, target=self.request.id, detail=detail)


def add_boxes(backends: Backends, target: Target, marks: Sequence[marking.Mark]) -> list[Redaction]:
    """Redact page regions (each must lie on its page)."""
    session = backends.session
    row = target.editable_record(session)
    added = marking.add_boxes(backends, row, marks, actor=target.actor.name)
    target.audit(session, ADD, row, boxes=len(added), redactions=[r.id for r in added])
    return added


@dataclass(frozen=True)
class Search:
    """A search-and-redact: a term (or regular expression), and what to mark it as."""

    pattern: str
    regex: bool
    category: str
    note: str = ""


def find(
    backends: Backends, target: Target, search: Search, *, status: RedactionStatus
) -> tuple[int, list[Redaction]]:
    """Mark every occurrence across every page (scanned pages by OCR), as ``status``; return
    how many occurrences were found and the redactions added."""
    session = backends.session
    row = target.editable_record(session)
    before = {r.id for r in records.redactions_of(session, [row.id])}
    found = marking.search_and_redact(
        backends,
        row,
        pattern=search.pattern,
        regex=search.regex,
        category=search.category,
        note=search.note,
        actor=target.actor.name,
        status=status,
    )
    target.audit(session, FIND, row, found=len(found), regex=search.regex)
    added = [r for r in records.redactions_of(session, [row.id]) if r.id not in before]
    return len(found), added


def propose_pii(backends: Backends, target: Target) -> list[tuple[Redaction, str]]:
    """Propose the personal information the detector finds; each waits for accept or reject."""
    session = backends.session
    row = target.editable_record(session)
    proposals = marking.propose_pii(backends, row, actor=target.actor.name)
    target.audit(session, PROPOSE, row, proposed=len(proposals))
    return proposals


def set_status(
    session: Session, target: Target, redaction_ids: Sequence[int], status: str
) -> list[Redaction]:
    """Accept or reject redactions (all or none)."""
    row = target.editable_record(session)
    changed = marking.set_statuses(session, row, redaction_ids, status)
    target.audit(session, STATUS, row, redactions=list(redaction_ids), status=status)
    return changed


def move(
    session: Session, store: BlobStore, target: Target, redaction_id: int, box: Box
) -> Redaction:
    """Move or resize a redaction on its page."""
    row = target.editable_record(session)
    moved = marking.move_box(session, store, row, redaction_id, box)
    target.audit(
        session, MOVE, row, redaction=redaction_id, box=[moved.x0, moved.y0, moved.x1, moved.y1]
    )
    return moved


def delete(session: Session, target: Target, redaction_id: int) -> Redaction:
    """Remove a redaction drawn by mistake (this audit entry keeps where it was)."""
    row = target.editable_record(session)
    gone = marking.delete_redaction(session, row, redaction_id)
    target.audit(
        session,
        DELETE,
        row,
        redaction=redaction_id,
        page=gone.page,
        kind=gone.kind,
        box=[gone.x0, gone.y0, gone.x1, gone.y1],
    )
    return gone
