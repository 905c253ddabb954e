"""Explicit grants: reading rights on one document for a user or a department."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.audit import Actor, record
from archive.departments import find_department
from archive.errors import InvalidInput, RecordNotFound
from archive.models import Document, DocumentGrant
from archive.users import find_user

GRANT = "permission.grant"
REVOKE = "permission.revoke"


def grant_document(
    session: Session,
    document: Document,
    *,
    user_login: str | None,
    department_code: str | None,
    granted_by: str,
) -> DocumentGrant:
    """Let one user, or one department (with its sections), read ``document``."""
    if (user_login is None) == (department_code is None):
        raise InvalidInput("name exactly one of user or department", field="user")
    grant = DocumentGrant(
        document_id=document.id,
        user_id=find_user(session, user_login).id if user_login else None,
        department_id=find_department(session, department_code).id if department_code else None,
        granted_by=granted_by,
    )
    session.add(grant)
    session.flush()
    return grant


def list_grants(session: Session, document: Document) -> list[DocumentGrant]:
    return list(
        session.scalars(select(DocumentGrant).where(DocumentGrant.document_id == document.id))
    )


def revoke_grant(session: Session, document: Document, grant_id: int) -> None:
    grant = session.get(DocumentGrant, grant_id)
    if grant is None or grant.document_id != document.id:
        raise RecordNotFound(str(grant_id))
    session.delete(grant)


def grant(
    session: Session,
    document: Document,
    *,
    actor: Actor,
    user: str | None = None,
    department: str | None = None,
) -> DocumentGrant:
    """``grant_document`` as an operation: the grant and its audit entry."""
    row = grant_document(
        session, document, user_login=user, department_code=department, granted_by=actor.name
    )
    detail = {"user": user, "department": department}
    record(session, actor=actor, action=GRANT, target=document.id, detail=detail)
    return row


def revoke(session: Session, document: Document, grant_id: int, *, actor: Actor) -> None:
    """``revoke_grant`` as an operation: the revocation and its audit entry."""
    revoke_grant(session, document, grant_id)
    record(session, actor=actor, action=REVOKE, target=document.id, detail={"grant": grant_id})
