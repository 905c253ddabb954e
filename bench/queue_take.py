"""The embedded broker against kombu's own SQLAlchemy transport, as the backlog grows.

    .venv/bin/python -m bench.queue_take [--backlog 1000,10000,100000] [--takes 200]

A bulk import queues one message per document, so a 100,000-document import leaves tens of
thousands waiting while the workers take them. For each backlog: the bulk queue is filled
(one transaction), then ``--takes`` messages are taken the way a worker's consumer does
(the interactive queue looked at first, then the bulk one), with Bunko's channel and with
kombu's own, on the same file; ms per message taken, and the ratio.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from kombu import Connection

from bench.pipeline_http import load
from ingest.embedded_broker import EmbeddedTransport
from ingest.tasks import NEXT_BULK, Priority, enqueue_bulk, make_celery, queue_of


def _fill(database: Path, count: int) -> tuple[str, str]:
    """Queue ``count`` bulk messages; the interactive and the bulk queue's names."""
    app = make_celery(f"sqla+sqlite:///{database}")
    assert enqueue_bulk(app, count)
    queues = queue_of(app, Priority.INTERACTIVE), queue_of(app, Priority.BULK)
    app.close()
    return queues


def _take(database: Path, queues: tuple[str, str], takes: int, transport: object) -> float:
    """Seconds per message taken: the interactive queue looked at (empty), then the bulk one."""
    interactive, bulk = queues
    with Connection(f"sqlite:///{database}", transport=transport) as connection:
        channel = connection.default_channel
        for queue in queues:
            channel.queue_declare(queue=queue)
        started = time.perf_counter()
        for _ in range(takes):
            assert channel.basic_get(interactive, no_ack=True) is None
            message = channel.basic_get(bulk, no_ack=True)
            assert message is not None and message.headers["task"] == NEXT_BULK
        return (time.perf_counter() - started) / takes


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench.queue_take")
    parser.add_argument("--backlog", default="1000,10000,100000")
    parser.add_argument("--takes", type=int, default=200)
    options = parser.parse_args(argv[1:])
    print(f"{'waiting':>9} {'Bunko ms/msg':>13} {'kombu ms/msg':>13} {'ratio':>7}")
    for backlog in [int(n) for n in options.backlog.split(",")]:
        with tempfile.TemporaryDirectory(dir="/var/tmp") as work:
            database = Path(work) / "queue.db"
            queues = _fill(database, backlog + 2 * options.takes)
            # kombu's own first, on its own indexes: Bunko's channel adds its index, and
            # deletes what kombu leaves marked delivered.
            with sqlite3.connect(database) as db:
                db.execute("DROP INDEX ix_kombu_message_take")
            kombu = _take(database, queues, options.takes, "sqlalchemy")
            with sqlite3.connect(database) as db:
                db.execute("DELETE FROM kombu_message WHERE visible = 0")
            bunko = _take(database, queues, options.takes, EmbeddedTransport)
        print(
            f"{backlog:9,} {bunko * 1000:13.2f} {kombu * 1000:13.2f} {kombu / bunko:6.0f}x  {load()}"
        )


if __name__ == "__main__":
    main(sys.argv)
