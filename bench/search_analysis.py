"""Ways of analysing Japanese, measured on a small hand-labelled set.

    .venv/bin/python bench/search_analysis.py          # OpenSearch columns when reachable

What a person searching for the word means to find: CJK bigram phrases (chosen), standard
tokenizer + shingles, SudachiPy tokens (split modes A and C, when ``sudachipy`` is
installed) and the FTS5 trigram backend; macro and micro precision / recall per method.
"""

from __future__ import annotations

import atexit
import os
import statistics
import sys
import tempfile
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.access import AccessScope, SecurityLevel
from archive.types import RecordId
from search import IndexedDocument, SearchRequest
from search.opensearch import OpenSearchIndex
from search.sqlite_fts import SqliteFtsIndex

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


if __name__ == "__main__":
    analysis(os.environ.get("BUNKO_TEST_OPENSEARCH_URL"))
