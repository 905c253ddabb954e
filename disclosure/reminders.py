"""``disclosure.due_soon``: tell the officers' systems that a request's decision is nearly due.

Run periodically by the worker's scheduler. An open request whose clock is running and whose
due date is at most ``within_days`` away (or already past) is announced once per due date:
an extension or a pause that moves the date makes it due soon again later.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from archive import EventType, emit
from disclosure.models import DisclosureRequest, Tolling
from disclosure.requests import OPEN_STATES


def announce_due_soon(session: Session, *, today: date, within_days: int) -> int:
    """Emit ``disclosure.due_soon`` for every request newly due within ``within_days``; return how many."""
    paused = exists(
        select(Tolling.id).where(
            Tolling.request_id == DisclosureRequest.id, Tolling.end_on.is_(None)
        )
    )
    due = session.scalars(
        select(DisclosureRequest)
        .where(
            DisclosureRequest.state.in_(list(OPEN_STATES)),
            DisclosureRequest.due_on <= today + timedelta(days=within_days),
            or_(
                DisclosureRequest.due_soon_for.is_(None),
                DisclosureRequest.due_soon_for != DisclosureRequest.due_on,
            ),
            ~paused,
        )
        .order_by(DisclosureRequest.due_on, DisclosureRequest.number)
        .with_for_update(skip_locked=True, of=DisclosureRequest)
    ).all()
    for request in due:
        request.due_soon_for = request.due_on
        emit(
            session,
            EventType.DISCLOSURE_DUE_SOON,
            request_id=request.id,
            number=request.number,
            due_on=request.due_on.isoformat(),
            days_left=(request.due_on - today).days,
            link=f"/api/v1/disclosure/requests/{request.id}",
        )
    return len(due)
