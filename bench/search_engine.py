"""Search benchmark: indexing rate and query latency of each backend, through Bunko and native.

    .venv/bin/python bench/search_engine.py --docs 20000            # FTS5, Tantivy (+ OpenSearch if reachable)
    .venv/bin/python bench/search_engine.py --docs 1000000 --keep /var/tmp/bench-search
                                                                    # Tantivy, OpenSearch; indexes kept
    .venv/bin/python bench/search_engine.py --analysis              # Japanese analysis measurement

For each backend it indexes ``--docs`` generated documents (Japanese and English text,
varied metadata) in one bulk ``rebuild`` (with ``--keep``, once: later runs reuse the
index; FTS5 is skipped above 100,000 documents), then runs a fixed mix of 20 queries (single word, phrase, filter+range,
faceted) ``--repeat`` times per column and prints p50/p95/p99 per column and the ratio
to the native column. Columns are functions of one query, so the HTTP API column is one
more entry in ``columns()``:

- ``bunko``: ``SearchIndex.search`` (parse, translate, run, build hits and snippets);
- ``native``: the same engine work without Bunko — for OpenSearch the request body
  ``search_body`` built once (with the tokens of its phrases), sent with opensearch-py; for FTS5 the SQL statements
  ``compile_search`` produced once, run in one read transaction on the index's connection;
  for Tantivy the query ``search._tantivy_query`` builds, counted, top-k (by score, or by
  date without words) and facets aggregated by tantivy-py, without Bunko's exact tie order,
  cursor and snippets.

Each backend also reports its index size and the process's peak RSS so far, and the run
ends with a parity line: every query's total must be the same on every backend. For FTS5,
``fts5_floor`` times the least any FTS5 design must do for the broad words of the mix:
count the matches, and ``ORDER BY rank LIMIT 21`` (bm25 of every match, no access, no
facets, no temporary table).

``--analysis`` runs ``bench/search_analysis.py`` (ways of analysing Japanese) instead; the
documents and the query mix are in ``bench/search_mix.py``.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.search_analysis import analysis
from bench.search_mix import QUERIES, Latency, generate, requests
from search import SearchIndex, SearchRequest, open_search_index
from search._tantivy_query import QueryBuilder
from search.opensearch import OpenSearchIndex, search_body
from search.query import text_leaves
from search.sqlite_fts import SqliteFtsIndex, compile_search
from search.tantivy_index import TantivyIndex

FTS5_MAX_DOCS = 100_000
FTS5_AT_1M = (
    "it is known slow there (issue 16: 941 s to index 1M documents, p95 1,868 ms) and is no"
    " longer the embedded engine"
)


Column = Callable[[SearchRequest], object]


def columns(index: SearchIndex) -> dict[str, Column]:
    """One timed function per column; the first is the baseline of the ratio (native)."""
    if isinstance(index, OpenSearchIndex):
        bodies: dict[int, dict[str, Any]] = {}

        def native_os(request: SearchRequest) -> object:
            body = bodies.get(id(request))
            if body is None:
                tree = request.tree
                body = bodies[id(request)] = search_body(
                    request, tree, request.effective_sort(tree), index.tokens(tree)
                )
            return index.client.search(index=index.alias, body=body)

        native: Column = native_os
    elif isinstance(index, TantivyIndex):
        native = _native_tantivy(index)
    else:
        assert isinstance(index, SqliteFtsIndex)
        conn = index._conn()
        plans: dict[int, Any] = {}

        def native_sqlite(request: SearchRequest) -> object:
            plan = plans.get(id(request))
            if plan is None:
                plan = plans[id(request)] = compile_search(request)
            conn.execute("BEGIN")
            try:
                rows: list[object] = [conn.execute(*plan.match).rowcount]
                for statement in plan.rank:
                    conn.execute(*statement)
                rows.append(conn.execute(*plan.page).fetchall())
                rows += [conn.execute(*s).fetchall() for s in plan.facets.values()]
            finally:
                conn.execute("ROLLBACK")
            return rows

        native = native_sqlite
    return {"native": native, "bunko": index.search}


def _native_tantivy(index: TantivyIndex) -> Column:
    builder = QueryBuilder(index._schema)
    queries: dict[int, Any] = {}
    fields = ("doc_type", "department_code", "fiscal_year", "series", "security_level")

    def native(request: SearchRequest) -> object:
        query = queries.get(id(request))
        if query is None:
            query = queries[id(request)] = builder.search(request.scope, request.tree)
        searcher = index._index().searcher()
        if text_leaves(request.tree):
            found = searcher.search(query, request.size + 1, count=True)
        else:
            found = searcher.search(query, request.size + 1, count=True, order_by_field="sort_day")
        ids = [searcher.doc(address)["id"][0] for _, address in found.hits]
        facets = {}
        if request.facets:
            aggregations = {f: {"terms": {"field": f, "size": 10_000}} for f in fields}
            facets = searcher.aggregate(query, aggregations)
        return found.count, ids, facets

    return native


TOTALS: dict[str, list[int]] = {}
"""Each backend's total per query of the mix, for the parity line."""


