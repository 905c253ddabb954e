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

from sqlalchemy import ColumnElement, String, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

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


def _takeable(now: datetime) -> ColumnElement[bool]:
    return and_(
        Document.bulk_share.is_not(None),
        Document.status == DocumentStatus.RECEIVED,
        or_(Document.attempts == 0, Document.updated_at < now - RETRY_PAUSE),
    )


def next_bulk(session: Session, *, now: datetime | None = None) -> str | None:
    """The bulk document to process next, its share marked served; None when none waits.

    Two workers may choose the same document: one claims it, and the other asks again.
    """
    now = now or utcnow()
    waiting = select(Document.bulk_share.label("share")).where(_takeable(now)).distinct().subquery()
    share: str | None = session.scalar(
        select(waiting.c.share)
        .outerjoin(BulkShare, BulkShare.share == waiting.c.share)
        .order_by(func.coalesce(BulkShare.served_at, _NEVER), waiting.c.share)
        .limit(1)
    )
    if share is None:
        return None
    document_id = session.scalar(
        select(Document.id)
        .where(_takeable(now), Document.bulk_share == share)
        .order_by(Document.created_at, Document.id)
        .limit(1)
    )
    _served(session, share, now)
    return document_id


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
