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
  ``search_body`` built once, sent with opensearch-py; for FTS5 the SQL statements
  ``compile_search`` produced once, run in one read transaction on the index's connection;
  for Tantivy the query ``search._tantivy_query`` builds, counted, top-k (by score, or by
  date without words) and facets aggregated by tantivy-py, without Bunko's exact tie order,
  cursor and snippets.

Each backend also reports its index size and the process's peak RSS so far, and the run
ends with a parity line: every query's total must be the same on every backend. For FTS5,
``fts5_floor`` times the least any FTS5 design must do for the broad words of the mix:
count the matches, and ``ORDER BY rank LIMIT 21`` (bm25 of every match, no access, no
facets, no temporary table).

``--analysis`` compares ways of analysing Japanese on a small hand-labelled set (what a
person searching for the word means to find): CJK bigram phrases (chosen), standard
tokenizer + shingles, SudachiPy tokens (split modes A and C, when ``sudachipy`` is
installed) and the FTS5 trigram backend.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.access import AccessScope, SecurityLevel
from archive.types import RecordId
from search import (
    Facet,
    IndexedDocument,
    SearchIndex,
    SearchRequest,
    open_search_index,
)
from search._tantivy_query import QueryBuilder
from search.opensearch import OpenSearchIndex, search_body
from search.query import text_leaves
from search.sqlite_fts import SqliteFtsIndex, compile_search
from search.tantivy_index import TantivyIndex

SCOPE = AccessScope(
    user_id=1,
    department_id=11,
    department_lineage=(11, 10, 1),
    clearance=SecurityLevel.CONFIDENTIAL,
)
DEPARTMENTS = {
    10: ("ZA", (1,)),
    11: ("ZA-KE", (10, 1)),
    20: ("KE", (1,)),
    21: ("KE-DO", (20, 1)),
    30: ("KY", (1,)),
}
JA_SUBJECTS = [
    "道路清掃業務",
    "学校給食",
    "下水道管更新工事",
    "図書館システム",
    "保育所運営",
    "公園樹木剪定",
    "市立病院医療機器",
    "区役所窓口業務",
    "補助金交付",
    "観光振興事業",
    "防災備蓄品",
    "庁舎清掃",
]
JA_SENTENCES = [
    "{s}について、{c}と契約を締結する。",
    "{s}の請求書を受領した。金額は{a}円である。",
    "大阪市役所における{s}の実施状況を報告する。",
    "{s}に関する会議の議事録。",
    "令和{y}年度の{s}の予算。",
]
EN_SUBJECTS = [
    "road maintenance",
    "school meals",
    "library system",
    "park management",
    "water supply",
    "waste collection",
    "IT support",
    "cleaning services",
]
EN_SENTENCES = [
    "This agreement covers {s} provided by {c}.",
    "Invoice for {s}, total {a} yen.",
    "Minutes of the meeting on {s}.",
    "Annual report on {s} for fiscal {y}.",
]
COUNTERPARTIES = [
    "株式会社山田商事",
    "大阪建設株式会社",
    "Acme Corp",
    "関西ペーパー株式会社",
    "合同会社みなと",
    "Kansai IT Ltd.",
]


def generate(count: int, seed: int = 1) -> Iterator[IndexedDocument]:
    rng = random.Random(seed)
    for i in range(count):
        ja = rng.random() < 0.7
        subject = rng.choice(JA_SUBJECTS if ja else EN_SUBJECTS)
        counterparty = rng.choice(COUNTERPARTIES)
        amount = rng.randrange(1, 500) * 10_000
        day = date(2019, 4, 1) + timedelta(days=rng.randrange(2400))
        templates = JA_SENTENCES if ja else EN_SENTENCES
        text = [
            " ".join(
                rng.choice(templates).format(
                    s=rng.choice([subject, *rng.sample(JA_SUBJECTS if ja else EN_SUBJECTS, 2)]),
                    c=counterparty,
                    a=f"{amount:,}",
                    y=day.year - 2018,
                )
                for _ in range(rng.randrange(4, 12))
            )
            for _ in range(rng.randrange(1, 4))
        ]
        dept = rng.choice(list(DEPARTMENTS))
        code, ancestors = DEPARTMENTS[dept]
        kind = rng.choice(["contract", "invoice", "public", "other"])
        yield IndexedDocument(
            id=RecordId(f"doc-{i:07d}"),
            title=f"{subject} {'契約書' if kind == 'contract' else '請求書' if kind == 'invoice' else '文書'}",
            text=text,
            doc_type=kind,
            department_id=dept,
            department_code=code,
            owner_path=(dept, *ancestors),
            created_at=datetime(2025, 1, 1),
            security_level=rng.choice(list(SecurityLevel)),
            grant_users=(1,) if rng.random() < 0.01 else (),
            document_date=day,
            amount=Decimal(amount) if kind in ("contract", "invoice") else None,
            currency="JPY",
            counterparty=counterparty if kind in ("contract", "invoice") else None,
            registration_number=f"T{rng.randrange(10**12, 10**13)}" if kind == "invoice" else None,
            series=rng.choice(["FIN-01", "FIN-02", "CON-01", "GEN-01"]),
            lang="ja" if ja else "en",
        )


