"""Blobs in a backup directory: copied once under their SHA-256, checked before restoring."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from archive.backup.manifest import BackupError, BlobEntry
from archive.blobs import BlobStore
from archive.blobs.base import LockMode
from archive.errors import BlobNotFound
from archive.hashing import CHUNK, copy_hashing
from archive.types import BlobKey

Progress = Callable[[int], None]
"""Called with the bytes just handled."""


def blob_path(root: Path, key: str) -> Path:
    return root / "sha256" / key[:2] / key[2:4] / key


@dataclass
class CopyTally:
    copied: int = 0
    reused: int = 0
    bytes_copied: int = 0


def copy_out(
    store: BlobStore, keys: set[str], root: Path, on_progress: Progress
) -> tuple[list[BlobEntry], CopyTally]:
    """Copy each blob of ``keys`` not yet under ``root``; return their entries (size and lock)."""
    entries: list[BlobEntry] = []
    tally = CopyTally()
    for key in sorted(keys):
        target = blob_path(root, key)
        size = target.stat().st_size if target.is_file() else None
        if size is None:
            size = _copy_one(store, BlobKey(key), target)
            tally.copied += 1
            tally.bytes_copied += size
        else:
            tally.reused += 1
        lock = store.lock(BlobKey(key))
        entries.append(
            BlobEntry(
                key=key,
                size=size,
                retain_until=lock.retain_until,
                mode=lock.mode.value if lock.mode else None,
                legal_hold=lock.legal_hold,
            )
        )
        on_progress(size)
    return entries, tally


def _copy_one(store: BlobStore, key: BlobKey, target: Path) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{uuid.uuid4().hex}.part")
    try:
        with store.open(key) as source, open(partial, "xb") as out:
            digest, size = copy_hashing(source, out)
            out.flush()
            os.fsync(out.fileno())
        if digest != key:
            raise BackupError(f"blob {key} in {store.url} is corrupt (run bunko verify)")
        os.chmod(partial, 0o444)
        os.replace(partial, target)
    except BlobNotFound:
        raise BackupError(
            f"blob {key} is referenced but missing from {store.url} (run bunko verify)"
        ) from None
    finally:
        partial.unlink(missing_ok=True)
    return size


def file_sha256(path: Path) -> tuple[str, int]:
    sha, size = hashlib.sha256(), 0
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


def check_file(path: Path, sha256: str, size: int) -> None:
    """Raise ``BackupError`` naming ``path`` unless it exists with this hash and size."""
    try:
        digest, actual = file_sha256(path)
    except FileNotFoundError:
        raise BackupError(f"{path}: missing from the backup") from None
    except OSError as exc:
        raise BackupError(f"{path}: unreadable: {exc.strerror or exc}") from None
    if digest != sha256 or actual != size:
        raise BackupError(
            f"{path}: tampered or damaged (SHA-256 {digest}, {actual} bytes; "
            f"the manifest says {sha256}, {size} bytes)"
        )


def copy_in(store: BlobStore, entries: list[BlobEntry], root: Path, on_progress: Progress) -> None:
    """Put every blob back into ``store`` (which re-verifies it) and re-apply its lock."""
    for entry in entries:
        key = BlobKey(entry.key)
        with open(blob_path(root, entry.key), "rb") as stream:
            store.put(key, stream, entry.size)
        if entry.retain_until is not None and entry.mode is not None:
            store.protect(key, _aware(entry.retain_until), LockMode(entry.mode))
        if entry.legal_hold:
            store.set_legal_hold(key, True)
        on_progress(entry.size)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
