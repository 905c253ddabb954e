"""The embedded stack's broker: kombu's SQLAlchemy transport on a SQLite file, made fit for
a queue of a hundred thousand messages.

kombu's channel looks a queue's name up before every message it sends or takes, and takes
the oldest message by sorting every waiting one (its indexes do not lead with the queue):
with 60,000 bulk messages waiting, a worker's look at both queues cost 44 ms (``bench.queue_take``),
holding the file's write lock meanwhile. Here the queue's id is looked up once, the oldest message
is found through an index led by the queue, and it is taken and deleted in one statement.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from kombu.transport.sqlalchemy import Channel as SqlaChannel
from kombu.transport.sqlalchemy import Transport as SqlaTransport
from kombu.transport.virtual import Empty
from kombu.utils.json import dumps, loads
from kombu.utils.scheduling import FairCycle
from sqlalchemy import Connection, Engine, event

EMBEDDED_POLL_S = 0.01
"""How often a worker on the embedded (SQLite) broker looks for a new message; kombu's
default of one second made every document wait a second for its worker, and 50 ms half
of that on average. A look that finds the queue file unchanged costs one ``PRAGMA``."""

_TAKE_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_kombu_message_take"
    " ON kombu_message (queue_id, visible, timestamp, id)"
)
_TAKE = (
    "DELETE FROM kombu_message WHERE id = (SELECT id FROM kombu_message"
    " WHERE queue_id = ? AND visible = 1 ORDER BY timestamp, id LIMIT 1) RETURNING payload"
)
_PUT = (
    "INSERT INTO kombu_message (visible, timestamp, payload, version, queue_id)"
    " VALUES (1, NULL, ?, 1, ?)"
)
_DELIVERED = "DELETE FROM kombu_message WHERE visible = 0"
"""Messages kombu marked delivered (earlier Bunkos kept them): none is recoverable."""


class _InNameOrder(FairCycle):
    """Ask the queues in name order every time (``q`` before ``q.bulk``), not in turn."""

    def get(self, callback: Callable[..., Any], **kwargs: Any) -> Any:
        for queue in sorted(self.resources):
            try:
                return self.fun(queue, callback, **kwargs)
            except self.predicate:
                continue
        raise self.predicate()


class EmbeddedChannel(SqlaChannel):
    """Takes a message in one statement, sends through a cached queue id, and can hold the
    messages sent within ``one_transaction`` for one commit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._empty_at: dict[str, int] = {}
        self._changes: sqlite3.Connection | None = None
        self._queue_ids: dict[str, int] = {}
        self._held: list[tuple[str, int]] | None = None
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]

    def _engine_from_config(self) -> Engine:
        engine: Engine = super()._engine_from_config()  # type: ignore[no-untyped-call]
        event.listen(engine, "connect", _queue_pragmas)
        return engine

    def _open(self) -> Any:
        opened = super()._open()  # type: ignore[no-untyped-call]
        with opened[0].begin() as connection:  # once per channel: the file may be older
            connection.exec_driver_sql(_TAKE_INDEX)
            connection.exec_driver_sql(_DELIVERED)
        return opened

    def _queue_id(self, queue: str) -> int:
        """The queue's row id (created if new); queue rows are never deleted."""
        if queue not in self._queue_ids:
            self._queue_ids[queue] = int(self._get_or_create(queue).id)  # type: ignore[no-untyped-call]
            self.session.commit()
        return self._queue_ids[queue]

    def _get(self, queue: str, timeout: Any = None) -> Any:
        # A queue found empty is only looked at again once another connection has committed
        # to the file (SQLite's data_version, read before the look, so a message sent during
        # it counts).
        version = self._data_version()
        if version is not None and self._empty_at.get(queue) == version:
            raise Empty()
        queue_id = self._queue_id(queue)
        with self._committed() as connection:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            taken = connection.exec_driver_sql(_TAKE, (queue_id,)).fetchall()
        if not taken:
            if version is not None:
                self._empty_at[queue] = version
            raise Empty()
        return loads(taken[0][0])  # type: ignore[no-untyped-call]

    def _data_version(self) -> int | None:
        """Changes other connections committed to the queue file (``PRAGMA data_version``,
        on a connection of its own); None when it cannot be read."""
        try:
            if self._changes is None:
                path = self.session.bind.url.database
                if not path or path == ":memory:":
                    return None
                self._changes = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            return int(self._changes.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None

    def close(self) -> None:
        if self._changes is not None:
            self._changes.close()
            self._changes = None
        super().close()  # type: ignore[no-untyped-call]

    def _put(self, queue: Any, message: Any, **kwargs: Any) -> None:  # type: ignore[override]
        row = (dumps(message), self._queue_id(queue))  # type: ignore[no-untyped-call]
        if self._held is not None:
            self._held.append(row)
            return
        self._write([row])

    def _write(self, rows: list[tuple[str, int]]) -> None:
        with self._committed() as connection:
            connection.exec_driver_sql(_PUT, rows)

    @contextlib.contextmanager
    def _committed(self) -> Iterator[Connection]:
        """The session's connection, committed after the block (rolled back if it fails).
        Not ``Session.begin``: kombu's own queries leave the session's transaction open."""
        try:
            yield self.session.connection()
            self.session.commit()
        except BaseException:
            self.session.rollback()
            raise

    @contextlib.contextmanager
    def one_transaction(self) -> Iterator[None]:
        """Messages sent within are written in one transaction, at the end."""
        self._held = []
        try:
            yield
            if self._held:
                self._write(self._held)
        finally:
            self._held = None

    def _reset_cycle(self) -> None:
        self._cycle = _InNameOrder(  # type: ignore[no-untyped-call]
            self._get_and_deliver, self._active_queues, Empty
        )


def _queue_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """The queue file as the database file is kept (``archive.db``): a write-ahead log,
    synced at checkpoints rather than at every commit. SQLite's default (a rollback journal
    synced at every commit) cost each upload and each message taken tens of milliseconds
    here. A message lost in a power cut is found by the sweep (the document row is the
    durable record of pending work)."""
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class EmbeddedTransport(SqlaTransport):
    """kombu's SQLAlchemy transport, polling every ``EMBEDDED_POLL_S``, queues in name order,
    its file in WAL mode, a message taken in one statement and deleted.

    A class attribute, because the transport hands all its options to ``create_engine``,
    which refuses ``polling_interval``.
    """

    polling_interval = EMBEDDED_POLL_S
    Channel = EmbeddedChannel
