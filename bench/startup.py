"""How fast a ``bunko`` process is ready: ``bunko serve`` to ``/healthz``, ``bunko --help``,
a cheap command, and the imports, for this checkout and a baseline checkout in the same run.

Each round runs every measure once per checkout, the checkouts alternating, so a load that
comes and goes touches both. ``bunko serve`` runs on the embedded default (a fresh data
directory, the embedded worker on); "worker ready" is when its Celery worker says so in the
server's log. Wall seconds move with the machine's load; the CPU seconds (the server and
its worker, read from /proc) much less.

    python -m bench.startup --baseline ../main --rounds 5
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

from bench._servers import ROOT, _free_port, cpu_seconds

BUNKO = "from web.cli import main; main()"
WORKER_READY = re.compile(rb"celery@\S+ ready")


def _env(code: Path, data: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(code),
        "BUNKO_DATA_DIR": str(data / "bunko"),
        "BUNKO_TMP_DIR": str(data),
    }


def serve_ready(code: Path) -> dict[str, float]:
    """Seconds from exec to ``/healthz`` 200 and to the embedded worker's "ready"; the CPU
    seconds the server had used by the first, and the server and its worker by the second."""
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile() as log:
        port = _free_port()
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", BUNKO, "serve", "--port", str(port)],
            env=_env(code, Path(tmp)),
            cwd=code,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            while len(figures) < 4 and time.perf_counter() - start < 120 and proc.poll() is None:
                now = time.perf_counter() - start
                if "serve: /healthz 200" not in figures:
                    try:
                        if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).is_success:
                            figures["serve: /healthz 200"] = now
                            figures["serve: server CPU at /healthz"] = cpu_seconds(
                                proc.pid, tree=False
                            ).python
                    except httpx.TransportError:
                        pass
                log.seek(0)
                if "serve: worker ready" not in figures and WORKER_READY.search(log.read()):
                    figures["serve: worker ready"] = now
                    figures["serve: both CPU at worker ready"] = cpu_seconds(proc.pid).python
                time.sleep(0.05)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    if len(figures) < 4:
        raise RuntimeError(f"bunko serve of {code} was not ready in 120 s: {figures}")
    return figures


def command_time(code: Path, *args: str) -> tuple[float, float]:
    """Seconds one ``bunko ARGS`` takes, start to exit (it must succeed), and its CPU seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", BUNKO, *args],
            env=_env(code, Path(tmp)),
            cwd=code,
            check=True,
            capture_output=True,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def import_total(code: Path, module: str) -> float:
    """Seconds ``-X importtime`` counts for importing ``module`` (the top level summed)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        env={**os.environ, "PYTHONPATH": str(code)},
        cwd=code,
        check=True,
        capture_output=True,
        text=True,
    )
    top = re.findall(r"^import time:\s+\d+ \|\s+(\d+) \| \S", result.stderr, re.MULTILINE)
    return sum(int(us) for us in top) / 1e6


def round_of(code: Path) -> dict[str, float]:
    """Every figure of one checkout, once."""
    figures = serve_ready(code)
    for name, args in (("bunko --help", ["--help"]), ("bunko db upgrade", ["db", "upgrade"])):
        figures[name], figures[f"{name}: CPU"] = command_time(code, *args)
    return {
        **figures,
        "importtime web.cli": import_total(code, "web.cli"),
        "importtime web.app": import_total(code, "web.app"),
    }


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="the checkout to compare")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    checkouts = {"this": ROOT, "baseline": args.baseline.resolve()}
    figures: dict[str, dict[str, list[float]]] = {label: {} for label in checkouts}
    print(f"start: {_load()}")
    for round_ in range(args.rounds):
        order = list(checkouts.items())
        if round_ % 2:
            order.reverse()
        for label, code in order:
            for name, value in round_of(code).items():
                figures[label].setdefault(name, []).append(value)
        print(f"round {round_ + 1}: {_load()}", flush=True)
    print(f"\n{'median s (min-max)':26s} {'this':>19s} {'baseline':>19s}  this/baseline")
    for name, this in figures["this"].items():
        base = figures["baseline"][name]
        cells = [f"{statistics.median(v):6.2f} ({min(v):5.2f}-{max(v):5.2f})" for v in (this, base)]
        ratio = statistics.median(this) / statistics.median(base)
        print(f"{name:26s} {cells[0]:>19s} {cells[1]:>19s}  {ratio:.2f}")
    print(f"end: {_load()}")


if __name__ == "__main__":
    main()
