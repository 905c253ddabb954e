"""Tables of disclosure requests (情報公開請求): requests, their history, tolling, records, redactions.

The logic lives in ``disclosure/``; these are only the rows. A responsive record keeps the
document id as plain text (no foreign key) and the frozen version's blob key, so the request's
file survives whatever later happens to the document.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Enum, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive import BLOB_REF, Base, Department, Sha256, UTCDateTime, new_id, utcnow


def _enum(kind: type[enum.Enum], length: int = 20) -> Enum:
    return Enum(
        kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class RequestState(enum.StrEnum):
    RECEIVED = "received"
    SEARCHING = "searching"
    REVIEWING = "reviewing"
    DECIDED = "decided"
    RELEASED = "released"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class DisclosureRequest(Base):
    """One request for records; the requester's fields are personal data (disclosure officers only)."""

    __tablename__ = "disclosure_requests"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    """Human reference, ``2025-0001`` (fiscal year and sequence; no letter that reads as an era)."""
    profile: Mapped[str] = mapped_column(String(40))
    requester_name: Mapped[str] = mapped_column(String(200))
    requester_contact: Mapped[str] = mapped_column(Text, default="")
    requester_type: Mapped[str] = mapped_column(String(20))
    records_sought: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[date] = mapped_column(Date, index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    officer: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[RequestState] = mapped_column(
        _enum(RequestState), default=RequestState.RECEIVED, index=True
    )
    due_on: Mapped[date] = mapped_column(Date, index=True)
    due_soon_for: Mapped[date | None] = mapped_column(Date)
    """The due date a ``disclosure.due_soon`` event was last sent for."""
    extended_days: Mapped[int] = mapped_column(Integer, default=0)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    third_party_objection: Mapped[bool] = mapped_column(Boolean, default=False)
    decision: Mapped[str | None] = mapped_column(String(30))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    notice_number: Mapped[str | None] = mapped_column(String(60))
    """The decision notice's document number, ``大市総第12号``: one sequence per department and
    fiscal year (so the same number recurs in another year, as on paper)."""
    hold_id: Mapped[int | None] = mapped_column(Integer)
    hold_until: Mapped[date | None] = mapped_column(Date)
    """One year after the decision (or the withdrawal): the day the records' hold may end."""
    package_key: Mapped[str | None] = mapped_column(String(64), info=BLOB_REF)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    department: Mapped[Department | None] = relationship(lazy="joined")


class RequestEvent(Base):
    """A state change or other step of a request: who, when, from which state to which."""

    __tablename__ = "disclosure_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("disclosure_requests.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class Tolling(Base):
    """A pause of the clock (補正: the request is being corrected or clarified)."""

    __tablename__ = "disclosure_tollings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("disclosure_requests.id"), index=True)
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    """The day the clock runs again; None while paused."""
    reason: Mapped[str] = mapped_column(Text)


class ResponsiveRecord(Base):
    """A document attached to a request, frozen at the version that was current then."""

    __tablename__ = "disclosure_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("disclosure_requests.id"), index=True)
    document_id: Mapped[str] = mapped_column(String(36), index=True)
    version_id: Mapped[str] = mapped_column(String(36))
    blob_key: Mapped[Sha256] = mapped_column(String(64), info=BLOB_REF)
    media_type: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500))
    security_level: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    """The document's level when attached: who may see the record once the document is gone."""
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    released_key: Mapped[str | None] = mapped_column(String(64), info=BLOB_REF)
    """The blob of the redacted PDF, once produced."""


class RedactionStatus(enum.StrEnum):
    ACCEPTED = "accepted"
    PROPOSED = "proposed"
    """Awaiting the officer (found by search or by the PII detector)."""
    REJECTED = "rejected"


class Redaction(Base):
    """A withheld area of one page: boxes in PDF points from the page's top-left corner."""

    __tablename__ = "disclosure_redactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("disclosure_records.id"), index=True)
    page: Mapped[int] = mapped_column(Integer)
    x0: Mapped[float] = mapped_column(Float)
    y0: Mapped[float] = mapped_column(Float)
    x1: Mapped[float] = mapped_column(Float)
    y1: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(10))
    """``box`` (drawn), ``span`` (found text) or ``pii`` (proposed by the detector)."""
    category: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default=RedactionStatus.ACCEPTED.value)
    """A ``RedactionStatus`` value."""
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Consultation(Base):
    """A third-party consultation (第三者意見照会): sent, answer due, answered, and whether the party objects.

    An objection delays release until ``third_party_wait_days`` after the decision (the third
    party's time to sue); ``disclosure.consultations`` keeps the request's flag in step.
    """

    __tablename__ = "disclosure_consultations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("disclosure_requests.id"), index=True)
    third_party: Mapped[str] = mapped_column(String(200))
    sent_on: Mapped[date] = mapped_column(Date)
    answer_due_on: Mapped[date] = mapped_column(Date)
    answered_on: Mapped[date | None] = mapped_column(Date)
    objected: Mapped[bool | None] = mapped_column(Boolean)
    """None until the answer is in; True when the third party opposes disclosure."""
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
