"""Backup and restore of the archive: a consistent database snapshot plus the blobs it names.

``create_backup`` runs while the service runs; ``restore_backup`` checks every file of a
snapshot against its manifest before it writes anything, and refuses a non-empty target.
The search index is not backed up: it is derived data, rebuilt by ``bunko reindex``.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from archive.audit import verify_chain
from archive.backup import database
from archive.backup.blobs import CopyTally, blob_path, check_file, copy_in, copy_out, file_sha256
from archive.backup.manifest import (
    LATEST,
    BackupError,
    DatabaseEntry,
    Manifest,
    find_snapshot,
    read_manifest,
    write_manifest,
)
from archive.blobs import BlobStore
from archive.db import upgrade

__all__ = [
    "BackupError",
    "BackupReport",
    "Manifest",
    "check_backup",
    "create_backup",
    "restore_backup",
]

Progress = Callable[[int], None]


@dataclass(frozen=True)
class BackupReport:
    snapshot: Path
    manifest: Manifest
    tally: CopyTally


def _writable(dest: Path) -> None:
    try:
        (dest / "snapshots").mkdir(parents=True, exist_ok=True)
        probe = dest / f".probe-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise BackupError(f"{dest}: not writable: {exc.strerror or exc}") from None


def create_backup(
    engine: Engine, store: BlobStore, dest: Path, *, on_progress: Progress = lambda _n: None
) -> BackupReport:
    """Back up the database and every blob it refers to into ``dest`` (incrementally)."""
    _writable(dest)
    created = datetime.now(UTC)
    name = created.strftime("%Y%m%dT%H%M%S%fZ")
    partial = dest / "snapshots" / f".{name}.part"
    try:
        partial.mkdir()
        db_file, facts = database.snapshot(engine, partial)
        digest, size = file_sha256(db_file)
        entries, tally = copy_out(store, facts.keys, dest / "blobs", on_progress)
        manifest = Manifest(
            created_at=created,
            database=DatabaseEntry(
                kind="sqlite" if engine.dialect.name == "sqlite" else "postgresql",
                file=db_file.name,
                sha256=digest,
                size=size,
                revision=facts.revision,
            ),
            counts=facts.counts,
            audit_head=facts.audit_head,
            blobs=entries,
        )
        write_manifest(manifest, partial)
        final = dest / "snapshots" / name
        os.replace(partial, final)
        latest = dest / f".{LATEST}.part"
        latest.write_text(name + "\n")
        os.replace(latest, dest / LATEST)
    except OSError as exc:
        raise BackupError(f"{dest}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return BackupReport(final, manifest, tally)


def check_backup(src: Path) -> tuple[Path, Path, Manifest]:
    """Verify a snapshot's manifest, database file and every blob; raise naming the first bad file."""
    snapshot, blobs = find_snapshot(src)
    manifest = read_manifest(snapshot)
    check_file(snapshot / manifest.database.file, manifest.database.sha256, manifest.database.size)
    for entry in manifest.blobs:
        check_file(blob_path(blobs, entry.key), entry.key, entry.size)
    return snapshot, blobs, manifest


def restore_backup(
    sessions: sessionmaker[Session],
    store: BlobStore,
    src: Path,
    *,
    on_progress: Progress = lambda _n: None,
) -> Manifest:
    """Restore the snapshot ``src`` names into the empty database of ``sessions`` and an empty
    blob store.

    Every file is checked first; the restored database must then hold the manifest's row
    counts and audit head, and its audit chain must verify (with the sessions' audit key).
    """
    engine: Engine = sessions.kw["bind"]
    snapshot, blobs, manifest = check_backup(src)
    if manifest.database.kind != engine.dialect.name:
        raise BackupError(
            f"{snapshot}: a {manifest.database.kind} backup cannot be restored into a "
            f"{engine.dialect.name} database"
        )
    database.ensure_empty(engine)
    if next(iter(store.keys()), None) is not None:
        raise BackupError(
            f"refusing to restore into {store.url}: it already holds blobs; "
            "restore needs an empty store"
        )
    database.restore(engine, manifest.database.kind, snapshot / manifest.database.file)
    copy_in(store, manifest.blobs, blobs, on_progress)
    upgrade(engine)
    with sessions() as session:
        facts = database.read_facts(session)
        chain = verify_chain(session)
    if facts.counts != manifest.counts or facts.audit_head != manifest.audit_head:
        raise BackupError(f"{snapshot}: the restored database does not match its manifest")
    if not chain.ok:
        raise BackupError(
            f"restored audit log broken at entry {chain.first_bad_seq}: {chain.problem}"
        )
    return manifest
