"""Fixtures for running Bunko as a city does: a real server (and worker), the ``bunko`` CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import pytest

from archive.access import SecurityLevel
from tests.conftest import (
    Server,
    live_url,
    scratch_database,
    serving,
    with_bucket,
)
from tests.factories import key_for, org
from tests.opensearch_pool import drop_aliases
from web.services import Services
from web.settings import Settings


def cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a ``bunko`` command in its own process with ``settings`` as its environment."""
    return subprocess.run(
        [sys.executable, "-c", "from web.cli import main; main()", *args],
        env={**os.environ, **settings.env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@dataclass
class Site:
    """A running ``bunko serve`` (plus a worker on the scale stack) and keys to call it."""

    server: Server
    services: Services
    key: str
    admin_key: str

    @property
    def base(self) -> str:
        return self.server.base

    def upload(self, content: bytes, name: str = "doc.txt", **headers: str) -> httpx.Response:
        return httpx.post(
            f"{self.base}/api/v1/documents",
            files={"file": (name, content, "text/plain")},
            data={"metadata": json.dumps({"title": name})},
            headers={"X-API-Key": self.key, **headers},
            timeout=30,
        )

    def wait_indexed(self, ids: list[str], timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        pending = set(ids)
        while pending and time.monotonic() < deadline:
            for document_id in sorted(pending):
                body = httpx.get(
                    f"{self.base}/api/v1/documents/{document_id}",
                    headers={"X-API-Key": self.key},
                    timeout=10,
                ).json()
                if body["status"] in ("indexed", "failed"):
                    assert body["status"] == "indexed", body
                    pending.discard(document_id)
            time.sleep(0.2)
        assert not pending, f"still processing after {timeout} s: {pending}"


@pytest.fixture
def site(services: Services, stack: str) -> Iterator[Site]:
    org(services)
    key = key_for(services, "somu")
    admin_key = key_for(
        services, None, scopes=("admin", "read", "search"), clearance=SecurityLevel.SECRET
    )
    with serving(services, stack) as server:
        yield Site(server, services, key, admin_key)


@pytest.fixture
def target(settings: Settings, stack: str, tmp_path: Path) -> Iterator[Settings]:
    """Settings of an empty place to restore into: a new data directory, or a new database and bucket."""
    if stack == "embedded":
        yield Settings(data_dir=tmp_path / "restored", tmp_dir=tmp_path)
        return
    with scratch_database("bunko_r") as database_url:
        restored = settings.model_copy(
            update={
                "data_dir": tmp_path / "restored",
                "database_url": database_url,
                "storage_url": with_bucket(live_url("S3"), f"bunko-r-{uuid.uuid4().hex[:12]}"),
                "search_index": f"bunko-r-{uuid.uuid4().hex[:12]}",
            }
        )
        try:
            yield restored
        finally:
            drop_aliases(restored.search_url, f"{restored.search_index}*")
