"""Upload throughput and latency through ``POST /api/v1/documents``, beside raw blob-store writes.

For 1 KB, 1 MB and 100 MB files with 1 and 8 concurrent clients, on the embedded stack
(SQLite + local directory) and, when scripts/services/up.sh has run, the scale stack
(PostgreSQL + S3 on versitygw). The baseline writes the same bytes straight to the same
storage (a file written and fsynced in the blob directory, or one S3 PUT with the minio
client), with the same concurrency. Also reports the server's peak RSS while it takes
the 100 MB uploads, which must not grow with the file size.

    .venv/bin/python bench/upload.py [--stacks embedded,scale] [--quick]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx
from minio import Minio

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.blobs.s3 import s3_client_args
from bench._servers import peak_rss_mib, percentile, reset_peak_rss, serve, stack

SIZES = {"1 KB": 1024, "1 MB": 1024**2, "100 MB": 100 * 1024**2}


def unique(body: bytes) -> bytes:
    """The same size, different content: uploads must not be deduplicated."""
    return uuid.uuid4().bytes + body[16:]


def run(
    task: Callable[[bytes], None], body: bytes, count: int, clients: int
) -> tuple[float, list[float]]:
    """Run ``count`` tasks over ``clients`` threads; return wall time and per-task latencies."""
    latencies: list[float] = []

    def one(_: int) -> None:
        payload = unique(body)
        start = time.perf_counter()
        task(payload)
        latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(count)))
    return time.perf_counter() - start, latencies


def raw_writer(storage_url: str) -> Callable[[bytes], None]:
    if storage_url.startswith("file://"):
        root = Path(storage_url.removeprefix("file://")) / "raw"
        root.mkdir(parents=True, exist_ok=True)

        def write_file(payload: bytes) -> None:
            with open(root / uuid.uuid4().hex, "wb") as out:
                out.write(payload)
                out.flush()
                os.fsync(out.fileno())

        return write_file
    client = Minio(**s3_client_args(storage_url))
    bucket = storage_url.rsplit("/", 1)[1].split("?")[0]

    def put(payload: bytes) -> None:
        client.put_object(
            bucket,
            f"raw/{uuid.uuid4().hex}",
            io.BytesIO(payload),
            len(payload),
            part_size=16 * 1024**2,
        )

    return put


def api_writer(base: str, key: str) -> Callable[[bytes], None]:
    client = httpx.Client(timeout=600, headers={"X-API-Key": key})

    def upload(payload: bytes) -> None:
        response = client.post(f"{base}/api/v1/documents", files={"file": ("bench.bin", payload)})
        if response.status_code != 202:
            raise RuntimeError(f"upload failed: {response.status_code} {response.text[:200]}")

    return upload


def count_for(size: int, clients: int, quick: bool) -> int:
    if size >= 100 * 1024**2:
        return clients if clients > 1 else (2 if quick else 3)
    if size >= 1024**2:
        return 16 if quick else 48
    return 64 if quick else 256


def bench_stack(name: str, quick: bool) -> None:
    with (
        tempfile.TemporaryDirectory(dir="/var/tmp") as work,
        stack(name, Path(work)) as settings,
        serve(settings.env) as server,
    ):
        raw = raw_writer(settings.storage_url)
        api = api_writer(server.base, server.key)
        print(f"\n## {name} stack\n")
        print(
            "| size | clients | uploads | API MB/s | raw MB/s | ratio raw/API | API p50 ms | API p95 ms | raw p95 ms |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        peaks: dict[str, float] = {}
        for label, size in SIZES.items():
            body = os.urandom(size)
            for clients in (1, 8):
                count = count_for(size, clients, quick)
                if size == SIZES["100 MB"]:
                    reset_peak_rss(server.proc.pid)
                api_wall, api_lat = run(api, body, count, clients)
                if size == SIZES["100 MB"]:
                    peaks[f"100 MB x{clients}"] = peak_rss_mib(server.proc.pid)
                elif size == SIZES["1 MB"] and clients == 8:
                    reset_peak_rss(server.proc.pid)
                    run(api, body, count, clients)
                    peaks["1 MB x8"] = peak_rss_mib(server.proc.pid)
                raw_wall, raw_lat = run(raw, body, count, clients)
                api_rate = size * count / api_wall / 1e6
                raw_rate = size * count / raw_wall / 1e6
                print(
                    f"| {label} | {clients} | {count} | {api_rate:.1f} | {raw_rate:.1f} | {raw_rate / api_rate:.2f} "
                    f"| {percentile(api_lat, 50) * 1000:.1f} | {percentile(api_lat, 95) * 1000:.1f} "
                    f"| {percentile(raw_lat, 95) * 1000:.1f} |"
                )
        print(
            "\nServer peak RSS (VmHWM, reset before each phase): "
            + ", ".join(f"{k}: {v:.0f} MiB" for k, v in peaks.items())
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stacks", default="embedded,scale")
    parser.add_argument("--quick", action="store_true", help="fewer uploads per cell")
    args = parser.parse_args()
    for name in args.stacks.split(","):
        if name == "scale" and "BUNKO_TEST_POSTGRES_URL" not in os.environ:
            print(
                "\n(scale stack skipped: source /var/tmp/bunko-services/services.env after scripts/services/up.sh)"
            )
            continue
        bench_stack(name, args.quick)


if __name__ == "__main__":
    main()
