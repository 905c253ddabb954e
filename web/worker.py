"""Running Celery workers: ``bunko worker``, and the one ``bunko serve`` keeps beside it."""

from __future__ import annotations

import ctypes
import logging
import signal
import subprocess
import sys
import threading
import time

from sqlalchemy.orm import Session, sessionmaker

from disclosure import announce_due_soon
from ingest import PeriodicJob, Priority, make_celery, queue_of
from retention import today_in_japan
from web.services import build_services
from web.settings import Settings

log = logging.getLogger("bunko.worker")


DUE_SOON = "bunko.disclosure_due_soon"


def periodic_jobs(settings: Settings) -> list[PeriodicJob]:
    """The scheduled work of the layers above ``ingest``."""

    def due_soon(sessions: sessionmaker[Session]) -> int:
        with sessions.begin() as session:
            return announce_due_soon(
                session, today=today_in_japan(), within_days=settings.disclosure_due_soon_days
            )

    return [PeriodicJob(DUE_SOON, settings.disclosure_due_soon_every_s, due_soon)]


def run_worker(settings: Settings, *, concurrency: int, beat: bool) -> None:
    """Run a worker in this process until it is stopped (prefork pool, so time limits hold).

    ``concurrency`` also bounds how many pages of one scan are OCRed at once.
    """
    settings = settings.model_copy(update={"worker_concurrency": concurrency})
    app = make_celery(
        settings.broker_url,
        queue=settings.queue,
        context=lambda: build_services(settings).pipeline(),
        deliver_every_s=settings.webhook_every_s,
        sweep_every_s=settings.processing_lease_s / 2,
        periodic=periodic_jobs(settings),
    )
    argv = [
        "worker",
        "--pool=prefork",
        f"--concurrency={concurrency}",
        "--loglevel=INFO",
        "--without-mingle",
        "--without-gossip",
        # Both priorities; the transport asks them in name order (ingest.tasks).
        f"--queues={queue_of(app, Priority.INTERACTIVE)},{queue_of(app, Priority.BULK)}",
    ]
    if beat:
        # The scheduler keeps its state here; at scale nothing else may have made the folder.
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        argv += ["--beat", f"--schedule={settings.data_dir / 'celerybeat-schedule'}"]
    app.worker_main(argv)


def run_embedded() -> None:
    """The process of ``bunko serve``'s embedded worker: ``bunko worker --beat`` with the same
    settings, but without preparing the backends again (the server did, just before)."""
    settings = Settings()
    run_worker(settings, concurrency=settings.worker_concurrency, beat=True)


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child: get SIGTERM when ``bunko serve`` dies, however it dies (Linux).

    Without it a server that is killed leaves its worker running on a queue nobody feeds.
    """
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class EmbeddedWorker:
    """A ``bunko worker`` child process, restarted if it dies, stopped with the server."""

    def __init__(self) -> None:
        self._argv = [sys.executable, "-c", "from web.worker import run_embedded; run_embedded()"]
        self._proc: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._supervise, name="bunko-embedded-worker", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def _supervise(self) -> None:
        backoff = 1.0
        while not self._stopping.is_set():
            started = time.monotonic()
            self._proc = subprocess.Popen(self._argv, preexec_fn=_die_with_parent)
            code = self._proc.wait()
            if self._stopping.is_set():
                return
            backoff = 1.0 if time.monotonic() - started > 60 else min(backoff * 2, 60.0)
            log.error("embedded worker exited with %s; restarting in %.0f s", code, backoff)
            self._stopping.wait(backoff)

    def stop(self) -> None:
        self._stopping.set()
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._proc.kill()
        self._thread.join(timeout=5)
