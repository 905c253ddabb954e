"""Field filters and ranges: every backend returns exactly the oracle's set (so they agree).

The electronic-books rule (電帳法) needs exact search by transaction date range, amount
range and counterparty, alone and combined; these rows cover it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from search import Facet, SearchIndex, parse
from tests.search.conftest import drop, make_index
from tests.search.documents import CITY_WIDE, OTHER_DEPT, all_documents, matches, readable
from tests.search.helpers import ids, run

FILTER_QUERIES = [
    "type:invoice",
    "type:contract",
    "type:public",
    "subtype:receipt",
    "subtype:Minutes",
    "type:invoice -subtype:receipt",
    "subtype:memorandum OR subtype:credit_note",
    "dept:ZA-KE",
    "dept:KE-DO",
    "series:FIN-01",
    "series:KE-2024-01",
    "counterparty:山田商事",
    "counterparty:株式会社山田商事",
    "counterparty:acme",
    "counterparty:ABC商事",
    "counterparty:ＡＢＣ",
    "regno:T1234567890123",
    "lang:ja",
    "lang:en",
    "level:public",
    "level:internal",
    "level>=confidential",
    "date:2024-04-01..2025-03-31",
    "date:..2023-03-31",
    "date:2024-04-01..",
    "date>2024-05-10",
    "date:2024",
    "date:2024-05",
    "amount>=100000",
    "amount<5000",
    "amount:100000..500000",
    "amount:0",
    "amount>1200000",
    "fy:2024",
    "fy:2022..2023",
    "fy>=2025",
    "type:invoice date:2024-04-01..2025-03-31 amount:100000..500000",
    "date:2024-04-01..2025-03-31 counterparty:山田商事",
    "amount>=100000 counterparty:acme",
    "type:invoice date:2023-04-01..2024-03-31 amount>=99999 counterparty:商事",
    "type:invoice OR type:contract",
    "type:contract -counterparty:山田商事",
    "NOT amount>=100000",
    "-date:2024",
    "(dept:KE OR dept:KE-DO) lang:ja",
    "fy:2024 (amount<5000 OR amount>=1200000)",
]


def test_the_table_is_big_enough() -> None:
    assert len(FILTER_QUERIES) >= 30


@pytest.mark.parametrize("query", FILTER_QUERIES)
def test_filter_returns_exactly_the_oracle_set(search_index: SearchIndex, query: str) -> None:
    tree = parse(query)
    assert tree is not None
    expected = {d.id for d in all_documents() if readable(d, CITY_WIDE) and matches(tree, d)}
    assert ids(search_index, query) == expected
    assert run(search_index, query).total == len(expected)


@pytest.mark.live
def test_both_backends_return_the_same_sets(tmp_path: Path) -> None:
    indexes = [make_index(kind, tmp_path) for kind in ("fts5", "opensearch")]
    try:
        for index in indexes:
            index.ensure()
            index.index(all_documents())
        for query in [*FILTER_QUERIES, "契約", "大阪市", "道路清掃 -年間計画", "bunko"]:
            for scope in (CITY_WIDE, OTHER_DEPT):
                fts5, opensearch = (ids(index, query, scope) for index in indexes)
                assert fts5 == opensearch, query
    finally:
        for index in indexes:
            drop(index)


@pytest.mark.parametrize("query", [None, "type:invoice", "契約", "fy:2024 lang:ja"])
def test_facet_counts(search_index: SearchIndex, query: str | None) -> None:
    tree = parse(query) if query else None
    matching = [
        d for d in all_documents() if readable(d, OTHER_DEPT) and (tree is None or matches(tree, d))
    ]
    result = run(search_index, query, OTHER_DEPT, facets=frozenset(Facet))
    expected = {
        Facet.TYPE: Counter(d.doc_type for d in matching),
        Facet.SUBTYPE: Counter(d.subtype for d in matching if d.subtype),
        Facet.DEPARTMENT: Counter(d.department_code for d in matching),
        Facet.FISCAL_YEAR: Counter(
            str(d.fiscal_year) for d in matching if d.fiscal_year is not None
        ),
        Facet.SERIES: Counter(d.series for d in matching if d.series),
        Facet.SECURITY_LEVEL: Counter(d.security_level.label for d in matching),
    }
    for facet, counts in expected.items():
        buckets = result.facets[facet]
        assert {b.value: b.count for b in buckets} == dict(counts), facet
        assert [b.count for b in buckets] == sorted((b.count for b in buckets), reverse=True)


def test_no_facets_unless_asked(search_index: SearchIndex) -> None:
    assert run(search_index, "契約").facets == {}
