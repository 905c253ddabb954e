"""Annual statistics of one fiscal year: by requester type, decision, department; days taken; extensions."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import csv_text
from disclosure.models import DisclosureRequest
from retention import fiscal_year_end, fiscal_year_start


def annual_rows(session: Session, fiscal_year: int) -> list[tuple[str, str, float]]:
    """``(dimension, value, figure)`` rows for requests received in ``fiscal_year``."""
    requests = list(
        session.scalars(
            select(DisclosureRequest).where(
                DisclosureRequest.received_on >= fiscal_year_start(fiscal_year),
                DisclosureRequest.received_on <= fiscal_year_end(fiscal_year),
            )
        )
    )
    rows: list[tuple[str, str, float]] = [("total", "requests", len(requests))]
    for dimension, values in (
        ("requester_type", Counter(r.requester_type for r in requests)),
        ("decision", Counter(r.decision or "undecided" for r in requests)),
        ("department", Counter(r.department.code if r.department else "—" for r in requests)),
        ("state", Counter(r.state.value for r in requests)),
    ):
        rows += [(dimension, value, count) for value, count in sorted(values.items())]
    days = [(r.decided_on - r.received_on).days for r in requests if r.decided_on]
    rows.append(("days_to_decision", "mean", round(sum(days) / len(days), 1) if days else 0))
    rows.append(("days_to_decision", "max", max(days) if days else 0))
    rows.append(("extensions", "requests_extended", sum(1 for r in requests if r.extended_days)))
    rows.append(("extensions", "days_total", sum(r.extended_days for r in requests)))
    return rows


def annual_csv(session: Session, fiscal_year: int) -> str:
    rows = ([fiscal_year, *row] for row in annual_rows(session, fiscal_year))
    return csv_text(["fiscal_year", "dimension", "value", "figure"], rows)
