"""Fair scheduling: a clerk's upload while another system's bulk import runs.

    .venv/bin/python -m bench.fairness [--bulk 10000] [--chunk 1000] [--samples 20]
        [--pause 2] [--until indexed|stored] [--stack embedded|scale] [--workers 1]

Through a real ``bunko serve`` and its worker (the embedded one, or ``bunko worker`` on the
scale stack): p50/p95 of one small interactive upload → ``indexed``, first ``--samples``
times alone on an idle service, then again and again (``--pause`` seconds apart) for the
whole of a bulk import of ``--bulk`` tiny generated documents: from its first chunk
(``POST /api/v1/batches`` in chunks of ``--chunk`` rows) until its last document is indexed
(or, with ``--until stored``, until its last chunk is stored).
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import httpx2 as httpx

from bench._servers import Server, percentile, serve, stack
from bench.pipeline_http import upload, wait_indexed
from bench.pipeline_latency import idle_latency


def bulk_zip(start: int, count: int) -> bytes:
    """``count`` tiny text documents and their manifest, as a ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        lines = ["file,title,external_id"]
        for n in range(start, start + count):
            archive.writestr(f"d/{n}.txt", f"Back catalogue record {n}: permit register page {n}.")
            lines.append(f"d/{n}.txt,Record {n},BULK-{n}")
        archive.writestr("manifest.csv", "\n".join(lines) + "\n")
    return buffer.getvalue()


class BulkImport(threading.Thread):
    """Sends the bulk import chunk by chunk, as the other system would."""

    def __init__(self, server: Server, total: int, chunk: int) -> None:
        super().__init__(daemon=True)
        self.server, self.total, self.chunk = server, total, chunk
        self.batches: list[str] = []
        self.sent = 0
        self.stored_s = 0.0

    def run(self) -> None:
        started = time.perf_counter()
        for start in range(0, self.total, self.chunk):
            count = min(self.chunk, self.total - start)
            response = httpx.post(
                f"{self.server.base}/api/v1/batches",
                files={"file": ("bulk.zip", bulk_zip(start, count))},
                headers={"X-API-Key": self.server.key},
                timeout=3600,
            )
            response.raise_for_status()
            self.batches.append(response.json()["batch_id"])
            self.sent += count
        self.stored_s = time.perf_counter() - started

    def done(self) -> int:
        """Bulk documents indexed (or failed) so far."""
        return sum(
            httpx.get(
                f"{self.server.base}/api/v1/batches/{batch_id}",
                headers={"X-API-Key": self.server.key},
                timeout=60,
            ).json()["done"]
            for batch_id in list(self.batches)
        )


def under_bulk(
    server: Server, bulk: BulkImport, pause: float, until: str
) -> tuple[list[float], list[int]]:
    """Interactive upload → indexed times, taken from the import's first chunk until its last
    document is ``stored`` or ``indexed``, and the bulk backlog (stored, not yet indexed) at
    each sample."""
    bulk.start()
    while not bulk.batches and bulk.is_alive():
        time.sleep(0.5)  # the first chunk is stored and queued
    times: list[float] = []
    backlog: list[int] = []
    while (done := bulk.done()) < bulk.total and (
        bulk.is_alive() or (until == "indexed" and done < bulk.sent)
    ):
        backlog.append(bulk.sent - done)
        started = time.perf_counter()
        name = f"clerk-{len(times)}.txt"
        wait_indexed(server, upload(server, name, os.urandom(8).hex().encode()), every_s=0.05)
        times.append(time.perf_counter() - started)
        time.sleep(pause)
    return times, backlog


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench.fairness")
    parser.add_argument("--bulk", type=int, default=10000, help="documents in the bulk import")
    parser.add_argument("--chunk", type=int, default=1000, help="rows per POST /api/v1/batches")
    parser.add_argument("--samples", type=int, default=20, help="interactive uploads timed alone")
    parser.add_argument(
        "--until",
        choices=("stored", "indexed"),
        default="indexed",
        help="sample until the import is stored, or until its last document is indexed",
    )
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between uploads")
    parser.add_argument("--stack", choices=("embedded", "scale"), default="embedded")
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp,
        stack(args.stack, Path(tmp)) as chosen,
    ):
        env = {**chosen.env, "BUNKO_WORKER_CONCURRENCY": str(args.workers)}
        if args.stack == "embedded":
            env["BUNKO_EMBEDDED_WORKER"] = "true"
        else:
            env |= {
                "BUNKO_BROKER_URL": os.environ["BUNKO_TEST_REDIS_URL"],
                "BUNKO_QUEUE": f"bench-{os.getpid()}",
                "BUNKO_SEARCH_URL": os.environ["BUNKO_TEST_OPENSEARCH_URL"],
                "BUNKO_SEARCH_INDEX": f"bench-fair-{os.getpid()}",
            }
        with serve(env) as server:
            worker = None
            if args.stack == "scale":
                worker = subprocess.Popen(
                    [sys.executable, "-c", "from web.cli import main; main()", "worker", "--beat"],
                    env={**os.environ, **env},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            try:
                wait_indexed(server, upload(server, "warm-up.txt", b"warm-up"))
                alone, _, _ = idle_latency(server, args.samples)
                bulk = BulkImport(server, args.bulk, args.chunk)
                started = time.perf_counter()
                busy, backlog = under_bulk(server, bulk, args.pause, args.until)
                elapsed = time.perf_counter() - started
                bulk.join()
                report(args.bulk, alone, busy)
                print(
                    f"the import: {bulk.sent} documents stored in {bulk.stored_s:.0f} s "
                    f"({bulk.sent / bulk.stored_s:.1f} docs/s), {bulk.done()} indexed after "
                    f"{elapsed:.0f} s; bulk backlog at the samples: "
                    f"median {percentile([float(b) for b in backlog], 50):.0f}, max {max(backlog)}; "
                    f"load average {' '.join(f'{v:.1f}' for v in os.getloadavg())}",
                    flush=True,
                )
            finally:
                if worker is not None:
                    worker.terminate()
                    worker.wait(timeout=60)


def report(total: int, alone: list[float], busy: list[float]) -> None:
    for label, times in (("alone", alone), (f"during a {total}-document import", busy)):
        print(
            f"interactive upload->indexed, {label} ({len(times)} runs): "
            f"p50 {percentile(times, 50) * 1000:.0f} ms  p95 {percentile(times, 95) * 1000:.0f} ms",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
