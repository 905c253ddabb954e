"""What the steps learn about one version, and the derivatives they store on the way."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from archive import StepRecord, utcnow
from ingest.classify import Prediction
from ingest.context import PipelineContext
from ingest.einvoice import EInvoice
from ingest.errors import IngestError
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


def timed_step(work: Work, name: str, run: Callable[[], dict[str, object] | None]) -> str:
    """Run step ``name`` and add its record (status, timing, detail) to ``work.steps``; its status.

    ``run`` returns the step's detail; ``skipped: True`` in it marks a step with nothing to do.
    """
    started_at, start = utcnow(), time.perf_counter()
    status, detail = "done", {}
    work.step = name
    try:
        detail = run() or {}
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
    return status
