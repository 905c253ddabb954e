"""``/metrics`` in the Prometheus text format (``prometheus-client``).

Two kinds of figures: what this process saw (requests, upload bytes, search latency),
counted as they happen; and what the archive holds (documents by status, the queue, the
pipeline's recorded step timings, OCR pages, webhook deliveries, disk free), read from the database at each
scrape, so every process reports the same archive-wide numbers whichever worker did the work.

Protection: the endpoint answers a ``Bearer`` token equal to ``BUNKO_METRICS_TOKEN`` (for
the Prometheus server), or any caller with the ``admin`` permission; anyone else gets 401/403
(audited). Successful scrapes are not audited: they name no record, only counts per route
template and status.
"""

from __future__ import annotations

import hmac
import logging
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import JSON, Integer, case, cast, func, select, type_coerce
from sqlalchemy.orm import Session, sessionmaker

from archive import (
    DB_ERRORS,
    DeliveryStatus,
    Document,
    DocumentStatus,
    Permission,
    ProcessingStep,
    WebhookAttempt,
    WebhookDelivery,
)
from ingest import Priority
from web.deps import OptionalUserDep, ServicesDep, SessionDep, current_principal, require

log = logging.getLogger("bunko.metrics")

UPLOAD_ROUTES = frozenset({"/api/v1/documents", "/api/v1/documents/{document_id}/versions"})
SEARCH_ROUTES = frozenset({"/api/v1/search", "/search", "/"})
STEP_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)
WAITING = (DocumentStatus.RECEIVED, DocumentStatus.PROCESSING)


class ArchiveCollector(Collector):
    """Figures read from the database (and the data directory's disk) at each scrape."""

    def __init__(self, sessions: sessionmaker[Session], data_dir: Path, spool_dir: Path) -> None:
        self.sessions = sessions
        self.data_dir = data_dir
        self.spool_dir = spool_dir

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("bunko_metrics_database_up", "1 if the database answered")
        try:
            with self.sessions() as session:
                yield from self._documents(session)
                yield self._steps(session)
                yield self._ocr_pages(session)
                yield from self._webhooks(session)
            up.add_metric([], 1)
        except DB_ERRORS as exc:
            log.warning("metrics: database unavailable: %s", exc)
            up.add_metric([], 0)
        yield up
        yield from self._disk()

    def _documents(self, session: Session) -> Iterator[Metric]:
        by_status = GaugeMetricFamily(
            "bunko_documents", "documents by processing status", labels=["status"]
        )
        counts = dict(
            session.execute(select(Document.status, func.count()).group_by(Document.status)).all()
        )
        for status in DocumentStatus:
            by_status.add_metric([status.value], counts.get(status, 0))
        yield by_status
        depth = GaugeMetricFamily(
            "bunko_queue_depth",
            "documents waiting for or in processing, by priority (interactive, bulk)",
            labels=["status", "priority"],
        )
        age = GaugeMetricFamily(
            "bunko_queue_oldest_age_seconds",
            "age of the oldest document waiting for or in processing, by priority",
            labels=["status", "priority"],
        )
        waiting = {
            (status, bool(bulk)): (int(n), first)
            for status, bulk, n, first in session.execute(
                select(Document.status, Document.bulk, func.count(), func.min(Document.created_at))
                .where(Document.status.in_(WAITING))
                .group_by(Document.status, Document.bulk)
            ).all()
        }
        now = time.time()
        for status in WAITING:
            for priority in Priority:
                n, first = waiting.get((status, priority is Priority.BULK), (0, None))
                depth.add_metric([status.value, priority.value], n)
                age.add_metric(
                    [status.value, priority.value],
                    max(0.0, now - first.timestamp()) if first else 0.0,
                )
        yield depth
        yield age

    def _steps(self, session: Session) -> Metric:
        family = HistogramMetricFamily(
            "bunko_pipeline_step_duration_seconds",
            "recorded durations of pipeline steps (the latest run of each step per version)",
            labels=["step"],
        )
        ms = ProcessingStep.duration_ms
        columns = [
            func.sum(case((ms <= bound * 1000, 1), else_=0)).label(f"b{i}")
            for i, bound in enumerate(STEP_BUCKETS)
        ]
        rows = session.execute(
            select(ProcessingStep.step, func.count(), func.sum(ms), *columns).group_by(
                ProcessingStep.step
            )
        ).all()
        for step, count, total_ms, *cumulative in rows:
            buckets = [(str(b), int(n or 0)) for b, n in zip(STEP_BUCKETS, cumulative, strict=True)]
            family.add_metric(
                [step], [*buckets, ("+Inf", int(count))], sum_value=float(total_ms or 0) / 1000
            )
        return family

    def _ocr_pages(self, session: Session) -> Metric:
        detail = (
            cast(ProcessingStep.detail, JSON)
            if session.get_bind().dialect.name == "postgresql"
            else type_coerce(ProcessingStep.detail, JSON)
        )
        pages = session.scalar(
            select(func.sum(cast(detail["pages"].as_string(), Integer))).where(
                ProcessingStep.step == "ocr", ProcessingStep.status == "done"
            )
        )
        family = GaugeMetricFamily(
            "bunko_ocr_pages", "pages read by OCR in the recorded pipeline runs"
        )
        family.add_metric([], int(pages or 0))
        return family

    def _webhooks(self, session: Session) -> Iterator[Metric]:
        deliveries = GaugeMetricFamily(
            "bunko_webhook_deliveries", "webhook deliveries by status", labels=["status"]
        )
        counts = dict(
            session.execute(
                select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)
            ).all()
        )
        for status in DeliveryStatus:
            deliveries.add_metric([status.value], counts.get(status.value, 0))
        yield deliveries
        attempts = GaugeMetricFamily(
            "bunko_webhook_attempts",
            "webhook delivery attempts by outcome (ok: a 2xx answer)",
            labels=["outcome"],
        )
        code = WebhookAttempt.status_code
        ok, total = session.execute(
            select(
                func.coalesce(func.sum(case((code.between(200, 299), 1), else_=0)), 0),
                func.count(),
            )
        ).one()
        attempts.add_metric(["ok"], int(ok))
        attempts.add_metric(["failed"], int(total) - int(ok))
        yield attempts

    def _disk(self) -> Iterator[Metric]:
        free = GaugeMetricFamily(
            "bunko_disk_free_bytes",
            "free space where the data directory and the upload spool live",
            labels=["dir"],
        )
        for name, path in (("data", self.data_dir), ("spool", self.spool_dir)):
            if path.exists():
                free.add_metric([name], shutil.disk_usage(path).free)
        yield free


