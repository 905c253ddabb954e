"""``/api/v1/disclosure``: requests, their states, deadlines, dashboard and statistics (disclosure officers)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from archive import Permission, Principal
from disclosure import DEFAULT_PROFILE, Consultation, DisclosureRequest, RequestState
from disclosure import consultation_service as consultations
from disclosure import request_cases as cases
from disclosure import request_service as svc
from retention import today_in_japan
from web.deps import SessionDep, require
from web.schemas import FiscalYear, RecordId
from web.streaming import CsvResponse

router = APIRouter(prefix="/api/v1/disclosure", tags=["disclosure"])
Officer = Annotated[Principal, Depends(require(Permission.DISCLOSURE))]


class RequestIn(BaseModel):
    requester_name: str = Field(max_length=200)
    requester_contact: str = Field("", max_length=2000)
    requester_type: str = Field(description="individual, company, press or other")
    records_sought: str = Field(max_length=20000)
    channel: str = Field(description="counter, mail, fax or online")
    received_on: date
    department: str | None = None
    officer: str | None = None
    profile: str = DEFAULT_PROFILE


class EventOut(BaseModel):
    at: str
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    note: str | None


class RequestOut(BaseModel):
    id: str
    number: str
    profile: str
    requester_name: str
    requester_contact: str
    requester_type: str
    records_sought: str
    channel: str
    received_on: date
    department: str | None
    officer: str | None
    state: str
    due_on: date
    extended_days: int
    third_party_objection: bool
    decision: str | None
    decided_on: date | None
    hold_until: date | None
    events: list[EventOut] = []


def request_out(request: DisclosureRequest, events: list[EventOut] | None = None) -> RequestOut:
    return RequestOut(
        id=request.id,
        number=request.number,
        profile=request.profile,
        requester_name=request.requester_name,
        requester_contact=request.requester_contact,
        requester_type=request.requester_type,
        records_sought=request.records_sought,
        channel=request.channel,
        received_on=request.received_on,
        department=request.department.code if request.department else None,
        officer=request.officer,
        state=request.state.value,
        due_on=request.due_on,
        extended_days=request.extended_days,
        third_party_objection=request.third_party_objection,
        decision=request.decision,
        decided_on=request.decided_on,
        hold_until=request.hold_until,
        events=events or [],
    )


def _full(session: SessionDep, request: DisclosureRequest) -> RequestOut:
    events = [
        EventOut(
            at=e.at.isoformat(),
            actor=e.actor,
            action=e.action,
            from_state=e.from_state,
            to_state=e.to_state,
            note=e.note,
        )
        for e in svc.events(session, request.id)
    ]
    return request_out(request, events)


@router.post("/requests", response_model=RequestOut, status_code=201)
def create(body: RequestIn, session: SessionDep, officer: Officer) -> RequestOut:
    """Record a received request; its due date follows from the profile."""
    request = cases.create(session, svc.NewRequest(**body.model_dump()), actor=officer.actor)
    session.commit()
    return _full(session, request)


@router.get("/requests", response_model=list[RequestOut])
def index(
    session: SessionDep, officer: Officer, state: RequestState | None = None
) -> list[RequestOut]:
    return [request_out(r) for r in svc.list_requests(session, state=state)]


@router.get("/requests/{request_id}", response_model=RequestOut)
def show(request_id: str, session: SessionDep, officer: Officer) -> RequestOut:
    request = cases.view(session, request_id, actor=officer.actor)
    session.commit()
    return _full(session, request)


class StepIn(BaseModel):
    state: str = Field(description="searching, reviewing, withdrawn or closed")
    note: str | None = Field(None, max_length=4000)


@router.post("/requests/{request_id}/state", response_model=RequestOut)
def change_state(
    request_id: str, body: StepIn, session: SessionDep, officer: Officer
) -> RequestOut:
    """Move the request on by hand; out of order answers 409."""
    request = svc.get_request(session, request_id)
    cases.change_state(session, request, body.state, actor=officer.actor, note=body.note)
    session.commit()
    return _full(session, request)


class ExtendIn(BaseModel):
    days: int
    reason: str = Field(max_length=4000)


@router.post("/requests/{request_id}/extend", response_model=RequestOut)
def extend(request_id: str, body: ExtendIn, session: SessionDep, officer: Officer) -> RequestOut:
    """Extend the decision period; past the profile's maximum answers 409."""
    request = svc.get_request(session, request_id)
    cases.extend(session, request, days=body.days, reason=body.reason, actor=officer.actor)
    session.commit()
    return _full(session, request)


