"""Mirror retention and holds onto the blob store's object lock (WORM), as a guardrail.

The application decides; the lock only makes sure no path — not Bunko, not a direct S3
call — removes an original earlier. A lock that expires deletes nothing by itself.

* a declared record (series assigned, disposition date known): COMPLIANCE until the end
  of its disposition date (Japan time); extended when the date moves later, never shortened;
* a record still being classified (no series, open file, unknown event date):
  GOVERNANCE for ``PROVISIONAL`` from now, so a correction can still move it;
* a permanent record: GOVERNANCE for ``PERMANENT_HORIZON`` (a transfer, once approved,
  may bypass it; COMPLIANCE would forbid the transfer itself);
* a document under any hold: the S3 legal hold on each of its originals.

Blobs are content-addressed and may be shared by several documents: a lock only ever
extends, and a legal hold is cleared only when no document using the blob is held.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import BlobLock, BlobNotFound, BlobStore, DocumentVersion, LockMode, Sha256
from retention.dates import end_of_day_utc
from retention.models import DocumentRetention

PROVISIONAL = timedelta(days=365)
PERMANENT_HORIZON = timedelta(days=30 * 365)


@dataclass(frozen=True)
class WantedLock:
    until: datetime
    mode: LockMode


def wanted_lock(
    row: DocumentRetention | None, *, permanent: bool, now: datetime
) -> WantedLock | None:
    if permanent:
        return WantedLock(now + PERMANENT_HORIZON, LockMode.GOVERNANCE)
    if row is not None and row.disposition_date is not None:
        until = end_of_day_utc(row.disposition_date)
        return WantedLock(until, LockMode.COMPLIANCE) if until > now else None
    return WantedLock(now + PROVISIONAL, LockMode.GOVERNANCE)


def original_keys(session: Session, document_id: str) -> list[Sha256]:
    return sorted(
        set(
            session.scalars(
                select(DocumentVersion.blob_key).where(DocumentVersion.document_id == document_id)
            )
        )
    )


def protect_document(
    session: Session,
    store: BlobStore,
    document_id: str,
    *,
    permanent: bool,
    now: datetime | None = None,
) -> BlobLock | None:
    """Apply the lock a document's retention calls for to its originals; note it on the row."""
    now = now or datetime.now(UTC)
    row = session.get(DocumentRetention, document_id)
    wanted = wanted_lock(row, permanent=permanent, now=now)
    if wanted is None:
        return None
    applied: BlobLock | None = None
    for key in original_keys(session, document_id):
        try:
            applied = store.protect(key, wanted.until, wanted.mode)
        except BlobNotFound:
            continue
    if row is not None and applied is not None and applied.retain_until is not None:
        row.lock_until = _as_date(applied.retain_until)
        row.lock_mode = applied.mode.value if applied.mode else None
    return applied


def _as_date(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def sync_legal_holds(session: Session, store: BlobStore, document_ids: Iterable[str]) -> None:
    """Set or clear the legal hold on the originals of these documents to match the holds table."""
    from retention.holds import held_documents  # holds imports this module

    ids = sorted(set(document_ids))
    if not ids:
        return
    keys = set(
        session.scalars(
            select(DocumentVersion.blob_key).where(DocumentVersion.document_id.in_(ids))
        )
    )
    for key in sorted(keys):
        users = list(
            session.scalars(
                select(DocumentVersion.document_id).where(DocumentVersion.blob_key == key)
            )
        )
        try:
            store.set_legal_hold(key, bool(held_documents(session, users)))
        except BlobNotFound:
            continue
