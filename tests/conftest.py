"""Shared fixtures: every test that takes ``stack`` runs on the embedded and the scale backends.

The scale stack uses real servers started by ``scripts/services/up.sh`` (PostgreSQL, S3 on
versitygw, Redis, OpenSearch), found through ``BUNKO_TEST_*`` variables. Without them the
scale cases skip, except under ``BUNKO_REQUIRE_LIVE=1`` (the README's test command), where a
missing server fails the run instead.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit, urlunsplit

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from archive import create_api_key
from archive.db import Base, upgrade
from archive.departments import add_department
from tests.opensearch_pool import AliasPool
from web.app import create_app
from web.services import Services, build_services, prepare_backends
from web.settings import Settings


def _corpus_location() -> Path:
    """``BUNKO_CORPUS``, else the first ``shared/corpus`` in a folder above the checkout."""
    named = os.environ.get("BUNKO_CORPUS")
    if named:
        return Path(named).resolve()
    above = Path(__file__).resolve().parents[1:]
    found = (p / "shared" / "corpus" for p in above if (p / "shared" / "corpus").is_dir())
    return next(found, above[0].parent / "shared" / "corpus")


CORPUS = _corpus_location()
"""The shared corpus of real documents (MANIFEST.csv): the one place tests and benches find it."""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Under BUNKO_REQUIRE_LIVE=1 a skipped test of the scale stack fails the run."""
    report: pytest.TestReport = yield
    if (
        report.skipped
        and item.get_closest_marker("live")
        and os.environ.get("BUNKO_REQUIRE_LIVE") == "1"
    ):
        report.outcome = "failed"
        report.longrepr = f"a live test was skipped under BUNKO_REQUIRE_LIVE=1: {report.longrepr}"
    return report


@pytest.fixture(autouse=True)
def _clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ``BUNKO_*`` setting leaks from the shell into a test (the test servers' URLs aside)."""
    for name in list(os.environ):
        if name.startswith("BUNKO_") and not name.startswith(("BUNKO_TEST_", "BUNKO_REQUIRE_LIVE")):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus; the run fails (never skips) when it is missing."""
    if not (CORPUS / "MANIFEST.csv").is_file():
        pytest.fail(f"test corpus not found at {CORPUS} (set BUNKO_CORPUS)")
    return CORPUS


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


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards (its sessions ended first).

    The admin engine is disposed even when the drop fails, so no connection is left for the
    garbage collector to warn about in a later test.
    """
    admin_url = live_url("POSTGRES")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield admin_url.rsplit("/", 1)[0] + f"/{name}"
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated once."""
    with scratch_database("bunko_t") as url:
        yield url


_USED_SEQUENCES = text(
    "SELECT sequencename FROM pg_sequences"
    " WHERE schemaname = current_schema() AND last_value IS NOT NULL"
)


def _empty_database(services: Services) -> None:
    """Empty every table and restart every sequence used. Only the tables holding rows are
    emptied, with DELETE: a TRUNCATE of all 41 tables took 0.4 s, most of a scale test's
    set-up and tear-down; a DELETE of a few small tables takes milliseconds."""
    tables = [t.name for t in Base.metadata.sorted_tables]
    probe = " UNION ALL ".join(
        f"SELECT '{name}' FROM (SELECT 1 FROM \"{name}\" LIMIT 1) AS rows" for name in tables
    )
    with services.engine.begin() as conn:
        holding = {row[0] for row in conn.execute(text(probe))}
        used = conn.execute(_USED_SEQUENCES).scalars().all()
        for name in reversed(tables):  # referencing tables before the tables they reference
            if name in holding:
                conn.execute(text(f'DELETE FROM "{name}"'))
        for sequence in used:
            conn.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))


STACKS = ["embedded", pytest.param("scale", marks=pytest.mark.live)]


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(stack: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    return stack_settings(stack, tmp_path, request)


def stack_settings(stack: str, tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """The settings of a fresh ``stack`` over ``tmp_path`` (for fixtures wider than a test)."""
    if stack == "embedded":
        return Settings(data_dir=tmp_path / "data", tmp_dir=tmp_path)
    database = request.getfixturevalue("postgres_database")
    aliases: AliasPool = request.getfixturevalue("opensearch_aliases")
    alias = aliases.take()
    request.addfinalizer(lambda: aliases.release(alias))  # after the test's services closed
    bucket = f"bunko-t-{uuid.uuid4().hex[:12]}"
    return Settings(
        data_dir=tmp_path / "data",
        tmp_dir=tmp_path,
        database_url=database,
        storage_url=with_bucket(live_url("S3"), bucket),
        broker_url=live_url("REDIS"),
        # Each test its own queue: messages a test left unconsumed never reach the next one's worker.
        queue=f"bunko-t-{uuid.uuid4().hex[:12]}",
        search_url=live_url("OPENSEARCH"),
        search_index=alias,
        search_refresh=True,
        secret_key="scale-stack-test-secret",
    )


_ALIASES = pytest.StashKey[AliasPool]()


@pytest.fixture(scope="session")
def opensearch_aliases(pytestconfig: pytest.Config) -> Iterator[AliasPool]:
    """This process's OpenSearch aliases for the scale stack (``tests.opensearch_pool``)."""
    pool = AliasPool(live_url("OPENSEARCH"), prefix="bunko-t-")
    pytestconfig.stash[_ALIASES] = pool
    yield pool
    del pytestconfig.stash[_ALIASES]
    pool.close()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    """While a test runs (its set-up done), the next test's OpenSearch alias is made."""
    pool = item.config.stash.get(_ALIASES, None)
    if pool is not None:
        pool.make_ahead()


@pytest.fixture
def services(settings: Settings, stack: str) -> Iterator[Services]:
    yield from stack_services(settings, stack)


def stack_services(settings: Settings, stack: str) -> Iterator[Services]:
    """Services over ``settings``; on the scale stack, emptied again afterwards (the search
    alias is dropped when ``settings`` goes: also when a test never built services on it)."""
    if stack == "embedded":
        _seed_embedded_database(settings)
    built = build_services(settings)
    prepare_backends(built)
    yield built
    if stack == "scale":
        _empty_database(built)
    built.close()


def _seed_embedded_database(settings: Settings) -> None:
    """Start a fresh embedded database as a copy of one migrated once per session: running
    every migration for each test was most of its set-up (``upgrade`` then finds the head)."""
    path = settings.data_dir.resolve() / "bunko.db"
    if settings.database_url != f"sqlite:///{path}" or path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_migrated_database())


