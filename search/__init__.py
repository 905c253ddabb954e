"""Full-text search: the SearchIndex protocol, OpenSearch and SQLite FTS5 backends, query language."""

from __future__ import annotations

from archive import fiscal_year_of
from search.base import (
    EXACT_TOTAL_UP_TO,
    Facet,
    FacetBucket,
    Hit,
    IndexedDocument,
    ProgressCallback,
    SearchIndex,
    SearchRequest,
    SearchResult,
    Sort,
    SortKey,
)
from search.dates import DateSpan, date_spans
from search.errors import InvalidCursor, QuerySyntaxError, SearchError, SearchUnavailable
from search.factory import open_search_index
from search.facts import text_facts
from search.normalize import index_form, join_cjk
from search.parser import parse
from search.query import Node

__all__ = [
    "EXACT_TOTAL_UP_TO",
    "DateSpan",
    "Facet",
    "FacetBucket",
    "Hit",
    "IndexedDocument",
    "InvalidCursor",
    "Node",
    "ProgressCallback",
    "QuerySyntaxError",
    "SearchError",
    "SearchIndex",
    "SearchRequest",
    "SearchResult",
    "SearchUnavailable",
    "Sort",
    "SortKey",
    "date_spans",
    "fiscal_year_of",
    "index_form",
    "join_cjk",
    "open_search_index",
    "parse",
    "text_facts",
]
