"""The BlobStore contract: content-addressed, write-once storage of originals and derivatives."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO, BinaryIO, Protocol, runtime_checkable

from archive.errors import Conflict
from archive.types import BlobKey

KEY_PATTERN = re.compile(r"[0-9a-f]{64}")


def check_key(key: str) -> BlobKey:
    """Return ``key`` if it is a well-formed SHA-256 hex digest, else raise ValueError.

    Keys become file and object names, so nothing but 64 hex digits is ever accepted.
    """
    if not KEY_PATTERN.fullmatch(key):
        raise ValueError(f"not a blob key: {key[:80]!r}")
    return BlobKey(key)


@dataclass(frozen=True)
class BlobInfo:
    key: BlobKey
    size: int


class LockMode(enum.StrEnum):
    """S3 object-lock modes, which the local backend enforces the same way."""

    GOVERNANCE = "GOVERNANCE"
    """May be shortened or removed, but only by a caller that says it bypasses governance."""
    COMPLIANCE = "COMPLIANCE"
    """Nobody may delete the blob or shorten the date until it passes; it may be extended."""


@dataclass(frozen=True)
class BlobLock:
    """What protects a blob from deletion: a retain-until date in a mode, and a legal hold."""

    retain_until: datetime | None = None
    mode: LockMode | None = None
    legal_hold: bool = False

    def retained(self, now: datetime) -> bool:
        return self.retain_until is not None and self.retain_until > now

    def blocks_delete(self, now: datetime, *, bypass_governance: bool = False) -> str | None:
        """Why a delete at ``now`` is refused, or None when it may go ahead."""
        if self.legal_hold:
            return "under legal hold"
        if self.retained(now) and not (bypass_governance and self.mode is LockMode.GOVERNANCE):
            assert self.retain_until is not None
            return f"retained ({self.mode}) until {self.retain_until.isoformat()}"
        return None


class BlobRetained(Conflict):
    """A delete was refused because the blob is retained or under legal hold (WORM)."""

    def __init__(self, key: str, why: str) -> None:
        super().__init__(f"blob {key} cannot be deleted: {why}")
        self.key = key
        self.why = why


@runtime_checkable
class BlobStore(Protocol):
    """Where the bytes of originals and derivatives live.

    Every blob is stored under the SHA-256 of its content, so a key names exactly one
    content and writing is idempotent: storing a key that exists already is a no-op.
    Implementations translate their vendor's errors into ``archive.errors``:
    ``BlobNotFound``, ``BlobIntegrityError`` and ``StorageUnavailable``.
    """

    url: str
    """Where the store lives, without credentials (for logs and ``/readyz``)."""

    def put(self, key: BlobKey, data: IO[bytes], size: int) -> BlobInfo:
        """Store ``size`` bytes read from ``data`` under ``key``, their SHA-256.

        The bytes are streamed, never held whole in memory. The hash and length of what
        was read are verified: on a mismatch nothing is left under ``key`` and
        ``BlobIntegrityError`` is raised. The write is atomic: no reader ever sees a
        partial blob under ``key``.
        """
        ...

    def open(self, key: BlobKey) -> BinaryIO:
        """Open the blob for streaming reads; the caller closes it. Raises ``BlobNotFound``."""
        ...

    def stat(self, key: BlobKey) -> BlobInfo | None:
        """Return the blob's size, or None when there is no blob under ``key``."""
        ...

    def keys(self) -> Iterator[BlobKey]:
        """Yield the key of every stored blob (for verification and orphan reports)."""
        ...

    def check(self) -> None:
        """Raise ``StorageUnavailable`` unless the store answers and is writable."""
        ...

    def protect(self, key: BlobKey, retain_until: datetime, mode: LockMode) -> BlobLock:
        """Keep the blob at least until ``retain_until`` (WORM); return the lock now in force.

        A COMPLIANCE lock is only ever extended: an earlier date, or a GOVERNANCE request,
        leaves it as it is. A GOVERNANCE lock is extended by a later GOVERNANCE date and
        replaced by any COMPLIANCE request (declaring a record that was being classified;
        on S3 this uses the governance bypass). A date in the past sets nothing. Raises
        ``BlobNotFound``.
        """
        ...

    def set_legal_hold(self, key: BlobKey, on: bool) -> None:
        """Set or clear the blob's legal hold: while on, nothing deletes it. Raises ``BlobNotFound``."""
        ...

    def lock(self, key: BlobKey) -> BlobLock:
        """The blob's retention and legal hold (an empty lock when it has none). Raises ``BlobNotFound``."""
        ...

    def delete(self, key: BlobKey, *, bypass_governance: bool = False) -> None:
        """Remove the blob for good (every stored version of it), for disposition only.

        Refused with ``BlobRetained`` while it is under legal hold or retained, unless the
        lock is GOVERNANCE and ``bypass_governance`` is set (an approved disposition). The
        storage's own clock decides whether a date has passed. Deleting a missing blob is
        a no-op. A lock that expires never deletes anything by itself.
        """
        ...
