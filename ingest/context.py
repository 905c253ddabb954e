"""What the pipeline works with: the database, the store, the index, limits and options."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from archive import (
    LEASE,
    BlobStore,
    DeliveryOptions,
)
from ingest.extract import Limits
from ingest.index_queue import IndexQueue
from ingest.ocr import OcrOptions
from search import SearchIndex


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
