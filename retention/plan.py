"""The file plan: record series (文書分類), the rules that assign them at ingest, CSV in and out.

Functions take a ``Session`` and never commit; the caller commits with its audit entry.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import Conflict, InvalidInput, RecordNotFound, csv_text, find_department, unquote_cell
from retention.models import DispositionAction, RecordSeries, SeriesRule, Trigger

CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
DOC_TYPES = ("contract", "invoice", "public", "other")
CSV_COLUMNS = (
    "code",
    "name",
    "name_en",
    "department",
    "period_years",
    "period_months",
    "permanent",
    "trigger",
    "event_field",
    "action",
    "legal_basis",
)
_E = TypeVar("_E", Trigger, DispositionAction)
_TRUE = {"1", "true", "yes", "y", "permanent", "永年", "永久"}
_FALSE = {"", "0", "false", "no", "n"}


class SeriesNotFound(RecordNotFound):
    def __init__(self, code: str) -> None:
        super().__init__(f"no record series {code!r}")
        self.code = code


@dataclass(frozen=True)
class SeriesSpec:
    """A record series as an officer (or a CSV row) states it."""

    code: str
    name: str
    name_en: str | None = None
    department: str | None = None
    period_years: int = 0
    period_months: int = 0
    permanent: bool = False
    trigger: Trigger = Trigger.FISCAL_YEAR_END
    event_field: str | None = None
    action: DispositionAction = DispositionAction.DESTROY
    legal_basis: str | None = None

    def validated(self) -> SeriesSpec:
        if not CODE.fullmatch(self.code or ""):
            raise InvalidInput("code: 1-40 letters, digits, '.', '_' or '-'", field="code")
        if not (self.name or "").strip():
            raise InvalidInput("name: required", field="name")
        if (
            self.period_years < 0
            or self.period_months < 0
            or self.period_years > 100
            or self.period_months > 1200
        ):
            raise InvalidInput("period: years 0-100 and months 0-1200", field="period_years")
        has_period = self.period_years * 12 + self.period_months > 0
        if self.permanent == has_period:
            raise InvalidInput(
                "a series is either permanent or has a period of years or months",
                field="period_years",
            )
        if self.event_field is not None and not re.fullmatch(r"[a-z_]{1,40}", self.event_field):
            raise InvalidInput(
                "event_field: the name of an extracted date field, e.g. term_end",
                field="event_field",
            )
        return replace(self, name=self.name.strip())

    @property
    def period_label(self) -> str:
        return describe_period(self.period_years, self.period_months, self.permanent)


def describe_period(years: int, months: int, permanent: bool) -> str:
    if permanent:
        return "permanent"
    parts = ([f"{years}y"] if years else []) + ([f"{months}m"] if months else [])
    return " ".join(parts)


# The default plan: what a city starts from (codes follow a 大分類-保存年数 pattern).
DEFAULT_SERIES: tuple[SeriesSpec, ...] = (
    SeriesSpec(
        "KEIYAKU-10",
        "契約書",
        "Contracts",
        period_years=10,
        trigger=Trigger.EVENT,
        event_field="term_end",
        legal_basis="契約終了の翌日から10年（民法 §166 の時効を含む）",
    ),
    SeriesSpec(
        "SEIKYU-07",
        "請求書・支払関係書類",
        "Invoices and payments",
        period_years=7,
        legal_basis="電子帳簿保存法・法人税法施行規則 §59（年度末の翌日から7年）",
    ),
    SeriesSpec(
        "KOBUN-01",
        "公文書（1年保存）",
        "Public records (1 year)",
        period_years=1,
        legal_basis="公文書管理条例 別表（1年）",
    ),
    SeriesSpec(
        "KOBUN-03",
        "公文書（3年保存）",
        "Public records (3 years)",
        period_years=3,
        legal_basis="公文書管理条例 別表（3年）",
    ),
    SeriesSpec(
        "KOBUN-05",
        "公文書（5年保存）",
        "Public records (5 years)",
        period_years=5,
        legal_basis="公文書管理条例 別表（5年）",
    ),
    SeriesSpec(
        "KOBUN-10",
        "公文書（10年保存）",
        "Public records (10 years)",
        period_years=10,
        action=DispositionAction.REVIEW,
        legal_basis="公文書管理条例 別表（10年）; 満了時に移管か廃棄かを判断",
    ),
    SeriesSpec(
        "KOBUN-30",
        "公文書（30年保存）",
        "Public records (30 years)",
        period_years=30,
        action=DispositionAction.TRANSFER,
        legal_basis="公文書管理条例 別表（30年）; 歴史公文書として公文書館へ引継ぎ",
    ),
    SeriesSpec(
        "KOBUN-EI",
        "公文書（永年保存）",
        "Public records (permanent)",
        permanent=True,
        action=DispositionAction.TRANSFER,
        legal_basis="条例・規則の原本等",
    ),
)
DEFAULT_RULES: tuple[tuple[str, str], ...] = (
    ("contract", "KEIYAKU-10"),
    ("invoice", "SEIKYU-07"),
    ("public", "KOBUN-05"),
)


def get_series(session: Session, code: str) -> RecordSeries:
    series = session.scalar(select(RecordSeries).where(RecordSeries.code == code))
    if series is None:
        raise SeriesNotFound(code)
    return series


def list_series(session: Session, *, include_inactive: bool = True) -> list[RecordSeries]:
    query = select(RecordSeries).order_by(RecordSeries.code)
    if not include_inactive:
        query = query.where(RecordSeries.active.is_(True))
    return list(session.scalars(query))


def _apply(
    session: Session, series: RecordSeries, spec: SeriesSpec
) -> dict[str, tuple[object, object]]:
    department_id = find_department(session, spec.department).id if spec.department else None
    wanted: dict[str, object] = {
        "name": spec.name,
        "name_en": spec.name_en,
        "department_id": department_id,
        "period_years": spec.period_years,
        "period_months": spec.period_months,
        "permanent": spec.permanent,
        "trigger": spec.trigger,
        "event_field": spec.event_field,
        "action": spec.action,
        "legal_basis": spec.legal_basis,
        "active": True,
    }
    diff: dict[str, tuple[object, object]] = {}
    for name, value in wanted.items():
        before = getattr(series, name)
        if before != value:
            diff[name] = (before, value)
            setattr(series, name, value)
    return diff


DATE_AFFECTING = frozenset({"period_years", "period_months", "permanent", "trigger", "event_field"})


def upsert_series(
    session: Session, spec: SeriesSpec
) -> tuple[RecordSeries, dict[str, tuple[object, object]]]:
    """Create the series or bring it to ``spec``; return it and what changed (``{}`` when nothing)."""
    spec = spec.validated()
    series = session.scalar(select(RecordSeries).where(RecordSeries.code == spec.code))
    created = series is None
    if series is None:
        series = RecordSeries(code=spec.code)
    diff = _apply(
        session, series, spec
    )  # before it is added: its queries must not flush it half-made
    if created:
        session.add(series)
    session.flush()
    if created:
        diff = {"created": (None, spec.code)}
    return series, diff


def create_series(session: Session, spec: SeriesSpec) -> RecordSeries:
    if session.scalar(select(RecordSeries.id).where(RecordSeries.code == spec.code)) is not None:
        raise Conflict(f"record series {spec.code!r} exists already")
    return upsert_series(session, spec)[0]


def spec_of(series: RecordSeries) -> SeriesSpec:
    return SeriesSpec(
        code=series.code,
        name=series.name,
        name_en=series.name_en,
        department=series.department.code if series.department else None,
        period_years=series.period_years,
        period_months=series.period_months,
        permanent=series.permanent,
        trigger=series.trigger,
        event_field=series.event_field,
        action=series.action,
        legal_basis=series.legal_basis,
    )


def seed_default_plan(session: Session, *, created_by: str) -> list[str]:
    """Add the default series and rules that are missing; return the codes added."""
    added = []
    for spec in DEFAULT_SERIES:
        if session.scalar(select(RecordSeries.id).where(RecordSeries.code == spec.code)) is None:
            upsert_series(session, spec)
            added.append(spec.code)
    if not session.scalar(select(SeriesRule.id).limit(1)):
        for doc_type, code in DEFAULT_RULES:
            add_rule(
                session, series_code=code, doc_type=doc_type, created_by=created_by, priority=1000
            )
    return added


def plan_is_empty(session: Session) -> bool:
    return session.scalar(select(RecordSeries.id).limit(1)) is None


# --- rules ------------------------------------------------------------------------------


def add_rule(
    session: Session,
    *,
    series_code: str,
    created_by: str,
    doc_type: str | None = None,
    department: str | None = None,
    title_contains: str | None = None,
    priority: int = 100,
) -> SeriesRule:
    if doc_type is not None and doc_type not in DOC_TYPES:
        raise InvalidInput(f"doc_type must be one of {', '.join(DOC_TYPES)}", field="doc_type")
    if doc_type is None and department is None and not title_contains:
        raise InvalidInput(
            "a rule needs at least one of doc_type, department, title_contains", field="doc_type"
        )
    rule = SeriesRule(
        series=get_series(session, series_code),
        priority=priority,
        doc_type=doc_type,
        department_id=find_department(session, department).id if department else None,
        title_contains=title_contains or None,
        created_by=created_by,
    )
    session.add(rule)
    session.flush()
    return rule


def list_rules(session: Session) -> list[SeriesRule]:
    return list(session.scalars(select(SeriesRule).order_by(SeriesRule.priority, SeriesRule.id)))


def delete_rule(session: Session, rule_id: int) -> SeriesRule:
    rule = session.get(SeriesRule, rule_id)
    if rule is None:
        raise RecordNotFound(f"no rule {rule_id}")
    session.delete(rule)
    session.flush()
    return rule


def matching_rule(
    session: Session, *, doc_type: str, department_lineage: Sequence[int], title: str
) -> SeriesRule | None:
    """The first rule (by priority) that fits a document, among rules of active series."""
    for rule in list_rules(session):
        if not rule.series.active:
            continue
        if rule.doc_type is not None and rule.doc_type != doc_type:
            continue
        if rule.department_id is not None and rule.department_id not in department_lineage:
            continue
        if rule.title_contains and rule.title_contains not in title:
            continue
        return rule
    return None


# --- CSV --------------------------------------------------------------------------------


def export_csv(series: Iterable[RecordSeries]) -> str:
    return csv_text(CSV_COLUMNS, (_plan_row(spec_of(row)) for row in series))


def _plan_row(spec: SeriesSpec) -> list[object]:
    return [
        spec.code,
        spec.name,
        spec.name_en,
        spec.department,
        spec.period_years,
        spec.period_months,
        "true" if spec.permanent else "false",
        spec.trigger.value,
        spec.event_field,
        spec.action.value,
        spec.legal_basis,
    ]


def _cell_int(row: dict[str, str], name: str, line: int) -> int:
    raw = (row.get(name) or "").strip()
    try:
        return int(raw) if raw else 0
    except ValueError:
        raise InvalidInput(
            f"line {line}, {name}: {raw!r} is not a whole number", field=name
        ) from None


def _cell_enum(kind: type[_E], row: dict[str, str], name: str, line: int, default: _E) -> _E:
    raw = (row.get(name) or "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise InvalidInput(
            f"line {line}, {name}: {raw!r} is not one of {allowed}", field=name
        ) from None


def parse_csv(text: str) -> list[SeriesSpec]:
    """Read a plan CSV (header row with ``CSV_COLUMNS``; a UTF-8 BOM is fine); errors name the line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
        rows = list(reader)
    except csv.Error as exc:
        raise InvalidInput(f"plan CSV is malformed: {exc}", field="csv") from None
    missing = [c for c in ("code", "name") if c not in header]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if missing or unknown:
        problem = f"missing columns {missing}" if missing else f"unknown columns {unknown}"
        raise InvalidInput(
            f"plan CSV header: {problem}; expected {', '.join(CSV_COLUMNS)}", field="csv"
        )
    specs: list[SeriesSpec] = []
    seen: set[str] = set()
    for line, raw in enumerate(rows, start=2):
        if None in raw:
            raise InvalidInput(f"line {line}: more cells than columns", field="csv")
        row = {k.strip(): unquote_cell(v or "") for k, v in raw.items()}
        permanent_raw = row.get("permanent", "").strip().lower()
        if permanent_raw not in _TRUE | _FALSE:
            raise InvalidInput(
                f"line {line}, permanent: {permanent_raw!r} is not true or false", field="permanent"
            )
        spec = SeriesSpec(
            code=row.get("code", "").strip(),
            name=row.get("name", ""),
            name_en=row.get("name_en", "").strip() or None,
            department=row.get("department", "").strip() or None,
            period_years=_cell_int(row, "period_years", line),
            period_months=_cell_int(row, "period_months", line),
            permanent=permanent_raw in _TRUE,
            trigger=_cell_enum(Trigger, row, "trigger", line, Trigger.FISCAL_YEAR_END),
            event_field=row.get("event_field", "").strip() or None,
            action=_cell_enum(DispositionAction, row, "action", line, DispositionAction.DESTROY),
            legal_basis=row.get("legal_basis", "").strip() or None,
        )
        try:
            spec = spec.validated()
        except InvalidInput as exc:
            raise InvalidInput(f"line {line}, {exc}", field=exc.field) from None
        if spec.code in seen:
            raise InvalidInput(f"line {line}: series {spec.code!r} appears twice", field="code")
        seen.add(spec.code)
        specs.append(spec)
    if not specs:
        raise InvalidInput("plan CSV has no rows", field="csv")
    return specs


SPEC_FIELDS = tuple(f.name for f in fields(SeriesSpec))
