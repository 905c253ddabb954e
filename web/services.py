"""The backends one running Bunko talks to, built once from ``Settings``."""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from celery import Celery
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

import disclosure  # noqa: F401 - its tables' blob columns count in archive's checks (blob_refs)
from archive import (
    AUDIT_KEY,
    BackendUnavailable,
    BlobStore,
    DeliveryOptions,
    S3BlobStore,
    make_engine,
    make_session_factory,
    open_blob_store,
    translate_db_errors,
    upgrade,
)
from ingest import INDEX, OcrOptions, PipelineContext, enqueue, make_celery, refresh_index
from retention import Backends
from search import SearchError, SearchIndex, SearchUnavailable, open_search_index
from web.oidc import OidcClient
from web.rate_limit import RateLimiter
from web.security import CookieSigner, load_or_create_secret
from web.settings import Settings


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    store: BlobStore
    index: SearchIndex
    signer: CookieSigner
    queue: Celery
    """The task queue, as a producer: ``ingest.tasks.enqueue(services.queue, id)``."""
    oidc: OidcClient | None = None
    limiter: RateLimiter | None = None
    """Per-API-key request limits, when ``BUNKO_RATE_LIMIT_PER_MINUTE`` is set."""

    def close(self) -> None:
        self.engine.dispose()
        self.queue.close()
        self.index.close()

    def backends(self, session: Session) -> Backends:
        """The backends of one unit of work: ``session`` (the caller commits), store and index."""
        return Backends(session, self.store, self.index)

    def reindex(self, document_id: str) -> None:
        """Re-index a document in the request that changed who may read it (a grant, its
        level or department), so no search total or facet counts it from stale access data.

        Queued instead when the index (or the database) cannot be reached right now.
        """
        try:
            refresh_index(self.pipeline(), document_id)
        except (SearchUnavailable, BackendUnavailable):
            enqueue(self.queue, document_id, task=INDEX)

    def pipeline(self) -> PipelineContext:
        """What a worker needs to process documents with these backends."""
        return PipelineContext(
            sessions=self.sessions,
            store=self.store,
            index=self.index,
            tmp_dir=self.settings.tmp_dir,
            webhooks=DeliveryOptions(
                server_secret=self.signer.derive_key("webhooks"),
                retry_base_s=self.settings.webhook_retry_base_s,
                give_up_after_s=self.settings.webhook_give_up_hours * 3600,
                timeout_s=self.settings.webhook_timeout_s,
            ),
            lease=timedelta(seconds=self.settings.processing_lease_s),
            ocr=OcrOptions(jobs=self.settings.worker_concurrency),
        )


def build_services(settings: Settings) -> Services:
    """Connect nothing yet: engines and clients connect on first use."""
    if settings.embedded:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    if settings.secret_key is not None:
        secret = settings.secret_key.get_secret_value()
    elif settings.embedded:
        secret = load_or_create_secret(settings.data_dir)
    else:
        raise ValueError(
            "BUNKO_SECRET_KEY must be set (the same on every process) when no state is local"
        )
    store = open_blob_store(settings.storage_url)
    engine = make_engine(settings.database_url, timeout_s=settings.database_timeout_s)
    signer = CookieSigner(secret, max_age_s=int(settings.session_hours * 3600))
    oidc = None
    if settings.oidc_issuer:
        if not settings.oidc_client_id or settings.oidc_client_secret is None:
            raise ValueError(
                "BUNKO_OIDC_CLIENT_ID and BUNKO_OIDC_CLIENT_SECRET must be set with BUNKO_OIDC_ISSUER"
            )
        oidc = OidcClient(
            settings.oidc_issuer,
            settings.oidc_client_id,
            settings.oidc_client_secret.get_secret_value(),
        )
    queue = make_celery(settings.broker_url, queue=settings.queue)
    index = open_search_index(
        settings.search_url,
        index_name=settings.search_index,
        refresh=settings.search_refresh,
        shards=settings.search_shards,
    )
    sessions = make_session_factory(engine, {AUDIT_KEY: audit_key_of(settings, secret)})
    limiter = None
    if settings.rate_limit_per_minute > 0:
        limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
    return Services(settings, engine, sessions, store, index, signer, queue, oidc, limiter)


