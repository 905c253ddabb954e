"""The processing pipeline of one document: sniff, extract, e-invoice XML, OCR, classify, fields.

Each step is timed and recorded as it ends, so a long document shows its progress. A
permanent ``IngestError`` ends the document ``failed`` with the reason; a transient
error (storage, database, OCR engine) hands the document back for a retry, and so does
any other exception until the document's last attempt, which fails it with the error as
its reason. While the steps run, a thread renews the document's claim, so a worker that
dies is noticed within one lease rather than after the longest possible document.
"""

from __future__ import annotations

import enum
import errno
import hashlib
import json
import logging
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from types import TracebackType

from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy.orm import Session, sessionmaker

from archive import (
    LEASE,
    MAX_ATTEMPTS,
    BackendUnavailable,
    BlobNotFound,
    BlobStore,
    DeliveryOptions,
    Document,
    DocumentField,
    DocumentStatus,
    DocumentVersion,
    RecordId,
    StepRecord,
    claim,
    copy_hashing,
    record_steps,
    renew,
    replace_derivative,
    replace_fields,
    set_status,
    translate_db_errors,
    utcnow,
)
from ingest.classifier_store import TEXT_DERIVATIVE, active_model
from ingest.classify import Prediction
from ingest.einvoice import EInvoice, read_embedded, read_invoice_xml
from ingest.errors import IngestError
from ingest.extract import Extraction, Limits, extract
from ingest.extract.base import PageText
from ingest.fields import EXTRACTORS as FIELD_READERS
from ingest.fields import Field, extract_fields, fields_type
from ingest.fields.einvoice import einvoice_fields
from ingest.index_queue import IndexQueue, index_documents, note_waiting
from ingest.ocr import OcrOptions, apply_ocr
from ingest.sniff import Kind, sniff
from ingest.typeset import typeset
from ingest.vendor_templates import LEARNED_CLASS, with_templates
from ingest.words import PageWords, pdf_words
from retention import retain_at_ingest
from search import SearchIndex, SearchUnavailable

log = logging.getLogger("bunko.ingest")

STEPS = ("sniff", "extract", "einvoice", "ocr", "classify", "fields", "retention")
"""Then ``index``, which can also run on its own (after a metadata change, or once the index is back)."""
RENDITION = "rendition"
"""The derivative kind of a readable PDF made for content without pages (an XML invoice)."""
PROGRESS_AFTER_S = 1.0
LAYOUT_PAGES = 10
"""Pages whose words the fields are read from (fields are on the first pages)."""
"""Steps are written as they end once a document has taken this long (so long work shows
progress); quicker documents write them all with their result, in one transaction."""


class Outcome(enum.StrEnum):
    PROCESSED = "processed"
    FAILED = "failed"
    SKIPPED = "skipped"
    """Another worker holds the document, or it needs nothing."""


class TransientFailure(Exception):
    """A backend or the OCR engine failed; the document waits for a retry."""


@dataclass(frozen=True)
class PipelineContext:
    sessions: sessionmaker[Session]
    store: BlobStore
    limits: Limits = Limits()
    ocr: OcrOptions = OcrOptions()
    tmp_dir: Path | None = None
    index: SearchIndex | None = None
    webhooks: DeliveryOptions | None = None
    """How to send webhook deliveries (the worker's scheduled task); None sends none."""
    lease: timedelta = LEASE
    """How long a claim lasts unless renewed; renewed every quarter of it while steps run."""
    index_queue: IndexQueue | None = None
    """A worker's: processed documents are indexed in groups by its thread. Without one,
    ``process_document`` indexes the document itself before it returns."""


@dataclass
class _Work:
    """What the steps learn about one version, passed from step to step."""

    document_id: str
    version_id: str
    original: Path
    scratch: Path
    officer_type: str | None
    kind: Kind | None = None
    extraction: Extraction | None = None
    einvoice: EInvoice | None = None
    """The structured invoice the file is or carries: it decides type and fields."""
    prediction: Prediction | None = None
    model_version: int = 0
    fields: list[Field] = field(default_factory=list)
    derivatives: list[tuple[str, str, int, str]] = field(default_factory=list)
    """(kind, blob key, size, media type) stored for this version."""
    steps: list[StepRecord] = field(default_factory=list)
    """Step outcomes not yet written."""
    started: float = field(default_factory=time.perf_counter)
    step: str = "fetch"
    """The step running (or that raised)."""


def process_document(ctx: PipelineContext, document_id: str) -> Outcome:
    """Run every step for the document's current version (idempotent: safe to repeat)."""
    with translate_db_errors():
        return _process(ctx, document_id)


