"""What the search index holds of a document, built from the database and the blob store.

The index is derived data: ``indexed_document`` is the one mapping from a record to its
index entry, used by the pipeline's last step, by re-indexing after a change, and by
``bunko reindex``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import (
    BlobNotFound,
    BlobStore,
    Derivative,
    Document,
    DocumentField,
    DocumentGrant,
    DocumentStatus,
    DocumentVersion,
    RecordId,
    SecurityLevel,
    field_dates,
    own_date,
)
from ingest.classifier_store import TEXT_DERIVATIVE
from retention import series_code_of
from search import IndexedDocument

AMOUNT_FIELDS = ("total_amount", "value")
COUNTERPARTY_FIELDS = ("issuer", "party")
INDEXABLE = (DocumentStatus.PROCESSED, DocumentStatus.INDEXED)


def version_pages(store: BlobStore, session: Session, version: DocumentVersion) -> list[str]:
    """The extracted text of ``version``, one string per page; [] when it has none (yet)."""
    key = session.scalar(
        select(Derivative.blob_key).where(
            Derivative.version_id == version.id, Derivative.kind == TEXT_DERIVATIVE
        )
    )
    if key is None:
        return []
    try:
        with store.open(key) as stream:
            return [page["text"] for page in json.loads(stream.read())["pages"]]
    except BlobNotFound:
        return []


def _first(fields: list[DocumentField], names: tuple[str, ...]) -> DocumentField | None:
    for name in names:
        for found in fields:
            if found.name == name and found.valid:
                return found
    return None


def _amount(found: DocumentField | None) -> Decimal | None:
    try:
        return Decimal(found.value) if found is not None else None
    except InvalidOperation:
        return None


def indexed_document(session: Session, store: BlobStore, document: Document) -> IndexedDocument:
    fields = list(
        session.scalars(
            select(DocumentField).where(DocumentField.version_id == document.current_version.id)
        )
    )
    grants = list(
        session.scalars(select(DocumentGrant).where(DocumentGrant.document_id == document.id))
    )
    dated = own_date(document, field_dates(fields))
    parties = [f.value for f in fields if f.name in COUNTERPARTY_FIELDS and f.valid]
    currency = _first(fields, ("currency",))
    number = _first(fields, ("registration_number",))
    department = document.department
    return IndexedDocument(
        id=RecordId(document.id),
        title=document.title,
        text=version_pages(store, session, document.current_version),
        earlier_text=["\n".join(version_pages(store, session, v)) for v in document.versions[:-1]],
        doc_type=document.doc_type or "other",
        subtype=document.subtype,
        department_id=department.id if department else 0,
        department_code=department.code if department else "",
        owner_path=department.lineage if department else (),
        created_at=document.created_at,
        security_level=SecurityLevel(document.security_level),
        grant_users=[g.user_id for g in grants if g.user_id is not None],
        grant_departments=[g.department_id for g in grants if g.department_id is not None],
        document_date=dated[0] if dated else None,
        amount=_amount(_first(fields, AMOUNT_FIELDS)),
        currency=currency.value if currency else None,
        counterparty=" / ".join(parties) or None,
        registration_number=number.value if number else None,
        series=series_code_of(session, document.id),
        lang=document.language,
    )


def indexable_documents(session: Session, store: BlobStore) -> Iterator[IndexedDocument]:
    """Every document that belongs in the index (for ``bunko reindex``), streamed."""
    ids = list(
        session.scalars(
            select(Document.id).where(Document.status.in_(INDEXABLE)).order_by(Document.created_at)
        )
    )
    for document_id in ids:
        document = session.get(Document, document_id)
        if document is not None:
            yield indexed_document(session, store, document)
            session.expunge_all()