def audit_key_of(settings: Settings, secret: str) -> bytes:
    """The audit chain's key: ``BUNKO_AUDIT_KEY``, or else one derived from the secret key."""
    if settings.audit_key is not None:
        return settings.audit_key.get_secret_value().encode()
    return hmac.new(secret.encode(), b"bunko-audit-chain", hashlib.sha256).digest()


def prepare_backends(services: Services) -> None:
    """Migrate the schema and create the bucket: run by ``bunko serve`` and ``bunko db upgrade``."""
    with translate_db_errors():
        upgrade(services.engine)
    # Page previews were once cached here, out of disposition's reach; now they are derivatives.
    shutil.rmtree(services.settings.data_dir / "cache" / "previews", ignore_errors=True)
    if isinstance(services.store, S3BlobStore):
        services.store.ensure_bucket()
    try:
        services.index.ensure()
    except SearchUnavailable as exc:
        raise BackendUnavailable("search", str(exc)) from None


MIN_FREE_BYTES = 16 * 1024**2
"""A local disk with less room than this counts as full: uploads would fail, and the
embedded database needs some room to record anything at all."""


def _local_dirs(settings: Settings) -> dict[str, list[Path]]:
    """The local directories each backend writes to (uploads are spooled to the temp dir)."""
    dirs: dict[str, list[Path]] = {
        "storage": [settings.tmp_dir or Path(tempfile.gettempdir())],
        "database": [],
        "search": [],
        "broker": [],
    }
    if settings.storage_url.startswith("file://"):
        dirs["storage"].append(Path(settings.storage_url.removeprefix("file://")))
    for backend, url in (
        ("database", settings.database_url),
        ("search", settings.search_url),
        ("broker", settings.broker_url.removeprefix("sqla+")),
    ):
        if url.startswith("sqlite:"):
            dirs[backend].append(Path(make_url(url).database or ".").parent)
    if settings.search_url.startswith("tantivy:///"):
        dirs["search"].append(Path(settings.search_url.removeprefix("tantivy:///")).parent)
    return dirs


def _disk_full(directory: Path) -> str | None:
    """Why ``directory``'s disk is too full to work on, or None (also when it cannot be asked)."""
    try:
        stats = os.statvfs(directory)
    except OSError:
        return None  # a missing directory is the backend's own check to report
    free = stats.f_bavail * stats.f_frsize
    if free >= MIN_FREE_BYTES:
        return None
    return f"disk full: {free // 1024} KiB free under {directory} (needs {MIN_FREE_BYTES // 1024**2} MiB)"


def check_backends(services: Services) -> dict[str, str]:
    """Ask each backend whether it answers, and whether its local disk has room:
    ``{"database": "ok", "storage": "disk full: …"}``."""
    status = _answers(services)
    for backend, directories in _local_dirs(services.settings).items():
        for directory in directories:
            problem = _disk_full(directory)
            if problem and status.get(backend) == "ok":
                status[backend] = problem
    return status


def _answers(services: Services) -> dict[str, str]:
    status: dict[str, str] = {}
    try:
        with services.queue.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
        status["broker"] = "ok"
    except Exception as exc:
        status["broker"] = f"unreachable: {exc}"
    try:
        with translate_db_errors(), services.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        status["database"] = "ok"
    except BackendUnavailable as exc:
        status["database"] = exc.detail
    try:
        services.store.check()
        status["storage"] = "ok"
    except BackendUnavailable as exc:
        status["storage"] = exc.detail
    try:
        services.index.check()
        status["search"] = "ok"
    except SearchError as exc:
        status["search"] = str(exc)
    return status
