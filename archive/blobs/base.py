"""The BlobStore contract: content-addressed, write-once storage of originals and derivatives."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol, runtime_checkable

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

    def put(self, key: BlobKey, data: BinaryIO, size: int) -> BlobInfo:
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