def _process(ctx: PipelineContext, document_id: str) -> Outcome:
    with ctx.sessions.begin() as session:
        version = claim(session, document_id, lease=ctx.lease)
        if version is None:
            return Outcome.SKIPPED
        officer_type = (
            version.document.doc_type if version.document.type_source == "officer" else None
        )
        version_id, key, attempt = version.id, version.blob_key, version.document.attempts
    with (
        tempfile.TemporaryDirectory(prefix="bunko-ingest-", dir=ctx.tmp_dir) as scratch,
        _Renewal(ctx, document_id),
    ):
        work = _Work(
            document_id, version_id, Path(scratch) / "original", Path(scratch), officer_type
        )
        try:
            with translate_db_errors():
                _fetch(ctx.store, key, work.original)
                for name in STEPS:
                    _run_step(ctx, work, name)
                work.step = "finish"
                _finish(ctx, work)
        except IngestError as exc:
            if not exc.permanent:
                _release(ctx, document_id, exc.reason)
                raise TransientFailure(exc.reason) from None
            fail_document(ctx, document_id, exc.reason, steps=work.steps)
            return Outcome.FAILED
        except BlobNotFound:
            fail_document(
                ctx,
                document_id,
                "the original is missing from storage (see bunko verify)",
                steps=work.steps,
            )
            return Outcome.FAILED
        except BackendUnavailable as exc:
            _release(ctx, document_id, str(exc))
            raise TransientFailure(str(exc)) from None
        except SoftTimeLimitExceeded:
            raise  # the task fails the document: it took too long, retrying would not help
        except Exception as exc:  # a defect here or in a library, or a full disk
            return _unexpected(ctx, work, attempt, exc)
    if ctx.index_queue is not None:
        ctx.index_queue.submit(document_id)
        return Outcome.PROCESSED
    try:
        index_document(ctx, document_id)
    except SearchUnavailable as exc:
        note_waiting(ctx.sessions, [document_id], f"waiting for the search index: {exc}")
    return Outcome.PROCESSED


def _unexpected(ctx: PipelineContext, work: _Work, attempt: int, exc: Exception) -> Outcome:
    """Hand the document back for a retry; on its last attempt fail it with the error as reason.

    A full disk is an outage like an unreachable backend: it is only ever retried.
    """
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = f"no space left on the worker's disk: {exc}"
    else:
        reason = f"unexpected error in step {work.step}: {type(exc).__name__}: {exc}"[:500]
        log.exception("document %s, attempt %d: %s", work.document_id, attempt, reason)
        if attempt >= MAX_ATTEMPTS:
            fail_document(ctx, work.document_id, reason, steps=work.steps)
            return Outcome.FAILED
    _release(ctx, work.document_id, reason)
    raise TransientFailure(reason) from None


def index_document(ctx: PipelineContext, document_id: str) -> bool:
    """Write the document's index entry and mark it ``indexed`` now; False if it is not
    indexable yet.

    Raises ``SearchUnavailable`` when the index cannot be reached (the document stays
    ``processed`` and the sweep tries again).
    """
    if ctx.index is None:
        return False
    return bool(index_documents(ctx.sessions, ctx.store, ctx.index, [document_id]))


def refresh_index(ctx: PipelineContext, document_id: str) -> None:
    """Bring the document's index entry in line with its access data now (a grant, level or
    department changed), so that totals and facets never count it from stale data.

    A document still being read leaves the index until its processing indexes it afresh.
    Raises ``SearchUnavailable`` when the index cannot be reached.
    """
    if not index_document(ctx, document_id):
        unindex_document(ctx, document_id)


def unindex_document(ctx: PipelineContext, document_id: str) -> None:
    """Remove a document from the index (it was destroyed or transferred)."""
    if ctx.index is not None:
        ctx.index.delete([RecordId(document_id)])


def _fetch(store: BlobStore, key: str, path: Path) -> None:
    """A local copy of the original, streamed, for libraries that want a file."""
    with store.open(key) as source, path.open("wb") as target:  # type: ignore[arg-type]
        copy_hashing(source, target)


class _Renewal:
    """Renews the claim on a document every quarter lease while its steps run."""

    def __init__(self, ctx: PipelineContext, document_id: str) -> None:
        self._ctx, self._document_id = ctx, document_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bunko-lease", daemon=True)

    def __enter__(self) -> None:
        self._thread.start()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        every = self._ctx.lease.total_seconds() / 4
        while not self._stop.wait(every):
            try:
                with translate_db_errors(), self._ctx.sessions.begin() as session:
                    renew(session, self._document_id)
            except BackendUnavailable as exc:  # the next renewal may get through
                log.warning("could not renew the claim on %s: %s", self._document_id, exc)


def _run_step(ctx: PipelineContext, work: _Work, name: str) -> None:
    started_at, start = utcnow(), time.perf_counter()
    status, detail = "done", {}
    work.step = name
    try:
        detail = _STEP_FUNCTIONS[name](ctx, work) or {}
        if detail.pop("skipped", False):
            status = "skipped"
    except IngestError as exc:
        status, detail = "failed", {"reason": exc.reason}
        raise
    except Exception as exc:
        status, detail = "failed", {"reason": f"{type(exc).__name__}: {exc}"[:500]}
        raise
    finally:
        duration_ms = (time.perf_counter() - start) * 1000
        work.steps.append(
            StepRecord(
                work.document_id, work.version_id, name, status, started_at, duration_ms, detail
            )
        )
        if status == "done" and time.perf_counter() - work.started > PROGRESS_AFTER_S:
            with ctx.sessions.begin() as session:
                record_steps(session, work.steps)
            work.steps.clear()


