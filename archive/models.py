"""Tables of the archive core."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.blob_refs import BLOB_REF, counted_as
from archive.db import Base, UTCDateTime
from archive.types import Sha256


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


class DocumentStatus(enum.StrEnum):
    RECEIVED = "received"
    PROCESSING = "processing"
    PROCESSED = "processed"
    INDEXED = "indexed"
    FAILED = "failed"


class TypeSource(enum.StrEnum):
    """Who set a document's type."""

    MODEL = "model"
    XML = "xml"
    """Read from an e-invoice's XML."""
    OFFICER = "officer"
    """Set by hand; kept by later processing and trains the classifier."""


class Department(Base):
    """An organisational unit: a bureau (部局) or a section (課) below one."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    path: Mapped[str] = mapped_column(String(1000), default="/", index=True)
    """Materialised path of ids from the root, ``/1/5/12/``: a subtree is a path prefix."""
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """Set when a reorganisation (組織改正) ended the department; its records stay its own."""

    @property
    def lineage(self) -> tuple[int, ...]:
        """This department's id and its ancestors' ids."""
        return tuple(int(part) for part in self.path.strip("/").split("/") if part)


class Document(Base):
    """A record: metadata plus one or more versions of its content."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("source_system", "external_id"),
        Index("ix_documents_bulk_waiting", "status", "bulk_share", "created_at"),
        {"info": counted_as("documents")},
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(500))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    document_date: Mapped[date | None] = mapped_column(Date)
    source_system: Mapped[str | None] = mapped_column(String(100), index=True)
    external_id: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[DocumentStatus] = mapped_column(
        Enum(
            DocumentStatus,
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=DocumentStatus.RECEIVED,
        index=True,
    )
    status_reason: Mapped[str | None] = mapped_column(Text)
    security_level: Mapped[int] = mapped_column(Integer, default=1, index=True)
    created_by: Mapped[str | None] = mapped_column(String(200))
    batch_id: Mapped[str | None] = mapped_column(String(64), index=True)
    bulk: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Taken in by a bulk import: processed after interactive uploads."""
    bulk_share: Mapped[str | None] = mapped_column(String(200))
    """Whose share of the workers' bulk time it waits in (``archive.bulk_shares``)."""
    doc_type: Mapped[str | None] = mapped_column(String(20), index=True)
    subtype: Mapped[str | None] = mapped_column(String(32), index=True)
    """The finer type under ``doc_type`` (``ingest.classify.SUBTYPES``): the model's, or the
    officer's when set by hand (none when an officer set only the class)."""
    type_confidence: Mapped[float | None] = mapped_column(Float)
    type_reason: Mapped[str | None] = mapped_column(Text)
    """JSON: the features that decided the type, or the officer who corrected it."""
    type_source: Mapped[str | None] = mapped_column(String(20))
    """A ``TypeSource``."""
    language: Mapped[str | None] = mapped_column(String(10))
    page_count: Mapped[int | None] = mapped_column(Integer)
    processing_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    department: Mapped[Department | None] = relationship(lazy="joined")
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.number", lazy="selectin"
    )

    @property
    def current_version(self) -> DocumentVersion:
        return self.versions[-1]


class DocumentVersion(Base):
    """One immutable content of a document: the original blob and what is known of it."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"), {"info": counted_as("versions")})

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    blob_key: Mapped[Sha256] = mapped_column(String(64), index=True, info=BLOB_REF)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(200))
    media_type_known: Mapped[bool] = mapped_column(Boolean)
    declared_media_type: Mapped[str | None] = mapped_column(String(200))
    original_filename: Mapped[str] = mapped_column(String(255))
    uploaded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)
    """Why this version was added (a correction, an amendment); None for the first."""

    document: Mapped[Document] = relationship(back_populates="versions")

    @property
    def sha256(self) -> Sha256:
        return self.blob_key


class DocumentChange(Base):
    """One change of a document's metadata: who, when, the old and new value, and why."""

    __tablename__ = "document_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    """JSON."""
    new_value: Mapped[str | None] = mapped_column(Text)
    """JSON."""
    reason: Mapped[str | None] = mapped_column(Text)


class DocumentCorrection(Base):
    """A document (or one of its versions) that corrects another: a 修正請求書 its invoice,
    a 変更契約 its contract. Both documents show the link."""

    __tablename__ = "document_corrections"
    __table_args__ = (UniqueConstraint("document_id", "corrects_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    version: Mapped[int | None] = mapped_column(Integer)
    """The correcting document's version that makes the correction; None for the document."""
    corrects_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)


class DepartmentChange(Base):
    """One change of a department: renamed, moved, retired; who, when, old and new value."""

    __tablename__ = "department_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(40))
    """``name``, ``name_en``, ``parent`` (codes) or ``retired``."""
    old_value: Mapped[str | None] = mapped_column(String(200))
    new_value: Mapped[str | None] = mapped_column(String(200))

    department: Mapped[Department] = relationship(lazy="joined")


