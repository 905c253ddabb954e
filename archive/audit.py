"""The audit log: append-only, each entry chained to the previous one by an HMAC-SHA-256.

The key lives outside the database (``web`` reads it from the settings and hands it to
every session as ``session.info[AUDIT_KEY]``), so whoever can write the table can neither
rewrite an entry and re-hash the ones after it, nor append entries of their own. Deleting
the newest entries is found by comparing with a signed checkpoint of the head
(``archive.audit_checkpoint``), kept outside the database.

Entries written before the chain was keyed keep their plain SHA-256 and still verify: they
can only form the start of the log, and the first keyed entry seals them (its MAC covers
their head hash, so re-hashing them breaks it). A plain entry after a keyed one is a break.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from archive.models import AuditEvent, utcnow
from archive.tracing import current_request_id

GENESIS = "0" * 64
AUDIT_KEY = "bunko.audit_key"
"""The ``Session.info`` entry holding the chain's key (bytes)."""
CHAIN_LOCK = 4242002


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


def entry_hash(event: AuditEvent, key: bytes | None) -> str:
    """The HMAC-SHA-256 with ``key`` (plain SHA-256 without one, as before the chain was
    keyed) over an entry's fields and its predecessor's hash."""
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
    data = json.dumps(payload, ensure_ascii=False).encode()
    return (hmac.new(key, data, hashlib.sha256) if key else hashlib.sha256(data)).hexdigest()


def audit_key(session: Session) -> bytes:
    """The chain's key, as the composition root gave it to the session."""
    key = session.info.get(AUDIT_KEY)
    if not isinstance(key, bytes) or not key:
        raise RuntimeError("this session has no audit key: build sessions through web.services")
    return key


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
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK})
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
    event.hash = entry_hash(event, audit_key(session))
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_bad_seq: int | None = None
    problem: str | None = None
    unkeyed: int = 0
    """How many entries at the start still carry a plain SHA-256 (written before keying)."""
    head_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


def verify_chain(session: Session) -> ChainReport:
    """Walk the log in order; name the first entry that was altered, or where one is missing."""
    key = audit_key(session)
    expected_seq, prev_hash, checked, unkeyed = 1, GENESIS, 0, 0
    # A broken chain returns mid-walk: the ``with`` closes the (server-side) cursor then too.
    with session.scalars(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=1000)
    ) as rows:
        for event in rows:
            problem = None
            if event.seq != expected_seq:
                return ChainReport(
                    checked,
                    expected_seq,
                    f"entries {expected_seq}..{event.seq - 1} are missing",
                    unkeyed,
                    prev_hash,
                )
            if event.prev_hash != prev_hash:
                problem = "does not follow the entry before it (an entry was replaced)"
            elif entry_hash(event, key) != event.hash:
                if unkeyed < checked or entry_hash(event, None) != event.hash:
                    problem = "its content does not match its hash (it was altered or re-hashed)"
                else:
                    unkeyed += 1
            if problem is not None:
                return ChainReport(checked, event.seq, problem, unkeyed, prev_hash)
            expected_seq, prev_hash, checked = event.seq + 1, event.hash, checked + 1
    return ChainReport(checked, unkeyed=unkeyed, head_hash=prev_hash)
