"""Reading a Tantivy search: pages in an exact order after a cursor, hits, facets."""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

import tantivy

from archive import RecordId, SecurityLevel
from search._tantivy_schema import Record, bigrams
from search.base import FACET_FIELDS, FACET_SIZE, Facet, FacetBucket, Hit, Sort, SortKey
from search.cursor import decode_cursor
from search.errors import InvalidCursor
from search.normalize import index_form
from search.query import Node, text_leaves
from search.text import fold, snippet

_SIMILAR_TERMS = 16
_WINDOW = 4
"""The first fetch, in pages: widening runs the whole query again; a wider top-k costs little."""
_WIDEN = 8


class _Row:
    """One hit: the key that orders it (ascending, then by id), its score, and, read from the
    document store only when needed, its id and (parsed only for the page) its record."""

    __slots__ = ("_stored", "address", "key", "score", "searcher")

    def __init__(self, searcher: Any, address: Any, score: float, key: float) -> None:
        self.searcher, self.address, self.score, self.key = searcher, address, score, key
        self._stored: Any = None

    @property
    def stored(self) -> Any:
        if self._stored is None:
            self._stored = self.searcher.doc(self.address)
        return self._stored

    @property
    def record(self) -> Record:
        return json.loads(self.stored["record"][0])  # type: ignore[no-any-return]

    @property
    def id(self) -> str:
        return str(self.stored["id"][0])


class Pager:
    """A page in the exact order of ``sort`` with ties broken by id, after a keyset cursor.

    Tantivy returns the top ``n`` by score or by one fast field (the field's value in an
    order-preserving encoding, best first in either direction, a missing value last), ties
    in no defined order. The pager fetches a window, keeps the rows whose key is strictly
    before the window's last key (those are complete), and widens the window until enough
    rows are complete or the matches are exhausted. Each widening runs the query again, so
    the first window is already a few pages wide (generated and real documents tie on score
    or date often). Only rows of the page and rows that tie with them are read from the
    document store (for their id).
    """

    def __init__(self, searcher: Any, query: Any, sort: Sort, ranked: bool) -> None:
        self.searcher, self.query, self.sort, self.ranked = searcher, query, sort, ranked
        self.total = 0
        """How many documents the query matches, counted by the first fetch."""

    def page(self, size: int, after: list[Any] | None) -> list[_Row]:
        want = size + 1
        window = _WINDOW * (want + (after[-1] if after else 0))
        while True:
            rows = self._fetch(window)
            exhausted = len(rows) < window
            if not exhausted:
                last = rows[-1].key
                rows = [r for r in rows if r.key < last]
            if after is not None:
                rows = [
                    r
                    for r in rows
                    if (r.key, r.id if r.key == after[0] else "") > (after[0], after[1])
                ]
            if exhausted or len(rows) >= want:
                return _first(rows, want)
            window *= _WIDEN

    def _fetch(self, limit: int) -> list[_Row]:
        sort, searcher = self.sort, self.searcher
        count = not self.total
        if self.ranked:
            found = searcher.search(self.query, limit, count=count)
        else:
            field = "amount" if sort.key is SortKey.AMOUNT else "sort_day"
            descending = sort.descending or sort.key is SortKey.RELEVANCE
            order = tantivy.Order.Desc if descending else tantivy.Order.Asc
            found = searcher.search(
                self.query, limit, count=count, order_by_field=field, order=order
            )
        if count:
            self.total = found.count or 0
        # Scores and encoded values are best first: their negation orders ascending.
        return [_Row(searcher, address, float(value), -value) for value, address in found.hits]


def _first(rows: list[_Row], want: int) -> list[_Row]:
    """The first ``want`` rows by (key, id); ids are read for the rows that tie on the cut."""
    rows.sort(key=lambda r: r.key)
    if len(rows) > want:
        cut = rows[want - 1].key
        rows = [r for r in rows if r.key <= cut]
    keys = Counter(r.key for r in rows)
    rows.sort(key=lambda r: (r.key, r.id if keys[r.key] > 1 else ""))
    return rows[:want]


def decode_after(cursor: str, sort: Sort) -> list[Any]:
    """The cursor's sort key, last id and the number of hits before it."""
    values = decode_cursor(cursor, sort)
    if (
        len(values) != 3  # key, id, hits before
        or not isinstance(values[0], (int, float))
        or not isinstance(values[1], str)
        or not isinstance(values[2], int)
        or values[2] < 0
    ):
        raise InvalidCursor("malformed cursor")
    return values


def hits_of(rows: list[_Row], tree: Node | None, *, ranked: bool) -> list[Hit]:
    needles = [fold(index_form(leaf)) for leaf in text_leaves(tree)]
    return [
        Hit(
            id=RecordId(row.id),
            score=row.score if ranked else None,
            snippet=snippet(row.record["body"], needles),
        )
        for row in rows
    ]


def facets_of(
    searcher: Any, query: Any, facets: frozenset[Facet]
) -> dict[Facet, list[FacetBucket]]:
    if not facets:
        return {}
    # A size above any field's number of values: counts are exact, not per-segment estimates.
    aggregations = {
        facet.value: {"terms": {"field": FACET_FIELDS[facet], "size": 10_000}} for facet in facets
    }
    result = searcher.aggregate(query, aggregations)
    out: dict[Facet, list[FacetBucket]] = {}
    for facet in facets:
        buckets = sorted((-int(b["doc_count"]), b["key"]) for b in result[facet.value]["buckets"])
        out[facet] = [FacetBucket(_facet_value(facet, k), -n) for n, k in buckets[:FACET_SIZE]]
    return out


def _facet_value(facet: Facet, key: Any) -> str:
    if facet is Facet.SECURITY_LEVEL:
        return SecurityLevel(int(key)).label
    if facet is Facet.FISCAL_YEAR:
        return str(int(key))
    return str(key)


def distinctive_grams(searcher: Any, text: str) -> list[str]:
    """The bigrams of ``text`` that best tell it apart: frequent in it, rare in the index."""
    counts = Counter(g for g in bigrams(text) if "\u2423" not in g)
    total = searcher.num_docs
    scored = []
    for gram, n in counts.most_common(400):
        df = searcher.doc_freq("grams", gram)
        # A gram only this document has finds nothing else; one in most documents tells nothing.
        if 1 < df <= total / 2:
            scored.append((n * math.log(total / df), gram))
    return [g for _, g in sorted(scored, reverse=True)[:_SIMILAR_TERMS]]
