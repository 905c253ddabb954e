"""The SearchIndex contract and the values that cross it."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Protocol, runtime_checkable

from archive import AccessScope, RecordId, SecurityLevel, fiscal_year_of
from search.normalize import index_form
from search.parser import parse, split_versions
from search.query import Node

MAX_PAGE_SIZE = 100
FACET_SIZE = 50
EXACT_TOTAL_UP_TO = 10_000
"""Totals up to this are always exact; above it without facets, possibly a lower bound."""


@dataclass(frozen=True)
class IndexedDocument:
    """What the index holds of one document: its text, and the metadata to filter and trim by.

    ``owner_path`` is the owning department and all its ancestors, so the access rule's
    "department subtree" branch is one membership test. ``fiscal_year`` defaults to the
    Japanese fiscal year (April–March) of ``document_date``.
    """

    id: RecordId
    title: str
    text: str | Sequence[str]
    """The extracted text, or one string per page."""
    doc_type: str
    department_id: int
    department_code: str
    owner_path: Sequence[int]
    created_at: datetime
    security_level: SecurityLevel = SecurityLevel.INTERNAL
    grant_users: Sequence[int] = ()
    grant_departments: Sequence[int] = ()
    document_date: date | None = None
    fiscal_year: int | None = None
    amount: Decimal | None = None
    currency: str | None = None
    counterparty: str | None = None
    registration_number: str | None = None
    series: str | None = None
    lang: str | None = None
    subtype: str | None = None
    """The finer type under ``doc_type`` (a name of ``ingest.classify.SUBTYPES``)."""
    earlier_text: Sequence[str] = ()
    """The extracted text of the document's earlier versions (``versions:all`` searches it)."""

    def __post_init__(self) -> None:
        if self.fiscal_year is None and self.document_date is not None:
            object.__setattr__(self, "fiscal_year", fiscal_year_of(self.document_date))

    @property
    def body(self) -> str:
        """The text the index searches, pages joined, in ``search.normalize.index_form``."""
        pages = [self.text] if isinstance(self.text, str) else self.text
        return index_form("\n".join(pages))

    @property
    def earlier_body(self) -> str:
        """The earlier versions' text, in ``index_form``; empty when there are none."""
        return index_form("\n".join(self.earlier_text))

    @property
    def sort_date(self) -> date:
        """The date that date ordering uses: the document's own date, else when it was created."""
        return self.document_date or self.created_at.date()


class SortKey(enum.Enum):
    RELEVANCE = "relevance"
    DATE = "date"
    AMOUNT = "amount"


@dataclass(frozen=True)
class Sort:
    """Result order; ties are broken by document id, so pages are stable.

    Documents without the sort value (an amount) come last in either direction.
    """

    key: SortKey = SortKey.RELEVANCE
    descending: bool = True


class Facet(enum.Enum):
    TYPE = "type"
    SUBTYPE = "subtype"
    DEPARTMENT = "department"
    FISCAL_YEAR = "fiscal_year"
    SERIES = "series"
    SECURITY_LEVEL = "security_level"


FACET_FIELDS = {
    Facet.TYPE: "doc_type",
    Facet.SUBTYPE: "subtype",
    Facet.DEPARTMENT: "department_code",
    Facet.FISCAL_YEAR: "fiscal_year",
    Facet.SERIES: "series",
    Facet.SECURITY_LEVEL: "security_level",
}
"""The stored field (column) each facet counts, the same name on every engine."""


@dataclass(frozen=True)
class SearchRequest:
    """One search. ``query`` is query-language text (parsed here) or an already parsed tree.

    An empty query lists every readable document, newest first unless ``sort`` says
    otherwise. ``cursor`` is the ``next_cursor`` of the previous page with the same
    query and sort.
    """

    scope: AccessScope
    query: str | Node | None = None
    sort: Sort | None = None
    size: int = 20
    cursor: str | None = None
    facets: frozenset[Facet] = frozenset()

    def __post_init__(self) -> None:
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise ValueError(f"size must be between 1 and {MAX_PAGE_SIZE}")

    @cached_property
    def _parsed(self) -> tuple[Node | None, bool]:
        return split_versions(parse(self.query) if isinstance(self.query, str) else self.query)

    @property
    def tree(self) -> Node | None:
        """The query without its ``versions:`` option."""
        return self._parsed[0]

    @property
    def all_versions(self) -> bool:
        """Whether earlier versions' text is searched too (``versions:all``)."""
        return self._parsed[1]

    def effective_sort(self, tree: Node | None) -> Sort:
        if self.sort is not None:
            return self.sort
        return Sort(SortKey.RELEVANCE if tree is not None else SortKey.DATE)


@dataclass(frozen=True)
class Hit:
    id: RecordId
    score: float | None
    snippet: str
    """HTML-escaped text around the match, each match in ``<mark>…</mark>``."""


@dataclass(frozen=True)
class FacetBucket:
    value: str
    """As a filter takes it: type, subtype, department code, fiscal year, series code, level label."""
    count: int


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: Mapping[Facet, list[FacetBucket]] = field(default_factory=dict)
    next_cursor: str | None = None
    """None on the last page."""
    total_exact: bool = True
    """False when ``total`` is a lower bound: an engine may stop counting matches after
    ``EXACT_TOTAL_UP_TO`` when no facets are asked for (facets count every match anyway)."""


ProgressCallback = Callable[[int], None]
"""Called with the number of documents indexed so far."""


@runtime_checkable
class SearchIndex(Protocol):
    """A full-text index of documents, searched in the query language and trimmed by access.

    The index is derived data: everything in it can be rebuilt from the database and blob
    store with ``rebuild``. Every read applies ``archive.access``'s rule inside the engine's
    query, so totals, facet counts, snippets and similar documents only ever come from
    documents the scope may read. Implementations raise ``search.errors`` only:
    ``QuerySyntaxError`` and ``InvalidCursor`` for bad input, ``SearchUnavailable`` when
    the engine cannot be reached.
    """

    url: str
    """Where the index lives, without credentials (for logs and ``/readyz``)."""

    def ensure(self) -> None:
        """Create the index (schema, mapping, alias) if it does not exist. Idempotent."""
        ...

    def index(self, docs: Iterable[IndexedDocument]) -> int:
        """Add or replace ``docs`` (by id) in bulk; return how many were written."""
        ...

    def delete(self, ids: Iterable[RecordId]) -> None:
        """Remove documents for good (disposition); unknown ids are ignored.

        Nothing of them may stay in the engine's files: deleted entries that an engine
        keeps until a merge are merged away before this returns.
        """
        ...

    def search(self, request: SearchRequest) -> SearchResult:
        """Run ``request`` and return one page of hits, the total, facets and the next cursor.

        ``next_cursor`` continues after the last hit (keyset, not offset), so walking all
        pages visits every matching document exactly once while the index is unchanged.
        """
        ...

    def similar(self, doc_id: RecordId, scope: AccessScope, limit: int = 10) -> list[Hit]:
        """Readable documents whose text resembles ``doc_id``'s, best first, excluding it.

        Returns [] when ``doc_id`` is unknown or not readable by ``scope``.
        """
        ...

    def rebuild(
        self, docs: Iterable[IndexedDocument], on_progress: ProgressCallback | None = None
    ) -> int:
        """Replace the whole index with ``docs``; searches keep answering from the old one until
        the new one is complete. Returns the number of documents indexed.
        """
        ...

    def check(self) -> None:
        """Raise ``SearchUnavailable`` unless the index answers and exists."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
