"""The steps that read the content: sniff, extract, e-invoice XML, OCR."""

from __future__ import annotations

from ingest.context import PipelineContext
from ingest.einvoice import EInvoice, read_embedded, read_invoice_xml
from ingest.errors import IngestError
from ingest.extract import extract
from ingest.ocr import apply_ocr
from ingest.sniff import Kind, sniff
from ingest.steps.work import Work, store_derivative
from ingest.typeset import typeset

RENDITION = "rendition"
"""The derivative kind of a readable PDF made for content without pages (an XML invoice)."""


def sniff_step(_ctx: PipelineContext, work: Work) -> dict[str, object]:
    work.kind = sniff(work.original)
    return {"kind": str(work.kind)}


def extract_step(ctx: PipelineContext, work: Work) -> dict[str, object]:
    work.extraction = extract(work.original, work.kind, ctx.limits)
    return {
        "pages": len(work.extraction.pages),
        "pages_needing_ocr": len(work.extraction.pages_needing_ocr),
        "warnings": list(work.extraction.warnings)[:10],
    }


def einvoice_step(ctx: PipelineContext, work: Work) -> dict[str, object]:
    """Read the invoice XML of an e-invoice, or the one a Factur-X/ZUGFeRD PDF embeds.

    An XML invoice also gets its readable PDF rendition. A PDF whose embedded XML cannot be
    read is processed from its text like any PDF, with the reason recorded here.
    """
    assert work.extraction is not None
    if work.kind == Kind.EINVOICE:
        work.einvoice = read_invoice_xml(work.original.read_bytes(), "the XML invoice")
        rendition = work.scratch / "rendition.pdf"
        typeset([page.text for page in work.extraction.pages], rendition)
        store_derivative(ctx, work, RENDITION, rendition, "application/pdf")
        return _einvoice_detail(work.einvoice)
    if work.kind != Kind.PDF or work.extraction.attachments == ():
        return {"skipped": True}  # not a PDF, or one that carries no files
    try:
        embedded = read_embedded(work.original)
    except IngestError as exc:
        return {"read": False, "reason": exc.reason, "fallback": "fields read from the text"}
    if embedded is None:
        return {"skipped": True}
    work.einvoice = embedded.invoice
    return {"attachment": embedded.name, **_einvoice_detail(embedded.invoice)}


def _einvoice_detail(invoice: EInvoice) -> dict[str, object]:
    return {
        "format": invoice.format_name,
        "syntax": invoice.syntax,
        "specification": invoice.specification,
        "type_code": invoice.type_code,
    }


def ocr_step(ctx: PipelineContext, work: Work) -> dict[str, object]:
    assert work.extraction is not None
    pages = work.extraction.pages_needing_ocr
    if not pages:
        return {"skipped": True}
    searchable = work.scratch / "searchable.pdf"
    work.extraction = apply_ocr(
        work.original,
        work.extraction,
        options=ctx.ocr,
        limits=ctx.limits,
        searchable_pdf=searchable,
    )
    store_derivative(ctx, work, "searchable_pdf", searchable, "application/pdf")
    return {"pages": len(pages)}
