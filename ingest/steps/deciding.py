"""The steps that decide from the text: classify, fields, retention."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from archive import begin_reading
from ingest.classifier_store import active_model
from ingest.classify import Prediction
from ingest.context import PipelineContext
from ingest.extract.base import PageText
from ingest.fields import EXTRACTORS as FIELD_READERS
from ingest.fields import extract_fields, fields_type
from ingest.fields.einvoice import einvoice_fields
from ingest.sniff import Kind
from ingest.steps.work import Work
from ingest.vendor_templates import LEARNED_CLASS, with_templates
from ingest.words import PageWords, pdf_words
from retention import retain_at_ingest

LAYOUT_PAGES = 10
"""Pages whose words the fields are read from (fields are on the first pages)."""


def classify_step(ctx: PipelineContext, work: Work) -> dict[str, object]:
    assert work.extraction is not None
    if work.officer_type:
        return {"skipped": True, "type": work.officer_type, "source": "officer"}
    if work.einvoice is not None:
        feature = f"{work.einvoice.format_name} XML, type code {work.einvoice.type_code or '-'}"
        subtype = "credit_note" if work.einvoice.is_credit_note else "invoice"
        work.prediction = Prediction(
            "invoice", 1.0, subtype, 1.0, ((feature, 1.0),), {"invoice": 1.0}
        )
        return {"type": "invoice", "confidence": 1.0, "source": "xml"}
    with ctx.sessions() as session:
        begin_reading(session)  # a read: on SQLite it does not queue for the write lock
        active = active_model(session)
    work.prediction = active.model.predict(work.extraction.text)
    work.model_version = active.version
    return {
        "type": work.prediction.label,
        "confidence": work.prediction.confidence,
        "subtype": work.prediction.subtype,
        "model": active.version,
    }


def fields_step(ctx: PipelineContext, work: Work) -> dict[str, object]:
    assert work.extraction is not None
    if work.einvoice is not None:
        work.fields = einvoice_fields(work.einvoice, work.extraction.pages)
        return {"fields": sorted({f.name for f in work.fields}), "source": "xml"}
    doc_type = work.officer_type or (work.prediction.label if work.prediction else "other")
    subtype = work.prediction.subtype if work.prediction and not work.officer_type else None
    read_as = fields_type(doc_type, subtype)
    # Reading a page's word boxes costs about half of reading its text: only when used.
    wanted = read_as in FIELD_READERS or doc_type == LEARNED_CLASS
    words = _page_words(work.original, work.kind, work.extraction.pages) if wanted else []
    work.fields = extract_fields(work.extraction.pages, read_as, words)
    found: dict[str, object] = {
        "fields": sorted({f.name for f in work.fields}),
        "layout": sorted({f.name for f in work.fields if f.source == "layout"}),
    }
    if doc_type != LEARNED_CLASS:
        return found
    with ctx.sessions() as session:
        work.fields, vendor = with_templates(session, work.fields, work.extraction.pages, words)
    learned = sorted(f.name for f in work.fields if f.source == "template")
    return {
        **found,
        "fields": sorted({f.name for f in work.fields}),
        "template": vendor,
        "learned": learned,
    }


def _page_words(path: Path, kind: Kind | None, pages: Sequence[PageText]) -> list[PageWords]:
    """The words of the first ``LAYOUT_PAGES`` pages: OCR's, else the PDF text layer's."""
    first = pages[:LAYOUT_PAGES]
    wanted = [p.number for p in first if p.words is None] if kind == Kind.PDF else []
    from_pdf = {w.number: w for w in pdf_words(path, wanted)} if wanted else {}
    return [p.words or from_pdf.get(p.number) or PageWords(p.number, ()) for p in first]


def retain(session: Session, ctx: PipelineContext, work: Work) -> dict[str, object]:
    """The ``retention`` step, in the transaction that writes the results (``steps.results``)."""
    doc_type = work.officer_type or (work.prediction.label if work.prediction else "other")
    fields = {f.name: f.value for f in work.fields if f.valid}
    assignment = retain_at_ingest(
        session, ctx.store, work.document_id, doc_type=doc_type, fields=fields
    )
    return assignment.detail()
