"""Celery: the app, its settings, and thin task wrappers around the pipeline.

Task arguments are JSON (document ids). Tasks are idempotent and acknowledged late;
the document row, not the queue, is the durable record of pending work, and the
``sweep`` task re-queues whatever waits too long (after a crash, or a broker outage).
It runs every half lease, so a document whose worker died is taken up again within about
one and a half leases (90 s with the default 60 s lease).

Priorities: interactive uploads go to the queue ``<queue>``, bulk imports to
``<queue>.bulk``. Workers consume both and always look at them in name order, so a bulk
document is only taken when no interactive one waits (a clerk's upload waits at most for
the documents already being processed). kombu's Redis transport does this with its
``sorted`` queue order; its SQLAlchemy transport only rotates fairly between queues, so the
embedded transport's channel looks in name order itself. Neither broker needs message
priorities (which the SQLAlchemy transport lacks).

Shares: a bulk message names no document. The worker that takes one processes the next
document of the sender served least recently (``archive.bulk_shares``), so concurrent
imports take turns whatever their sizes; the sweep tops the bulk queue up to one message
per waiting bulk document if messages were lost (docs/decisions/0004-bulk-shares.md).
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from celery import Celery, Task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_shutdown, worker_ready
from sqlalchemy.orm import Session, sessionmaker

from archive import LEASE, Waiting, deliver, next_bulk, waiting_documents
from ingest.embedded_broker import EmbeddedChannel, EmbeddedTransport
from ingest.index_queue import IndexQueue
from ingest.language import load_model
from ingest.pipeline import (
    Outcome,
    PipelineContext,
    TransientFailure,
    fail_document,
    index_document,
    process_next,
)
from search import SearchUnavailable

log = logging.getLogger("bunko.ingest")

PROCESS = "bunko.process_document"
NEXT_BULK = "bunko.process_next_bulk"
INDEX = "bunko.index_document"
SWEEP = "bunko.sweep"
DELIVER = "bunko.deliver_webhooks"
SOFT_TIME_LIMIT_S = 20 * 60
CLAIM_RACES = 5
"""Times a bulk message looks again when other workers claimed the documents it chose."""


class Priority(enum.StrEnum):
    INTERACTIVE = "interactive"
    BULK = "bulk"


def queue_of(app: Celery, priority: Priority) -> str:
    """The broker queue of ``priority``: the app's queue, or its ``.bulk`` sibling."""
    queue = str(app.conf.task_default_queue)
    return queue if priority is Priority.INTERACTIVE else f"{queue}.bulk"


@dataclass(frozen=True)
class PeriodicJob:
    """Work the scheduler sends every ``every_s`` seconds (and once when a worker starts).

    ``run`` gets the worker's sessions and returns how many things it did; the layers above
    ``ingest`` hand their periodic work in this way.
    """

    name: str
    every_s: float
    run: Callable[[sessionmaker[Session]], int]


class _Contexts:
    """One ``PipelineContext`` per worker process, built after the fork (engines are not
    fork-safe), with the process's ``IndexQueue``."""

    def __init__(self, factory: Callable[[], PipelineContext]) -> None:
        self._factory = factory
        self._built: tuple[int, PipelineContext] | None = None

    def get(self) -> PipelineContext:
        if self._built is None or self._built[0] != os.getpid():
            ctx = self._factory()
            if ctx.index is not None:
                ctx = replace(ctx, index_queue=IndexQueue(ctx.sessions, ctx.store, ctx.index))
            self._built = (os.getpid(), ctx)
        return self._built[1]

    def flush(self) -> None:
        """Index what this process's queue still holds (the process is about to exit)."""
        if self._built is not None and self._built[0] == os.getpid():
            queue = self._built[1].index_queue
            if queue is not None:
                queue.flush()


