"""Claims on blobs being uploaded, so that an upload that creates no version leaves no blob.

An upload claims its key (committed) before it stores the bytes, and settles the claim in
the transaction that records the version. An upload that ends without a version releases
its claim and deletes the blob when nothing refers to it and nobody else claims it. Claim,
settle and release of one key are serialised (a per-key lock on PostgreSQL; SQLite's
transactions already queue for the write lock), so a release never deletes bytes that a
concurrent upload of the same content is about to record.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from archive.blobs.base import BlobRetained, BlobStore
from archive.integrity import is_referenced
from archive.models import PendingBlob, utcnow
from archive.types import BlobKey

STALE = timedelta(hours=24)
"""A claim older than this was left by a crashed upload: its blob counts as an orphan."""
_LOCK_NAMESPACE = 4242013


def lock_key(session: Session, key: str) -> None:
    """Serialise claims and releases of ``key`` until the transaction ends."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:ns, :k)"),
            {"ns": _LOCK_NAMESPACE, "k": int(key[:7], 16)},
        )


def claim_blob(session: Session, key: str) -> int:
    """Claim ``key`` before storing its bytes; the caller commits before it writes the blob."""
    lock_key(session, key)
    claim = PendingBlob(blob_key=key)
    session.add(claim)
    session.flush()
    return claim.id


def settle_claim(session: Session, claim_id: int, key: str) -> None:
    """End a claim in the transaction that records what refers to the blob."""
    lock_key(session, key)
    session.execute(delete(PendingBlob).where(PendingBlob.id == claim_id))


def release_blob(session: Session, store: BlobStore, key: str, claim_id: int) -> bool:
    """End a claim without a version; delete the blob if nothing else needs it. True if deleted."""
    settle_claim(session, claim_id, key)
    session.flush()
    if is_referenced(session, key) or session.scalar(
        select(PendingBlob.id).where(PendingBlob.blob_key == key).limit(1)
    ):
        return False
    try:
        store.delete(BlobKey(key))
    except BlobRetained:
        return False
    return True


def in_flight_keys(session: Session, now: datetime | None = None) -> set[str]:
    """Keys claimed by uploads still running (claims younger than ``STALE``)."""
    since = (now or utcnow()) - STALE
    return set(session.scalars(select(PendingBlob.blob_key).where(PendingBlob.created_at > since)))
