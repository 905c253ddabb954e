"""Retention: file plan, record series and files, retention dates, holds, disposition, transfer.

The public surface is re-exported here; the modules below it are:

* ``dates``: fiscal years and Civil-Code periods (pure functions);
* ``plan``: record series, assignment rules, CSV import/export, the default plan;
* ``engine``: assignment at ingest and the date engine; ``explanation`` says why a record
  has its dates; ``extensions`` moves them later;
* ``files``: files (簿冊) opened, filled and closed;
* ``holds``: legal/audit holds, by document, file or saved query;
* ``disposition``: the daily run, batches, review, four-eyes approval; ``execution``
  destroys or transfers and certifies;
* ``usecases``: each operation once, with its audit entry (what the entry points call);
* ``transfer``/``certificate``/``register``: BagIt packages, certificates, registers;
* ``worm``: mirroring retention and holds onto the storage's object lock.
"""

from retention.dates import fiscal_year_of, next_fiscal_year_start, period_end
from retention.edits import edit_metadata
from retention.engine import (
    Assignment,
    assign_at_ingest,
    assign_by_hand,
    recompute,
    series_code_of,
)
from retention.explanation import explain
from retention.extensions import extend
from retention.intake import retain_at_ingest
from retention.plan import SeriesNotFound, SeriesSpec, get_series, seed_default_plan
from retention.worm import protect_document, sync_legal_holds

__all__ = [
    "Assignment",
    "SeriesNotFound",
    "SeriesSpec",
    "assign_at_ingest",
    "assign_by_hand",
    "edit_metadata",
    "explain",
    "extend",
    "fiscal_year_of",
    "get_series",
    "next_fiscal_year_start",
    "period_end",
    "protect_document",
    "recompute",
    "retain_at_ingest",
    "seed_default_plan",
    "series_code_of",
    "sync_legal_holds",
]
