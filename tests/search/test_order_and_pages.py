"""Sort orders and cursor pagination."""

from __future__ import annotations

import pytest

from archive.access import SecurityLevel
from search import (
    EXACT_TOTAL_UP_TO,
    Facet,
    FacetBucket,
    InvalidCursor,
    SearchIndex,
    SearchRequest,
    Sort,
    SortKey,
)
from search.opensearch import OpenSearchIndex
from tests.search.documents import CHILD_DEPT, CITY_WIDE, all_documents, doc, readable
from tests.search.helpers import run, walk

SORTS = [
    Sort(SortKey.DATE, descending=True),
    Sort(SortKey.DATE, descending=False),
    Sort(SortKey.AMOUNT, descending=True),
    Sort(SortKey.AMOUNT, descending=False),
    Sort(SortKey.RELEVANCE),
]


def expected_order(sort: Sort) -> list[str]:
    docs = [d for d in all_documents() if readable(d, CITY_WIDE)]
    docs.sort(key=lambda d: d.id)
    if sort.key is SortKey.AMOUNT:
        docs.sort(key=lambda d: d.amount or 0, reverse=sort.descending)
        docs.sort(key=lambda d: d.amount is None)
    else:  # relevance without words is newest first
        docs.sort(key=lambda d: d.sort_date, reverse=sort.descending)
    return [d.id for d in docs]


def test_empty_query_lists_everything_newest_first(search_index: SearchIndex) -> None:
    result = run(search_index)
    assert result.total == len(all_documents())
    assert [h.id for h in result.hits] == expected_order(Sort(SortKey.DATE))


@pytest.mark.parametrize(
    "sort", SORTS, ids=lambda s: f"{s.key.value}-{'desc' if s.descending else 'asc'}"
)
def test_sort_orders_with_ties_broken_by_id(search_index: SearchIndex, sort: Sort) -> None:
    assert [h.id for h in run(search_index, sort=sort).hits] == expected_order(sort)


@pytest.mark.parametrize(
    "sort", SORTS, ids=lambda s: f"{s.key.value}-{'desc' if s.descending else 'asc'}"
)
def test_cursor_pages_visit_every_hit_once_in_order(search_index: SearchIndex, sort: Sort) -> None:
    seen = walk(search_index, SearchRequest(scope=CITY_WIDE, sort=sort, size=7))
    assert seen == expected_order(sort)


@pytest.mark.parametrize("query", ["契約 OR invoice OR 請求書", "type:invoice amount>=5000"])
def test_cursor_pages_of_a_ranked_query(search_index: SearchIndex, query: str) -> None:
    everything = [h.id for h in run(search_index, query).hits]
    seen = walk(search_index, SearchRequest(scope=CITY_WIDE, query=query, size=4))
    assert seen == everything
    assert len(set(seen)) == len(seen) == run(search_index, query).total


def test_last_page_has_no_cursor(search_index: SearchIndex) -> None:
    assert run(search_index, "renewed").next_cursor is None


def test_bad_cursors(search_index: SearchIndex) -> None:
    first = search_index.search(SearchRequest(scope=CITY_WIDE, size=2))
    assert first.next_cursor is not None
    for cursor, sort in [
        ("not-a-cursor!", None),
        ("e30", None),
        (first.next_cursor, Sort(SortKey.AMOUNT)),
        ("x" * 5000, None),
    ]:
        with pytest.raises(InvalidCursor):
            search_index.search(SearchRequest(scope=CITY_WIDE, size=2, sort=sort, cursor=cursor))


def test_page_size_is_bounded() -> None:
    with pytest.raises(ValueError, match="size"):
        SearchRequest(scope=CITY_WIDE, size=0)
    with pytest.raises(ValueError, match="size"):
        SearchRequest(scope=CITY_WIDE, size=10_000)


def test_totals_are_exact_up_to_the_bound_and_with_facets(empty_index: SearchIndex) -> None:
    """Past ``EXACT_TOTAL_UP_TO`` matches a query without facets may report a lower bound (OpenSearch
    stops counting there); with facets, or under the bound, the total is exact on every engine,
    and only readable documents count."""
    over = EXACT_TOTAL_UP_TO + 40
    empty_index.index(
        [doc(f"inv-{i:05d}", "請求書", f"請求書 第{i}号", doc_type="invoice") for i in range(over)]
        + [
            doc(f"secret-{i}", "請求書", "請求書", dept=11, security_level=SecurityLevel.SECRET)
            for i in range(30)
        ]
    )
    bounded = run(empty_index, "請求書", CHILD_DEPT, size=5)
    if isinstance(empty_index, OpenSearchIndex):
        assert not bounded.total_exact
        assert EXACT_TOTAL_UP_TO <= bounded.total <= over
    else:
        assert bounded.total_exact and bounded.total == over
    assert len(bounded.hits) == 5 and bounded.next_cursor is not None
    faceted = run(empty_index, "請求書", CHILD_DEPT, size=5, facets=frozenset({Facet.TYPE}))
    assert faceted.total_exact and faceted.total == over
    assert faceted.facets[Facet.TYPE] == [FacetBucket("invoice", over)]
    few = run(empty_index, "第7号", CHILD_DEPT)
    assert few.total_exact and [hit.id for hit in few.hits] == ["inv-00007"]
