"""The event log: what happened, told to the city's other systems (a feed and webhooks).

An event is appended in the transaction of the change it reports, so it exists exactly
when the change does. Its payload carries ids and links, never a title or content. Who may
see an event follows its audience, checked in the query when the event is read:

- ``document``: whoever may read the document now (``archive.policy.readable``);
- ``records`` / ``disclosure``: records or disclosure officers (and administrators);
- ``subscriber``: the API key the event concerns (a webhook of its own), and administrators.

Events are numbered in commit order (appends share the audit chain's lock on PostgreSQL;
SQLite serialises writers), so a consumer that remembers the last id it saw misses nothing.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    String,
    Text,
    and_,
    exists,
    false,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from archive.audit import CHAIN_LOCK
from archive.db import Base, UTCDateTime
from archive.models import Document, utcnow
from archive.policy import Permission, Principal, PrincipalKind, readable


class EventType(enum.StrEnum):
    DOCUMENT_STORED = "document.stored"
    DOCUMENT_INDEXED = "document.indexed"
    DOCUMENT_FAILED = "document.failed"
    DOCUMENT_VERSION_ADDED = "document.version_added"
    DOCUMENT_METADATA_CHANGED = "document.metadata_changed"
    RETENTION_DUE = "retention.due"
    RETENTION_DISPOSED = "retention.disposed"
    HOLD_PLACED = "hold.placed"
    HOLD_RELEASED = "hold.released"
    DISCLOSURE_RECEIVED = "disclosure.received"
    DISCLOSURE_DUE_SOON = "disclosure.due_soon"
    DISCLOSURE_DECIDED = "disclosure.decided"
    DISCLOSURE_RELEASED = "disclosure.released"
    WEBHOOK_DISABLED = "webhook.disabled"


class Audience(enum.StrEnum):
    DOCUMENT = "document"
    RECORDS = "records"
    DISCLOSURE = "disclosure"
    SUBSCRIBER = "subscriber"


AUDIENCES: dict[EventType, Audience] = {
    EventType.DOCUMENT_STORED: Audience.DOCUMENT,
    EventType.DOCUMENT_INDEXED: Audience.DOCUMENT,
    EventType.DOCUMENT_FAILED: Audience.DOCUMENT,
    EventType.DOCUMENT_VERSION_ADDED: Audience.DOCUMENT,
    EventType.DOCUMENT_METADATA_CHANGED: Audience.DOCUMENT,
    EventType.RETENTION_DUE: Audience.RECORDS,
    EventType.RETENTION_DISPOSED: Audience.RECORDS,
    EventType.HOLD_PLACED: Audience.RECORDS,
    EventType.HOLD_RELEASED: Audience.RECORDS,
    EventType.DISCLOSURE_RECEIVED: Audience.DISCLOSURE,
    EventType.DISCLOSURE_DUE_SOON: Audience.DISCLOSURE,
    EventType.DISCLOSURE_DECIDED: Audience.DISCLOSURE,
    EventType.DISCLOSURE_RELEASED: Audience.DISCLOSURE,
    EventType.WEBHOOK_DISABLED: Audience.SUBSCRIBER,
}


class Event(Base):
    """One entry of the append-only event log."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    type: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    audience: Mapped[str] = mapped_column(String(16))
    document_id: Mapped[str | None] = mapped_column(String(36), index=True)
    api_key_id: Mapped[int | None] = mapped_column(Integer)
    """For ``subscriber`` events: the key they concern."""
    data: Mapped[str] = mapped_column(Text, default="{}")

    @property
    def payload(self) -> dict[str, Any]:
        """What a consumer receives: the event's id, type, time, and ids and links."""
        data: dict[str, Any] = json.loads(self.data)
        if self.document_id is not None:
            data.setdefault("document_id", self.document_id)
            data.setdefault("links", {})["document"] = f"/api/v1/documents/{self.document_id}"
        return {"id": self.id, "type": self.type, "at": self.at.isoformat(), "data": data}


def emit(
    session: Session,
    event_type: EventType,
    *,
    document_id: str | None = None,
    api_key_id: int | None = None,
    **data: str | int | None,
) -> Event:
    """Append an event in the caller's transaction (the caller commits)."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        # Held to the commit: ids are handed out in commit order (see the module docstring).
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK})
    event = Event(
        type=event_type.value,
        audience=AUDIENCES[event_type].value,
        document_id=document_id,
        api_key_id=api_key_id,
        data=json.dumps({k: v for k, v in data.items() if v is not None}, sort_keys=True),
    )
    session.add(event)
    session.flush()
    return event


def visible_to(principal: Principal) -> ColumnElement[bool]:
    """The events ``principal`` may see, as a WHERE clause."""
    admin = principal.may(Permission.ADMIN)
    document_readable = exists(
        select(Document.id).where(Document.id == Event.document_id, readable(principal.scope))
    )
    clauses: list[ColumnElement[bool]] = [
        and_(Event.audience == Audience.DOCUMENT.value, document_readable)
    ]
    if admin or principal.may(Permission.RECORDS):
        clauses.append(Event.audience == Audience.RECORDS.value)
    if admin or principal.may(Permission.DISCLOSURE):
        clauses.append(Event.audience == Audience.DISCLOSURE.value)
    if admin:
        clauses.append(Event.audience == Audience.SUBSCRIBER.value)
    elif principal.kind == PrincipalKind.APIKEY:
        clauses.append(
            and_(Event.audience == Audience.SUBSCRIBER.value, Event.api_key_id == principal.id)
        )
    return or_(false(), *clauses)


def list_events(
    session: Session,
    principal: Principal,
    *,
    after: int = 0,
    types: Collection[str] = (),
    limit: int = 100,
) -> Sequence[Event]:
    """Events after ``after`` (oldest first) that ``principal`` may see, of ``types`` if given."""
    query = select(Event).where(Event.id > after, visible_to(principal))
    if types:
        query = query.where(Event.type.in_(list(types)))
    return session.scalars(query.order_by(Event.id).limit(limit)).all()
