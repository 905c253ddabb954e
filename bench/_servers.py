"""Shared by the benchmarks: start ``bunko serve`` on a stack and measure what it does."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx2 as httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def summary(values: list[float]) -> str:
    return (
        f"p50 {percentile(values, 50) * 1000:8.1f} ms  p95 {percentile(values, 95) * 1000:8.1f} ms"
    )


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident set (VmHWM) in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak_rss(pid: int) -> None:
    """Let VmHWM start again from the current RSS (Linux: write 5 to clear_refs)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def descendants(pid: int) -> list[int]:
    """The live descendants of ``pid`` (Linux); none of a process that has ended."""
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in map(int, (task / "children").read_text().split()):
                found += [child, *descendants(child)]
    except (FileNotFoundError, ProcessLookupError):
        pass  # it ended while being read
    return found


@dataclass(frozen=True)
class Cpu:
    """CPU seconds of a process tree: its Python processes' own, and the subprocesses' they
    have waited for (Tesseract's, once its process has ended)."""

    python: float
    subprocesses: float

    def __sub__(self, other: Cpu) -> Cpu:
        return Cpu(self.python - other.python, self.subprocesses - other.subprocesses)


def cpu_seconds(root: int, *, tree: bool = True) -> Cpu:
    """The CPU so far of ``root`` and (with ``tree``) its descendants, from
    ``/proc/PID/stat`` (utime, stime; cutime, cstime)."""
    python = subprocesses = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in [root, *descendants(root)] if tree else [root]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        python += (int(fields[11]) + int(fields[12])) / tick
        subprocesses += (int(fields[13]) + int(fields[14])) / tick
    return Cpu(python, subprocesses)


@dataclass
class Stack:
    name: str
    env: dict[str, str]
    storage_url: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def stack(name: str, workdir: Path, *, keep: str | None = None) -> Iterator[Stack]:
    """Settings for a fresh ``embedded`` or ``scale`` stack (scale needs scripts/services/up.sh).

    With ``keep``, the scale stack's database is the one of that name, created if absent
    and left in place for the next run (the embedded stack keeps what is in ``workdir``)."""
    data = workdir / name
    env = {
        "BUNKO_DATA_DIR": str(data),
        "BUNKO_TMP_DIR": str(workdir),
        "BUNKO_EMBEDDED_WORKER": "false",
    }
    if name == "embedded":
        yield Stack(name, env, f"file://{data / 'blobs'}")
        return
    pg = os.environ["BUNKO_TEST_POSTGRES_URL"]
    db = keep or f"bunko_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :db"), {"db": db})
        if not exists.first():
            conn.execute(text(f'CREATE DATABASE "{db}"'))
    s3 = urlsplit(os.environ["BUNKO_TEST_S3_URL"])
    storage = urlunsplit(
        (
            s3.scheme,
            s3.netloc,
            f"/bunko-bench-{(keep or uuid.uuid4().hex[:8]).replace('_', '-')}",
            s3.query,
            "",
        )
    )
    env |= {
        "BUNKO_DATABASE_URL": pg.rsplit("/", 1)[0] + f"/{db}",
        "BUNKO_STORAGE_URL": storage,
        "BUNKO_SECRET_KEY": "bench-secret",
    }
    try:
        yield Stack(name, env, storage)
    finally:
        if keep is None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE "{db}" WITH (FORCE)'))
        admin.dispose()


def bunko(env: dict[str, str], *args: str, code: Path = ROOT) -> str:
    result = subprocess.run(
        [sys.executable, "-c", "from web.cli import main; main()", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=code,
    )
    return result.stdout.strip()


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    base: str
    key: str


@contextmanager
def serve(env: dict[str, str], *, setup: bool = True, code: Path = ROOT) -> Iterator[Server]:
    """A running ``bunko serve`` of the checkout ``code``; with ``setup``, also a department
    and an upload key."""
    key = ""
    if setup:
        bunko(env, "db", "upgrade", code=code)
        bunko(env, "dept", "add", "bench", "ベンチマーク課", code=code)
        key = bunko(env, "apikey", "create", "--name", "bench", "--dept", "bench", code=code)
    port = _free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(
        [sys.executable, "-c", "from web.cli import main; main()", "serve", "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=log,
        cwd=code,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield Server(proc, base, key)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")
