"""Database engine, sessions and schema migrations (SQLite embedded, PostgreSQL at scale)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import DateTime, Dialect, Engine, MetaData, TypeDecorator, create_engine, event, exc
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from archive.errors import DatabaseUnavailable

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the database keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def make_engine(url: str, *, timeout_s: float = 30.0) -> Engine:
    """Create an engine for ``url``; SQLite gets foreign keys, WAL and serialised writers."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": timeout_s, "isolation_level": None})
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        connect_args={"connect_timeout": max(1, int(timeout_s))},
    )


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are zeroed, not left in free pages
    cursor.close()


_READ_ONLY = "bunko_read_only"


def _sqlite_begin_immediate(conn: Any) -> None:
    # A deferred SQLite transaction that reads and then writes fails with SQLITE_BUSY when
    # another writer committed in between (WAL snapshots cannot be upgraded); taking the
    # write lock at BEGIN makes writers queue on the busy timeout instead. A transaction
    # begun by ``begin_reading`` never writes, so it reads a snapshot without the lock.
    read_only = conn.get_execution_options().get(_READ_ONLY, False)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def begin_reading(session: Session) -> None:
    """Begin ``session``'s transaction as one that only reads: on SQLite it does not take the
    write lock, so it does not queue behind writers (nor they behind it). Writing in it
    fails on SQLite when another writer committed first."""
    session.connection(execution_options={_READ_ONLY: True})


def truncate_write_ahead_log(session: Session) -> None:
    """On SQLite, checkpoint and empty the WAL, which keeps pages as they were before a delete.

    PostgreSQL reuses the space of deleted rows after ``VACUUM``; it is not scrubbed here.
    """
    engine = session.get_bind().engine
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()


def make_session_factory(
    engine: Engine, info: dict[str, object] | None = None
) -> sessionmaker[Session]:
    """Sessions on ``engine``; ``info`` is given to every session (say, the audit key)."""
    return sessionmaker(engine, expire_on_commit=False, info=info)


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (safe to run from several processes).

    A database already at the newest migration is only read: every ``bunko serve``,
    worker and ``db upgrade`` runs this, and Alembic's command loads every migration script
    and runs its environment (a lock on PostgreSQL) even when there is nothing to do.
    Alembic itself is imported here, not on import: only the processes that migrate need it.
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with engine.begin() as conn:
        if MigrationContext.configure(conn).get_current_revision() == _newest_migration():
            return
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def alembic_config() -> Config:
    """Alembic's configuration for Bunko's migrations (the caller adds the connection)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@functools.cache
def _newest_migration() -> str | None:
    """The head revision of the migration scripts (they do not change while a process runs)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


DB_ERRORS = (exc.OperationalError, exc.InterfaceError, exc.DisconnectionError)


@contextmanager
def translate_db_errors() -> Iterator[None]:
    """Turn "cannot reach or use the database" driver errors into ``DatabaseUnavailable``."""
    try:
        yield
    except DB_ERRORS as err:
        raise DatabaseUnavailable(
            str(err.orig if hasattr(err, "orig") else err).splitlines()[0]
        ) from None
