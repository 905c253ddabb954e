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

Other packages import only from here (import-linter checks it). A module they use as a
namespace is exported as ``<name>_service`` (``hold_service``), a use-case module as
``<name>_cases`` (``hold_cases``).
"""

from retention import disposition as disposition_service
from retention import engine as engine_service
from retention import execution as execution_service
from retention import explanation as explanation_service
from retention import files as file_service
from retention import holds as hold_service
from retention import plan as plan_service
from retention import register as register_service
from retention import transfer as transfer_service
from retention.assigned_by import AssignedBy, Assigner
from retention.audit_log import AuditFilter, export_csv, read_log, start_export
from retention.backends import Backends
from retention.dates import (
    JST,
    end_of_day_utc,
    fiscal_year_end,
    fiscal_year_of,
    fiscal_year_start,
    next_fiscal_year_start,
    period_end,
    today_in_japan,
)
from retention.disposition import tombstone
from retention.edits import edit_metadata
from retention.engine import (
    Assignment,
    assign_at_ingest,
    assign_by_hand,
    recompute,
    series_code_of,
)
from retention.explanation import Explanation, explain
from retention.extensions import extend
from retention.holds import SYSTEM_SCOPE, holds_on
from retention.intake import retain_at_ingest
from retention.models import (
    BatchStatus,
    DispositionAction,
    DispositionBatch,
    DispositionItem,
    DispositionRecord,
    FileStatus,
    Hold,
    ItemOutcome,
    RecordFile,
    RecordSeries,
    SeriesRule,
    Trigger,
)
from retention.plan import SeriesNotFound, SeriesSpec, get_series, seed_default_plan
from retention.usecases import disposition as disposition_cases
from retention.usecases import holds as hold_cases
from retention.usecases import plan as plan_cases
from retention.usecases import records as record_cases
from retention.usecases import registers as register_cases
from retention.usecases.registers import DISPOSED_VIEW
from retention.visibility import batch_items, readable_subset
from retention.worm import protect_document, sync_legal_holds

__all__ = [
    "DISPOSED_VIEW",
    "JST",
    "SYSTEM_SCOPE",
    "AssignedBy",
    "Assigner",
    "Assignment",
    "AuditFilter",
    "Backends",
    "BatchStatus",
    "DispositionAction",
    "DispositionBatch",
    "DispositionItem",
    "DispositionRecord",
    "Explanation",
    "FileStatus",
    "Hold",
    "ItemOutcome",
    "RecordFile",
    "RecordSeries",
    "SeriesNotFound",
    "SeriesRule",
    "SeriesSpec",
    "Trigger",
    "assign_at_ingest",
    "assign_by_hand",
    "batch_items",
    "disposition_cases",
    "disposition_service",
    "edit_metadata",
    "end_of_day_utc",
    "engine_service",
    "execution_service",
    "explain",
    "explanation_service",
    "export_csv",
    "extend",
    "file_service",
    "fiscal_year_end",
    "fiscal_year_of",
    "fiscal_year_start",
    "get_series",
    "hold_cases",
    "hold_service",
    "holds_on",
    "next_fiscal_year_start",
    "period_end",
    "plan_cases",
    "plan_service",
    "protect_document",
    "read_log",
    "readable_subset",
    "recompute",
    "record_cases",
    "register_cases",
    "register_service",
    "retain_at_ingest",
    "seed_default_plan",
    "series_code_of",
    "start_export",
    "sync_legal_holds",
    "today_in_japan",
    "tombstone",
    "transfer_service",
]
