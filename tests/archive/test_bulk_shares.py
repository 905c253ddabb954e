"""The bulk choice: senders' shares in turn, the oldest takeable document of each, found by
seeks whatever the backlog (``archive.bulk_shares.next_bulk``)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import insert, update

from archive import Document, DocumentStatus, next_bulk, utcnow
from archive.bulk_shares import RETRY_PAUSE
from web.services import Services


def _waiting(services: Services, share: str, count: int, **values: object) -> list[str]:
    """``count`` bulk documents of ``share``, oldest first, with ``values`` set on each."""
    start = utcnow() - timedelta(hours=1)
    rows = [
        {
            "id": str(uuid.uuid4()),
            "title": f"{share} {n}",
            "bulk": True,
            "bulk_share": share,
            "created_at": start + timedelta(seconds=n),
            **values,
        }
        for n in range(count)
    ]
    with services.sessions.begin() as session:
        session.execute(insert(Document), rows)
    return [str(row["id"]) for row in rows]


def _take(services: Services) -> str | None:
    """What a worker does: choose, then claim (here: mark the document processing)."""
    with services.sessions.begin() as session:
        chosen = next_bulk(session)
        if chosen is not None:
            session.execute(
                update(Document)
                .where(Document.id == chosen)
                .values(status=DocumentStatus.PROCESSING)
            )
        return chosen


def test_shares_take_turns_past_done_and_paused_documents(services: Services) -> None:
    """GIVEN three senders' bulk documents — one with three waiting behind many already
    indexed, one with two, one whose only document waits out its retry pause — and an
    interactive upload WHEN workers ask for the next bulk document until none is left THEN
    the two senders are served in turn, each its oldest first, the paused document and the
    interactive one are never chosen, and then there is none."""
    _waiting(services, "city-tax", 40, status=DocumentStatus.INDEXED)
    tax = _waiting(services, "city-tax", 3)
    roads = _waiting(services, "roads", 2)
    _waiting(services, "archive-scan", 1, attempts=1, updated_at=utcnow())
    with services.sessions.begin() as session:
        session.execute(
            insert(Document),
            [{"id": str(uuid.uuid4()), "title": "clerk's upload", "created_at": utcnow()}],
        )

    taken = [_take(services) for _ in range(6)]

    assert taken == [tax[0], roads[0], tax[1], roads[1], tax[2], None]


def test_a_document_past_its_retry_pause_is_taken_again(services: Services) -> None:
    """GIVEN a bulk document given back after a failure longer ago than the retry pause WHEN
    a worker asks THEN it is chosen."""
    given_back = utcnow() - RETRY_PAUSE - timedelta(seconds=1)
    (document_id,) = _waiting(services, "roads", 1, attempts=1, updated_at=given_back)

    assert _take(services) == document_id
    assert _take(services) is None
