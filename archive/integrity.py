"""Integrity checks over the blob store: re-hash every blob, find missing and orphaned ones."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from archive.blob_refs import blob_columns
from archive.blobs import BlobStore
from archive.errors import BlobNotFound
from archive.hashing import CHUNK
from archive.types import BlobKey


@dataclass
class IntegrityReport:
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.corrupt or self.orphans)


def referenced_keys(session: Session) -> set[str]:
    """Every blob key a row points at (a version, a derivative, a disclosure record …)."""
    query = union(*(select(column).where(column.is_not(None)) for column in blob_columns()))
    return set(session.scalars(query))


def is_referenced(session: Session, key: str) -> bool:
    """Whether any record points at the blob ``key``."""
    return any(
        session.scalar(select(column).where(column == key).limit(1)) is not None
        for column in blob_columns()
    )


def _digest(store: BlobStore, key: BlobKey) -> str:
    sha = hashlib.sha256()
    with store.open(key) as stream:
        while chunk := stream.read(CHUNK):
            sha.update(chunk)
    return sha.hexdigest()


def verify_blobs(
    store: BlobStore,
    keys: Iterable[str],
    *,
    on_progress: Callable[[str], None] = lambda _key: None,
) -> IntegrityReport:
    """Re-hash each blob in ``keys``; report those missing or whose bytes no longer match."""
    report = IntegrityReport()
    for key in sorted(keys):
        report.checked += 1
        try:
            if _digest(store, BlobKey(key)) != key:
                report.corrupt.append(key)
        except BlobNotFound:
            report.missing.append(key)
        on_progress(key)
    return report


def find_orphans(store: BlobStore, referenced: set[str]) -> list[str]:
    """Blobs no record points at: left by an upload whose database write failed."""
    return sorted(key for key in store.keys() if key not in referenced)  # noqa: SIM118 - a BlobStore, not a dict
