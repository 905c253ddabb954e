"""The steps of the pipeline, in order; each takes the context and the ``Work`` of one version
and returns what it found (its step record's detail; ``skipped`` when it had nothing to do)."""

from collections.abc import Callable

from ingest.context import PipelineContext
from ingest.steps.deciding import classify_step, fields_step
from ingest.steps.reading import RENDITION, einvoice_step, extract_step, ocr_step, sniff_step
from ingest.steps.results import finish
from ingest.steps.work import Work, timed_step

__all__ = ["RENDITION", "STEP_FUNCTIONS", "Work", "finish", "timed_step"]

STEP_FUNCTIONS: dict[str, Callable[[PipelineContext, Work], dict[str, object] | None]] = {
    "sniff": sniff_step,
    "extract": extract_step,
    "einvoice": einvoice_step,
    "ocr": ocr_step,
    "classify": classify_step,
    "fields": fields_step,
}
"""Then ``retention``, in the transaction that writes the results (``finish``), and ``index``,
which can also run on its own (after a metadata change, or once the index is back)."""
