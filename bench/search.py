"""Search latency through ``GET /api/v1/search`` beside the engine alone, at 100,000 documents.

    .venv/bin/python bench/search.py [--docs 100000] [--repeat 5] [--stacks embedded,scale]

For each stack (embedded: SQLite + FTS5; scale: PostgreSQL + OpenSearch, after
scripts/services/up.sh) it writes ``--docs`` generated documents (Japanese and English,
varied metadata; see bench/search_mix.py) as database rows and index entries, starts
``bunko serve``, and runs the fixed mix of 20 queries (single word, phrase,
filter+range, faceted) as one API key's caller, in three columns measured in the same
run: ``native`` (the engine's own query, built once), ``bunko`` (``SearchIndex.search``
in-process) and ``api`` (the HTTP request: authentication, query parsing, access-trimmed
search, hit metadata from the database, the audit entry, JSON). The ratio api/native is
Bunko's overhead.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from multiprocessing import Pool
from operator import attrgetter
from pathlib import Path
from typing import Any
from unittest.mock import patch

import httpx2 as httpx
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive import create_api_key
from archive.access import SecurityLevel
from archive.models import Department, Document, DocumentVersion
from archive.policy import api_key_principal
from bench._servers import peak_rss_mib, serve, stack
from bench.search_engine import columns, index_size
from bench.search_mix import DEPARTMENTS, QUERIES, Latency, generate
from search import IndexedDocument, SearchRequest, opensearch, tantivy_index
from web.services import Services, build_services, prepare_backends
from web.settings import Settings

BATCH = 2000
PREPARE_CHUNK = 500


def load(settings: Settings, docs: int, workers: int, work: Path) -> tuple[float | None, float]:
    """Write departments and document rows (once: ``work/rows.json`` records it), then the
    index in one ``rebuild`` (the path of ``bunko reindex``) with the documents analysed in
    ``workers`` processes; return (rows/s, indexed docs/s)."""
    services = build_services(settings)
    prepare_backends(services)
    rows = work / "rows.json"
    if not rows.exists():
        rows.write_text(json.dumps(_write_rows(services, docs)))
    started = time.perf_counter()
    tantivy = isinstance(services.index, tantivy_index.TantivyIndex)
    with Pool(workers) as pool, _prepared_elsewhere(tantivy):
        prepared = pool.imap(partial(_prepare, tantivy), _chunks(generate(docs)))
        services.index.rebuild((p for chunk in prepared for p in chunk), _progress(docs, started))
    index_time = time.perf_counter() - started
    services.close()
    return json.loads(rows.read_text()), docs / index_time


def _write_rows(services: Services, docs: int) -> float:
    """Departments and ``docs`` document rows; rows/s."""
    with services.sessions.begin() as session:
        session.add(Department(id=1, code="ROOT", name="市", path="/1/"))
        for dept_id, (code, ancestors) in sorted(DEPARTMENTS.items()):
            path = "/" + "/".join(str(a) for a in (*reversed(ancestors), dept_id)) + "/"
            session.add(Department(id=dept_id, code=code, name=code, path=path))
    started = time.perf_counter()
    batch: list[IndexedDocument] = []
    for doc in generate(docs):
        batch.append(doc)
        if len(batch) == BATCH:
            _insert(services, batch)
    _insert(services, batch)
    return docs / (time.perf_counter() - started)


@dataclass(frozen=True)
class _Prepared:
    """A document in the form its backend writes (a Tantivy document, an OpenSearch source)."""

    id: str
    form: Any


def _chunks(docs: Iterable[IndexedDocument]) -> Iterator[list[IndexedDocument]]:
    chunk: list[IndexedDocument] = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) == PREPARE_CHUNK:
            yield chunk
            chunk = []
    yield chunk


def _prepare(tantivy: bool, chunk: list[IndexedDocument]) -> list[_Prepared]:
    if tantivy:
        return [
            _Prepared(d.id, tantivy_index.document_of(tantivy_index.record_of(d))) for d in chunk
        ]
    return [_Prepared(d.id, opensearch.source(d)) for d in chunk]


@contextmanager
def _prepared_elsewhere(tantivy: bool) -> Iterator[None]:
    """``rebuild`` takes ``_Prepared`` documents: their analysis (Python, the bottleneck on a
    shared 2-core machine) ran in worker processes; one writer writes them, as it would."""
    form = attrgetter("form")
    if tantivy:
        with (
            patch.object(tantivy_index, "record_of", lambda p: p),
            patch.object(tantivy_index, "document_of", form),
        ):
            yield
    else:
        with patch.object(opensearch, "source", form):
            yield


def _insert(services: Services, batch: list[IndexedDocument]) -> None:
    if batch:
        with services.sessions.begin() as session:
            session.execute(insert(Document), [_row(d) for d in batch])
            session.execute(insert(DocumentVersion), [_version(d) for d in batch])
        batch.clear()


def _progress(docs: int, started: float) -> Callable[[int], None]:
    printed = set()

    def report(done: int) -> None:
        if (done % 100_000 == 0 or done == docs) and done not in printed:
            printed.add(done)
            rate = done / (time.perf_counter() - started)
            print(f"  indexed {done:,} of {docs:,} ({rate:,.0f} docs/s)", flush=True)

    return report


def loaded(settings: Settings, docs: int, marker: Path, workers: int) -> tuple[float | None, float]:
    """The stack's rates, loading it unless ``marker`` says an earlier run did (``--keep``)."""
    if marker.exists():
        rows_rate, index_rate = json.loads(marker.read_text())
        print(f"(reusing the {docs:,} documents loaded by an earlier run: {marker.parent})")
        return rows_rate, index_rate
    rates = load(settings, docs, workers, marker.parent)
    marker.write_text(json.dumps(rates))
    return rates


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


