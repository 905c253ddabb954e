"""Search page benchmark: the page through a browser beside the raw API, at N documents.

    .venv/bin/python -m bench.ui --docs 100000            # embedded stack (SQLite + FTS5)
    .venv/bin/python -m bench.ui --docs 20000 --stack scale   # needs scripts/services/up.sh

Documents are generated straight into the database and the index (``bench.search_mix``'s
generator; the same ids, departments, amounts in both), not through the pipeline. Then one
``bunko serve`` answers, for each query, ``--repeat`` times:

- ``api``: ``GET /api/v1/search`` (size 20) with an API key, timed by the client;
- ``page TTFB``: the search page's first byte in Chromium (Navigation Timing ``responseStart``);
- ``page load``: the same navigation's ``loadEventEnd`` (HTML, CSS, layout; no script runs there).

The key and the signed-in person have the same scope (one section, ``confidential``), so
both trim by access the same way.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import insert

from archive import create_api_key
from archive.access import SecurityLevel
from archive.models import (
    Department,
    Document,
    DocumentField,
    DocumentStatus,
    DocumentVersion,
)
from archive.users import add_user
from bench._servers import percentile, serve, stack
from bench.search_mix import generate
from search import IndexedDocument
from web.services import build_services, prepare_backends
from web.settings import Settings

PASSWORD = "benchmark password"
DEPARTMENTS = [
    (1, "city", "/1/"),
    (10, "ZA", "/1/10/"),
    (11, "ZA-KE", "/1/10/11/"),
    (20, "KE", "/1/20/"),
    (21, "KE-DO", "/1/20/21/"),
    (30, "KY", "/1/30/"),
]
QUERIES = {"word": "契約", "filter": "type:invoice amount>=1000000", "browse (no query)": ""}
BATCH = 5000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _rows(batch: list[IndexedDocument]) -> tuple[list[dict[str, object]], ...]:
    now = datetime.now(UTC)
    docs, versions, fields = [], [], []
    for doc in batch:
        docs.append(
            dict(
                id=doc.id,
                title=doc.title,
                department_id=doc.department_id,
                document_date=doc.document_date,
                status=DocumentStatus.INDEXED,
                security_level=int(doc.security_level),
                doc_type=doc.doc_type,
                created_by="bench",
                created_at=doc.created_at.replace(tzinfo=UTC),
                updated_at=now,
                attempts=1,
                type_confidence=0.9,
                type_source="model",
                page_count=1,
                language=doc.lang,
            )
        )
        versions.append(
            dict(
                id=f"v-{doc.id}",
                document_id=doc.id,
                number=1,
                blob_key=hashlib.sha256(doc.id.encode()).hexdigest(),
                size=1000,
                media_type="text/plain",
                media_type_known=True,
                original_filename=f"{doc.id}.txt",
                uploaded_by="bench",
                created_at=doc.created_at.replace(tzinfo=UTC),
            )
        )
        if doc.amount is not None:
            fields.append(
                dict(
                    document_id=doc.id,
                    version_id=f"v-{doc.id}",
                    name="total_amount",
                    value=str(doc.amount),
                    value_type="amount",
                    page=1,
                    start=0,
                    end=1,
                    source_text=str(doc.amount),
                    valid=True,
                )
            )
    return docs, versions, fields


def load(settings: Settings, count: int) -> str:
    """Create the departments, a person and a key, and ``count`` documents; return the key."""
    services = build_services(settings)
    prepare_backends(services)
    with services.sessions.begin() as session:
        for dept_id, code, path in DEPARTMENTS:
            session.add(
                Department(
                    id=dept_id,
                    code=code,
                    name=code,
                    path=path,
                    parent_id=int(path.strip("/").split("/")[-2]) if path.count("/") > 2 else None,
                )
            )
        session.flush()
        add_user(
            session,
            login="bench",
            display_name="Bench",
            department_code="ZA-KE",
            roles=["staff"],
            clearance=SecurityLevel.CONFIDENTIAL,
            password=PASSWORD,
        )
        _row, key = create_api_key(
            session, name="bench-ui", department_code="ZA-KE", clearance=SecurityLevel.CONFIDENTIAL
        )
    started, batch = time.monotonic(), []
    for doc in generate(count):
        batch.append(
            replace(doc, grant_users=())
        )  # no grant rows in the database, so none in the index
        if len(batch) == BATCH:
            _store(services, batch)
            batch = []
    if batch:
        _store(services, batch)
    print(f"loaded {count:,} documents in {time.monotonic() - started:.0f} s", flush=True)
    services.close()
    return key


def _store(services: object, batch: list[IndexedDocument]) -> None:
    docs, versions, fields = _rows(batch)
    with services.sessions.begin() as session:  # type: ignore[attr-defined]
        session.execute(insert(Document), docs)
        session.execute(insert(DocumentVersion), versions)
        if fields:
            session.execute(insert(DocumentField), fields)
    services.index.index(batch)  # type: ignore[attr-defined]


def _api(base: str, key: str, q: str, repeat: int) -> list[float]:
    times = []
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=60) as client:
        for i in range(repeat + 1):
            started = time.perf_counter()
            response = client.get("/api/v1/search", params={"q": q, "size": 20})
            elapsed = time.perf_counter() - started
            assert response.status_code == 200 and len(response.json()["hits"]) == 20, (
                response.text[:300]
            )
            if i:  # the first is a warm-up
                times.append(elapsed)
    return times


def _page(
    base: str, queries: Iterable[str], repeat: int
) -> dict[str, tuple[list[float], list[float]]]:
    from playwright.sync_api import sync_playwright

    out: dict[str, tuple[list[float], list[float]]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(base_url=base, locale="ja-JP")
        page.goto("/search")  # sends us to sign in, and back here after
        page.fill("#login", "bench")
        page.fill("#password", PASSWORD)
        page.click("form[action='/login'] button[type=submit]")
        page.wait_for_url("**/search")
        for q in queries:
            ttfb, full = [], []
            for i in range(repeat + 1):
                page.goto("/search?" + httpx.QueryParams({"q": q}).__str__(), wait_until="load")
                shown = page.locator("ol.hits > li").count()
                assert shown == 20, (q, shown, page.locator("main").inner_text()[:500])
                timing = page.evaluate(
                    "() => performance.getEntriesByType('navigation')[0].toJSON()"
                )
                if i:
                    ttfb.append(timing["responseStart"] / 1000)
                    full.append(timing["loadEventEnd"] / 1000)
            out[q] = (ttfb, full)
        browser.close()
    return out


def _ms(values: list[float]) -> str:
    return f"{percentile(values, 50) * 1000:7.1f} / {percentile(values, 95) * 1000:7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--stack", choices=["embedded", "scale"], default="embedded")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="bunko-bench-ui-") as work,
        stack(args.stack, Path(work)) as chosen,
    ):
        env = {**chosen.env, "BUNKO_EMBEDDED_WORKER": "false"}
        if args.stack == "scale":
            env |= {
                "BUNKO_SEARCH_URL": os.environ["BUNKO_TEST_OPENSEARCH_URL"],
                "BUNKO_SEARCH_INDEX": f"bunko-bench-ui-{os.getpid()}",
                "BUNKO_BROKER_URL": os.environ["BUNKO_TEST_REDIS_URL"],
            }
        os.environ.update(env)
        key = load(Settings(), args.docs)
        with serve(env) as server:
            pages = _page(server.base, QUERIES.values(), args.repeat)
            print(
                f"\n{args.stack}, {args.docs:,} documents, {args.repeat} runs each; p50 / p95 in ms"
            )
            print(
                f"{'query':<34} {'GET /api/v1/search':>20} {'page TTFB':>20} {'page full load':>20}"
            )
            for name, q in QUERIES.items():
                api = _api(server.base, key, q, args.repeat)
                ttfb, full = pages[q]
                print(f"{name + ': ' + q:<34} {_ms(api):>20} {_ms(ttfb):>20} {_ms(full):>20}")


if __name__ == "__main__":
    main()