class PauseIn(BaseModel):
    on: date
    reason: str = Field("補正", max_length=4000)


@router.post("/requests/{request_id}/pause", response_model=RequestOut)
def pause(request_id: str, body: PauseIn, session: SessionDep, officer: Officer) -> RequestOut:
    """Stop the clock while the requester corrects the request (補正)."""
    request = svc.get_request(session, request_id)
    cases.pause(session, request, on=body.on, reason=body.reason, actor=officer.actor)
    session.commit()
    return _full(session, request)


@router.post("/requests/{request_id}/resume", response_model=RequestOut)
def resume(request_id: str, body: PauseIn, session: SessionDep, officer: Officer) -> RequestOut:
    """Run the clock again; the due date moves by the paused days."""
    request = svc.get_request(session, request_id)
    cases.resume(session, request, on=body.on, actor=officer.actor)
    session.commit()
    return _full(session, request)


class ConsultIn(BaseModel):
    third_party: str = Field(max_length=200)
    sent_on: date
    answer_due_on: date
    note: str = Field("", max_length=4000)


class AnswerIn(BaseModel):
    answered_on: date
    objected: bool


class ConsultationOut(BaseModel):
    id: int
    third_party: str
    sent_on: date
    answer_due_on: date
    answered_on: date | None
    objected: bool | None
    note: str


def _consultation_out(row: Consultation) -> ConsultationOut:
    return ConsultationOut(
        id=row.id,
        third_party=row.third_party,
        sent_on=row.sent_on,
        answer_due_on=row.answer_due_on,
        answered_on=row.answered_on,
        objected=row.objected,
        note=row.note,
    )


@router.get("/requests/{request_id}/consultations", response_model=list[ConsultationOut])
def list_consultations(
    request_id: str, session: SessionDep, officer: Officer
) -> list[ConsultationOut]:
    return [
        _consultation_out(c)
        for c in consultations.consultations_of(session, svc.get_request(session, request_id).id)
    ]


@router.post(
    "/requests/{request_id}/consultations", response_model=ConsultationOut, status_code=201
)
def consult(
    request_id: str, body: ConsultIn, session: SessionDep, officer: Officer
) -> ConsultationOut:
    """Record a third-party consultation (第三者意見照会) sent, with the day its answer is due."""
    request = svc.get_request(session, request_id)
    row = cases.consult(session, request, actor=officer.actor, **body.model_dump())
    session.commit()
    return _consultation_out(row)


@router.post(
    "/requests/{request_id}/consultations/{consultation_id}/answer", response_model=ConsultationOut
)
def answer(
    request_id: str,
    consultation_id: RecordId,
    body: AnswerIn,
    session: SessionDep,
    officer: Officer,
) -> ConsultationOut:
    """Record the answer; an objection makes release wait after the decision."""
    request = svc.get_request(session, request_id)
    row = cases.answer(
        session,
        request,
        consultation_id,
        answered_on=body.answered_on,
        objected=body.objected,
        actor=officer.actor,
    )
    session.commit()
    return _consultation_out(row)


class DashboardOut(BaseModel):
    today: date
    due_this_week: list[RequestOut]
    overdue: list[RequestOut]
    by_department: dict[str, dict[str, int]]


@router.get("/dashboard", response_model=DashboardOut)
def dashboard(session: SessionDep, officer: Officer, today: date | None = None) -> DashboardOut:
    board = svc.dashboard(session, today=today or today_in_japan())
    return DashboardOut(
        today=board.today,
        due_this_week=[request_out(r) for r in board.due_this_week],
        overdue=[request_out(r) for r in board.overdue],
        by_department=board.by_department,
    )


@router.get("/statistics.csv", response_class=CsvResponse)
def statistics(session: SessionDep, officer: Officer, fiscal_year: FiscalYear) -> Response:
    """Annual statistics of requests received in ``fiscal_year``."""
    body = cases.statistics(session, fiscal_year, actor=officer.actor)
    session.commit()
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="disclosure-{fiscal_year}.csv"'},
    )