FTS5_MAX_DOCS = 100_000
FTS5_AT_1M = (
    "it is known slow there (issue 16: 941 s to index 1M documents, p95 1,868 ms) and is no"
    " longer the embedded engine"
)
ALL_FACETS = frozenset(Facet)
QUERIES: list[tuple[str, str, frozenset[Facet]]] = [
    ("word", "契約", frozenset()),
    ("word", "大阪市", frozenset()),
    ("word", "清掃", frozenset()),
    ("word", "library", frozenset()),
    ("word", "invoices", frozenset()),
    ("word", "図書館システム", frozenset()),
    ("phrase", '"道路清掃業務"', frozenset()),
    ("phrase", '"school meals"', frozenset()),
    ("phrase", '"契約を締結する"', frozenset()),
    ("phrase", '"annual report"', frozenset()),
    ("filter", "type:invoice date:2023-04-01..2024-03-31 amount:100000..500000", frozenset()),
    ("filter", "counterparty:山田商事 amount>=1000000", frozenset()),
    ("filter", "fy:2022 dept:ZA-KE", frozenset()),
    ("filter", "契約 type:contract date:2024", frozenset()),
    ("filter", "regno:T1234567890123 OR series:CON-01 lang:en", frozenset()),
    ("faceted", "", ALL_FACETS),
    ("faceted", "請求書", ALL_FACETS),
    ("faceted", "type:contract", ALL_FACETS),
    ("faceted", "maintenance OR 清掃", ALL_FACETS),
    ("faceted", "fy:2023 -type:public", ALL_FACETS),
]


def requests() -> list[SearchRequest]:
    return [SearchRequest(scope=SCOPE, query=q or None, size=20, facets=f) for _, q, f in QUERIES]


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
                    request, tree, request.effective_sort(tree)
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


