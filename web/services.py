"""The backends one running Bunko talks to, built once from ``Settings``."""

from __future__ import annotations

from dataclasses import dataclass

from celery import Celery
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from archive import (
    BackendUnavailable,
    BlobStore,
    make_engine,
    make_session_factory,
    open_blob_store,
    upgrade,
)
from archive.blobs import S3BlobStore
from archive.db import translate_db_errors
from ingest.ocr import OcrOptions
from ingest.pipeline import PipelineContext
from ingest.tasks import make_celery
from search import SearchError, SearchIndex, SearchUnavailable, open_search_index
from web.oidc import OidcClient
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

    def close(self) -> None:
        self.engine.dispose()
        self.queue.close()
        self.index.close()

    def pipeline(self) -> PipelineContext:
        """What a worker needs to process documents with these backends."""
        return PipelineContext(
            sessions=self.sessions,
            store=self.store,
            index=self.index,
            tmp_dir=self.settings.tmp_dir,
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
    queue = make_celery(settings.broker_url)
    index = open_search_index(
        settings.search_url, index_name=settings.search_index, refresh=settings.search_refresh
    )
    return Services(
        settings, engine, make_session_factory(engine), store, index, signer, queue, oidc
    )


def prepare_backends(services: Services) -> None:
    """Migrate the schema and create the bucket: run by ``bunko serve`` and ``bunko db upgrade``."""
    with translate_db_errors():
        upgrade(services.engine)
    if isinstance(services.store, S3BlobStore):
        services.store.ensure_bucket()
    try:
        services.index.ensure()
    except SearchUnavailable as exc:
        raise BackendUnavailable("search", str(exc)) from None


def check_backends(services: Services) -> dict[str, str]:
    """Ask each backend whether it answers: ``{"database": "ok", "storage": "..."}``."""
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
