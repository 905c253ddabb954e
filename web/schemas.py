"""Request and response shapes of the REST API (separate from the table models)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from annotated_types import Ge, Le
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from archive import (
    Derivative,
    Document,
    DocumentField,
    DocumentStatus,
    DocumentVersion,
    ProcessingStep,
    SecurityLevel,
    UploadOutcome,
    field_dates,
    own_date,
)
from ingest import SUBTYPES

RecordId = Annotated[int, Ge(1), Le(2**31 - 1)]
"""A numeric id in a path or query (grant, hold, rule, record...): what an integer key column holds."""

AuditSeq = Annotated[int, Ge(1), Le(2**63 - 1)]
"""A position in the audit log (a 64-bit column)."""

Int32 = Annotated[int, Ge(-(2**31)), Le(2**31 - 1)]
"""A number in a body that goes to an integer column as it is (a rule's priority)."""

FiscalYear = Annotated[int, Ge(1900), Le(2999)]
"""A fiscal year (April to March) in a path or query."""


def _not_nullable_in_schema(schema: dict[str, Any], model: type[BaseModel]) -> None:
    nullable: frozenset[str] = getattr(model, "NULLABLE", frozenset())
    for name, prop in schema.get("properties", {}).items():
        options = [o for o in prop.get("anyOf", ()) if o != {"type": "null"}]
        if name not in nullable and len(options) == 1:
            del prop["anyOf"]
            prop.update(options[0])
            if prop.get("default", ...) is None:
                del prop["default"]


class PatchModel(BaseModel):
    """A partial update: a field left out keeps its value; ``null`` is refused, naming the
    field, except for the fields in ``NULLABLE``, where it clears the value."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra=_not_nullable_in_schema
    )
    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: object, info: ValidationInfo) -> object:
        if value is None and info.field_name not in cls.NULLABLE:
            raise ValueError("may not be null (leave the field out to keep its value)")
        return value


class _Text(BaseModel):
    """A request body whose strings may not carry NUL characters (no database keeps them)."""

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


class UploadMetadata(_Text):
    """The optional ``metadata`` form field of an upload, as JSON."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(None, min_length=1, max_length=500)
    department: str | None = Field(None, min_length=1, max_length=64)
    document_date: date | None = None
    source_system: str | None = Field(None, min_length=1, max_length=100)
    external_id: str | None = Field(None, min_length=1, max_length=200)
    security_level: Literal["public", "internal", "confidential", "secret"] = "internal"
    batch_id: str | None = Field(
        None, min_length=1, max_length=64, description="groups uploads for progress counts"
    )


DocType = Literal["contract", "invoice", "public", "other"]
FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]{0,39}$")]
FieldValue = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Fraction = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class FieldLocation(BaseModel):
    """Where an officer says a corrected value is: a page of the document and a box on it, in
    fractions of the page as shown (origin top left), ``x0 < x1`` and ``y0 < y1``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    page: RecordId
    x0: Fraction
    y0: Fraction
    x1: Fraction
    y1: Fraction

    @model_validator(mode="after")
    def _ordered(self) -> FieldLocation:
        if not (self.x0 < self.x1 and self.y0 < self.y1):
            raise ValueError("a box needs x0 < x1 and y0 < y1")
        return self


class DocumentPatch(PatchModel, _Text):
    """A metadata change; only the fields given change (``document_date: null`` clears the date).
    ``doc_type`` and ``security_level`` need a records officer or an administrator."""

    NULLABLE = frozenset({"document_date"})

    title: str | None = Field(None, min_length=1, max_length=500)
    document_date: date | None = None
    department: str | None = Field(
        None, min_length=1, max_length=64, description="move it to a department you may file for"
    )
    fields: dict[FieldName, FieldValue] | None = Field(
        None,
        max_length=50,
        description="correct values read from the current version (kept when it is read again)",
    )
    boxes: dict[FieldName, FieldLocation] | None = Field(
        None,
        max_length=50,
        description="where the value of a field corrected in ``fields`` is on its page (the"
        " vendor's template learns the place too)",
    )
    doc_type: DocType | None = None
    subtype: str | None = Field(
        None,
        max_length=32,
        description="the finer type (ingest.classify.SUBTYPES); sets the class it rolls up to",
    )
    security_level: Literal["public", "internal", "confidential", "secret"] | None = None
    reason: str | None = Field(
        None, min_length=1, max_length=1000, description="why: kept in the document's history"
    )

    @field_validator("boxes")
    @classmethod
    def _boxes_of_corrections(
        cls, value: dict[str, FieldLocation] | None, info: ValidationInfo
    ) -> dict[str, FieldLocation] | None:
        stray = sorted(set(value or ()) - set(info.data.get("fields") or ()))
        if stray:
            raise ValueError(f"a box needs its field's value in fields: {', '.join(stray)}")
        return value

    @field_validator("subtype")
    @classmethod
    def _known_subtype(cls, value: str | None) -> str | None:
        if value is not None and value not in SUBTYPES:
            raise ValueError(f"unknown subtype (known: {', '.join(SUBTYPES)})")
        return value


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
    reason: str | None
    content_url: str

    @classmethod
    def of(cls, version: DocumentVersion) -> VersionOut:
        url = f"/api/v1/documents/{version.document_id}/versions/{version.number}/content"
        return cls.model_validate(
            {
                **{
                    name: getattr(version, name)
                    for name in cls.model_fields
                    if name != "content_url"
                },
                "content_url": url,
            }
        )


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
    doc_type: str | None
    subtype: str | None
    type_confidence: float | None
    type_source: str | None
    language: str | None
    page_count: int | None
    batch_id: str | None
    current_version: VersionOut
    versions: list[VersionOut]
    content_url: str

    @classmethod
    def of(cls, doc: Document) -> DocumentOut:
        return cls(**cls.fields_of(doc))

    @staticmethod
    def fields_of(doc: Document) -> dict[str, Any]:
        return dict(
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
            doc_type=doc.doc_type,
            subtype=doc.subtype,
            type_confidence=doc.type_confidence,
            type_source=doc.type_source,
            language=doc.language,
            page_count=doc.page_count,
            batch_id=doc.batch_id,
            current_version=VersionOut.of(doc.current_version),
            versions=[VersionOut.of(v) for v in doc.versions],
            content_url=f"/api/v1/documents/{doc.id}/content",
        )


class StepOut(BaseModel):
    step: str
    status: str
    started_at: datetime
    duration_ms: float
    detail: dict[str, Any] | None

    @classmethod
    def of(cls, step: ProcessingStep) -> StepOut:
        return cls(
            step=step.step,
            status=step.status,
            started_at=step.started_at,
            duration_ms=step.duration_ms,
            detail=json.loads(step.detail) if step.detail else None,
        )


class FieldBox(BaseModel):
    """A rectangle in fractions of the page's width and height, origin top left."""

    x0: float
    y0: float
    x1: float
    y1: float


