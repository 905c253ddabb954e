"""One small document, upload → ``indexed``, on idle embedded servers of several checkouts.

    .venv/bin/python -m bench.latency [--count 30] [--baseline ../main ...]

Starts ``bunko serve`` (with its embedded worker) from this checkout and from each
``--baseline`` checkout at once, each on its own fresh data directory, and sends one small
document to each in turn, waiting for it to be ``indexed`` before the next: the checkouts
are measured under the same load, document by document, which a run of one checkout after
the other on a shared machine is not. Prints per checkout the time until the status was
written ``indexed`` (server clock; issue 16 goal: p50 at most 150 ms), its parts (from the
document's step records), and the load average.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx2 as httpx

from bench._servers import Server, percentile, serve, stack
from bench.pipeline_http import ROOT, upload, wait_indexed
from bench.pipeline_latency import one_document

_WARM_UP = 5
"""Documents each server takes before the measured ones (imports, caches, first segments)."""


def _start(stacks: ExitStack, workdir: Path, code: Path | None) -> Server:
    name = code.name if code else "this"
    embedded = stacks.enter_context(stack("embedded", workdir / name))
    env = {**embedded.env, "BUNKO_EMBEDDED_WORKER": "true"}
    if code is not None:
        env["PYTHONPATH"] = str(code)
    return stacks.enter_context(serve(env))


def compare(workdir: Path, count: int, codes: list[Path | None]) -> None:
    """``count`` documents to each checkout's server in turn; print each one's figures."""
    with ExitStack() as stacks, httpx.Client(timeout=60) as http:
        servers = [_start(stacks, workdir, code) for code in codes]
        for server in servers:
            for i in range(_WARM_UP):
                wait_indexed(server, upload(server, f"warm-{i}.txt", f"warm {i}".encode(), http))
        load = os.getloadavg()
        results: list[list[tuple[float | None, float, dict[str, float]]]] = [[] for _ in codes]
        for i in range(count):
            for server, measured in zip(servers, results, strict=True):
                measured.append(one_document(server, http, i))
                time.sleep(0.3)  # idle between documents
        print(f"load average {load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
        for code, measured in zip(codes, results, strict=True):
            _report(code or ROOT, measured)


def _report(code: Path, measured: list[tuple[float | None, float, dict[str, float]]]) -> None:
    took = [t for t, _, _ in measured if t is not None]
    seen = [s for _, s, _ in measured]
    print(
        f"== {code}: one small document, idle, upload->indexed ({len(took)} runs): "
        f"p50 {percentile(took, 50) * 1000:.0f} ms  p95 {percentile(took, 95) * 1000:.0f} ms"
        f"  (seen by the 20 ms poll: p50 {percentile(seen, 50) * 1000:.0f} ms)"
    )
    for name in measured[0][2] if measured and measured[0][2] else ():
        values = [parts[name] for _, _, parts in measured if name in parts]
        print(
            f"  {name:15} p50 {percentile(values, 50) * 1000:6.0f} ms  "
            f"p95 {percentile(values, 95) * 1000:6.0f} ms"
        )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench.latency")
    parser.add_argument("--count", type=int, default=30, help="documents per checkout")
    parser.add_argument(
        "--baseline",
        type=Path,
        action="append",
        default=[],
        help="also a server run from this checkout (e.g. ../main), measured in turn",
    )
    options = parser.parse_args(argv[1:])
    logging.disable(logging.WARNING)
    codes: list[Path | None] = [None, *(path.resolve() for path in options.baseline)]
    with tempfile.TemporaryDirectory(dir="/var/tmp", ignore_cleanup_errors=True) as work:
        compare(Path(work), options.count, codes)


if __name__ == "__main__":
    main(sys.argv)
