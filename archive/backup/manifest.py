"""The manifest of one backup snapshot: what it holds and the SHA-256 of every file.

A backup directory (``DEST``) looks like this::

    DEST/LATEST                          name of the newest complete snapshot
    DEST/blobs/sha256/ab/cd/<key>        every blob any snapshot refers to, written once
    DEST/snapshots/<name>/manifest.json  this manifest
    DEST/snapshots/<name>/<database>     bunko.db (SQLite online backup) or bunko.pgdump

Blobs are content-addressed, so a second backup to the same ``DEST`` copies only new ones.
A snapshot directory appears (by rename) only once complete, and ``LATEST`` moves after it.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from archive.errors import ArchiveError

MANIFEST = "manifest.json"
LATEST = "LATEST"
SHA256 = r"^[0-9a-f]{64}$"


class BackupError(ArchiveError):
    """A backup cannot be made or restored; the message names the file or target at fault."""


class BlobEntry(BaseModel):
    key: str = Field(pattern=SHA256)
    size: int = Field(ge=0)
    retain_until: datetime | None = None
    mode: Literal["GOVERNANCE", "COMPLIANCE"] | None = None
    legal_hold: bool = False


class DatabaseEntry(BaseModel):
    kind: Literal["sqlite", "postgresql"]
    file: str = Field(pattern=r"^[A-Za-z0-9._-]+$")
    sha256: str = Field(pattern=SHA256)
    size: int = Field(ge=0)
    revision: str | None
    """The Alembic revision of the schema in the snapshot."""


class AuditHead(BaseModel):
    seq: int = Field(ge=0)
    hash: str | None = None


class Manifest(BaseModel):
    format: Literal[1] = 1
    created_at: datetime
    database: DatabaseEntry
    counts: dict[str, int]
    """Rows per table that matters to a records officer (documents, versions, holds, ...)."""
    audit_head: AuditHead
    blobs: list[BlobEntry]

    @property
    def total_bytes(self) -> int:
        return self.database.size + sum(blob.size for blob in self.blobs)


def write_manifest(manifest: Manifest, directory: Path) -> None:
    path = directory / MANIFEST
    with open(path, "w", encoding="utf-8") as out:
        out.write(manifest.model_dump_json(indent=1))
        out.flush()
        os.fsync(out.fileno())


def read_manifest(directory: Path) -> Manifest:
    """Load and validate ``directory/manifest.json``; a clear ``BackupError`` naming it otherwise."""
    path = directory / MANIFEST
    try:
        raw = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise BackupError(f"{path}: no manifest (not a Bunko backup snapshot)") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path}: unreadable manifest: {exc}") from None
    try:
        return Manifest.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BackupError(f"{path}: corrupt manifest at {where or 'top'}: {first['msg']}") from None


def find_snapshot(src: Path) -> tuple[Path, Path]:
    """The snapshot directory and the blob directory that ``src`` names.

    ``src`` is a backup directory (its ``LATEST`` snapshot is used) or one snapshot in it.
    """
    if not src.is_dir():
        raise BackupError(f"{src}: no such backup directory")
    latest = src / LATEST
    if latest.is_file():
        name = latest.read_text().strip()
        snapshot = src / "snapshots" / name
        if not name or "/" in name or not snapshot.is_dir():
            raise BackupError(f"{latest}: names no snapshot in {src / 'snapshots'}")
        return snapshot, src / "blobs"
    if (src / MANIFEST).is_file():
        return src, src.parent.parent / "blobs"
    raise BackupError(f"{src}: neither {LATEST} nor {MANIFEST} found (not a Bunko backup)")
