"""Shared type aliases of the archive core. Imports nothing at runtime."""

from __future__ import annotations

from typing import NewType

RecordId = NewType("RecordId", str)
"""A document's public id (a UUID in its canonical string form)."""

Sha256 = NewType("Sha256", str)
"""A lowercase hex SHA-256 digest (64 characters)."""

BlobKey = Sha256
"""Blobs are content-addressed: a blob's key is the SHA-256 of its bytes."""