@functools.cache
def _migrated_database() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data", tmp_dir=Path(tmp))
        built = build_services(settings)
        upgrade(built.engine)
        built.close()
        path = settings.data_dir / "bunko.db"
        assert not path.with_name("bunko.db-wal").exists(), "the template is not checkpointed"
        return path.read_bytes()


TEST_DEPARTMENT = "somu"


@pytest.fixture
def department(services: Services) -> str:
    """The code of a department (総務局) that the test API key belongs to."""
    with services.sessions.begin() as session:
        add_department(
            session, code=TEST_DEPARTMENT, name="総務局", name_en="General Affairs Bureau"
        )
    return TEST_DEPARTMENT


@pytest.fixture
def api_key(services: Services, department: str) -> str:
    """A key of the test department with the usual scopes (upload, read, search)."""
    with services.sessions.begin() as session:
        _row, key = create_api_key(
            session, name=f"test-{uuid.uuid4().hex[:6]}", department_code=department
        )
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


@dataclass
class Server:
    """A ``bunko serve`` process; its stderr goes to a file, so a chatty server never blocks."""

    proc: subprocess.Popen[bytes]
    base: str
    log: IO[bytes]

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")


def start_server(settings: Settings, *, port: int | None = None) -> tuple[Server, str]:
    """Run ``bunko serve`` in its own process with ``settings``; return it and its base URL."""
    port = port or free_port()
    env = {**os.environ, **settings.env, "BUNKO_PORT": str(port)}
    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(
        [sys.executable, "-c", "from web.cli import main; main()", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    server = Server(proc, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            output = server.output()
            stop_server(server)
            raise RuntimeError(f"bunko serve exited: {output}")
        try:
            if httpx.get(f"{server.base}/healthz", timeout=1).status_code == 200:
                return server, server.base
        except httpx.TransportError:
            time.sleep(0.2)
    stop_server(server)
    raise RuntimeError("bunko serve did not answer within 60 s")


def stop_server(server: Server) -> None:
    stop(server.proc, timeout=15)
    server.log.close()


def start_worker(services: Services, settings: Settings | None = None) -> subprocess.Popen[bytes]:
    """Run ``bunko worker --beat`` with ``settings`` (the stack's by default)."""
    return subprocess.Popen(
        [sys.executable, "-c", "from web.cli import main; main()", "worker", "--beat"],
        env={**os.environ, **(settings or services.settings).env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(proc: subprocess.Popen[bytes], *, timeout: float = 30) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def serving(services: Services, stack: str, settings: Settings | None = None) -> Iterator[Server]:
    """A real ``bunko serve`` with ``settings`` (the stack's by default) and, on the scale stack,
    a ``bunko worker``: its broker is Redis, so ``bunko serve`` runs no worker of its own there."""
    server, _base = start_server(settings or services.settings)
    worker = start_worker(services, settings) if stack == "scale" else None
    try:
        yield server
    finally:
        if worker is not None:
            stop(worker)
        stop_server(server)


@pytest.fixture
def server(services: Services) -> Iterator[str]:
    """A real ``bunko serve`` process on the test's stack; yields its base URL."""
    running, base = start_server(services.settings)
    yield base
    stop_server(running)
