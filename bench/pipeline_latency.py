"""One small document at a time on an idle server: upload → ``indexed``, and its parts."""

from __future__ import annotations

import time
import uuid
from datetime import datetime

import httpx2 as httpx

from bench._servers import Server, percentile
from bench.pipeline_http import upload, wait_indexed


def idle_latency(
    server: Server, count: int
) -> tuple[list[float], list[float], dict[str, list[float]]]:
    """One small document at a time: seconds from the start of its upload until its status
    was written ``indexed`` (the server's clock, read from the document), until a poll every
    20 ms saw it, and where its time went (from its step records)."""
    recorded: list[float] = []
    seen: list[float] = []
    parts: dict[str, list[float]] = {name: [] for name in _PARTS}
    with httpx.Client(timeout=60) as http:
        for i in range(count):
            took, saw, breakdown = one_document(server, http, i)
            seen.append(saw)
            for name, value in breakdown.items():
                parts[name].append(value)
            if took is not None:
                recorded.append(took)
            time.sleep(0.3)  # idle between documents, as a clerk uploading one file would be
    return recorded, seen, parts


def one_document(
    server: Server, http: httpx.Client, i: int
) -> tuple[float | None, float, dict[str, float]]:
    """Upload one small document over the kept connection ``http`` (as a browser or an
    integrating system keeps one: a new client per request cost the benchmark 15-45 ms of
    TLS set-up here, although the server is plain HTTP), and wait for it: seconds until its
    status was written ``indexed``, until the poll saw it, and its parts. Each poll is an
    audited read, a write: polling every 5 ms slowed the worker it measured."""
    content = f"Minutes of the road maintenance committee, meeting {i}, {uuid.uuid4()}."
    started, wall = time.perf_counter(), time.time()
    document_id = upload(server, f"minutes-{i}.txt", content.encode(), http)
    accepted = time.perf_counter()
    wait_indexed(server, document_id, every_s=0.02, http=http)
    seen = time.perf_counter() - started
    breakdown = _breakdown(server, document_id, wall, accepted - started, http)
    return (sum(breakdown.values()) if breakdown else None), seen, breakdown


_PARTS = ("upload request", "queue hand-off", "steps", "finish", "index step", "after index")


def _breakdown(
    server: Server, document_id: str, wall: float, request_s: float, http: httpx.Client
) -> dict[str, float]:
    """Seconds of each part of one document's way, read from its step records: the upload
    request, until its first step starts, its steps, writing the results (until the index
    step starts), the index step, and from then until the poll saw ``indexed``."""
    detail = http.get(
        f"{server.base}/api/v1/documents/{document_id}",
        headers={"X-API-Key": server.key},
        timeout=60,
    ).json()
    steps = {s["step"]: s for s in detail["steps"]}
    if "index" not in steps:
        return {}

    def at(step: dict) -> float:  # type: ignore[type-arg]
        return datetime.fromisoformat(step["started_at"]).timestamp() - wall

    first = min((s for n, s in steps.items() if n != "index"), key=at)
    last = max((s for n, s in steps.items() if n != "index"), key=at)
    index = steps["index"]
    steps_end = at(last) + last["duration_ms"] / 1000
    index_end = at(index) + index["duration_ms"] / 1000
    seen = datetime.fromisoformat(detail["updated_at"]).timestamp() - wall
    return dict(
        zip(
            _PARTS,
            (
                request_s,
                at(first) - request_s,
                steps_end - at(first),
                at(index) - steps_end,
                index["duration_ms"] / 1000,
                seen - index_end,
            ),
            strict=True,
        )
    )


def report_latency(server: Server, count: int) -> None:
    """Print ``idle_latency``'s figures: p50 and p95 of the whole way and of each part
    (nothing for ``--latency 0``)."""
    if count < 1:
        return
    times, seen, parts = idle_latency(server, count)
    print(
        f"one small document, idle, upload->indexed ({len(times)} runs): "
        f"p50 {percentile(times, 50) * 1000:.0f} ms  p95 {percentile(times, 95) * 1000:.0f} ms"
        f"  (seen by the 20 ms poll: p50 {percentile(seen, 50) * 1000:.0f} ms)"
    )
    for name, values in parts.items():
        if values:
            print(
                f"  {name:15} p50 {percentile(values, 50) * 1000:6.0f} ms  "
                f"p95 {percentile(values, 95) * 1000:6.0f} ms"
            )