class PendingBlob(Base):
    """A blob an upload is storing right now: not an orphan until the upload ends."""

    __tablename__ = "pending_blobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    blob_key: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Derivative(Base):
    """A blob made from a version: extracted text, a page's text, a searchable PDF."""

    __tablename__ = "derivatives"
    __table_args__ = (
        UniqueConstraint("version_id", "kind", "page"),
        {"info": counted_as("derivatives")},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[str] = mapped_column(ForeignKey("document_versions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    page: Mapped[int] = mapped_column(Integer, default=0)
    blob_key: Mapped[Sha256] = mapped_column(String(64), index=True, info=BLOB_REF)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DocumentGrant(Base):
    """An explicit grant to read one document, to one user or to one department."""

    __tablename__ = "document_grants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    granted_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class User(Base):
    """A person who signs in to the web UI."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    roles: Mapped[str] = mapped_column(String(200), default="staff")
    """Space-separated role names (see ``archive.users.ROLES``)."""
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    clearance: Mapped[int] = mapped_column(Integer, default=1)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    oidc_subject: Mapped[str | None] = mapped_column(String(300), unique=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    department: Mapped[Department | None] = relationship(lazy="joined")

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(self.roles.split())


class UserSession(Base):
    """A signed-in browser; the cookie carries the id, the table only its hash."""

    __tablename__ = "user_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    client_ip: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship(lazy="joined")


class ProcessingStep(Base):
    """One step of the pipeline for one version: outcome and timing."""

    __tablename__ = "processing_steps"
    __table_args__ = (UniqueConstraint("version_id", "step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    version_id: Mapped[str] = mapped_column(ForeignKey("document_versions.id"))
    step: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    """``done``, ``skipped`` or ``failed``."""
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_ms: Mapped[float] = mapped_column(Float)
    detail: Mapped[str | None] = mapped_column(Text)


class DocumentField(Base):
    """A typed value read from a version's text, with the span it came from."""

    __tablename__ = "document_fields"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    version_id: Mapped[str] = mapped_column(ForeignKey("document_versions.id"))
    name: Mapped[str] = mapped_column(String(40), index=True)
    value: Mapped[str] = mapped_column(Text)
    value_type: Mapped[str] = mapped_column(String(10))
    """``text``, ``date`` or ``amount`` (a decimal string)."""
    page: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    source_text: Mapped[str] = mapped_column(Text)
    valid: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(10), default="text", server_default="text")
    """``text`` (found in the page text), ``layout`` (read from the words' positions),
    ``xml`` (an e-invoice's structured data: exact) or ``template`` (read at a label
    learned from an officer's correction, ``VendorTemplate``)."""
    confidence: Mapped[float | None] = mapped_column(Float)
    """1.0 for a value read from XML; None where no measure exists."""
    corrected_by: Mapped[str | None] = mapped_column(String(200))
    """Who corrected the value by hand; such a value is kept when the version is read again."""
    box_x0: Mapped[float | None] = mapped_column(Float)
    """Where the value is on its page: a box in fractions of the page as shown (rotation
    applied), origin top left; all four None when the page has no words (a text file)."""
    box_y0: Mapped[float | None] = mapped_column(Float)
    box_x1: Mapped[float | None] = mapped_column(Float)
    box_y1: Mapped[float | None] = mapped_column(Float)

    @property
    def box(self) -> dict[str, float] | None:
        corners = (self.box_x0, self.box_y0, self.box_x1, self.box_y1)
        if any(c is None for c in corners):
            return None
        return dict(zip(("x0", "y0", "x1", "y1"), corners, strict=True))  # type: ignore[arg-type]


class VendorTemplate(Base):
    """Where one vendor prints one field, learned from an officer's correction of its invoice.

    Keyed by the vendor's qualified-invoice registration number (T + 13 digits): the next
    invoice from that vendor is read at the same label (``ingest.fields.templates``).
    """

    __tablename__ = "vendor_templates"
    __table_args__ = (UniqueConstraint("registration_number", "field"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registration_number: Mapped[str] = mapped_column(String(14), index=True)
    field: Mapped[str] = mapped_column(String(40))
    value_type: Mapped[str] = mapped_column(String(10))
    """``text``, ``date`` or ``amount``, as ``DocumentField.value_type``."""
    label: Mapped[str] = mapped_column(String(80))
    """The text printed before the value: on its line, or the line above (``next_line``)."""
    next_line: Mapped[bool] = mapped_column(Boolean, default=False)
    corrections: Mapped[int] = mapped_column(Integer, default=1)
    """How many corrections taught this template (the same label again counts as support)."""
    box_page: Mapped[int | None] = mapped_column(Integer)
    """Where an officer showed the value (a page, and a box in fractions of it, origin top
    left): read there when the label is not found; ``label`` is empty when only the place is
    known. All five None when the correction gave no box."""
    box_x0: Mapped[float | None] = mapped_column(Float)
    box_y0: Mapped[float | None] = mapped_column(Float)
    box_x1: Mapped[float | None] = mapped_column(Float)
    box_y1: Mapped[float | None] = mapped_column(Float)
    learned_from: Mapped[str] = mapped_column(String(36))
    """The document whose correction taught it last."""
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ClassifierModel(Base):
    """A version of the document-type model, as the JSON the classifier reads."""

    __tablename__ = "classifier_models"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    examples: Mapped[int] = mapped_column(Integer)
    corrections: Mapped[int] = mapped_column(Integer)
    model_json: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))


class ApiKey(Base):
    """A key an integrating system uses; only a hash of the secret is kept."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    source_system: Mapped[str | None] = mapped_column(String(100))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    scopes: Mapped[str] = mapped_column(String(200), default="upload read search")
    """Space-separated scopes: ``upload``, ``read``, ``search``, ``admin``."""
    clearance: Mapped[int] = mapped_column(Integer, default=1)

    department: Mapped[Department | None] = relationship(lazy="joined")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """The key is refused from this moment on (no expiry when empty)."""
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the key last authenticated (to the minute)."""


class AuditEvent(Base):
    """One entry of the hash-chained audit log; ``hash`` covers every field and ``prev_hash``."""

    __tablename__ = "audit_events"
    __table_args__ = ({"info": counted_as("audit_events")},)

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str | None] = mapped_column(String(200), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    client_ip: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
