"""Search latency through ``GET /api/v1/search`` beside the engine alone, at 100,000 documents.

    .venv/bin/python bench/search.py [--docs 100000] [--repeat 5] [--stacks embedded,scale]

For each stack (embedded: SQLite + FTS5; scale: PostgreSQL + OpenSearch, after
scripts/services/up.sh) it writes ``--docs`` generated documents (Japanese and English,
varied metadata; see bench/search_engine.py) as database rows and index entries, starts
``bunko serve``, and runs the fixed mix of 20 queries (single word, phrase,
filter+range, faceted) as one API key's caller, in three columns measured in the same
run: ``native`` (the engine's own query, built once), ``bunko`` (``SearchIndex.search``
in-process) and ``api`` (the HTTP request: authentication, query parsing, access-trimmed
search, hit metadata from the database, the audit entry, JSON). The ratio api/native is
Bunko's overhead.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive import create_api_key
from archive.access import SecurityLevel
from archive.models import Department, Document, DocumentVersion
from archive.policy import api_key_principal
from bench._servers import serve, stack
from bench.search_engine import DEPARTMENTS, QUERIES, Latency, columns, generate
from search import IndexedDocument, SearchRequest
from search.opensearch import OpenSearchIndex
from web.services import build_services, prepare_backends
from web.settings import Settings

BATCH = 2000


def load(settings: Settings, docs: int) -> tuple[float, float]:
    """Write departments, document rows and index entries; return (rows/s, indexed docs/s)."""
    services = build_services(settings)
    prepare_backends(services)
    with services.sessions.begin() as session:
        session.add(Department(id=1, code="ROOT", name="市", path="/1/"))
        for dept_id, (code, ancestors) in sorted(DEPARTMENTS.items()):
            path = "/" + "/".join(str(a) for a in (*reversed(ancestors), dept_id)) + "/"
            session.add(Department(id=dept_id, code=code, name=code, path=path))
    rows_time = index_time = 0.0
    batch: list[IndexedDocument] = []

    def flush() -> None:
        nonlocal rows_time, index_time
        started = time.perf_counter()
        with services.sessions.begin() as session:
            session.execute(insert(Document), [_row(d) for d in batch])
            session.execute(insert(DocumentVersion), [_version(d) for d in batch])
        rows_time += time.perf_counter() - started
        started = time.perf_counter()
        services.index.index(batch)
        index_time += time.perf_counter() - started
        batch.clear()

    for doc in generate(docs):
        batch.append(doc)
        if len(batch) == BATCH:
            flush()
    if batch:
        flush()
    if isinstance(services.index, OpenSearchIndex):
        services.index.client.indices.refresh(index=services.index.alias)
    services.close()
    return docs / rows_time, docs / index_time


def _created(doc: IndexedDocument) -> datetime:
    return doc.created_at.replace(tzinfo=UTC) if doc.created_at.tzinfo is None else doc.created_at


def _row(doc: IndexedDocument) -> dict[str, object]:
    return {
        "id": doc.id,
        "title": doc.title,
        "department_id": doc.department_id,
        "document_date": doc.document_date,
        "status": "indexed",
        "security_level": int(doc.security_level),
        "doc_type": doc.doc_type,
        "language": doc.lang,
        "created_at": _created(doc),
        "updated_at": _created(doc),
        "attempts": 0,
    }


def _version(doc: IndexedDocument) -> dict[str, object]:
    return {
        "id": f"v-{doc.id}",
        "document_id": doc.id,
        "number": 1,
        "blob_key": "0" * 64,
        "size": 1,
        "media_type": "text/plain",
        "media_type_known": True,
        "original_filename": "generated.txt",
        "uploaded_by": "bench",
        "created_at": _created(doc),
    }


def api_column(base: str, key: str) -> Callable[[SearchRequest], object]:
    client = httpx.Client(timeout=60, headers={"X-API-Key": key})

    def run(request: SearchRequest) -> object:
        params = {
            "q": request.query or "",
            "size": request.size,
            "facets": ",".join(f.value for f in request.facets),
        }
        response = client.get(f"{base}/api/v1/search", params=params)
        response.raise_for_status()
        return response.json()

    return run


def bench_stack(name: str, docs: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory(dir="/var/tmp") as work, stack(name, Path(work)) as env_stack:
        env = {**env_stack.env}
        if name == "scale":
            env |= {
                "BUNKO_SEARCH_URL": os.environ["BUNKO_TEST_OPENSEARCH_URL"],
                "BUNKO_SEARCH_INDEX": f"bench-{Path(work).name.lower()}",
            }
        os.environ.update(env)
        settings = Settings()
        rows_rate, index_rate = load(settings, docs)
        services = build_services(settings)
        with services.sessions.begin() as session:
            key_row, key = create_api_key(
                session,
                name="bench-search",
                department_code="ZA-KE",
                clearance=SecurityLevel.CONFIDENTIAL,
            )
            scope = api_key_principal(key_row).scope
        with serve(env, setup=False) as server:
            reqs = [
                SearchRequest(scope=scope, query=q or None, size=20, facets=f)
                for _, q, f in QUERIES
            ]
            cols = {**columns(services.index), "api": api_column(server.base, key)}
            samples: dict[str, list[float]] = {c: [] for c in cols}
            for round_ in range(repeat + 2):
                for request in reqs:
                    for col, run in cols.items():
                        started = time.perf_counter()
                        run(request)
                        if round_ >= 2:
                            samples[col].append(time.perf_counter() - started)
        services.close()
        if name == "scale":
            from opensearchpy import OpenSearch

            OpenSearch(env["BUNKO_SEARCH_URL"]).indices.delete(
                index=f"{env['BUNKO_SEARCH_INDEX']}*", ignore_unavailable=True
            )
        print(f"\n## {name} stack, {docs:,} documents\n")
        print(f"database rows {rows_rate:,.0f} docs/s; index {index_rate:,.0f} docs/s\n")
        print("| column | p50 ms | p95 ms | p99 ms | p95 ratio to native |")
        print("|---|---|---|---|---|")
        native_p95 = Latency(samples["native"]).pct(95)
        for col, values in samples.items():
            lat = Latency(values)
            print(
                f"| {col} | {lat.pct(50):.1f} | {lat.pct(95):.1f} | {lat.pct(99):.1f} | {lat.pct(95) / native_p95:.2f} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--stacks", default="embedded,scale")
    args = parser.parse_args()
    for name in args.stacks.split(","):
        if name == "scale" and "BUNKO_TEST_POSTGRES_URL" not in os.environ:
            print(
                "(scale stack skipped: source /var/tmp/bunko-services/services.env after scripts/services/up.sh)"
            )
            continue
        bench_stack(name, args.docs, args.repeat)


if __name__ == "__main__":
    main()