def bench_backend(
    name: str, index: SearchIndex, docs: int, repeat: int, marker: Path | None = None
) -> None:
    """Index ``docs`` documents in one ``rebuild`` (the bulk path of ``bunko reindex``) unless
    ``marker`` records that an earlier run did, then time the query mix."""
    if marker is not None and marker.exists():
        elapsed = float(marker.read_text())
        print(f"\n== {name}: reusing the index an earlier run built ({marker.parent})")
    else:
        start = time.perf_counter()
        index.ensure()
        index.rebuild(generate(docs))
        elapsed = time.perf_counter() - start
        if marker is not None:
            marker.write_text(str(elapsed))
    cols = columns(index)
    print(
        f"\n== {name}: indexed {docs} docs in {elapsed:.1f} s = {docs / elapsed:,.0f} docs/s"
        f" (load average {' '.join(f'{x:.1f}' for x in os.getloadavg())})"
    )
    print(f"  index size {index_size(index) / 2**20:,.1f} MiB")
    reqs = requests()
    TOTALS[name] = [index.search(request).total for request in reqs]
    samples: dict[str, dict[str, list[float]]] = {c: {} for c in cols}
    for _round in range(repeat + 2):
        for (kind, query, _), request in zip(QUERIES, reqs, strict=True):
            for col, run in cols.items():
                t0 = time.perf_counter()
                run(request)
                if _round >= 2:  # two warm-up rounds
                    samples[col].setdefault(f"{kind}: {query or '(empty)'}", []).append(
                        time.perf_counter() - t0
                    )
    print(f"{'query':64} " + " ".join(f"{c + ' p50/p95 ms':>18}" for c in cols) + "  ratio p95")
    for label in samples["native"]:
        lat = {c: Latency(samples[c][label]) for c in cols}
        cells = " ".join(f"{lat[c].pct(50):8.1f}/{lat[c].pct(95):8.1f}" for c in cols)
        print(
            f"{label[:64]:64} {cells}  {lat['bunko'].pct(95) / max(lat['native'].pct(95), 1e-9):6.2f}x"
        )
    print("all 20 queries:")
    for col in cols:
        lat = Latency([s for per in samples[col].values() for s in per])
        print(
            f"  {col:7} p50 {lat.pct(50):7.1f} ms  p95 {lat.pct(95):7.1f} ms  p99 {lat.pct(99):7.1f} ms"
        )
    print(
        f"  peak RSS of this process so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB"
    )
    if isinstance(index, SqliteFtsIndex):
        short_term_paths(index)
        fts5_floor(index, repeat)


def index_size(index: SearchIndex) -> int:
    if isinstance(index, TantivyIndex):
        return sum(p.stat().st_size for p in index.path.rglob("*") if p.is_file())
    if isinstance(index, SqliteFtsIndex):
        return sum(p.stat().st_size for p in index.path.parent.glob(index.path.name + "*"))
    assert isinstance(index, OpenSearchIndex)
    stats = index.client.indices.stats(index=index.alias)
    return int(stats["_all"]["primaries"]["store"]["size_in_bytes"])


FLOOR_TERMS = (
    ("docs_short", "契約"),
    ("docs_short", "清掃"),
    ("docs_tri", "大阪市"),
    ("docs_tri", "契約を締結する"),
)


