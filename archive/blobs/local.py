"""BlobStore on a local directory: one file per blob, written atomically by rename."""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, BinaryIO

from archive.blobs.base import KEY_PATTERN, BlobInfo, BlobLock, BlobRetained, LockMode, check_key
from archive.errors import BlobIntegrityError, BlobNotFound, StorageUnavailable
from archive.hashing import copy_hashing
from archive.types import BlobKey


def _create(path: Path) -> BinaryIO:
    try:
        return open(path, "xb")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "xb")


def _fsync_dir(path: Path) -> None:
    # The rename is durable only once the directory entry is on disk too.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalBlobStore:
    """Blobs under ``root/sha256/ab/cd/<key>``; ``root/tmp`` holds writes in progress.

    Paths are built only from validated hex keys, so no input can name a file outside
    ``root``. Finished blobs are made read-only. Retention and legal hold live in a sidecar
    ``root/locks/ab/cd/<key>.json`` and are enforced here as S3 object lock would be; the
    system clock decides when a date has passed.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.url = f"file://{self.root}"
        self._blobs = self.root / "sha256"
        self._tmp = self.root / "tmp"
        self._locks = self.root / "locks"

    @classmethod
    def from_url(cls, url: str) -> LocalBlobStore:
        return cls(Path(url.removeprefix("file://")))

    def _path(self, key: BlobKey) -> Path:
        check_key(key)
        return self._blobs / key[:2] / key[2:4] / key

    def put(self, key: BlobKey, data: IO[bytes], size: int) -> BlobInfo:
        final = self._path(key)
        if final.exists():
            return BlobInfo(key, final.stat().st_size)
        tmp = self._tmp / f"{uuid.uuid4().hex}.part"
        try:
            with _create(tmp) as out:
                digest, length = copy_hashing(data, out)
                out.flush()
                os.fsync(out.fileno())
            if digest != key or length != size:
                raise BlobIntegrityError(key, digest)
            os.chmod(tmp, 0o444)
            try:
                os.replace(tmp, final)
            except FileNotFoundError:
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, final)
            _fsync_dir(final.parent)
        except OSError as exc:
            raise StorageUnavailable(f"{type(exc).__name__}: {exc.strerror or exc}") from None
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        return BlobInfo(key, length)

    def open(self, key: BlobKey) -> BinaryIO:
        try:
            return open(self._path(key), "rb")
        except FileNotFoundError:
            raise BlobNotFound(key) from None
        except OSError as exc:
            raise StorageUnavailable(f"{type(exc).__name__}: {exc.strerror or exc}") from None

    def stat(self, key: BlobKey) -> BlobInfo | None:
        try:
            return BlobInfo(key, self._path(key).stat().st_size)
        except FileNotFoundError:
            return None

    def keys(self) -> Iterator[BlobKey]:
        if not self._blobs.is_dir():
            return
        for _dirpath, _dirs, files in os.walk(self._blobs):
            for name in files:
                if KEY_PATTERN.fullmatch(name):
                    yield BlobKey(name)

    def check(self) -> None:
        try:
            self._tmp.mkdir(parents=True, exist_ok=True)
            probe = self._tmp / f"ready-{uuid.uuid4().hex}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise StorageUnavailable(f"{self.url}: {exc.strerror or exc}") from None

    def _lock_path(self, key: BlobKey) -> Path:
        check_key(key)
        return self._locks / key[:2] / key[2:4] / f"{key}.json"

    def lock(self, key: BlobKey) -> BlobLock:
        if self.stat(key) is None:
            raise BlobNotFound(key)
        try:
            raw = json.loads(self._lock_path(key).read_text())
        except FileNotFoundError:
            return BlobLock()
        except (OSError, ValueError) as exc:
            raise StorageUnavailable(f"lock of {key} unreadable: {exc}") from None
        until = raw.get("retain_until")
        return BlobLock(
            retain_until=datetime.fromisoformat(until) if until else None,
            mode=LockMode(raw["mode"]) if raw.get("mode") else None,
            legal_hold=bool(raw.get("legal_hold")),
        )

    def _write_lock(self, key: BlobKey, lock: BlobLock) -> None:
        path = self._lock_path(key)
        body = {
            "retain_until": lock.retain_until.astimezone(UTC).isoformat()
            if lock.retain_until
            else None,
            "mode": lock.mode.value if lock.mode else None,
            "legal_hold": lock.legal_hold,
        }
        tmp = path.with_suffix(f".{uuid.uuid4().hex}.part")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(body))
            os.replace(tmp, path)
        except OSError as exc:
            raise StorageUnavailable(f"{type(exc).__name__}: {exc.strerror or exc}") from None

    def protect(self, key: BlobKey, retain_until: datetime, mode: LockMode) -> BlobLock:
        current = self.lock(key)
        now = datetime.now(UTC)
        if retain_until <= now:
            return current
        if current.retained(now) and current.retain_until is not None:
            if current.mode is LockMode.COMPLIANCE and (
                mode is LockMode.GOVERNANCE or retain_until <= current.retain_until
            ):
                return current
            if mode is LockMode.GOVERNANCE and retain_until <= current.retain_until:
                return current
        # What is left extends the lock, or declares a record whose GOVERNANCE lock was provisional.
        new = BlobLock(retain_until, mode, current.legal_hold)
        self._write_lock(key, new)
        return new

    def set_legal_hold(self, key: BlobKey, on: bool) -> None:
        current = self.lock(key)
        if current.legal_hold != on:
            self._write_lock(key, BlobLock(current.retain_until, current.mode, on))

    def delete(self, key: BlobKey, *, bypass_governance: bool = False) -> None:
        path = self._path(key)
        if not path.exists():
            return
        why = self.lock(key).blocks_delete(datetime.now(UTC), bypass_governance=bypass_governance)
        if why is not None:
            raise BlobRetained(key, why)
        try:
            path.unlink(missing_ok=True)
            self._lock_path(key).unlink(missing_ok=True)
            _fsync_dir(path.parent)
        except OSError as exc:
            raise StorageUnavailable(f"{type(exc).__name__}: {exc.strerror or exc}") from None
