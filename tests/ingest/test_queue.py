"""The queue's production defaults: no one-second gap before each document, and a crashed
worker's document taken up again within two minutes."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from archive.processing import LEASE
from ingest.embedded_broker import _TAKE
from ingest.tasks import Priority, enqueue, make_celery, queue_of
from web.settings import Settings


def test_the_embedded_broker_is_polled_far_more_often_than_once_a_second(tmp_path: Path) -> None:
    app = make_celery(f"sqla+sqlite:///{tmp_path / 'queue.db'}")
    with app.connection_for_write() as connection:
        assert connection.transport.polling_interval <= 0.1
    app.close()


def test_the_default_lease_and_sweep_retry_a_crashed_worker_within_two_minutes() -> None:
    """The claim lapses one lease after the last renewal; the sweep runs every half lease."""
    lease = Settings().processing_lease_s
    assert lease == LEASE.total_seconds()
    assert lease * 1.5 <= 120
    app = make_celery("redis://127.0.0.1:1/0", sweep_every_s=lease / 2)
    assert app.conf.beat_schedule["sweep"]["schedule"] == lease / 2


def test_the_embedded_broker_keeps_no_delivered_message(tmp_path: Path) -> None:
    """GIVEN three messages on the embedded broker WHEN two are taken THEN only the one not
    yet taken is left in the queue file (kombu alone keeps delivered ones, and its query
    for the next message walks past all of them)."""
    app = make_celery(f"sqla+sqlite:///{tmp_path / 'queue.db'}")
    for document_id in ("a", "b", "c"):
        assert enqueue(app, document_id)
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        taken = [channel.basic_get("celery", no_ack=True) for _ in range(2)]
        assert all(message is not None for message in taken)
    app.close()
    with sqlite3.connect(tmp_path / "queue.db") as db:
        assert db.execute("SELECT count(*) FROM kombu_message").fetchone() == (1,)


def _take_plan(database: Path) -> str:
    with sqlite3.connect(database) as db:
        rows = db.execute(f"EXPLAIN QUERY PLAN {_TAKE}", (1,)).fetchall()
    return " / ".join(str(row[-1]) for row in rows)


def test_the_embedded_broker_takes_a_message_without_sorting_the_backlog(tmp_path: Path) -> None:
    """GIVEN 300 bulk messages and one interactive message WHEN messages are taken THEN the
    interactive one comes first, the bulk ones follow in the order sent, and the look finds
    the oldest through an index led by the queue (kombu's own sorted every waiting message
    at each look: 44 ms with 60,000 waiting, under the file's write lock)."""
    app = make_celery(f"sqla+sqlite:///{tmp_path / 'queue.db'}")
    bulk = queue_of(app, Priority.BULK)
    with app.producer_or_acquire() as producer, producer.channel.one_transaction():
        for n in range(300):
            app.send_task("bench.bulk", args=[n], queue=bulk, producer=producer)
    assert enqueue(app, "clerk-upload")
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        for queue in ("celery", bulk):
            channel.queue_declare(queue=queue)
        taken = [channel.basic_get(queue, no_ack=True) for queue in ("celery", *[bulk] * 300)]
        assert channel.basic_get("celery", no_ack=True) is None
        assert channel.basic_get(bulk, no_ack=True) is None
    app.close()
    assert [m.headers["argsrepr"] for m in taken] == [
        "['clerk-upload']",
        *[f"[{n}]" for n in range(300)],
    ]
    plan = _take_plan(tmp_path / "queue.db")
    assert "ix_kombu_message_take" in plan and "TEMP B-TREE" not in plan, plan


def test_a_queue_file_kept_by_an_earlier_bunko_gets_the_index_and_loses_delivered_messages(
    tmp_path: Path,
) -> None:
    """GIVEN a queue file as kombu alone left it (no take index; a delivered message kept
    beside a waiting one) WHEN a worker's channel opens it THEN the index exists, the delivered
    message is gone and the waiting one is taken."""
    database = tmp_path / "queue.db"
    with sqlite3.connect(database) as db:
        db.executescript(
            """
            CREATE TABLE kombu_queue (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                name VARCHAR(200), UNIQUE (name));
            CREATE TABLE kombu_message (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                visible BOOLEAN, timestamp DATETIME, payload TEXT NOT NULL,
                version SMALLINT NOT NULL, queue_id INTEGER);
            INSERT INTO kombu_queue (name) VALUES ('celery');
            """
        )
    app = make_celery(f"sqla+sqlite:///{database}")
    assert enqueue(app, "waiting")
    with sqlite3.connect(database) as db:
        db.execute("UPDATE kombu_message SET visible = 0")
    assert enqueue(app, "waiting-too")
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        channel.queue_declare(queue="celery")
        first = channel.basic_get("celery", no_ack=True)
    app.close()
    assert first is not None and first.headers["argsrepr"] == "['waiting-too']"
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM kombu_message").fetchone() == (0,)
    assert "ix_kombu_message_take" in _take_plan(database)


def test_messages_held_for_one_transaction_are_lost_with_it(tmp_path: Path) -> None:
    """GIVEN messages sent within ``one_transaction`` WHEN the block fails THEN none is written,
    and the channel sends the next message at once again."""
    app = make_celery(f"sqla+sqlite:///{tmp_path / 'queue.db'}")
    with app.producer_or_acquire() as producer:
        with contextlib.suppress(RuntimeError), producer.channel.one_transaction():
            app.send_task("bench.bulk", args=[1], producer=producer)
            raise RuntimeError("the import stopped")
        app.send_task("bench.bulk", args=[2], producer=producer)
    app.close()
    with sqlite3.connect(tmp_path / "queue.db") as db:
        assert db.execute("SELECT count(*) FROM kombu_message").fetchone() == (1,)