def _sniff(_ctx: PipelineContext, work: _Work) -> dict[str, object]:
    work.kind = sniff(work.original)
    return {"kind": str(work.kind)}


def _extract(ctx: PipelineContext, work: _Work) -> dict[str, object]:
    work.extraction = extract(work.original, work.kind, ctx.limits)
    return {
        "pages": len(work.extraction.pages),
        "pages_needing_ocr": len(work.extraction.pages_needing_ocr),
        "warnings": list(work.extraction.warnings)[:10],
    }


def _einvoice(ctx: PipelineContext, work: _Work) -> dict[str, object]:
    """Read the invoice XML of an e-invoice, or the one a Factur-X/ZUGFeRD PDF embeds.

    An XML invoice also gets its readable PDF rendition. A PDF whose embedded XML cannot be
    read is processed from its text like any PDF, with the reason recorded here.
    """
    assert work.extraction is not None
    if work.kind == Kind.EINVOICE:
        work.einvoice = read_invoice_xml(work.original.read_bytes(), "the XML invoice")
        rendition = work.scratch / "rendition.pdf"
        typeset([page.text for page in work.extraction.pages], rendition)
        _store_derivative(ctx, work, RENDITION, rendition, "application/pdf")
        return _einvoice_detail(work.einvoice)
    if work.kind != Kind.PDF:
        return {"skipped": True}
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


def _ocr(ctx: PipelineContext, work: _Work) -> dict[str, object]:
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
    _store_derivative(ctx, work, "searchable_pdf", searchable, "application/pdf")
    return {"pages": len(pages)}


def _classify(ctx: PipelineContext, work: _Work) -> dict[str, object]:
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
        active = active_model(session)
    work.prediction = active.model.predict(work.extraction.text)
    work.model_version = active.version
    return {
        "type": work.prediction.label,
        "confidence": work.prediction.confidence,
        "subtype": work.prediction.subtype,
        "model": active.version,
    }


def _fields(ctx: PipelineContext, work: _Work) -> dict[str, object]:
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


def _retention(ctx: PipelineContext, work: _Work) -> dict[str, object]:
    doc_type = work.officer_type or (work.prediction.label if work.prediction else "other")
    fields = {f.name: f.value for f in work.fields if f.valid}
    with ctx.sessions.begin() as session:
        assignment = retain_at_ingest(
            session, ctx.store, work.document_id, doc_type=doc_type, fields=fields
        )
    return assignment.detail()


_STEP_FUNCTIONS: dict[str, Callable[[PipelineContext, _Work], dict[str, object] | None]] = {
    "sniff": _sniff,
    "extract": _extract,
    "einvoice": _einvoice,
    "ocr": _ocr,
    "classify": _classify,
    "fields": _fields,
    "retention": _retention,
}


def _store_derivative(
    ctx: PipelineContext, work: _Work, kind: str, path: Path, media_type: str
) -> None:
    """Store a derivative blob now (content-addressed: a retry rewrites nothing); its row comes at the end."""
    with path.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    size = path.stat().st_size
    with path.open("rb") as stream:
        ctx.store.put(digest, stream, size)  # type: ignore[arg-type]
    work.derivatives.append((kind, digest, size, media_type))


def _text_json(extraction: Extraction) -> bytes:
    pages = [
        {"number": p.number, "text": p.text, "method": p.method, "reason": p.reason}
        for p in extraction.pages
    ]
    return json.dumps(
        {"kind": str(extraction.kind), "language": extraction.language, "pages": pages},
        ensure_ascii=False,
    ).encode()


def _field_row(work: _Work, found: Field) -> DocumentField:
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


def _finish(ctx: PipelineContext, work: _Work) -> None:
    """Store the text and write every result, and the ``processed`` status, in one transaction."""
    assert work.extraction is not None
    text_path = work.scratch / "text.json"
    text_path.write_bytes(_text_json(work.extraction))
    _store_derivative(ctx, work, TEXT_DERIVATIVE, text_path, "application/json")
    with ctx.sessions.begin() as session:
        version = session.get(DocumentVersion, work.version_id)
        assert version is not None
        document = version.document
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


def fail_document(
    ctx: PipelineContext, document_id: str, reason: str, *, steps: Sequence[StepRecord] = ()
) -> None:
    """End the document ``failed`` with ``reason`` (also used when a time limit stops a worker)."""
    with ctx.sessions.begin() as session:
        document = session.get(Document, document_id)
        assert document is not None
        record_steps(session, steps)
        if steps and steps[0].version_id != document.current_version.id:
            return  # that version is no longer current: the newer one is queued
        set_status(session, document, DocumentStatus.FAILED, reason)


def _release(ctx: PipelineContext, document_id: str, reason: str) -> None:
    """Give the document back (``received``) so that a retry can claim it at once."""
    try:
        with translate_db_errors(), ctx.sessions.begin() as session:
            document = session.get(Document, document_id)
            if document is not None:
                set_status(session, document, DocumentStatus.RECEIVED, f"retrying: {reason}")
    except BackendUnavailable:
        pass  # the database itself is down: the claim lapses and the sweeper re-queues it