class Metrics:
    """One registry per app: request figures counted here, archive figures collected on scrape."""

    def __init__(self, sessions: sessionmaker[Session], data_dir: Path, spool_dir: Path) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "bunko_http_requests",
            "HTTP requests by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "bunko_http_request_duration_seconds",
            "HTTP request duration by route template",
            ["route"],
            registry=self.registry,
        )
        self.upload_bytes = Counter(
            "bunko_upload_bytes",
            "request bytes received by the upload routes",
            registry=self.registry,
        )
        self.search_latency = Histogram(
            "bunko_search_latency_seconds",
            "duration of search requests (API and search page)",
            registry=self.registry,
        )
        self.registry.register(ArchiveCollector(sessions, data_dir, spool_dir))

    def observe_request(
        self, method: str, route: str, status: int, seconds: float, received: int
    ) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(route).observe(seconds)
        if method == "POST" and route in UPLOAD_ROUTES:
            self.upload_bytes.inc(received)
        if method == "GET" and route in SEARCH_ROUTES:
            self.search_latency.observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


def metrics_reader(
    request: Request, services: ServicesDep, session: SessionDep, user: OptionalUserDep
) -> None:
    """The metrics token, or a caller with the ``admin`` permission (401/403 otherwise)."""
    token = services.settings.metrics_token
    auth = request.headers.get("authorization", "")
    if (
        token is not None
        and auth[:7].lower() == "bearer "
        and hmac.compare_digest(auth[7:].strip().encode(), token.get_secret_value().encode())
    ):
        return
    principal = current_principal(request, services, session, user)
    require(Permission.ADMIN)(principal, session, request)


router = APIRouter(tags=["operations"])


@router.get("/metrics", response_class=Response)
def metrics(request: Request, _reader: Annotated[None, Depends(metrics_reader)]) -> Response:
    """Prometheus metrics (the metrics token, or an administrator)."""
    registry: Metrics = request.app.state.metrics
    return Response(registry.render(), media_type=CONTENT_TYPE_LATEST)
