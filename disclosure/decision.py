"""The decision on a request: five outcomes, and the rule that every redaction cites a legal ground."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive import InvalidInput
from disclosure.errors import InvalidTransition
from disclosure.models import DisclosureRequest, RedactionStatus, RequestState
from disclosure.profiles import DEFAULT_TERMS, load_profile
from disclosure.records import records_of, redactions_of
from disclosure.requests import move, one_year_after
from retention import fiscal_year_of, fiscal_year_start


class Decision(enum.StrEnum):
    """The five outcomes of a request (開示決定等)."""

    FULL = "full"
    PARTIAL = "partial"
    NON_DISCLOSURE = "non_disclosure"
    NO_RECORDS = "no_records"
    NEITHER_CONFIRM_NOR_DENY = "neither_confirm_nor_deny"


DECISIONS = {kind: DEFAULT_TERMS[kind] for kind in Decision}
RELEASING = frozenset({Decision.FULL, Decision.PARTIAL})


def decide(
    session: Session,
    request: DisclosureRequest,
    *,
    decision: str,
    reason: str,
    decided_on: date,
    actor: str,
) -> None:
    """Issue the decision; the records stay held until one year after ``decided_on``."""
    if decision not in DECISIONS:
        raise InvalidInput(f"decision must be one of {', '.join(DECISIONS)}", field="decision")
    if request.state != RequestState.REVIEWING:
        raise InvalidTransition(
            f"a {request.state.value} request cannot be decided (review it first)"
        )
    if decision != Decision.FULL and not reason.strip():
        raise InvalidInput(
            "a decision that withholds anything must give its reason", field="reason"
        )
    records = records_of(session, request.id)
    redactions = redactions_of(session, [r.id for r in records])
    pending = [r for r in redactions if r.status == RedactionStatus.PROPOSED]
    if pending:
        raise InvalidTransition(
            f"{len(pending)} proposed redactions wait for acceptance or rejection"
        )
    accepted = [r for r in redactions if r.status == RedactionStatus.ACCEPTED]
    grounds = load_profile(request.profile).grounds
    groundless = sorted({r.category for r in accepted if r.category not in grounds})
    if groundless:
        raise InvalidTransition(
            f"redactions without a legal ground in {request.profile}: {', '.join(groundless)}"
        )
    if decision in RELEASING and not records:
        raise InvalidTransition("a disclosure decision needs responsive records")
    if decision == Decision.FULL and accepted:
        raise InvalidTransition(
            f"full disclosure, yet {len(accepted)} redactions are accepted: decide partial"
        )
    if decision == Decision.PARTIAL and not accepted:
        raise InvalidTransition("partial disclosure needs at least one accepted redaction")
    if decided_on < request.received_on:
        raise InvalidInput("the decision cannot precede the request", field="decided_on")
    request.decision, request.decision_reason, request.decided_on = (
        decision,
        reason.strip(),
        decided_on,
    )
    request.hold_until = one_year_after(decided_on)
    request.notice_number = _notice_number(session, request)
    move(session, request, RequestState.DECIDED, actor=actor, note=f"{decision}: {reason.strip()}")


def _notice_number(session: Session, request: DisclosureRequest) -> str:
    """The next number of the deciding department's sequence for the fiscal year: 大市総第12号."""
    assert request.decided_on is not None
    year = fiscal_year_of(request.decided_on)
    issued = session.scalar(
        select(func.count(DisclosureRequest.id)).where(
            DisclosureRequest.department_id.is_(None)
            if request.department_id is None
            else DisclosureRequest.department_id == request.department_id,
            DisclosureRequest.notice_number.is_not(None),
            DisclosureRequest.decided_on >= fiscal_year_start(year),
            DisclosureRequest.decided_on < fiscal_year_start(year + 1),
        )
    )
    profile = load_profile(request.profile)
    department = request.department
    symbol = (
        profile.department_symbols.get(department.code, department.name[:1]) if department else ""
    )
    return f"{profile.document_symbol}{symbol}第{(issued or 0) + 1}号"


def grounds_used(session: Session, request: DisclosureRequest) -> dict[str, str]:
    """The categories of the accepted redactions, each with its legal ground (for the notice)."""
    records = records_of(session, request.id)
    grounds = load_profile(request.profile).grounds
    used = sorted(
        {
            r.category
            for r in redactions_of(
                session, [r.id for r in records], status=RedactionStatus.ACCEPTED
            )
        }
    )
    return {category: grounds.get(category, "") for category in used}
