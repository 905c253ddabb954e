"""The pipeline's last write: the text, every step's result and the ``processed`` status, at once."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from archive import (
    Document,
    DocumentField,
    DocumentStatus,
    DocumentVersion,
    record_steps,
    replace_derivative,
    replace_fields,
    set_status,
)
from ingest.classifier_store import TEXT_DERIVATIVE
from ingest.context import PipelineContext
from ingest.extract import Extraction
from ingest.fields import Field
from ingest.steps.deciding import retain
from ingest.steps.work import Work, store_derivative, timed_step


def _text_json(extraction: Extraction) -> bytes:
    pages = [
        {"number": p.number, "text": p.text, "method": p.method, "reason": p.reason}
        for p in extraction.pages
    ]
    return json.dumps(
        {"kind": str(extraction.kind), "language": extraction.language, "pages": pages},
        ensure_ascii=False,
    ).encode()


def _field_row(work: Work, found: Field) -> DocumentField:
    assert work.extraction is not None
    text = work.extraction.pages[found.page - 1].text
    value = found.value.isoformat() if isinstance(found.value, date) else str(found.value)
    value_type = (
        "date"
        if isinstance(found.value, date)
        else "amount"
        if isinstance(found.value, Decimal)
        else "text"
    )
    return DocumentField(
        document_id=work.document_id,
        version_id=work.version_id,
        name=found.name,
        value=value,
        value_type=value_type,
        page=found.page,
        start=found.start,
        end=found.end,
        source_text=text[found.start : found.end],
        valid=found.valid,
        source=found.source,
        confidence=found.confidence,
        **_box_columns(found),
    )


def _box_columns(found: Field) -> dict[str, float | None]:
    box = found.box
    corners = (box.x0, box.y0, box.x1, box.y1) if box is not None else (None,) * 4
    return dict(zip(("box_x0", "box_y0", "box_x1", "box_y1"), corners, strict=True))


def finish(ctx: PipelineContext, work: Work) -> None:
    """Store the text; assign retention and write every result, and the ``processed`` status,
    in one transaction."""
    assert work.extraction is not None
    text_path = work.scratch / "text.json"
    text_path.write_bytes(_text_json(work.extraction))
    store_derivative(ctx, work, TEXT_DERIVATIVE, text_path, "application/json")
    with ctx.sessions.begin() as session:
        # Held from the start: the steps below find it and its versions without a statement.
        document = session.get(Document, work.document_id)
        timed_step(work, "retention", lambda: retain(session, ctx, work))
        work.step = "finish"
        version = session.get(DocumentVersion, work.version_id)
        assert document is not None and version is not None
        for kind, key, size, media_type in work.derivatives:
            replace_derivative(
                session, version, kind=kind, page=0, key=key, size=size, media_type=media_type
            )
        replace_fields(session, version, [_field_row(work, f) for f in work.fields])
        record_steps(session, work.steps)
        if document.current_version.id != version.id:
            return  # a newer version arrived meanwhile: it is queued, and the document follows it
        if work.prediction is not None:
            document.doc_type = work.prediction.label
            document.subtype = work.prediction.subtype
            document.type_confidence = work.prediction.confidence
            decided_by: dict[str, object] = (
                {
                    "model": work.model_version,
                    "subtype_confidence": work.prediction.subtype_confidence,
                }
                if work.einvoice is None
                else {"xml": work.einvoice.format_name}
            )
            document.type_reason = json.dumps(
                {"features": work.prediction.top_features, **decided_by}, ensure_ascii=False
            )
            document.type_source = "model" if work.einvoice is None else "xml"
        document.language = work.extraction.language
        document.page_count = len(work.extraction.pages)
        set_status(session, document, DocumentStatus.PROCESSED)
