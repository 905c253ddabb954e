"""Requests: intake, states, extensions, tolling, dashboard. Services take a session and never commit.

    received → searching → reviewing → decided → released → closed
        └──────────┴────────────┴→ withdrawn          decided → closed (nothing to release)

``decided`` is reached only through ``disclosure.decision.decide`` and ``released`` through
``disclosure.release.release``; every change is a ``RequestEvent`` (who, when, from, to).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive import Department, EventType, InvalidInput, RecordNotFound, emit, find_department
from disclosure.deadlines import due_date
from disclosure.errors import InvalidTransition
from disclosure.models import DisclosureRequest, RequestEvent, RequestState, Tolling
from disclosure.profiles import DEFAULT_PROFILE, load_profile
from retention import fiscal_year_of, today_in_japan

REQUESTER_TYPES = ("individual", "company", "press", "other")
CHANNELS = ("counter", "mail", "fax", "online")
OPEN_STATES = frozenset({RequestState.RECEIVED, RequestState.SEARCHING, RequestState.REVIEWING})
_NEXT: dict[RequestState, frozenset[RequestState]] = {
    RequestState.RECEIVED: frozenset({RequestState.SEARCHING, RequestState.WITHDRAWN}),
    RequestState.SEARCHING: frozenset({RequestState.REVIEWING, RequestState.WITHDRAWN}),
    RequestState.REVIEWING: frozenset(
        {RequestState.SEARCHING, RequestState.DECIDED, RequestState.WITHDRAWN}
    ),
    RequestState.DECIDED: frozenset({RequestState.RELEASED, RequestState.CLOSED}),
    RequestState.RELEASED: frozenset({RequestState.CLOSED}),
    RequestState.CLOSED: frozenset(),
    RequestState.WITHDRAWN: frozenset(),
}
MANUAL_STEPS = frozenset(
    {RequestState.SEARCHING, RequestState.REVIEWING, RequestState.WITHDRAWN, RequestState.CLOSED}
)


@dataclass(frozen=True)
class NewRequest:
    requester_name: str
    requester_type: str
    records_sought: str
    channel: str
    received_on: date
    requester_contact: str = ""
    department: str | None = None
    officer: str | None = None
    profile: str = DEFAULT_PROFILE


def create_request(session: Session, spec: NewRequest, *, actor: str) -> DisclosureRequest:
    """Record a received request and its first due date."""
    if not spec.requester_name.strip():
        raise InvalidInput("the requester's name is required", field="requester_name")
    if not spec.records_sought.strip():
        raise InvalidInput("say which records are sought", field="records_sought")
    if spec.requester_type not in REQUESTER_TYPES:
        raise InvalidInput(
            f"requester_type must be one of {', '.join(REQUESTER_TYPES)}", field="requester_type"
        )
    if spec.channel not in CHANNELS:
        raise InvalidInput(f"channel must be one of {', '.join(CHANNELS)}", field="channel")
    profile = load_profile(spec.profile)
    department = find_department(session, spec.department) if spec.department else None
    year = fiscal_year_of(spec.received_on)
    count = (
        session.scalar(
            select(func.count(DisclosureRequest.id)).where(
                DisclosureRequest.number.like(f"{year}-%")
            )
        )
        or 0
    )
    request = DisclosureRequest(
        number=f"{year}-{count + 1:04d}",
        profile=profile.code,
        requester_name=spec.requester_name.strip(),
        requester_contact=spec.requester_contact.strip(),
        requester_type=spec.requester_type,
        records_sought=spec.records_sought.strip(),
        channel=spec.channel,
        received_on=spec.received_on,
        department_id=department.id if department else None,
        officer=spec.officer or actor,
        state=RequestState.RECEIVED,
        due_on=due_date(profile, spec.received_on),
        created_by=actor,
    )
    session.add(request)
    session.flush()
    _event(session, request, actor, "received", None, RequestState.RECEIVED)
    return request


def departments(session: Session) -> list[Department]:
    """The departments a request can be assigned to, in the order of the organisation chart."""
    return list(session.scalars(select(Department).order_by(Department.path, Department.code)))


def get_request(session: Session, request_id: str) -> DisclosureRequest:
    request = session.get(DisclosureRequest, request_id)
    if request is None:
        raise RecordNotFound(f"no disclosure request {request_id}")
    return request


def list_requests(session: Session, *, state: str | None = None) -> list[DisclosureRequest]:
    query = select(DisclosureRequest).order_by(DisclosureRequest.due_on, DisclosureRequest.number)
    if state:
        query = query.where(DisclosureRequest.state == RequestState(state))
    return list(session.scalars(query))


def events(session: Session, request_id: str) -> list[RequestEvent]:
    return list(
        session.scalars(
            select(RequestEvent)
            .where(RequestEvent.request_id == request_id)
            .order_by(RequestEvent.id)
        )
    )


_PUBLISHED = {
    RequestState.RECEIVED: EventType.DISCLOSURE_RECEIVED,
    RequestState.DECIDED: EventType.DISCLOSURE_DECIDED,
    RequestState.RELEASED: EventType.DISCLOSURE_RELEASED,
}
"""States the other systems hear of (an e-application portal tracking its requests)."""


def _event(
    session: Session,
    request: DisclosureRequest,
    actor: str,
    action: str,
    before: RequestState | None,
    after: RequestState | None,
    note: str | None = None,
) -> None:
    session.add(
        RequestEvent(
            request_id=request.id,
            actor=actor,
            action=action,
            from_state=before.value if before else None,
            to_state=after.value if after else None,
            note=note,
        )
    )
    if after in _PUBLISHED and after != before:
        emit(session, _PUBLISHED[after], request_id=request.id, number=request.number)
    session.flush()


def move(
    session: Session,
    request: DisclosureRequest,
    to: RequestState,
    *,
    actor: str,
    note: str | None = None,
) -> None:
    """Change state if the workflow allows it (``InvalidTransition``, a 409, otherwise)."""
    if to not in _NEXT[request.state]:
        raise InvalidTransition(f"a {request.state.value} request cannot become {to.value}")
    before = request.state
    request.state = to
    if to == RequestState.WITHDRAWN:
        # 施行令 §9: the records stay held a year after the request ends, decided or not.
        request.hold_until = one_year_after(today_in_japan())
    _event(session, request, actor, to.value, before, to, note)


def next_steps(request: DisclosureRequest) -> list[RequestState]:
    """The states an officer may move the request to by hand now (the page shows only these)."""
    return [
        state for state in RequestState if state in _NEXT[request.state] and state in MANUAL_STEPS
    ]


def step(
    session: Session, request: DisclosureRequest, to: str, *, actor: str, note: str | None = None
) -> None:
    """A state change an officer makes by hand (searching, reviewing, withdrawn, closed)."""
    try:
        target = RequestState(to)
    except ValueError:
        raise InvalidInput(f"unknown state {to!r}", field="state") from None
    if target not in MANUAL_STEPS:
        raise InvalidTransition(
            f"{target.value} is reached by its own action (decide, release), not by a step"
        )
    move(session, request, target, actor=actor, note=note)


def tollings(session: Session, request_id: str) -> list[Tolling]:
    return list(
        session.scalars(
            select(Tolling).where(Tolling.request_id == request_id).order_by(Tolling.start_on)
        )
    )


def recompute_due(
    session: Session, request: DisclosureRequest, *, as_of: date | None = None
) -> date:
    profile = load_profile(request.profile)
    pauses = [(t.start_on, t.end_on) for t in tollings(session, request.id)]
    request.due_on = due_date(
        profile,
        request.received_on,
        extended_days=request.extended_days,
        pauses=pauses,
        as_of=as_of,
    )
    return request.due_on


def extend(
    session: Session, request: DisclosureRequest, *, days: int, reason: str, actor: str
) -> date:
    """Extend the period by ``days`` (up to the profile's maximum in total); return the new due date."""
    if request.state not in OPEN_STATES:
        raise InvalidTransition("only an undecided request can be extended")
    if not reason.strip():
        raise InvalidInput(
            "an extension needs a reason (it is told to the requester)", field="reason"
        )
    if days <= 0:
        raise InvalidInput("days must be positive", field="days")
    profile = load_profile(request.profile)
    if request.extended_days + days > profile.extension_max_days:
        raise InvalidTransition(
            f"{profile.name} allows at most {profile.extension_max_days} days of extension "
            f"({request.extended_days} used)"
        )
    request.extended_days += days
    request.extension_reason = reason.strip()
    due = recompute_due(session, request)
    _event(
        session, request, actor, "extended", None, None, f"+{days} days → {due}: {reason.strip()}"
    )
    return due


def pause(
    session: Session, request: DisclosureRequest, *, start_on: date, reason: str, actor: str
) -> Tolling:
    """Stop the clock (補正を求めた日から)."""
    if request.state not in OPEN_STATES:
        raise InvalidTransition("only an undecided request's clock can be paused")
    if any(t.end_on is None for t in tollings(session, request.id)):
        raise InvalidTransition("the clock is paused already")
    if start_on < request.received_on:
        raise InvalidInput("a pause cannot start before the request was received", field="start_on")
    tolling = Tolling(request_id=request.id, start_on=start_on, reason=reason.strip() or "補正")
    session.add(tolling)
    session.flush()
    _event(session, request, actor, "paused", None, None, f"from {start_on}: {tolling.reason}")
    return tolling


def resume(session: Session, request: DisclosureRequest, *, end_on: date, actor: str) -> date:
    """Run the clock again (補正のあった日); the due date moves by the paused days."""
    open_pause = next((t for t in tollings(session, request.id) if t.end_on is None), None)
    if open_pause is None:
        raise InvalidTransition("the clock is not paused")
    if end_on < open_pause.start_on:
        raise InvalidInput("the clock cannot run again before it stopped", field="end_on")
    open_pause.end_on = end_on
    due = recompute_due(session, request)
    _event(session, request, actor, "resumed", None, None, f"on {end_on}; due {due}")
    return due


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@dataclass
class Dashboard:
    today: date
    due_this_week: list[DisclosureRequest] = field(default_factory=list)
    overdue: list[DisclosureRequest] = field(default_factory=list)
    by_department: dict[str, dict[str, int]] = field(default_factory=dict)


def dashboard(session: Session, *, today: date) -> Dashboard:
    """Open requests due within seven days, those past due, and counts per department and state."""
    board = Dashboard(today)
    for request in list_requests(session):
        label = request.department.code if request.department else "—"
        counts = board.by_department.setdefault(label, {})
        counts[request.state.value] = counts.get(request.state.value, 0) + 1
        if request.state not in OPEN_STATES:
            continue
        if request.due_on < today:
            board.overdue.append(request)
        elif request.due_on <= today + timedelta(days=6):
            board.due_this_week.append(request)
    return board