def bench_stack(name: str, docs: int, repeat: int, keep: Path | None, workers: int) -> None:
    with ExitStack() as cleanup:
        if keep is None:
            work = Path(cleanup.enter_context(tempfile.TemporaryDirectory(dir="/var/tmp")))
            index_name = f"bench-{work.name.lower()}"
        else:
            work = keep / f"{name}-{docs}"
            work.mkdir(parents=True, exist_ok=True)
            index_name = f"bench-{keep.name.lower()}-{docs}"
        database = f"bunko_bench_{keep.name.lower().replace('-', '_')}_{docs}" if keep else None
        env = {**cleanup.enter_context(stack(name, work, keep=database)).env}
        if name == "scale":
            env |= {
                "BUNKO_SEARCH_URL": os.environ["BUNKO_TEST_OPENSEARCH_URL"],
                "BUNKO_SEARCH_INDEX": index_name,
            }
            if keep is None:
                cleanup.callback(_drop_index, env)
        os.environ.update(env)
        settings = Settings()
        rows_rate, index_rate = loaded(settings, docs, work / "loaded.json", workers)
        services = build_services(settings)
        cleanup.callback(services.close)
        with services.sessions.begin() as session:
            key_row, key = create_api_key(
                session,
                name=f"bench-search-{uuid.uuid4().hex[:8]}",
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
            samples = measure(cols, reqs, repeat)
            server_rss = peak_rss_mib(server.proc.pid)
        print(f"\n## {name} stack, {docs:,} documents (load average {_load()})\n")
        rows = f"{rows_rate:,.0f} docs/s" if rows_rate else "(not timed)"
        print(f"database rows {rows}; index {index_rate:,.0f} docs/s")
        print(f"index size {index_size(services.index) / 2**20:,.1f} MiB")
        print(f"peak RSS of the `bunko serve` process answering: {server_rss:,.0f} MiB\n")
        report(samples)


def measure(
    cols: dict[str, Callable[[SearchRequest], object]], reqs: list[SearchRequest], repeat: int
) -> dict[str, dict[str, list[float]]]:
    """Seconds per column and query, the columns interleaved, after two warm-up rounds."""
    samples: dict[str, dict[str, list[float]]] = {c: {} for c in cols}
    for round_ in range(repeat + 2):
        for (kind, query, _), request in zip(QUERIES, reqs, strict=True):
            for col, run in cols.items():
                started = time.perf_counter()
                run(request)
                if round_ >= 2:
                    label = f"{kind}: {query or '(empty)'}"
                    samples[col].setdefault(label, []).append(time.perf_counter() - started)
    return samples


def report(samples: dict[str, dict[str, list[float]]]) -> None:
    print("| column | p50 ms | p95 ms | p99 ms | p95 ratio to native |")
    print("|---|---|---|---|---|")
    flat = {col: [s for per in by_query.values() for s in per] for col, by_query in samples.items()}
    native_p95 = Latency(flat["native"]).pct(95)
    for col, values in flat.items():
        lat = Latency(values)
        print(
            f"| {col} | {lat.pct(50):.1f} | {lat.pct(95):.1f} | {lat.pct(99):.1f} | {lat.pct(95) / native_p95:.2f} |"
        )
    print("\np95 ms per query: " + " / ".join(samples))
    for label in samples["native"]:
        cells = " / ".join(f"{Latency(samples[c][label]).pct(95):.1f}" for c in samples)
        print(f"  {label[:60]:60} {cells}")


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _drop_index(env: dict[str, str]) -> None:
    """The run's indices and their template (templates left behind slow every later index creation)."""
    index = opensearch.OpenSearchIndex.from_url(
        env["BUNKO_SEARCH_URL"], index_name=env["BUNKO_SEARCH_INDEX"]
    )
    try:
        index.drop()
    finally:
        index.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--stacks", default="embedded,scale")
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the loaded stacks in this directory (and a database and index named for"
        " it and --docs) and reuse them on the next run",
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="processes analysing documents for the index"
    )
    args = parser.parse_args()
    for name in args.stacks.split(","):
        if name == "scale" and "BUNKO_TEST_POSTGRES_URL" not in os.environ:
            print(
                "(scale stack skipped: source /var/tmp/bunko-services/services.env after scripts/services/up.sh)"
            )
            continue
        bench_stack(name, args.docs, args.repeat, args.keep, args.workers)


if __name__ == "__main__":
    main()
