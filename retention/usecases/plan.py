"""The file plan as operations: series and rules changed, the plan seeded, exported, imported."""

from __future__ import annotations

from dataclasses import asdict, replace

from sqlalchemy.orm import Session

from archive import Actor, InvalidInput, record
from retention import engine, plan
from retention.models import RecordSeries, SeriesRule

CREATE_SERIES = "retention.series.create"
UPDATE_SERIES = "retention.series.update"
SEED_DEFAULTS = "retention.series.defaults"
EXPORT_PLAN = "retention.series.export"
IMPORT_PLAN = "retention.series.import"
ADD_RULE = "retention.rule.add"
DELETE_RULE = "retention.rule.delete"
PLAN_CSV_LIMIT = 5 * 1024 * 1024


def create_series(session: Session, spec: plan.SeriesSpec, *, actor: Actor) -> RecordSeries:
    """Add a record series (``Conflict`` if the code exists)."""
    series = plan.create_series(session, spec)
    record(session, actor=actor, action=CREATE_SERIES, target=series.code, detail=asdict(spec))
    return series


def _upsert(session: Session, spec: plan.SeriesSpec) -> tuple[RecordSeries, dict[str, object], int]:
    series, diff = plan.upsert_series(session, spec)
    moved = engine.recompute_series(session, series.id) if plan.DATE_AFFECTING & diff.keys() else 0
    return series, dict(diff), moved


def update_series(
    session: Session, code: str, spec: plan.SeriesSpec, *, actor: Actor
) -> tuple[RecordSeries, int]:
    """Change the series ``code``; its records' dates are recomputed when its period or trigger
    changed. Return it and how many records got new dates."""
    plan.get_series(session, code)
    series, diff, moved = _upsert(session, replace(spec, code=code))
    record(
        session,
        actor=actor,
        action=UPDATE_SERIES,
        target=code,
        detail={"changes": diff, "recomputed": moved},
    )
    return series, moved


def seed_defaults(session: Session, *, actor: Actor) -> list[str]:
    """Add the default plan's series and rules that are missing; return the codes added."""
    added = plan.seed_default_plan(session, created_by=actor.name)
    record(session, actor=actor, action=SEED_DEFAULTS, detail={"added": added})
    return added


def export_plan(session: Session, *, actor: Actor) -> str:
    """The file plan as CSV (the columns ``import_plan`` reads)."""
    text = plan.export_csv(plan.list_series(session))
    record(session, actor=actor, action=EXPORT_PLAN)
    return text


def _decode(raw: bytes) -> str:
    if len(raw) > PLAN_CSV_LIMIT:
        raise InvalidInput("the plan CSV is larger than 5 MiB", field="csv", status=413)
    for encoding in ("utf-8", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("the plan CSV is neither UTF-8 nor Shift_JIS", field="csv")


def import_plan(session: Session, raw: bytes, *, actor: Actor) -> list[tuple[RecordSeries, int]]:
    """Create or update the series of a plan CSV (UTF-8 or Shift_JIS, every row checked before
    any is applied); return each series and how many of its records got new dates."""
    specs = plan.parse_csv(_decode(raw))
    changes = [_upsert(session, spec) for spec in specs]
    record(
        session,
        actor=actor,
        action=IMPORT_PLAN,
        detail={"rows": len(specs), "codes": [s.code for s in specs]},
    )
    return [(series, moved) for series, _, moved in changes]


def add_rule(
    session: Session,
    *,
    actor: Actor,
    series: str,
    doc_type: str | None = None,
    department: str | None = None,
    title_contains: str | None = None,
    priority: int = 100,
) -> SeriesRule:
    """Add an assignment rule: documents of this type / department / title go to ``series``."""
    rule = plan.add_rule(
        session,
        series_code=series,
        doc_type=doc_type,
        department=department,
        title_contains=title_contains,
        priority=priority,
        created_by=actor.name,
    )
    detail = {
        "series": series,
        "doc_type": doc_type,
        "department": department,
        "title_contains": title_contains,
        "priority": priority,
    }
    record(session, actor=actor, action=ADD_RULE, target=str(rule.id), detail=detail)
    return rule


def delete_rule(session: Session, rule_id: int, *, actor: Actor) -> SeriesRule:
    rule = plan.delete_rule(session, rule_id)
    record(
        session,
        actor=actor,
        action=DELETE_RULE,
        target=str(rule_id),
        detail={"series": rule.series.code},
    )
    return rule
