"""``/api/v1/documents/{id}/grants``: explicit reading rights, managed by administrators."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from archive import GRANT, REVOKE, DocumentGrant, grant, list_grants, revoke
from web.access import readable_document
from web.deps import Admin, ServicesDep, SessionDep
from web.schemas import RecordId

router = APIRouter(prefix="/api/v1/documents/{document_id}/grants", tags=["grants"])


class GrantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user: str | None = Field(None, description="login of the user to grant")
    department: str | None = Field(
        None, description="code of the department to grant (its sections included)"
    )


class GrantOut(BaseModel):
    id: int
    user_id: int | None
    department_id: int | None
    granted_by: str
    created_at: datetime

    @classmethod
    def of(cls, grant: DocumentGrant) -> GrantOut:
        return cls.model_validate(grant, from_attributes=True)


@router.get("", response_model=list[GrantOut])
def get_grants(document_id: str, session: SessionDep, principal: Admin) -> list[GrantOut]:
    document = readable_document(
        session, document_id, principal, "permission.list", record_read=False
    )
    return [GrantOut.of(g) for g in list_grants(session, document)]


@router.post("", response_model=GrantOut, status_code=201)
def add_grant(
    document_id: str, body: GrantIn, session: SessionDep, services: ServicesDep, principal: Admin
) -> GrantOut:
    """Let a user or a department read this document, whatever its level."""
    document = readable_document(session, document_id, principal, GRANT, record_read=False)
    row = grant(session, document, actor=principal.actor, **body.model_dump())
    session.commit()
    services.reindex(document.id)  # the index trims totals and facets by grants too
    return GrantOut.of(row)


@router.delete("/{grant_id}", status_code=204)
def remove_grant(
    document_id: str,
    grant_id: RecordId,
    session: SessionDep,
    services: ServicesDep,
    principal: Admin,
) -> None:
    document = readable_document(session, document_id, principal, REVOKE, record_read=False)
    revoke(session, document, grant_id, actor=principal.actor)
    session.commit()
    services.reindex(document.id)
