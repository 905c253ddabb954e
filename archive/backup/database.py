"""Consistent database snapshots and their restore: SQLite's online backup, or pg_dump.

Both take one consistent view of the database and read, in that same view, which blobs
it refers to; so a backup made while uploads run holds exactly the blobs its rows name.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, func, inspect, select, text, union
from sqlalchemy.orm import Session

from archive.backup.manifest import AuditHead, BackupError
from archive.blob_refs import blob_columns, counted_tables
from archive.db import translate_db_errors
from archive.models import AuditEvent


@dataclass(frozen=True)
class Facts:
    """What one consistent view of the database holds."""

    keys: set[str]
    counts: dict[str, int]
    audit_head: AuditHead
    revision: str | None


def read_facts(session: Session) -> Facts:
    """Every blob the rows refer to, row counts, the audit chain's head, the schema revision."""
    query = union(*(select(column).where(column.is_not(None)) for column in blob_columns()))
    keys = {key for key in session.scalars(query) if key is not None}
    counts = {
        name: session.scalar(select(func.count()).select_from(model)) or 0
        for name, model in counted_tables().items()
    }
    head = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    revisions = session.scalars(text("SELECT version_num FROM alembic_version")).all()
    return Facts(
        keys,
        counts,
        AuditHead(seq=head.seq, hash=head.hash) if head else AuditHead(seq=0),
        "+".join(sorted(revisions)) or None,
    )


def snapshot(engine: Engine, directory: Path) -> tuple[Path, Facts]:
    """Write a consistent copy of the database into ``directory``; return its file and facts."""
    with translate_db_errors():
        if engine.dialect.name == "sqlite":
            if not _sqlite_path(engine).is_file():
                raise BackupError(f"{_sqlite_path(engine)}: no database to back up")
            return _snapshot_sqlite(engine, directory / "bunko.db")
        return _snapshot_postgres(engine, directory / "bunko.pgdump")


def _sqlite_path(engine: Engine) -> Path:
    return Path(str(engine.url.database)).resolve()


def _snapshot_sqlite(engine: Engine, out: Path) -> tuple[Path, Facts]:
    with (
        contextlib.closing(sqlite3.connect(_sqlite_path(engine))) as source,
        contextlib.closing(sqlite3.connect(out)) as copy,
    ):
        # One step: the whole database under one read snapshot (writers carry on under WAL).
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    reader = create_engine(f"sqlite:///{out}")
    try:
        with Session(reader) as session:
            facts = read_facts(session)
    finally:
        reader.dispose()
    return out, facts


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and the environment that carries the password."""
    url = engine.url.set(drivername="postgresql")
    env = {**os.environ, "PGPASSWORD": url.password or ""} if url.password else dict(os.environ)
    return url.set(password=None).render_as_string(hide_password=False), env


def _run(tool: str, args: list[str], env: dict[str, str]) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} not found: install the PostgreSQL client tools")
    done = subprocess.run([tool, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()][:3]
        raise BackupError(f"{tool} failed: {' | '.join(lines) or f'exit {done.returncode}'}")


def _snapshot_postgres(engine: Engine, out: Path) -> tuple[Path, Facts]:
    url, env = _libpq(engine)
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            # pg_dump reads the very snapshot this transaction holds open.
            exported = conn.scalar(text("SELECT pg_export_snapshot()"))
            facts = read_facts(Session(bind=conn))
            _run(
                "pg_dump", ["--format=custom", f"--snapshot={exported}", f"--file={out}", url], env
            )
    return out, facts


def ensure_empty(engine: Engine) -> None:
    """Refuse a target database that already holds any table."""
    with translate_db_errors(), _inspected(engine) as names:
        if names:
            shown = ", ".join(sorted(names)[:4]) + (", …" if len(names) > 4 else "")
            where = engine.url.render_as_string(hide_password=True)
            raise BackupError(
                f"refusing to restore over {where}: it already holds tables ({shown}); "
                "restore needs an empty database"
            )


@contextlib.contextmanager
def _inspected(engine: Engine) -> Iterator[list[str]]:
    with engine.connect() as conn:
        yield inspect(conn).get_table_names()
    engine.dispose()


def restore(engine: Engine, kind: str, dump: Path) -> None:
    """Load ``dump`` (made by ``snapshot``) into the empty database behind ``engine``."""
    if kind != engine.dialect.name:
        raise BackupError(
            f"{dump}: a {kind} backup cannot be restored into a {engine.dialect.name} database"
        )
    if kind == "sqlite":
        _restore_sqlite(engine, dump)
        return
    url, env = _libpq(engine)
    options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    _run("pg_restore", [*options, "-d", url, str(dump)], env)


def _restore_sqlite(engine: Engine, dump: Path) -> None:
    target = _sqlite_path(engine)
    engine.dispose()
    partial = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(dump, partial)
    for leftover in (
        target.with_name(target.name + "-wal"),
        target.with_name(target.name + "-shm"),
    ):
        leftover.unlink(missing_ok=True)
    os.replace(partial, target)
