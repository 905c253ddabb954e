"""Request and response shapes of the REST API (separate from the table models)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from archive import Document, DocumentStatus, DocumentVersion, UploadOutcome
from archive.access import SecurityLevel


class UploadMetadata(BaseModel):
    """The optional ``metadata`` form field of an upload, as JSON."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(None, min_length=1, max_length=500)
    department: str | None = Field(None, min_length=1, max_length=64)
    document_date: date | None = None
    source_system: str | None = Field(None, min_length=1, max_length=100)
    external_id: str | None = Field(None, min_length=1, max_length=200)
    security_level: Literal["public", "internal", "confidential", "secret"] = "internal"


class VersionOut(BaseModel):
    number: int
    sha256: str
    size: int
    media_type: str
    media_type_known: bool
    declared_media_type: str | None
    original_filename: str
    uploaded_by: str
    created_at: datetime

    @classmethod
    def of(cls, version: DocumentVersion) -> VersionOut:
        return cls.model_validate(version, from_attributes=True)


class DocumentOut(BaseModel):
    id: str
    title: str
    department: str | None
    document_date: date | None
    source_system: str | None
    external_id: str | None
    status: DocumentStatus
    status_reason: str | None
    security_level: str
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    current_version: VersionOut
    versions: list[VersionOut]
    content_url: str

    @classmethod
    def of(cls, doc: Document) -> DocumentOut:
        return cls(
            id=doc.id,
            title=doc.title,
            department=doc.department.code if doc.department else None,
            document_date=doc.document_date,
            source_system=doc.source_system,
            external_id=doc.external_id,
            status=doc.status,
            status_reason=doc.status_reason,
            security_level=SecurityLevel(doc.security_level).label,
            created_by=doc.created_by,
            created_at=doc.created_at,
            updated_at=doc.updated_at,
            current_version=VersionOut.of(doc.current_version),
            versions=[VersionOut.of(v) for v in doc.versions],
            content_url=f"/api/v1/documents/{doc.id}/content",
        )


class DocumentPage(BaseModel):
    items: list[DocumentOut]
    next_cursor: str | None = Field(None, description="pass as ?cursor= for the next page")


class UploadAccepted(BaseModel):
    id: str
    status: DocumentStatus
    status_url: str
    outcome: UploadOutcome = Field(
        description="created; existing (same source system and external id); duplicate (same content)"
    )
    sha256: str