class FieldOut(BaseModel):
    name: str
    value: str
    value_type: str
    page: int
    start: int
    end: int
    source_text: str
    valid: bool
    source: str = Field(
        description="text (found in the page text), layout (read from where the words are on"
        " the page: a label and its value in separate cells, a signature block), xml (an"
        " e-invoice's own data: exact) or template (read at the label an officer's"
        " correction taught for this vendor)"
    )
    confidence: float | None
    corrected_by: str | None
    box: FieldBox | None = Field(
        None,
        description="where the value is on its page, in fractions of the page (top left origin)",
    )


class DerivativeOut(BaseModel):
    kind: str
    media_type: str
    size: int
    url: str


class DocumentDetail(DocumentOut):
    """One document with what the pipeline read from it."""

    type_reason: dict[str, Any] | None
    effective_date: date | None = Field(
        description="the document date, else the date read from its text (see the source)"
    )
    effective_date_source: str | None = Field(
        description="`metadata`, or `field:<name>` for the extracted field it came from"
    )
    steps: list[StepOut]
    fields: list[FieldOut]
    derivatives: list[DerivativeOut]

    @classmethod
    def build(
        cls,
        doc: Document,
        steps: list[ProcessingStep],
        fields: list[DocumentField],
        derivatives: list[Derivative],
    ) -> DocumentDetail:
        dated = own_date(doc, field_dates(fields))
        return cls(
            **DocumentOut.fields_of(doc),
            type_reason=json.loads(doc.type_reason) if doc.type_reason else None,
            effective_date=dated[0] if dated else None,
            effective_date_source=dated[1] if dated else None,
            steps=[StepOut.of(s) for s in steps],
            fields=[FieldOut.model_validate(f, from_attributes=True) for f in fields],
            derivatives=[
                DerivativeOut(
                    kind=d.kind,
                    media_type=d.media_type,
                    size=d.size,
                    url=f"/api/v1/documents/{doc.id}/derivatives/{d.kind}",
                )
                for d in derivatives
            ],
        )


