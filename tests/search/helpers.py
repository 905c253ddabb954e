"""Small helpers for the search suite."""

from __future__ import annotations

from archive.access import AccessScope
from search import Facet, SearchIndex, SearchRequest, SearchResult, Sort
from search.query import Node
from tests.search.documents import CITY_WIDE


def run(
    index: SearchIndex,
    query: str | Node | None = None,
    scope: AccessScope = CITY_WIDE,
    *,
    sort: Sort | None = None,
    size: int = 100,
    facets: frozenset[Facet] = frozenset(),
) -> SearchResult:
    return index.search(
        SearchRequest(scope=scope, query=query, sort=sort, size=size, facets=facets)
    )


def ids(
    index: SearchIndex, query: str | Node | None = None, scope: AccessScope = CITY_WIDE
) -> set[str]:
    return {hit.id for hit in run(index, query, scope).hits}


def walk(index: SearchIndex, request: SearchRequest) -> list[str]:
    """Every hit id, following cursors to the last page."""
    seen: list[str] = []
    while True:
        result = index.search(request)
        seen.extend(hit.id for hit in result.hits)
        if result.next_cursor is None:
            return seen
        request = SearchRequest(
            scope=request.scope,
            query=request.query,
            sort=request.sort,
            size=request.size,
            cursor=result.next_cursor,
        )
