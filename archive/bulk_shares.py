"""Shares of worker time among the senders of bulk imports.

A bulk document is not queued by id: it waits ``received`` in the database with its
sender's share (``documents.bulk_share``: the API key's source system, or the sender's
name), and the queue carries one anonymous "next bulk document" message per document. The
worker that takes such a message asks :func:`next_bulk` which document to process: the
oldest waiting one of the share served least recently. Senders are thus served in turn,
one document each, whatever the size of their imports and whichever broker carries the
messages. Functions take a ``Session`` and never commit.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import CTE, ColumnElement, String, bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.selectable import ScalarSelect

from archive.db import Base, UTCDateTime
from archive.models import Document, DocumentStatus, utcnow
from archive.policy import Principal

RETRY_PAUSE = timedelta(seconds=15)
"""A document given back after a transient failure waits this long before it is taken again."""
_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


class BulkShare(Base):
    """When a sender's bulk work was last given a worker."""

    __tablename__ = "bulk_shares"

    share: Mapped[str] = mapped_column(String(200), primary_key=True)
    served_at: Mapped[datetime] = mapped_column(UTCDateTime())


def share_of(principal: Principal) -> str:
    """The share a sender's bulk work waits in: its source system, else its name (not the rows'
    ``source_system``, so that labelling rows with many systems' names buys no extra turns)."""
    return principal.source_system or principal.actor.name


def next_bulk(session: Session, *, now: datetime | None = None) -> str | None:
    """The bulk document to process next, its share marked served; None when none waits.

    Two workers may choose the same document: one claims it, and the other asks again.
    The choice runs under SQLite's write lock, so its cost must not grow with the backlog:
    the shares waiting are found by one index seek each (``_waiting_shares``), and a share's
    oldest takeable document by another.
    """
    now = now or utcnow()
    for share in session.scalars(_SHARES_IN_TURN).all():
        document_id = session.scalar(
            _OLDEST_TAKEABLE, {"share": share, "given_back_before": now - RETRY_PAUSE}
        )
        if document_id is not None:
            _served(session, share, now)
            return document_id
    return None


def _waiting_shares() -> CTE:
    """The shares with a ``received`` bulk document, each once: a loose index scan of
    ``ix_documents_bulk_waiting`` (status, share) that seeks the next share after each one
    found, instead of reading every waiting document (at 60,000 waiting: 45 ms, under the
    write lock, for every document taken). The last row is NULL."""

    def first(where: ColumnElement[bool]) -> ScalarSelect[str | None]:
        return (
            select(Document.bulk_share)
            .where(Document.status == DocumentStatus.RECEIVED, where)
            .order_by(Document.bulk_share)
            .limit(1)
            .scalar_subquery()
        )

    found = select(first(Document.bulk_share.is_not(None)).label("share")).cte(
        "waiting_shares", recursive=True
    )
    return found.union_all(
        select(first(Document.bulk_share > found.c.share)).where(found.c.share.is_not(None))
    )


_WAITING = _waiting_shares()
_SHARES_IN_TURN = (
    select(_WAITING.c.share)
    .outerjoin(BulkShare, BulkShare.share == _WAITING.c.share)
    .where(_WAITING.c.share.is_not(None))
    .order_by(func.coalesce(BulkShare.served_at, _NEVER), _WAITING.c.share)
)
"""The waiting shares, the one served least recently first (statements built once: building
them cost more than running them)."""
_OLDEST_TAKEABLE = (
    select(Document.id)
    .where(
        Document.status == DocumentStatus.RECEIVED,
        Document.bulk_share == bindparam("share"),
        or_(
            Document.attempts == 0,
            Document.updated_at < bindparam("given_back_before", type_=UTCDateTime()),
        ),
    )
    .order_by(Document.created_at, Document.id)
    .limit(1)
)
"""A share's oldest document that is not waiting out its retry pause."""


def _served(session: Session, share: str, now: datetime) -> None:
    moved = session.execute(update(BulkShare).where(BulkShare.share == share).values(served_at=now))
    if moved.rowcount:  # type: ignore[attr-defined]
        return
    try:
        with session.begin_nested():
            session.add(BulkShare(share=share, served_at=now))
    except IntegrityError:  # another worker served the same new share at this moment
        session.execute(update(BulkShare).where(BulkShare.share == share).values(served_at=now))


def bulk_waiting(session: Session) -> int:
    """Bulk documents waiting for a worker (each should have a message in the bulk queue)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Document)
            .where(Document.bulk_share.is_not(None), Document.status == DocumentStatus.RECEIVED)
        )
        or 0
    )
