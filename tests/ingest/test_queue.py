"""The queue's production defaults: no one-second gap before each document, and a crashed
worker's document taken up again within two minutes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from archive.processing import LEASE
from ingest.tasks import enqueue, make_celery
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
