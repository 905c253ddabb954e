"""The audit log: append-only, each entry chained to the previous one by SHA-256."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from archive.models import AuditEvent, utcnow
from archive.tracing import current_request_id

GENESIS = "0" * 64
_CHAIN_LOCK = 4242002


@dataclass(frozen=True)
class Actor:
    """Who did something, and from where."""

    name: str
    client_ip: str | None = None


def _utc_naive(at: datetime) -> str:
    # SQLite hands datetimes back without a zone, PostgreSQL in the session's zone:
    # hash the UTC wall time so the chain verifies the same on both.
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


def entry_hash(event: AuditEvent) -> str:
    """The SHA-256 over an entry's fields and its predecessor's hash."""
    payload = [
        event.seq,
        _utc_naive(event.at),
        event.actor,
        event.action,
        event.target,
        event.outcome,
        event.client_ip,
        event.detail,
        event.prev_hash,
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    target: str | None = None,
    outcome: str = "ok",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an entry in the caller's transaction (the caller commits).

    Inside an HTTP request, ``detail`` also carries the request's id (``request_id``).
    """
    if (request_id := current_request_id()) is not None:
        detail = {"request_id": request_id, **(detail or {})}
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        # Serialise appends so that every entry names the one before it.
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK})
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    event = AuditEvent(
        seq=(last.seq + 1) if last else 1,
        at=utcnow(),
        actor=actor.name,
        action=action,
        target=target,
        outcome=outcome,
        client_ip=actor.client_ip,
        detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str),
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = entry_hash(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_bad_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


def verify_chain(session: Session) -> ChainReport:
    """Walk the log in order; name the first entry that was altered, or where one is missing."""
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    rows = session.scalars(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=1000)
    )
    for event in rows:
        if event.seq != expected_seq:
            return ChainReport(
                checked, expected_seq, f"entries {expected_seq}..{event.seq - 1} are missing"
            )
        if event.prev_hash != prev_hash:
            return ChainReport(
                checked, event.seq, "does not follow the entry before it (an entry was replaced)"
            )
        if entry_hash(event) != event.hash:
            return ChainReport(
                checked, event.seq, "its content does not match its hash (it was altered)"
            )
        expected_seq, prev_hash, checked = event.seq + 1, event.hash, checked + 1
    return ChainReport(checked)
