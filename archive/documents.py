"""Documents and their versions: create from stored content, look up, list.

Functions take a ``Session`` and never commit: the caller's unit of work commits once,
with its audit entry in the same transaction.
"""

from __future__ import annotations

import base64
import binascii
import enum
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from archive.errors import InvalidInput, RecordNotFound
from archive.media import sniff_media_type
from archive.models import Department, Document, DocumentStatus, DocumentVersion
from archive.types import Sha256


@dataclass(frozen=True)
class DocumentMetadata:
    """What a client may say about a document when it uploads it."""

    title: str | None = None
    department: str | None = None
    document_date: date | None = None
    source_system: str | None = None
    external_id: str | None = None


@dataclass(frozen=True)
class StagedContent:
    """Uploaded bytes spooled to a temporary file and hashed on the way in."""

    file: BinaryIO
    sha256: Sha256
    size: int
    head: bytes
    filename: str
    declared_media_type: str | None


class UploadOutcome(enum.StrEnum):
    CREATED = "created"
    EXISTING = "existing"
    """The same (source system, external id) was uploaded before."""
    DUPLICATE = "duplicate"
    """The same content was uploaded before."""


@dataclass(frozen=True)
class UploadResult:
    document: Document
    outcome: UploadOutcome


def find_prior_upload(session: Session, meta: DocumentMetadata, sha256: Sha256) -> UploadResult | None:
    """The document an upload repeats, by integration key first, then by content."""
    if meta.source_system and meta.external_id:
        existing = session.scalar(
            select(Document).where(
                Document.source_system == meta.source_system,
                Document.external_id == meta.external_id,
            )
        )
        if existing is not None:
            return UploadResult(existing, UploadOutcome.EXISTING)
    duplicate = session.scalar(
        select(Document)
        .join(DocumentVersion)
        .where(DocumentVersion.blob_key == sha256)
        .order_by(Document.created_at)
        .limit(1)
    )
    return UploadResult(duplicate, UploadOutcome.DUPLICATE) if duplicate is not None else None


def _department(session: Session, code: str | None) -> Department | None:
    if code is None:
        return None
    department = session.scalar(select(Department).where(Department.code == code))
    if department is None:
        raise InvalidInput(f"unknown department code {code!r}", field="department")
    return department


def create_document(
    session: Session, *, meta: DocumentMetadata, content: StagedContent, uploaded_by: str
) -> Document:
    """Record a new document whose content is already in the blob store."""
    media_type, known = sniff_media_type(content.head, content.declared_media_type)
    document = Document(
        title=meta.title or content.filename,
        department=_department(session, meta.department),
        document_date=meta.document_date,
        source_system=meta.source_system,
        external_id=meta.external_id,
        status=DocumentStatus.RECEIVED,
    )
    document.versions.append(
        DocumentVersion(
            number=1,
            blob_key=content.sha256,
            size=content.size,
            media_type=media_type,
            media_type_known=known,
            declared_media_type=content.declared_media_type,
            original_filename=content.filename,
            uploaded_by=uploaded_by,
        )
    )
    session.add(document)
    session.flush()
    return document


def get_document(session: Session, document_id: str) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise RecordNotFound(document_id)
    return document


@dataclass(frozen=True)
class DocumentFilter:
    status: DocumentStatus | None = None
    department: str | None = None
    source_system: str | None = None


@dataclass(frozen=True)
class Page:
    items: list[Document]
    next_cursor: str | None


def _encode_cursor(document: Document) -> str:
    raw = json.dumps([document.created_at.isoformat(), document.id])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created, doc_id = json.loads(raw)
        return datetime.fromisoformat(created), str(doc_id)
    except (ValueError, TypeError, binascii.Error):
        raise InvalidInput("malformed cursor", field="cursor") from None


def _filtered(query: Select[tuple[Document]], flt: DocumentFilter) -> Select[tuple[Document]]:
    if flt.status is not None:
        query = query.where(Document.status == flt.status)
    if flt.department is not None:
        query = query.join(Department).where(Department.code == flt.department)
    if flt.source_system is not None:
        query = query.where(Document.source_system == flt.source_system)
    return query


def list_documents(session: Session, flt: DocumentFilter, *, limit: int, cursor: str | None) -> Page:
    """Newest first, ``limit`` at a time; ``cursor`` continues after the previous page."""
    query = _filtered(select(Document), flt)
    if cursor:
        created, doc_id = _decode_cursor(cursor)
        query = query.where(
            or_(
                Document.created_at < created,
                and_(Document.created_at == created, Document.id < doc_id),
            )
        )
    rows = list(session.scalars(query.order_by(Document.created_at.desc(), Document.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items, _encode_cursor(items[-1]) if more and items else None)