@dataclass
class Latency:
    samples: list[float]

    def pct(self, p: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


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


# -- Japanese analysis measurement -------------------------------------------------------

ANALYSIS_DOCS = {
    "d01": "大阪市役所で業務委託契約書を締結した",
    "d02": "大阪府の補助金交付要綱",
    "d03": "東京都の水道料金の改定",
    "d04": "京都市の観光振興計画",
    "d05": "京都府立図書館の蔵書整理",
    "d06": "下水道管の更新工事の契約",
    "d07": "水道局の給水装置工事の請負契約",
    "d08": "都市計画道路の整備方針",
    "d09": "都市長期計画の策定について",
    "d10": "市長の定例記者会見の記録",
    "d11": "小学校の給食費に関する通知",
    "d12": "学校施設の耐震改修工事",
    "d13": "学校法人への補助金",
    "d14": "会議室の予約システムを更新",
    "d15": "第3回区政会議の議事録",
    "d16": "システム開発業務の委託契約書",
    "d17": "北区役所の窓口業務",
    "d18": "区役所の開庁時間の変更",
    "d19": "子ども・子育て支援事業計画",
    "d20": "子どもの医療費助成",
    "d21": "建設局の道路維持管理",
    "d22": "建設工事の入札結果",
    "d23": "日本語教室の案内",
    "d24": "本日は休館日です",
    "d25": "契約の解除に関する通知",
    "d26": "請負契約約款の改正",
    "d27": "保育所の入所申込",
    "d28": "東京都北区との連携協定",
    "d29": "公園の樹木剪定業務の契約",
    "d30": "市立病院の医療機器購入",
}
# What a person typing the query means to find (not "which strings contain it"): 京都 is
# not 東京都, 水道 (water supply) is not 下水道 (sewerage), 市長 (mayor) is not 都市長期.
ANALYSIS_QUERIES = {
    "契約": {"d01", "d06", "d07", "d16", "d25", "d26", "d29"},
    "大阪市": {"d01"},
    "京都": {"d04", "d05"},
    "東京都": {"d03", "d28"},
    "水道": {"d03", "d07"},
    "市長": {"d10"},
    "学校": {"d11", "d12", "d13"},
    "会議": {"d14", "d15"},
    "システム": {"d14", "d16"},
    "区役所": {"d17", "d18"},
    "北区": {"d17", "d28"},
    "子ども": {"d19", "d20"},
    "建設": {"d21", "d22"},
    "補助金": {"d02", "d13"},
    "委託": {"d01", "d16"},
    "都市計画": {"d08"},
    "工事": {"d06", "d07", "d12", "d22"},
    "請負契約": {"d07", "d26"},
    "医療": {"d20", "d30"},
    "日本": {"d23"},
}


def analysis(url: str | None) -> None:
    methods: dict[str, Callable[[str], set[str]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        fts5 = SqliteFtsIndex(Path(tmp) / "a.db")
        fts5.ensure()
        fts5.index(_analysis_doc(i, t) for i, t in ANALYSIS_DOCS.items())
        methods["fts5 trigram+short"] = lambda q: {h.id for h in fts5.search(_everyone(q)).hits}
        if url:
            _opensearch_methods(url, methods)
        _report(methods)
        fts5.close()


def _analysis_doc(doc_id: str, text: str) -> IndexedDocument:
    return IndexedDocument(
        id=RecordId(doc_id),
        title="",
        text=text,
        doc_type="other",
        department_id=1,
        department_code="X",
        owner_path=(1,),
        created_at=datetime(2025, 1, 1),
        security_level=SecurityLevel.PUBLIC,
    )


def _everyone(query: str) -> SearchRequest:
    return SearchRequest(scope=AccessScope(), query=query, size=100)


def _opensearch_methods(url: str, methods: dict[str, Callable[[str], set[str]]]) -> None:
    index = OpenSearchIndex.from_url(
        url, index_name=f"bunko-analysis-{uuid.uuid4().hex[:8]}", refresh=True
    )
    index.ensure()
    index.index(_analysis_doc(i, t) for i, t in ANALYSIS_DOCS.items())
    methods["opensearch cjk_bigram (chosen)"] = lambda q: {
        h.id for h in index.search(_everyone(q)).hits
    }
    name = f"{index.alias}-variants"
    tokenizers: dict[str, Callable[[str], str]] = {}
    try:
        from sudachipy import Dictionary, SplitMode

        sudachi = Dictionary().tokenizer()
        for mode_name, mode in (("A", SplitMode.A), ("C", SplitMode.C)):
            tokenizers[f"sudachi_{mode_name}"] = lambda t, m=mode: " ".join(
                x.surface() for x in sudachi.tokenize(t, m)
            )
    except ImportError:
        print("sudachipy not installed: morphological columns skipped")
    properties: dict[str, Any] = {"shingle": {"type": "text", "analyzer": "shingles"}}
    properties |= {key: {"type": "text", "analyzer": "whitespace"} for key in tokenizers}
    index.client.indices.create(
        index=name,
        body={
            "settings": {
                "analysis": {
                    "filter": {
                        "bi": {"type": "shingle", "min_shingle_size": 2, "max_shingle_size": 2}
                    },
                    "analyzer": {
                        "shingles": {
                            "type": "custom",
                            "tokenizer": "standard",
                            "filter": ["lowercase", "bi"],
                        }
                    },
                }
            },
            "mappings": {"properties": properties},
        },
    )
    for doc_id, text in ANALYSIS_DOCS.items():
        index.client.index(
            index=name,
            id=doc_id,
            body={"shingle": text} | {k: f(text) for k, f in tokenizers.items()},
        )
    index.client.indices.refresh(index=name)

    def query_field(
        field: str, kind: str, transform: Callable[[str], str]
    ) -> Callable[[str], set[str]]:
        def run(q: str) -> set[str]:
            clause = {
                kind: {
                    field: {"query": transform(q)}
                    | ({"operator": "and"} if kind == "match" else {})
                }
            }
            hits = index.client.search(index=name, body={"size": 100, "query": clause})["hits"][
                "hits"
            ]
            return {h["_id"] for h in hits}

        return run

    methods["opensearch standard+shingle"] = query_field("shingle", "match", str)
    for key, tokenize in tokenizers.items():
        methods[f"opensearch {key} (phrase)"] = query_field(key, "match_phrase", tokenize)
    import atexit

    atexit.register(lambda: (index.client.indices.delete(index=name), index.drop()))


def _report(methods: dict[str, Callable[[str], set[str]]]) -> None:
    print(f"{len(ANALYSIS_DOCS)} documents, {len(ANALYSIS_QUERIES)} labelled queries")
    print(
        f"{'method':36} {'precision':>9} {'recall':>7} {'F1':>6}  micro P/R   misses / false hits"
    )
    for name, method in methods.items():
        precisions, recalls, tp_all, found_all, relevant_all, notes = [], [], 0, 0, 0, []
        for query, relevant in ANALYSIS_QUERIES.items():
            found = method(query)
            tp = len(found & relevant)
            precisions.append(tp / len(found) if found else 1.0)
            recalls.append(tp / len(relevant))
            tp_all, found_all, relevant_all = (
                tp_all + tp,
                found_all + len(found),
                relevant_all + len(relevant),
            )
            if found != relevant:
                notes.append(f"{query}:-{len(relevant - found)}/+{len(found - relevant)}")
        p, r = statistics.mean(precisions), statistics.mean(recalls)
        print(
            f"{name:36} {p:9.3f} {r:7.3f} {2 * p * r / (p + r):6.3f}  {tp_all / max(found_all, 1):.3f}/"
            f"{tp_all / relevant_all:.3f}  {' '.join(notes)}"
        )


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
