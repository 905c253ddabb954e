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
from typing import IO

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from archive.access import AccessScope, SecurityLevel
from archive.departments import find_current_department
from archive.errors import Conflict, Forbidden, InvalidInput, RecordNotFound
from archive.events import EventType, emit
from archive.field_corrections import correct_fields
from archive.history import record_changes
from archive.media import sniff_media_type
from archive.models import Department, Document, DocumentStatus, DocumentVersion, TypeSource
from archive.policy import Permission, Principal, readable, writable
from archive.types import Sha256


@dataclass(frozen=True)
class DocumentMetadata:
    """What a client may say about a document when it uploads it."""

    title: str | None = None
    department: str | None = None
    document_date: date | None = None
    source_system: str | None = None
    external_id: str | None = None
    security_level: SecurityLevel = SecurityLevel.INTERNAL
    batch_id: str | None = None
    bulk_share: str | None = None
    """From a bulk import, in this sender's share: processed behind interactive uploads, in
    turn with other senders' imports (``archive.bulk_shares``)."""

    @property
    def bulk(self) -> bool:
        return self.bulk_share is not None


@dataclass(frozen=True)
class StagedContent:
    """Uploaded bytes spooled to a temporary file and hashed on the way in."""

    file: IO[bytes]
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
    NEW_VERSION = "new_version"
    """The same (source system, external id) with other content: a new version of it."""


@dataclass(frozen=True)
class UploadResult:
    document: Document
    outcome: UploadOutcome


def find_prior_upload(
    session: Session, meta: DocumentMetadata, sha256: Sha256, scope: AccessScope
) -> UploadResult | None:
    """The document an upload repeats: by integration key first, then by content.

    Only documents the caller may read count as duplicates; an integration key that
    belongs to a document the caller may not read is a ``Conflict``.
    """
    if meta.source_system and meta.external_id:
        key = (
            Document.source_system == meta.source_system,
            Document.external_id == meta.external_id,
        )
        # One statement, so that a document committed meanwhile is seen by both tests.
        found = session.execute(select(Document, readable(scope)).where(*key)).first()
        if found is not None:
            if not found[1]:
                raise Conflict("this source system and external id belong to another document")
            document = found[0]
            if document.current_version.blob_key == sha256:
                return UploadResult(document, UploadOutcome.EXISTING)
            return UploadResult(document, UploadOutcome.NEW_VERSION)
    duplicate = session.scalar(
        select(Document)
        .join(DocumentVersion)
        .where(DocumentVersion.blob_key == sha256, readable(scope))
        .order_by(Document.created_at)
        .limit(1)
    )
    return UploadResult(duplicate, UploadOutcome.DUPLICATE) if duplicate is not None else None


def plan_upload(
    session: Session,
    meta: DocumentMetadata,
    sha256: Sha256,
    principal: Principal,
    *,
    refuse_changes: bool = False,
) -> UploadResult | None:
    """Decide an upload before any byte is stored: a repeat (store nothing), a
    ``NEW_VERSION`` of a document the caller may write, or None to create a document.

    Raises what creating would refuse (``Conflict``, ``Forbidden``, ``InvalidInput``), so
    a refused upload never stores its content; ``refuse_changes`` makes changed content
    under a known integration key a ``Conflict`` instead of a new version.
    """
    prior = find_prior_upload(session, meta, sha256, principal.scope)
    if prior is not None and prior.outcome is UploadOutcome.NEW_VERSION:
        if refuse_changes:
            raise Conflict(
                f"source system {meta.source_system!r} may not change what it sent: "
                f"external id {meta.external_id!r} is stored with other content"
            )
        get_writable_document(session, prior.document.id, principal)
    if prior is None and _owning_department(session, meta.department, principal) is None:
        raise InvalidInput(
            "the document would belong to no department, and only city-wide roles could read "
            "it: name one in metadata.department, or give the key or user a department",
            field="metadata.department",
        )
    return prior


def _owning_department(
    session: Session, code: str | None, principal: Principal
) -> Department | None:
    """The department to file under: the one named, if the caller may file there, else the caller's."""
    if code is None:
        return session.get(Department, principal.department_id) if principal.department_id else None
    department = find_current_department(session, code)
    scope = principal.scope
    if not scope.city_wide and (
        scope.department_id is None or scope.department_id not in department.lineage
    ):
        raise Forbidden(f"you may not file documents for department {code!r}")
    return department


def create_document(
    session: Session, *, meta: DocumentMetadata, content: StagedContent, principal: Principal
) -> Document:
    """Record a new document whose content is already in the blob store."""
    document = Document(
        title=meta.title or content.filename,
        department=_owning_department(session, meta.department, principal),
        document_date=meta.document_date,
        source_system=meta.source_system or principal.source_system,
        external_id=meta.external_id,
        status=DocumentStatus.RECEIVED,
        security_level=int(meta.security_level),
        created_by=principal.actor.name,
        batch_id=meta.batch_id,
        bulk=meta.bulk,
        bulk_share=meta.bulk_share,
    )
    document.versions.append(new_version(content, principal, number=1))
    session.add(document)
    session.flush()
    emit(session, EventType.DOCUMENT_STORED, document_id=document.id, version=1)
    return document