def make_celery(
    broker_url: str,
    context: Callable[[], PipelineContext] | None = None,
    *,
    queue: str = "celery",
    sweep_every_s: float = LEASE.total_seconds() / 2,
    deliver_every_s: float = 5.0,
    periodic: Sequence[PeriodicJob] = (),
) -> Celery:
    """The Celery app. Producers pass no ``context``; workers pass a factory of their backends.

    Producers and workers of one Bunko use the same ``queue``, so several Bunkos can share a
    broker. The scheduler (``--beat``) sweeps every half of the lease and sends webhook
    deliveries every ``deliver_every_s`` seconds, and each ``periodic`` job at its interval.
    """
    transport = None
    if broker_url.startswith("sqla+"):
        broker_url, transport = broker_url.removeprefix("sqla+"), EmbeddedTransport
    app = Celery("bunko", broker=broker_url, set_as_current=False)
    app.conf.update(
        broker_transport=transport,
        broker_transport_options={} if transport else {"queue_order_strategy": "sorted"},
        task_default_queue=queue,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        task_soft_time_limit=SOFT_TIME_LIMIT_S,
        task_time_limit=SOFT_TIME_LIMIT_S + 60,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=5,
        worker_hijack_root_logger=False,
        beat_schedule={
            "sweep": {"task": SWEEP, "schedule": sweep_every_s},
            "deliver": {"task": DELIVER, "schedule": deliver_every_s, "options": {"expires": 60}},
            **{
                job.name: {"task": job.name, "schedule": job.every_s, "options": {"expires": 60}}
                for job in periodic
            },
        },
    )
    if context is not None:
        load_model()  # before the pool forks: every worker process starts with it
        contexts = _Contexts(context)
        _register_tasks(app, contexts)
        for job in periodic:
            _register_periodic(app, contexts, job)
    return app


def _process_one(
    ctx: PipelineContext, choose: Callable[[Session], str | None], task_id: str | None
) -> Outcome | None:
    """Process the document ``choose`` picks (``process_next``), failed when the task's time
    limit stops it; None when ``choose`` found none."""
    chosen: list[str] = []

    def remembered(session: Session) -> str | None:
        found = choose(session)
        chosen.extend([found] if found is not None else [])
        return found

    try:
        done = process_next(ctx, remembered)
    except SoftTimeLimitExceeded:
        if not chosen:
            raise  # stopped before a document was chosen: there is none to fail
        fail_document(
            ctx, chosen[0], f"processing took longer than {SOFT_TIME_LIMIT_S // 60} minutes"
        )
        done = chosen[0], Outcome.FAILED
    if done is None:
        return None
    log.info("document %s: %s (task %s)", *done, task_id)
    return done[1]


def _register_tasks(app: Celery, contexts: _Contexts) -> None:
    retrying: dict[str, Any] = {
        "autoretry_for": (TransientFailure,),
        "retry_backoff": 5,
        "retry_backoff_max": 300,
        "max_retries": 8,
    }

    @app.task(name=PROCESS, bind=True, **retrying)  # type: ignore[untyped-decorator]
    def process(task: Task, document_id: str) -> str:
        return str(_process_one(contexts.get(), lambda _session: document_id, task.request.id))

    @app.task(name=NEXT_BULK, bind=True, **retrying)  # type: ignore[untyped-decorator]
    def process_next_bulk(task: Task) -> str:
        ctx = contexts.get()
        for _ in range(CLAIM_RACES):
            outcome = _process_one(ctx, next_bulk, task.request.id)
            if outcome is None:
                return "no bulk document waiting"
            if outcome is not Outcome.SKIPPED:
                return str(outcome)
        return "every document chosen was claimed by another worker"

    @app.task(  # type: ignore[untyped-decorator]
        name=INDEX,
        autoretry_for=(TransientFailure,),
        retry_backoff=5,
        retry_backoff_max=300,
        max_retries=8,
    )
    def index(document_id: str) -> bool:
        try:
            return index_document(contexts.get(), document_id)
        except SearchUnavailable as exc:
            raise TransientFailure(str(exc)) from None

    @app.task(name=SWEEP)  # type: ignore[untyped-decorator]
    def sweep() -> int:
        ctx = contexts.get()
        with ctx.sessions() as session:
            waiting = waiting_documents(session, lease=ctx.lease)
        return requeue(app, waiting)

    @app.task(name=DELIVER)  # type: ignore[untyped-decorator]
    def deliver_webhooks() -> int:
        ctx = contexts.get()
        return deliver(ctx.sessions, ctx.webhooks) if ctx.webhooks is not None else 0

    @worker_process_shutdown.connect(weak=False)  # type: ignore[untyped-decorator]
    def _flush(**_: object) -> None:
        contexts.flush()

    @worker_ready.connect(weak=False)  # type: ignore[untyped-decorator]
    def _resume(sender: object, **_: object) -> None:
        # After a restart, pick up what was pending at once rather than at the next sweep.
        app.send_task(SWEEP)


