"""Blob storage: the ``BlobStore`` contract and its backends, chosen by URL scheme."""

from __future__ import annotations

from collections.abc import Callable

from archive.blobs.base import BlobInfo, BlobStore, check_key
from archive.blobs.local import LocalBlobStore
from archive.blobs.s3 import S3BlobStore

_BACKENDS: dict[str, Callable[[str], BlobStore]] = {
    "file": LocalBlobStore.from_url,
    "s3": S3BlobStore.from_url,
}


def open_blob_store(url: str) -> BlobStore:
    """Build the store a ``BUNKO_STORAGE_URL`` names (``file://PATH`` or ``s3://...``)."""
    scheme = url.split("://", 1)[0] if "://" in url else ""
    try:
        factory = _BACKENDS[scheme]
    except KeyError:
        raise ValueError(
            f"storage URL scheme must be one of {sorted(_BACKENDS)}, got {scheme!r}"
        ) from None
    return factory(url)


__all__ = ["BlobInfo", "BlobStore", "LocalBlobStore", "S3BlobStore", "check_key", "open_blob_store"]
