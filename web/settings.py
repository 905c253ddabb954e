"""Settings, read from ``BUNKO_*`` environment variables (and nowhere else)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything Bunko can be told. With nothing set, it all lives under ``data_dir``."""

    model_config = SettingsConfigDict(env_prefix="BUNKO_", env_ignore_empty=True, extra="ignore")

    data_dir: Path = Path("./bunko-data")
    database_url: str = Field(
        "", description="sqlite:///PATH or postgresql://USER:PASS@HOST:PORT/DB"
    )
    storage_url: str = Field(
        "", description="file://PATH or s3://KEY:SECRET@HOST:PORT/BUCKET?secure=false"
    )
    search_url: str = Field(
        "",
        description="tantivy:///DIR (embedded), sqlite:///PATH (FTS5) or http(s)://HOST:PORT (OpenSearch)",
    )
    search_index: str = Field(
        "bunko-documents", description="OpenSearch alias (indices are named after it)"
    )
    search_shards: int | None = Field(
        None,
        ge=1,
        le=64,
        description="primary shards of a new OpenSearch index (default 2; one query's shards"
        " are searched in parallel, so up to a node's cores more answer faster); applies"
        " from the next `bunko reindex`",
    )
    search_refresh: bool = Field(
        False, description="OpenSearch writes visible before they return (slower; tests)"
    )
    broker_url: str = Field(
        "", description="sqla+sqlite:///PATH (embedded, durable) or redis://HOST:PORT/DB"
    )
    queue: str = Field(
        "celery",
        pattern=r"^[A-Za-z0-9._-]{1,100}$",
        description="the broker queue of this Bunko (its API and workers); others on the same broker use another",
    )
    embedded_worker: bool = Field(
        True, description="bunko serve also runs a worker (embedded broker only)"
    )
    worker_concurrency: int = Field(1, ge=1, le=64)
    processing_lease_s: float = Field(
        60.0,
        ge=2,
        le=3600,
        description="a worker's claim on a document, renewed while it works; a dead worker's "
        "documents are taken up again within 1.5 times this",
    )
    database_timeout_s: float = Field(
        30.0, gt=0, description="how long to wait for a database lock or connection"
    )
    max_upload_bytes: int = Field(2 * 1024**3, gt=0)
    batch_max_bytes: int = Field(
        20 * 1024**3, gt=0, description="a bulk-intake ZIP's entries may unpack to at most this"
    )
    rate_limit_per_minute: float = Field(
        0, ge=0, description="requests per minute one API key may make (0: no limit)"
    )
    rate_limit_burst: int = Field(
        60, ge=1, description="requests an API key may make at once before the rate applies"
    )
    frozen_sources: str = Field(
        "",
        description="comma-separated source systems whose documents never change: content sent "
        "again under the same external id with other bytes is refused (409), not a new version",
    )
    tmp_dir: Path | None = Field(
        None, description="where uploads are spooled; the system default if unset"
    )
    secret_key: SecretStr | None = Field(
        None,
        description="signs session cookies; generated into data_dir when unset on the embedded stack",
    )
    audit_key: SecretStr | None = Field(
        None,
        description="keys the audit chain (HMAC); derived from the secret key when unset. "
        "Set it before the first start and never change it: entries keyed otherwise no longer verify",
    )
    audit_checkpoint_dir: Path | None = Field(
        None,
        description="where `bunko audit checkpoint` writes; data_dir/audit-checkpoints if unset",
    )
    session_hours: float = Field(8.0, gt=0)
    cookie_secure: bool = Field(False, description="send cookies over HTTPS only (set behind TLS)")
    oidc_issuer: str | None = Field(
        None, description="OpenID Connect issuer URL; enables 'sign in with OIDC'"
    )
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_default_department: str | None = Field(
        None, description="department of users created at first OIDC login"
    )
    disclosure_due_soon_days: int = Field(
        3,
        ge=0,
        le=60,
        description="announce disclosure.due_soon this many days before the due date",
    )
    disclosure_due_soon_every_s: float = Field(
        3600.0, gt=0, le=86400, description="how often the scheduler looks for requests due soon"
    )
    webhook_every_s: float = Field(
        5.0, gt=0, le=3600, description="how often the scheduler sends due webhook deliveries"
    )
    webhook_retry_base_s: float = Field(
        10.0, gt=0, description="first retry delay of a failed delivery; doubles, capped at 1 h"
    )
    webhook_give_up_hours: float = Field(
        24.2, gt=0, description="a delivery failing this long fails; its subscription is disabled"
    )
    webhook_timeout_s: float = Field(10.0, gt=0, le=120)
    metrics_token: SecretStr | None = Field(
        None, description="bearer token that may read /metrics (administrators always may)"
    )
    host: str = "127.0.0.1"
    port: int = 8000

    @field_validator("database_url")
    @classmethod
    def _driver(cls, url: str) -> str:
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url.removeprefix(prefix)
        if url and not url.startswith(("sqlite:", "postgresql+psycopg://")):
            raise ValueError(
                f"BUNKO_DATABASE_URL must be sqlite:// or postgresql://, got {url.split(':')[0]!r}"
            )
        return url

    @model_validator(mode="after")
    def _embedded_defaults(self) -> Settings:
        data = self.data_dir.resolve()
        if not self.database_url:
            self.database_url = f"sqlite:///{data / 'bunko.db'}"
        if not self.storage_url:
            self.storage_url = f"file://{data / 'blobs'}"
        if not self.search_url:
            self.search_url = f"tantivy:///{data / 'search-index'}"
        if not self.broker_url:
            self.broker_url = f"sqla+sqlite:///{data / 'queue.db'}"
        if not self.broker_url.startswith(("sqla+sqlite:", "redis://", "rediss://")):
            raise ValueError("BUNKO_BROKER_URL must be sqla+sqlite:///PATH or redis://HOST:PORT/DB")
        return self

    @property
    def env(self) -> dict[str, str]:
        """These settings as ``BUNKO_*`` variables, to start another process with them."""
        values = {name: getattr(self, name) for name in type(self).model_fields}
        return {
            f"BUNKO_{name.upper()}": value.get_secret_value()
            if isinstance(value, SecretStr)
            else str(value)
            for name, value in values.items()
            if value is not None
        }

    def refuses_changes(self, source_system: str | None) -> bool:
        """Whether ``source_system`` is one whose content may never change (``frozen_sources``)."""
        frozen = {name.strip() for name in self.frozen_sources.split(",") if name.strip()}
        return source_system is not None and source_system in frozen

    @property
    def checkpoint_dir(self) -> Path:
        return self.audit_checkpoint_dir or self.data_dir / "audit-checkpoints"

    @property
    def embedded(self) -> bool:
        """True when some state lives in ``data_dir`` (which must then exist)."""
        return (
            self.database_url.startswith("sqlite")
            or self.storage_url.startswith("file:")
            or self.broker_url.startswith("sqla+sqlite:")
            or self.search_url.startswith(("sqlite:", "tantivy:"))
        )
