"""What the steps learn about one version, and the derivatives they store on the way."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from archive import (
    StepRecord,
)
from ingest.classify import Prediction
from ingest.context import PipelineContext
from ingest.einvoice import EInvoice
from ingest.extract import Extraction
from ingest.fields import Field
from ingest.sniff import Kind


@dataclass
class Work:
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


def store_derivative(
    ctx: PipelineContext, work: Work, kind: str, path: Path, media_type: str
) -> None:
    """Store a derivative blob now (content-addressed: a retry rewrites nothing); its row comes at the end."""
    with path.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    size = path.stat().st_size
    with path.open("rb") as stream:
        ctx.store.put(digest, stream, size)  # type: ignore[arg-type]
    work.derivatives.append((kind, digest, size, media_type))
