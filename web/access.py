"""Reading on a caller's behalf: the answer is the document or a 404, and a refusal is audited.

Every route that names a document (or a record that names one) goes through here, so a
document the caller may not read answers exactly like a missing one and the attempt is in
the audit log as ``denied``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from archive import (
    Document,
    Forbidden,
    NotCleared,
    NotReadable,
    Permission,
    Principal,
    RecordNotFound,
    document_exists,
    get_document,
    get_writable_document,
    record,
)

DOWNLOAD = "document.download"
"""Reading a document's bytes: an original or a derivative (text, searchable PDF, rendition)."""
WITHHELD_HEADER = "X-Withheld"
"""On a list: how many more items exist that the caller may not read (a count, never a name)."""


def refuse_permission(
    session: Session, principal: Principal, permission: Permission, target: str
) -> None:
    """Record that the caller lacks ``permission`` (asked for at ``target``); the caller commits.

    API routes and pages alike record it as ``permission.<name>``, denied.
    """
    action = f"permission.{permission}"
    record(session, actor=principal.actor, action=action, target=target, outcome="denied")


def deny(session: Session, principal: Principal, action: str, target: str | None) -> None:
    """Record a denied attempt on its own: whatever the attempt had changed is rolled back."""
    session.rollback()
    record(session, actor=principal.actor, action=action, target=target, outcome="denied")
    session.commit()


def readable_document(
    session: Session,
    document_id: str,
    principal: Principal,
    action: str,
    *,
    record_read: bool = True,
) -> Document:
    """The document if the caller may read it (recorded as ``action`` unless ``record_read`` is
    false, for routes that record their own outcome); a 404 otherwise, recorded as a denial
    when it exists."""
    try:
        document = get_document(session, document_id, principal.scope)
    except RecordNotFound:
        if document_exists(session, document_id):
            deny(session, principal, action, document_id)
        raise
    if record_read:
        record(session, actor=principal.actor, action=action, target=document.id)
        session.commit()
    return document


def writable_document(
    session: Session, document_id: str, principal: Principal, action: str
) -> Document:
    """The document if the caller may change it: 404 if unreadable, 403 if only readable (audited)."""
    try:
        return get_writable_document(session, document_id, principal)
    except (RecordNotFound, Forbidden) as exc:
        if isinstance(exc, Forbidden) or document_exists(session, document_id):
            deny(session, principal, action, document_id)
        raise


@contextmanager
def denials(
    session: Session,
    principal: Principal,
    action: str,
    target: str | None,
    *,
    refusals: tuple[type[Exception], ...] = (NotReadable, NotCleared),
) -> Iterator[None]:
    """Record as ``denied`` a refusal raised inside (``NotReadable``, ``NotCleared`` unless
    ``refusals`` names others); re-raise it."""
    try:
        yield
    except refusals:
        deny(session, principal, action, target)
        raise
