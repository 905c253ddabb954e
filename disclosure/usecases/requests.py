"""A disclosure request's workflow as operations: received, viewed, moved on, extended,
paused and resumed, third parties consulted; the annual statistics."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from archive import Actor, record
from disclosure import consultations, stats
from disclosure import requests as svc
from disclosure.models import Consultation, DisclosureRequest

CREATE = "disclosure.request.create"
VIEW = "disclosure.request.view"
STATE = "disclosure.request.state"
EXTEND = "disclosure.request.extend"
PAUSE = "disclosure.request.pause"
RESUME = "disclosure.request.resume"
CONSULT = "disclosure.consultation.send"
ANSWER = "disclosure.consultation.answer"
STATISTICS = "disclosure.statistics"


def create(session: Session, spec: svc.NewRequest, *, actor: Actor) -> DisclosureRequest:
    """Record a received request; its due date follows from the profile."""
    request = svc.create_request(session, spec, actor=actor.name)
    record(
        session,
        actor=actor,
        action=CREATE,
        target=request.id,
        detail={"number": request.number, "profile": request.profile, "due_on": request.due_on},
    )
    return request


def view(session: Session, request_id: str, *, actor: Actor) -> DisclosureRequest:
    """The request, its reading recorded (it holds personal data)."""
    request = svc.get_request(session, request_id)
    record(session, actor=actor, action=VIEW, target=request.id)
    return request


def change_state(
    session: Session, request: DisclosureRequest, to: str, *, actor: Actor, note: str | None
) -> None:
    """Move the request on by hand (searching, reviewing, withdrawn, closed)."""
    before = request.state.value
    svc.step(session, request, to, actor=actor.name, note=note)
    detail = {"from": before, "to": request.state.value}
    record(session, actor=actor, action=STATE, target=request.id, detail=detail)


def extend(
    session: Session, request: DisclosureRequest, *, days: int, reason: str, actor: Actor
) -> None:
    """Extend the decision period (up to the profile's maximum)."""
    svc.extend(session, request, days=days, reason=reason, actor=actor.name)
    detail = {"days": days, "due_on": request.due_on}
    record(session, actor=actor, action=EXTEND, target=request.id, detail=detail)


def pause(
    session: Session, request: DisclosureRequest, *, on: date, reason: str, actor: Actor
) -> None:
    """Stop the clock while the requester corrects the request (補正)."""
    svc.pause(session, request, start_on=on, reason=reason, actor=actor.name)
    record(session, actor=actor, action=PAUSE, target=request.id, detail={"on": on})


def resume(session: Session, request: DisclosureRequest, *, on: date, actor: Actor) -> None:
    """Run the clock again; the due date moves by the paused days."""
    svc.resume(session, request, end_on=on, actor=actor.name)
    detail = {"on": on, "due_on": request.due_on}
    record(session, actor=actor, action=RESUME, target=request.id, detail=detail)


def consult(
    session: Session,
    request: DisclosureRequest,
    *,
    third_party: str,
    sent_on: date,
    answer_due_on: date,
    note: str,
    actor: Actor,
) -> Consultation:
    """Record a third-party consultation (第三者意見照会) sent, with the day its answer is due."""
    row = consultations.consult(
        session,
        request,
        third_party=third_party,
        sent_on=sent_on,
        answer_due_on=answer_due_on,
        note=note,
        actor=actor.name,
    )
    detail = {"consultation": row.id, "sent_on": row.sent_on, "answer_due_on": row.answer_due_on}
    record(session, actor=actor, action=CONSULT, target=request.id, detail=detail)
    return row


def answer(
    session: Session,
    request: DisclosureRequest,
    consultation_id: int,
    *,
    answered_on: date,
    objected: bool,
    actor: Actor,
) -> Consultation:
    """Record a third party's answer; an objection makes release wait after the decision."""
    row = consultations.answer(
        session,
        request,
        consultation_id,
        answered_on=answered_on,
        objected=objected,
        actor=actor.name,
    )
    detail = {"consultation": row.id, "objected": objected}
    record(session, actor=actor, action=ANSWER, target=request.id, detail=detail)
    return row


def statistics(session: Session, fiscal_year: int, *, actor: Actor) -> str:
    """The annual statistics of requests received in ``fiscal_year``, as CSV."""
    body = stats.annual_csv(session, fiscal_year)
    record(session, actor=actor, action=STATISTICS, detail={"fiscal_year": fiscal_year})
    return body
