"""A real Bunko for end-to-end tests: ``bunko serve`` and, on the scale stack, a ``bunko worker``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx

from tests.conftest import Server, start_server, stop_server
from web.settings import Settings


@dataclass
class Running:
    """A server at ``base`` whose documents a worker processes (the embedded one, or ``worker``)."""

    server: Server
    base: str
    settings: Settings
    worker: subprocess.Popen[bytes] | None = None

    def upload(self, key: str, path: Path, **metadata: object) -> str:
        response = httpx.post(
            f"{self.base}/api/v1/documents",
            files={"file": (path.name, path.read_bytes())},
            data={"metadata": json.dumps(metadata)},
            headers={"X-API-Key": key},
            timeout=30,
        )
        assert response.status_code == 202, response.text
        return str(response.json()["id"])

    def wait(self, key: str, document_id: str, timeout: float = 120) -> dict[str, Any]:
        """The document once it is ``indexed`` or ``failed``; fails the test after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            body = httpx.get(
                f"{self.base}/api/v1/documents/{document_id}",
                headers={"X-API-Key": key},
                timeout=10,
            ).json()
            if body["status"] in ("indexed", "failed"):
                return dict(body)
            if time.monotonic() > deadline:
                raise AssertionError(f"{document_id} still {body['status']} after {timeout} s")
            time.sleep(0.2)

    def start_worker(self) -> None:
        """Start the separate worker of the scale stack (in its own process group)."""
        self.worker = subprocess.Popen(
            [sys.executable, "-c", "from web.cli import main; main()", "worker", "--beat"],
            env={**os.environ, **self.settings.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def worker_pids(self) -> set[int]:
        """Every process of the worker: the embedded one below ``bunko serve``, or the separate one."""
        if self.worker is not None:
            return {self.worker.pid} | descendants(self.worker.pid)
        return descendants(self.server.proc.pid)


def descendants(pid: int) -> set[int]:
    """The live processes below ``pid`` (children, grandchildren…), read from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except OSError:
            continue
        if state != "Z":
            parents[int(stat.parent.name)] = int(parent)
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def kill_all(pids: set[int]) -> None:
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@contextmanager
def running(settings: Settings, stack: str) -> Iterator[Running]:
    """``bunko serve`` with its embedded worker, or on the scale stack with a ``bunko worker``."""
    server, base = start_server(settings)
    bunko = Running(server, base, settings)
    try:
        if stack == "scale":
            bunko.start_worker()
        yield bunko
    finally:
        if bunko.worker is not None:
            try:
                os.killpg(bunko.worker.pid, signal.SIGTERM)
                bunko.worker.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                kill_all(bunko.worker_pids())
                bunko.worker.wait()
        stop_server(server)
