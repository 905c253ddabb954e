"""The audit chain: each entry names the one before it, and the first altered or missing one is found."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from archive.audit import Actor, record, verify_chain
from archive.models import AuditEvent
from web.services import Services

ADMIN = Actor("user:admin", "203.0.113.9")


def _three_entries(services: Services) -> None:
    with services.sessions.begin() as session:
        details: tuple[dict[str, Any], ...] = ({}, {"title": "請求書 <script>"}, {"at": object()})
        for n, detail in enumerate(details):
            record(session, actor=ADMIN, action="document.view", target=f"d{n}", detail=detail)


def test_an_untouched_chain_verifies_to_its_last_entry(services: Services) -> None:
    _three_entries(services)
    with services.sessions() as session:
        report = verify_chain(session)
        entries = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert entries[1].detail == '{"title": "請求書 <script>"}'
    assert report.ok and report.checked == 3 and report.head_hash == entries[-1].hash


def test_an_altered_entry_is_named(services: Services) -> None:
    _three_entries(services)
    with services.sessions.begin() as session:
        session.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(actor="user:x"))
    with services.sessions() as session:
        report = verify_chain(session)
    assert (report.ok, report.first_bad_seq, report.checked) == (False, 2, 1)
    assert "altered" in (report.problem or "")


def test_a_deleted_entry_is_named(services: Services) -> None:
    _three_entries(services)
    with services.sessions.begin() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.seq == 2))
    with services.sessions() as session:
        report = verify_chain(session)
    assert (report.first_bad_seq, report.problem) == (2, "entries 2..2 are missing")