def _register_periodic(app: Celery, contexts: _Contexts, job: PeriodicJob) -> None:
    @app.task(name=job.name)  # type: ignore[untyped-decorator]
    def periodic() -> int:
        done = job.run(contexts.get().sessions)
        if done:
            log.info("%s: %d", job.name, done)
        return done

    @worker_ready.connect(weak=False)  # type: ignore[untyped-decorator]
    def _first(sender: object, **_: object) -> None:
        app.send_task(job.name)


def requeue(app: Celery, waiting: Waiting) -> int:
    """Send the messages of ``waiting`` documents (the sweep); return how many."""
    for document_id in waiting.to_process:
        priority = Priority.BULK if document_id in waiting.bulk else Priority.INTERACTIVE
        app.send_task(PROCESS, args=[document_id], queue=queue_of(app, priority))
    for document_id in waiting.to_index:
        app.send_task(INDEX, args=[document_id], queue=queue_of(app, Priority.INTERACTIVE))
    missing = _lost_bulk_messages(app, waiting.in_shares)
    for _ in range(missing):
        app.send_task(NEXT_BULK, queue=queue_of(app, Priority.BULK))
    count = len(waiting.to_process) + len(waiting.to_index) + missing
    if count:
        log.info("re-queued %d waiting documents", count)
    return count


def _lost_bulk_messages(app: Celery, in_shares: int) -> int:
    """Bulk documents waiting beyond the bulk queue's messages (messages lost with a broker).

    A message a worker holds is not counted in the queue, so a few extra may be sent: one
    that finds nothing to do is harmless, one missing would leave a document to wait.
    """
    depth = queue_depth(app, queue_of(app, Priority.BULK)) if in_shares else 0
    return 0 if depth is None else max(0, in_shares - depth)


def queue_depth(app: Celery, queue: str) -> int | None:
    """Messages waiting in ``queue`` (not those a worker holds); None if the broker is down."""
    try:
        with app.connection_for_read() as connection:
            declared = connection.default_channel.queue_declare(queue=queue, passive=False)
    except Exception as exc:
        log.warning("could not read the depth of %s: %s", queue, exc)
        return None
    return int(declared.message_count)


def enqueue_bulk(app: Celery, count: int) -> bool:
    """Send ``count`` "next bulk document" messages (one per bulk document just stored) at
    once: on the embedded broker in one transaction rather than one each. False when the
    broker cannot be reached (the sweep sends what is missing)."""
    try:
        with app.producer_or_acquire() as producer:
            channel = producer.channel
            held = (
                channel.one_transaction()
                if isinstance(channel, EmbeddedChannel)
                else contextlib.nullcontext()
            )
            with held:
                for _ in range(count):
                    app.send_task(NEXT_BULK, queue=queue_of(app, Priority.BULK), producer=producer)
    except Exception as exc:
        log.warning("could not enqueue %d bulk documents: %s", count, exc)
        return False
    return True


def enqueue(
    app: Celery, document_id: str, *, task: str = PROCESS, priority: Priority = Priority.INTERACTIVE
) -> bool:
    """Ask the workers to process (or with ``task=INDEX`` re-index) a document; ``BULK``
    waits behind every interactive one, and its message is "the next bulk document" of the
    fairest share, not this one (the document must have its ``bulk_share``).

    False when the broker cannot be reached: a document whose message is lost keeps its
    status and the sweep finds it.
    """
    bulk = task == PROCESS and priority is Priority.BULK
    try:
        if bulk:
            app.send_task(NEXT_BULK, queue=queue_of(app, priority))
        else:
            app.send_task(task, args=[document_id], queue=queue_of(app, priority))
    except Exception as exc:
        log.warning("could not enqueue %s: %s", document_id, exc)
        return False
    return True