def fts5_floor(index: SqliteFtsIndex, repeat: int) -> None:
    """The least FTS5 work for a broad word: count its matches; its 21 best by bm25."""
    conn = index._conn()
    for table, term in FLOOR_TERMS:
        for label, sql in (
            ("count", f"SELECT count(*) FROM {table} WHERE {table} MATCH ?"),
            (
                "rank LIMIT 21",
                f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT 21",
            ),
        ):
            runs = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                conn.execute(sql, [f'"{term}"']).fetchall()
                runs.append(time.perf_counter() - t0)
            matches = conn.execute(
                f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", [f'"{term}"']
            ).fetchone()[0]
            print(
                f"  floor {term} ({matches} matches) {label}: p50 {Latency(runs).pct(50):.1f} ms, p95 {Latency(runs).pct(95):.1f} ms"
            )


def short_term_paths(index: SqliteFtsIndex) -> None:
    """Why the FTS5 backend keeps a short-term index: 2-character words against an ``instr`` scan."""
    conn = index._conn()
    for term in ("契約", "清掃", "市"):
        timings = {}
        for label, sql in (
            ("docs_short", "SELECT count(*) FROM docs_short WHERE docs_short MATCH ?"),
            (
                "instr scan",
                "SELECT count(*) FROM docs WHERE instr(title, ?) > 0 OR instr(body, ?) > 0",
            ),
        ):
            params = [f'"{term}"'] if label == "docs_short" else [term, term]
            t0 = time.perf_counter()
            count = conn.execute(sql, params).fetchone()[0]
            timings[label] = (time.perf_counter() - t0) * 1000, count
        print(
            f"  short term {term}: "
            + ", ".join(f"{k} {ms:.1f} ms ({n} docs)" for k, (ms, n) in timings.items())
        )
    size = (
        {
            name: n
            for name, n in conn.execute(
                "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'docs_short%' OR name LIKE 'docs_tri%' GROUP BY 1"
            )
        }
        if _has_dbstat(conn)
        else {}
    )
    if size:
        short = sum(v for k, v in size.items() if k.startswith("docs_short"))
        tri = sum(v for k, v in size.items() if k.startswith("docs_tri"))
        print(f"  index size: trigram {tri / 2**20:.1f} MiB, short-term {short / 2**20:.1f} MiB")


def _has_dbstat(conn: Any) -> bool:
    try:
        conn.execute("SELECT 1 FROM dbstat LIMIT 1")
    except Exception:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--opensearch", default=os.environ.get("BUNKO_TEST_OPENSEARCH_URL"))
    parser.add_argument(
        "--backend", choices=["all", "fts5", "tantivy", "opensearch"], default="all"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="build the Tantivy index in this directory and keep it (and the OpenSearch index"
        " named for --docs); a later run with the same --docs reuses them",
    )
    parser.add_argument(
        "--analysis", action="store_true", help="measure Japanese analysis options instead"
    )
    args = parser.parse_args()
    if args.analysis:
        analysis(args.opensearch)
        return
    if args.backend in ("all", "fts5") and args.docs > FTS5_MAX_DOCS:
        print(f"SQLite FTS5 skipped above {FTS5_MAX_DOCS:,} documents: {FTS5_AT_1M}")
    elif args.backend in ("all", "fts5"):
        with tempfile.TemporaryDirectory() as tmp:
            index = open_search_index(f"sqlite:///{tmp}/bench.db")
            bench_backend("SQLite FTS5", index, args.docs, args.repeat)
            index.close()
    if args.backend in ("all", "tantivy"):
        with ExitStack() as cleanup:
            where = args.keep or Path(cleanup.enter_context(tempfile.TemporaryDirectory()))
            path = where / f"tantivy-{args.docs}"
            index = open_search_index(f"tantivy:///{path}")
            marker = path / "built.txt" if args.keep else None
            bench_backend("Tantivy", index, args.docs, args.repeat, marker)
            index.close()
    if args.backend in ("all", "opensearch") and args.opensearch:
        name = f"bunko-bench-{args.docs}" if args.keep else f"bunko-bench-{uuid.uuid4().hex[:8]}"
        remote = open_search_index(args.opensearch, index_name=name)
        assert isinstance(remote, OpenSearchIndex)
        try:
            marker = args.keep / f"opensearch-{args.docs}.txt" if args.keep else None
            bench_backend("OpenSearch", remote, args.docs, args.repeat, marker)
        finally:
            if not args.keep:
                remote.drop()
    if len(TOTALS) > 1:
        same = len({tuple(t) for t in TOTALS.values()}) == 1
        print(
            f"\nparity: totals of all 20 queries {'identical' if same else 'DIFFER'} on {', '.join(TOTALS)}"
        )


if __name__ == "__main__":
    main()
