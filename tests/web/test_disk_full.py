"""A full disk on the embedded stack: uploads get a clear 503, ``/readyz`` says not ready,
and everything works again on its own once there is room, with nothing half-written left.

The data directory lives on a small tmpfs mounted for the test (root only; skipped otherwise).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from tests.factories import key_for, org
from tests.ingest.running import Running, running
from web.services import Services
from web.settings import Settings

pytestmark = pytest.mark.parametrize("stack", ["embedded"], indirect=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem (needs root): {mounted.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def settings(small_disk: Path) -> Settings:
    """The embedded stack with its data and its upload spool on the small disk."""
    (small_disk / "spool").mkdir()
    return Settings(data_dir=small_disk / "data", tmp_dir=small_disk / "spool")


def _fill(disk: Path) -> Path:
    """Write to ``disk`` until it has no room left."""
    filler = disk / "filler"
    chunk = b"\0" * 1024**2
    with filler.open("wb") as out:
        try:
            for _ in range(100):
                out.write(chunk)
                out.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
            return filler
    raise AssertionError("the small disk never filled up")


def _post(bunko: Running, key: str, content: bytes) -> httpx.Response:
    return httpx.post(
        f"{bunko.base}/api/v1/documents",
        files={"file": ("minutes.txt", content, "text/plain")},
        headers={"X-API-Key": key},
        timeout=30,
    )


def _ready(bunko: Running) -> httpx.Response:
    return httpx.get(f"{bunko.base}/readyz", timeout=30)


def _bunko(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from web.cli import main; main()", *args],
        env={**os.environ, **settings.env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_full_disk_is_a_503_not_ready_and_recovers_on_its_own(
    services: Services, small_disk: Path
) -> None:
    """GIVEN a running Bunko WHEN its disk fills up THEN uploads answer 503 and /readyz names
    the disk; WHEN room comes back THEN uploads are taken and processed again, and the blob
    store and audit chain verify clean."""
    org(services)
    key = key_for(services, "somu")
    record = "議事録 第一回 道路維持管理委員会\n".encode() * 2000
    with running(services.settings, "embedded") as bunko:
        first = bunko.upload(key, _write(small_disk.parent / "first.txt", b"first record\n"))
        assert bunko.wait(key, first)["status"] == "indexed"
        assert _ready(bunko).status_code == 200

        filler = _fill(small_disk)
        refused = _post(bunko, key, record)
        assert refused.status_code == 503, refused.text
        assert refused.json()["error"]["code"] == "unavailable"
        assert refused.headers["retry-after"]
        ready = _ready(bunko)
        assert ready.status_code == 503
        assert ready.json()["backends"]["storage"].startswith("disk full")

        filler.unlink()
        assert _ready(bunko).status_code == 200
        taken = _post(bunko, key, record)
        assert taken.status_code == 202, taken.text
        assert bunko.wait(key, taken.json()["id"])["status"] == "indexed"
    for command in (("verify", "--orphans"), ("audit", "verify")):
        result = _bunko(services.settings, *command)
        assert result.returncode == 0, (command, result.stdout, result.stderr)


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path
