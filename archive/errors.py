"""Errors of the archive core.

    ArchiveError
    ├── RecordNotFound          a document (or other record) does not exist or is not visible
    │   └── NotReadable         it exists, but the caller may not read it (a 404 all the same)
    ├── BlobNotFound            no blob under that key
    ├── BlobIntegrityError      bytes do not match their SHA-256 key
    ├── UploadTooLarge          more bytes than the configured limit
    ├── Forbidden               the caller lacks the permission (403)
    │   └── NotCleared          a whole (a batch, a request) holds items the caller may not read
    ├── Conflict                the request contradicts the record's state (409)
    ├── InvalidInput            empty file, missing part, malformed metadata or cursor
    └── BackendUnavailable      a backend (database, storage, ...) cannot be reached
        ├── StorageUnavailable
        └── DatabaseUnavailable

Backends translate their vendor's errors into these; ``web`` maps them to HTTP once.
"""

from __future__ import annotations


class ArchiveError(Exception):
    """Base of every error the archive core raises on purpose."""


class RecordNotFound(ArchiveError):
    pass


class NotReadable(RecordNotFound):
    """The record exists but names a document the caller may not read: answered like a missing
    one, and recorded in the audit log as ``denied``."""


class Forbidden(ArchiveError):
    pass


class NotCleared(Forbidden):
    """An action on a whole (a disposition batch, a disclosure request) that holds items the
    caller may not read: refused, and recorded in the audit log as ``denied``."""


class Conflict(ArchiveError):
    pass


class BlobNotFound(ArchiveError):
    def __init__(self, key: str) -> None:
        super().__init__(f"no blob {key}")
        self.key = key


class BlobIntegrityError(ArchiveError):
    def __init__(self, key: str, actual: str) -> None:
        super().__init__(f"blob {key} has SHA-256 {actual}")
        self.key = key
        self.actual = actual


class UploadTooLarge(ArchiveError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"upload exceeds the limit of {limit} bytes")
        self.limit = limit


class InvalidInput(ArchiveError):
    """Bad client input; ``status`` is 422 unless the input is well-formed but unusable (400)."""

    def __init__(self, message: str, *, field: str | None = None, status: int = 422) -> None:
        super().__init__(message)
        self.field = field
        self.status = status


class BackendUnavailable(ArchiveError):
    def __init__(self, backend: str, detail: str) -> None:
        super().__init__(f"{backend} unavailable: {detail}")
        self.backend = backend
        self.detail = detail


class StorageUnavailable(BackendUnavailable):
    def __init__(self, detail: str) -> None:
        super().__init__("storage", detail)


class DatabaseUnavailable(BackendUnavailable):
    def __init__(self, detail: str) -> None:
        super().__init__("database", detail)
