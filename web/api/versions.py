"""``/api/v1/documents/{id}/compare`` and ``…/corrections``: what changed between versions,
and which documents correct which."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from archive import (
    CorrectionLink,
    Principal,
    corrections_of,
)
from ingest import Comparison, compare_versions
from ingest import document_cases as cases
from web.access import readable_document, writable_document
from web.deps import Reader, ServicesDep, SessionDep
from web.schemas import (
    ComparisonOut,
    CorrectionIn,
    CorrectionOut,
    DiffLine,
    FieldChange,
    RecordId,
)
from web.services import Services

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])


def comparison(
    session: Session, services: Services, principal: Principal, document_id: str, old: int, new: int
) -> ComparisonOut:
    """Versions ``old`` and ``new`` of a readable document compared (404 for either missing)."""
    document = readable_document(session, document_id, principal, "document.compare")
    found: Comparison = compare_versions(session, services.store, document, old, new)
    return ComparisonOut(
        from_version=found.from_version,
        to_version=found.to_version,
        text_diff=[DiffLine(kind=kind, text=text) for kind, text in found.lines],
        truncated=found.truncated,
        fields=[FieldChange(name=n, old=o, new=w) for n, o, w in found.fields],
    )


@router.get("/{document_id}/compare", response_model=ComparisonOut)
def compare_route(
    document_id: str,
    session: SessionDep,
    services: ServicesDep,
    principal: Reader,
    from_: Annotated[RecordId, Query(alias="from")],
    to: RecordId,
) -> ComparisonOut:
    """What changed from version ``from`` to version ``to``: a line diff of the extracted text
    (``hunk``, ``context``, ``removed``, ``added``) and the fields whose values differ."""
    return comparison(session, services, principal, document_id, from_, to)


def correction_out(found: CorrectionLink) -> CorrectionOut:
    return CorrectionOut(
        direction=found.direction,
        document=found.other.id,
        title=found.other.title,
        external_id=found.other.external_id,
        version=found.link.version,
        actor=found.link.actor,
        at=found.link.at,
        reason=found.link.reason,
        url=f"/api/v1/documents/{found.other.id}",
    )


@router.get("/{document_id}/corrections", response_model=list[CorrectionOut])
def list_corrections(
    document_id: str, session: SessionDep, principal: Reader
) -> list[CorrectionOut]:
    """The documents this one corrects and those that correct it (those the caller may read)."""
    document = readable_document(session, document_id, principal, "document.corrections")
    return [correction_out(c) for c in corrections_of(session, document.id, principal.scope)]


@router.post("/{document_id}/corrections", response_model=list[CorrectionOut], status_code=201)
def add_correction(
    document_id: str, body: CorrectionIn, session: SessionDep, principal: Reader
) -> list[CorrectionOut]:
    """Mark this document (or its ``version``) as correcting another (a 修正請求書 its invoice, a
    変更契約 its contract): needs the right to change this one and to read the other. Both
    documents' histories record it; the answer is this document's links."""
    document = writable_document(session, document_id, principal, cases.CORRECTION)
    corrected = cases.Corrected(body.corrects, body.source_system, body.external_id)
    cases.link(session, document, corrected, principal, version=body.version, reason=body.reason)
    session.commit()
    return [correction_out(c) for c in corrections_of(session, document.id, principal.scope)]
