"""Streams that hash what passes through them."""

from __future__ import annotations

import hashlib
from typing import IO

CHUNK = 1024 * 1024


class HashingReader:
    """Wraps a binary stream; every byte read is counted and fed to SHA-256."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._hash = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self._raw.read(n)
        self._hash.update(data)
        self.size += len(data)
        return data

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def copy_hashing(src: IO[bytes], dst: IO[bytes]) -> tuple[str, int]:
    """Copy ``src`` to ``dst`` in chunks; return the SHA-256 and length of what was copied."""
    reader = HashingReader(src)
    while chunk := reader.read(CHUNK):
        dst.write(chunk)
    return reader.hexdigest(), reader.size
