"""Ingestion pipeline: sniff, extract, OCR, classify, extract fields, assign retention, index."""

from ingest.classifier_store import TEXT_DERIVATIVE, train_from_corrections
from ingest.classify import SUBTYPES, class_of
from ingest.classify.training import TrainingUnavailable
from ingest.compare import Comparison, compare_versions
from ingest.errors import EncryptedContent, IngestError
from ingest.extract import extract
from ingest.extract.base import Limits
from ingest.fields.templates import Place
from ingest.indexing import AMOUNT_FIELDS, INDEXABLE, indexable_documents
from ingest.ocr import OcrOptions, ocr_page
from ingest.page_words import read_at, words_at
from ingest.pipeline import PipelineContext, refresh_index
from ingest.render import PageImage, grey_page, open_pdf, page_images
from ingest.sniff import IMAGE_KINDS, TYPESET_KINDS, Kind, sniff
from ingest.steps import RENDITION
from ingest.tasks import (
    INDEX,
    PeriodicJob,
    Priority,
    enqueue,
    enqueue_bulk,
    make_celery,
    queue_of,
)
from ingest.typeset import font_name, typeset, wrapped
from ingest.usecases import documents as document_cases
from ingest.vendor_templates import learn_from_corrections
from ingest.words import Box

__all__ = [
    "AMOUNT_FIELDS",
    "IMAGE_KINDS",
    "INDEX",
    "INDEXABLE",
    "RENDITION",
    "SUBTYPES",
    "TEXT_DERIVATIVE",
    "TYPESET_KINDS",
    "Box",
    "Comparison",
    "EncryptedContent",
    "IngestError",
    "Kind",
    "Limits",
    "OcrOptions",
    "PageImage",
    "PeriodicJob",
    "PipelineContext",
    "Place",
    "Priority",
    "TrainingUnavailable",
    "class_of",
    "compare_versions",
    "document_cases",
    "enqueue",
    "enqueue_bulk",
    "extract",
    "font_name",
    "grey_page",
    "indexable_documents",
    "learn_from_corrections",
    "make_celery",
    "ocr_page",
    "open_pdf",
    "page_images",
    "queue_of",
    "read_at",
    "refresh_index",
    "sniff",
    "train_from_corrections",
    "typeset",
    "words_at",
    "wrapped",
]