class VersionMetadata(_Text):
    """The optional ``metadata`` form field of a new version, as JSON."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str | None = Field(None, min_length=1, max_length=1000)
    supersedes_version: int | None = Field(
        None, ge=1, le=2**31 - 1, description="the version this one replaces; 409 if not current"
    )


class HistoryEntry(BaseModel):
    """One event of a document's history: a metadata change or a new version."""

    at: datetime
    actor: str
    kind: Literal["change", "version"]
    field: str | None = None
    old_value: Any = None
    new_value: Any = None
    version: int | None = None
    sha256: str | None = None
    reason: str | None = None


class CorrectionIn(BaseModel):
    """Mark this document (or one of its versions) as correcting another: name that one by
    ``corrects`` (its id) or by ``source_system`` and ``external_id`` (an invoice number)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    corrects: str | None = Field(None, min_length=1, max_length=36)
    source_system: str | None = Field(None, min_length=1, max_length=100)
    external_id: str | None = Field(None, min_length=1, max_length=200)
    version: int | None = Field(
        None, ge=1, le=2**31 - 1, description="the version that makes the correction"
    )
    reason: str | None = Field(None, min_length=1, max_length=1000)


class CorrectionOut(BaseModel):
    direction: Literal["corrects", "corrected_by"]
    document: str
    title: str
    external_id: str | None
    version: int | None
    actor: str
    at: datetime
    reason: str | None
    url: str


class DiffLine(BaseModel):
    kind: Literal["hunk", "context", "removed", "added"]
    text: str


class FieldChange(BaseModel):
    name: str
    old: list[str]
    new: list[str]


class ComparisonOut(BaseModel):
    """What changed between two versions: the extracted text, line by line, and the fields."""

    from_version: int
    to_version: int
    text_diff: list[DiffLine]
    truncated: bool = Field(description="the texts were longer than compared")
    fields: list[FieldChange]


class BatchOut(BaseModel):
    batch_id: str
    total: int
    done: int
    by_status: dict[str, int] = Field(
        description="documents by processing status; for a bulk import, its manifest rows "
        "(a stored row under its document's status, else rejected or failed)"
    )
    report_url: str | None = Field(None, description="a bulk import's report of every row (CSV)")


class BatchAccepted(BaseModel):
    batch_id: str
    resumed: bool = Field(description="the same manifest was sent before: its batch resumed")
    counts: dict[str, int] = Field(
        description="what this request did with the rows: stored, skipped (stored before), "
        "rejected (invalid, with partial=true), failed (to be retried by sending it again)"
    )
    status_url: str
    report_url: str


class DocumentPage(BaseModel):
    items: list[DocumentOut]
    next_cursor: str | None = Field(None, description="pass as ?cursor= for the next page")


class UploadAccepted(BaseModel):
    id: str
    status: DocumentStatus
    status_url: str
    outcome: UploadOutcome = Field(
        description="created; new_version (same source system and external id, other content, "
        "or the versions endpoint); existing (same integration key and content); "
        "duplicate (same content)"
    )
    sha256: str
    version: int = Field(description="the number of the document's current version")
