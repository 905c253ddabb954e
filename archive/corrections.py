"""Correction links: a document, or one version of it, that corrects another document.

A 修正請求書 corrects the invoice it names, a 変更契約 the contract it amends. The link is
kept once, read from both sides, and entered in both documents' histories.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive.access import AccessScope
from archive.errors import Conflict, InvalidInput, RecordNotFound
from archive.history import record_changes
from archive.models import Document, DocumentCorrection
from archive.policy import Principal, readable
from archive.versions import version_of


def find_corrected(
    session: Session,
    scope: AccessScope,
    *,
    document_id: str | None = None,
    source_system: str | None = None,
    external_id: str | None = None,
) -> Document:
    """The document named by id or by its integration key (an invoice number), if readable."""
    if document_id is not None:
        where = Document.id == document_id
    elif source_system is not None and external_id is not None:
        where = (Document.source_system == source_system) & (Document.external_id == external_id)
    else:
        raise InvalidInput(
            "name the corrected document: corrects, or source_system and external_id",
            field="corrects",
        )
    found = session.scalar(select(Document).where(where, readable(scope)))
    if found is None:
        raise RecordNotFound("the corrected document")
    return found


def link_correction(
    session: Session,
    document: Document,
    corrected: Document,
    principal: Principal,
    *,
    version: int | None = None,
    reason: str | None = None,
) -> DocumentCorrection:
    """Mark ``document`` (or its ``version``) as correcting ``corrected``, in both histories.

    The caller has checked that ``principal`` may change ``document`` and read ``corrected``.
    """
    if corrected.id == document.id:
        raise InvalidInput("a document does not correct itself: add a version", field="corrects")
    if version is not None:
        try:
            version_of(document, version)
        except RecordNotFound:
            raise InvalidInput(f"the document has no version {version}", field="version") from None
    link = DocumentCorrection(
        document_id=document.id,
        corrects_id=corrected.id,
        version=version,
        actor=principal.actor.name,
        reason=reason,
    )
    try:
        with session.begin_nested():
            session.add(link)
    except IntegrityError:
        raise Conflict("this document is already marked as correcting that one") from None
    actor = principal.actor.name
    record_changes(
        session,
        document.id,
        {"corrects": (None, {"document": corrected.id, "version": version})},
        actor=actor,
        reason=reason,
    )
    record_changes(
        session,
        corrected.id,
        {"corrected_by": (None, {"document": document.id, "version": version})},
        actor=actor,
        reason=reason,
    )
    return link


@dataclass(frozen=True)
class CorrectionLink:
    """One link as seen from a document: the other document and which way it points."""

    direction: str
    """``corrects`` (this document corrects ``other``) or ``corrected_by``."""
    link: DocumentCorrection
    other: Document


def corrections_of(session: Session, document_id: str, scope: AccessScope) -> list[CorrectionLink]:
    """The document's correction links both ways, oldest first, to documents ``scope`` may read."""
    links = session.scalars(
        select(DocumentCorrection)
        .where(
            or_(
                DocumentCorrection.document_id == document_id,
                DocumentCorrection.corrects_id == document_id,
            )
        )
        .order_by(DocumentCorrection.at, DocumentCorrection.id)
    ).all()
    others = {
        d.id: d
        for d in session.scalars(
            select(Document).where(
                Document.id.in_(
                    {lk.document_id for lk in links} | {lk.corrects_id for lk in links}
                ),
                Document.id != document_id,
                readable(scope),
            )
        )
    }
    out = []
    for lk in links:
        corrects = lk.document_id == document_id
        other = others.get(lk.corrects_id if corrects else lk.document_id)
        if other is not None:
            out.append(CorrectionLink("corrects" if corrects else "corrected_by", lk, other))
    return out
