"""Third-party consultations (第三者意見照会): each with its own dates, and the release wait they cause.

When any consulted third party objects, release waits until ``third_party_wait_days`` after the
decision (the time the party has to go to court). The request's ``third_party_objection`` flag
mirrors the records, so the API and lists can show it without another query.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import InvalidInput, RecordNotFound
from disclosure.errors import InvalidTransition
from disclosure.models import Consultation, DisclosureRequest
from disclosure.profiles import load_profile
from disclosure.requests import OPEN_STATES, _event


def consultations_of(session: Session, request_id: str) -> list[Consultation]:
    return list(
        session.scalars(
            select(Consultation)
            .where(Consultation.request_id == request_id)
            .order_by(Consultation.id)
        )
    )


def consult(
    session: Session,
    request: DisclosureRequest,
    *,
    third_party: str,
    sent_on: date,
    answer_due_on: date,
    note: str = "",
    actor: str,
) -> Consultation:
    """Record a consultation sent to a third party; the answer is due on ``answer_due_on``."""
    if request.state not in OPEN_STATES:
        raise InvalidTransition("third parties are consulted before the decision")
    if not third_party.strip():
        raise InvalidInput("name the third party consulted", field="third_party")
    if sent_on < request.received_on:
        raise InvalidInput(
            "a consultation cannot be sent before the request was received", field="sent_on"
        )
    if answer_due_on < sent_on:
        raise InvalidInput(
            "the answer cannot be due before the consultation is sent", field="answer_due_on"
        )
    row = Consultation(
        request_id=request.id,
        third_party=third_party.strip(),
        sent_on=sent_on,
        answer_due_on=answer_due_on,
        note=note.strip(),
        created_by=actor,
    )
    session.add(row)
    session.flush()
    _event(
        session,
        request,
        actor,
        "consulted",
        None,
        None,
        f"{row.third_party}: sent {sent_on}, answer due {answer_due_on}",
    )
    return row


def answer(
    session: Session,
    request: DisclosureRequest,
    consultation_id: int,
    *,
    answered_on: date,
    objected: bool,
    actor: str,
) -> Consultation:
    """Record the third party's answer; an objection sets the request's release wait."""
    row = session.get(Consultation, consultation_id)
    if row is None or row.request_id != request.id:
        raise RecordNotFound(f"no consultation {consultation_id} on this request")
    if answered_on < row.sent_on:
        raise InvalidInput("the answer cannot precede the consultation", field="answered_on")
    row.answered_on, row.objected = answered_on, objected
    request.third_party_objection = any(c.objected for c in consultations_of(session, request.id))
    _event(
        session,
        request,
        actor,
        "consultation_answered",
        None,
        None,
        f"{row.third_party}: {'objects' if objected else 'no objection'} ({answered_on})",
    )
    return row


def release_not_before(session: Session, request: DisclosureRequest) -> date | None:
    """The first day the request may be released, when a third party objected (None: no wait)."""
    if request.decided_on is None or not any(
        c.objected for c in consultations_of(session, request.id)
    ):
        return None
    return request.decided_on + timedelta(days=load_profile(request.profile).third_party_wait_days)