def new_version(
    content: StagedContent, principal: Principal, *, number: int, reason: str | None = None
) -> DocumentVersion:
    """The row of version ``number`` for stored ``content``, its type sniffed from its bytes."""
    media_type, known = sniff_media_type(content.head, content.declared_media_type)
    return DocumentVersion(
        number=number,
        blob_key=content.sha256,
        size=content.size,
        media_type=media_type,
        media_type_known=known,
        declared_media_type=content.declared_media_type,
        original_filename=content.filename,
        uploaded_by=principal.actor.name,
        reason=reason,
    )


def get_document(session: Session, document_id: str, scope: AccessScope) -> Document:
    """The document, if it exists and ``scope`` may read it; else ``RecordNotFound`` either way."""
    document = session.scalar(select(Document).where(Document.id == document_id, readable(scope)))
    if document is None:
        raise RecordNotFound(document_id)
    return document


def get_writable_document(session: Session, document_id: str, principal: Principal) -> Document:
    """The document if ``principal`` may change it; ``RecordNotFound`` if unreadable, else ``Forbidden``."""
    document = get_document(session, document_id, principal.scope)
    if session.scalar(select(Document.id).where(Document.id == document.id, writable(principal))):
        return document
    raise Forbidden(
        "you may read this document but not change it: its owning department's staff, "
        "records officers and administrators may"
    )


def document_exists(session: Session, document_id: str) -> bool:
    """Whether the id exists at all: for the audit log's "denied" entries, never for answers."""
    return session.scalar(select(Document.id).where(Document.id == document_id)) is not None


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


def _filtered(query: Select[Document], flt: DocumentFilter) -> Select[Document]:
    if flt.status is not None:
        query = query.where(Document.status == flt.status)
    if flt.department is not None:
        query = query.join(Department).where(Department.code == flt.department)
    if flt.source_system is not None:
        query = query.where(Document.source_system == flt.source_system)
    return query


def list_documents(
    session: Session, flt: DocumentFilter, scope: AccessScope, *, limit: int, cursor: str | None
) -> Page:
    """Readable documents, newest first, ``limit`` at a time; ``cursor`` continues a previous page."""
    query = _filtered(select(Document).where(readable(scope)), flt)
    if cursor:
        created, doc_id = _decode_cursor(cursor)
        query = query.where(
            or_(
                Document.created_at < created,
                and_(Document.created_at == created, Document.id < doc_id),
            )
        )
    rows = list(
        session.scalars(
            query.order_by(Document.created_at.desc(), Document.id.desc()).limit(limit + 1)
        )
    )
    more = len(rows) > limit
    items = rows[:limit]
    return Page(items, _encode_cursor(items[-1]) if more and items else None)


_RESTRICTED_CHANGES = {"doc_type", "subtype", "security_level"}


def update_metadata(
    session: Session,
    document: Document,
    changes: dict[str, object],
    principal: Principal,
    *,
    reason: str | None = None,
) -> dict[str, tuple[object, object]]:
    """Apply a metadata change to a writable document, keep it in the history; return the diff.

    The type (with its subtype, which the caller gives with the class it rolls up to) and
    the security level are a records officer's or an administrator's to set; a type set by
    hand is kept by later processing and trains the classifier. ``department``
    (a code) moves the document where the caller may file; ``fields`` (name to value)
    corrects what was read from the current version (``archive.field_corrections``), with
    ``boxes`` (where an officer showed a value) and ``field_types`` (the type of a name
    that was not read, added by hand).
    """
    if _RESTRICTED_CHANGES & changes.keys() and not (
        principal.may(Permission.RECORDS) or principal.may(Permission.ADMIN)
    ):
        raise Forbidden(
            "changing the type or security level needs a records officer or an administrator"
        )
    changes = dict(changes)
    fields = changes.pop("fields", None)
    boxes = changes.pop("boxes", None)
    types = changes.pop("field_types", None)
    diff: dict[str, tuple[object, object]] = {}
    if "department" in changes:
        department = _owning_department(session, str(changes.pop("department")), principal)
        assert department is not None
        if department.id != document.department_id:
            old = document.department.code if document.department else None
            diff["department"] = (old, department.code)
            document.department_id = department.id
            session.flush()
            session.refresh(document, ["department"])
    for name, value in changes.items():
        if name == "security_level":
            value = int(SecurityLevel.parse(str(value)))
        before = getattr(document, name)
        if before != value:
            diff[name] = (before, value)
            setattr(document, name, value)
    if diff.keys() & {"doc_type", "subtype"}:
        document.type_source = TypeSource.OFFICER
        if "subtype" not in changes:  # the model's finer type no longer stands
            document.subtype = None
        document.type_confidence = 1.0
        document.type_reason = json.dumps({"officer": principal.actor.name}, ensure_ascii=False)
    if fields:
        diff |= correct_fields(
            session,
            document,
            fields,  # type: ignore[arg-type]
            actor=principal.actor.name,
            boxes=boxes,  # type: ignore[arg-type]
            types=types,  # type: ignore[arg-type]
        )
    record_changes(session, document.id, _labelled(diff), actor=principal.actor.name, reason=reason)
    if diff:
        emit(
            session,
            EventType.DOCUMENT_METADATA_CHANGED,
            document_id=document.id,
            fields=",".join(sorted(diff)),
        )
    return diff


def _labelled(diff: dict[str, tuple[object, object]]) -> dict[str, tuple[object, object]]:
    """The diff as people read it: security levels by name."""
    if "security_level" not in diff:
        return diff
    old, new = diff["security_level"]
    return {
        **diff,
        "security_level": (SecurityLevel(int(str(old))).label, SecurityLevel(int(str(new))).label),
    }
