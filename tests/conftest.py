"""Shared fixtures: every test that takes ``stack`` runs on the embedded and the scale backends.

The scale stack uses real servers started by ``scripts/services/up.sh`` (PostgreSQL, S3 on
versitygw, Redis, OpenSearch), found through ``BUNKO_TEST_*`` variables. Without them the
scale cases skip, except under ``BUNKO_REQUIRE_LIVE=1`` (the README's test command), where a
missing server fails the run instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from archive import create_api_key
from archive.db import Base
from web.app import create_app
from web.services import Services, build_services, prepare_backends
from web.settings import Settings

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
if not CORPUS.is_dir():
    CORPUS = Path(os.environ.get("BUNKO_CORPUS", "../shared/corpus")).resolve()


@pytest.fixture(autouse=True)
def _clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ``BUNKO_*`` setting leaks from the shell into a test (the test servers' URLs aside)."""
    for name in list(os.environ):
        if name.startswith("BUNKO_") and not name.startswith(("BUNKO_TEST_", "BUNKO_REQUIRE_LIVE")):
            monkeypatch.delenv(name)


def live_url(name: str) -> str:
    """The URL of a test server, or skip (fail under BUNKO_REQUIRE_LIVE=1) when it is not set."""
    url = os.environ.get(f"BUNKO_TEST_{name}_URL")
    if not url:
        message = f"BUNKO_TEST_{name}_URL is not set: run scripts/services/up.sh"
        if os.environ.get("BUNKO_REQUIRE_LIVE") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return url


def with_bucket(s3_url: str, bucket: str) -> str:
    parts = urlsplit(s3_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{bucket}", parts.query, ""))


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated once."""
    admin_url = live_url("POSTGRES")
    name = f"bunko_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(services: Services) -> None:
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with services.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


STACKS = ["embedded", pytest.param("scale", marks=pytest.mark.live)]


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(stack: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    if stack == "embedded":
        return Settings(data_dir=tmp_path / "data", tmp_dir=tmp_path)
    database = request.getfixturevalue("postgres_database")
    bucket = f"bunko-t-{uuid.uuid4().hex[:12]}"
    return Settings(
        data_dir=tmp_path / "data",
        tmp_dir=tmp_path,
        database_url=database,
        storage_url=with_bucket(live_url("S3"), bucket),
    )


@pytest.fixture
def services(settings: Settings, stack: str) -> Iterator[Services]:
    built = build_services(settings)
    prepare_backends(built)
    yield built
    if stack == "scale":
        _truncate_all(built)
    built.close()


@pytest.fixture
def api_key(services: Services) -> str:
    with services.sessions.begin() as session:
        _row, key = create_api_key(session, name=f"test-{uuid.uuid4().hex[:6]}")
    return key


@pytest.fixture
def client(services: Services, api_key: str) -> Iterator[TestClient]:
    with TestClient(create_app(services=services), headers={"X-API-Key": api_key}) as test_client:
        yield test_client


@pytest.fixture
def anonymous(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services)) as test_client:
        yield test_client


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(settings: Settings) -> tuple[subprocess.Popen[bytes], str]:
    """Run ``bunko serve`` in its own process with ``settings``; return it and its base URL."""
    port = free_port()
    env = {**os.environ, **settings.env, "BUNKO_PORT": str(port)}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from web.cli import main; main()", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=tempfile.TemporaryFile(),  # a file, not a pipe: a chatty server never blocks on it
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            assert proc.stderr is not None
            proc.stderr.seek(0)
            output = proc.stderr.read().decode(errors="replace")
            stop_server(proc)
            raise RuntimeError(f"bunko serve exited: {output}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError("bunko serve did not answer within 60 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stderr is not None:
        proc.stderr.close()


@pytest.fixture
def server(services: Services) -> Iterator[str]:
    """A real ``bunko serve`` process on the test's stack; yields its base URL."""
    proc, base = start_server(services.settings)
    yield base
    stop_server(proc)
