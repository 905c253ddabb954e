"""The embedded backend: a Tantivy index (tantivy-py) in a directory of its own.

Chosen over SQLite FTS5 by the figures in ``docs/decisions/0003-embedded-search-engine.md``.
The text is indexed in the forms the query language needs:

- ``grams`` / ``tgrams`` (body / title): the text in ``search.normalize.index_form``,
  case-folded, as overlapping character bigrams (a space is ``␣``), with positions. A word
  that is not a Latin word (大阪市, 契約, ``<script>``, API連携) is the phrase of its bigrams,
  so it is found wherever it is a substring (大阪市 in 大阪市役所), as FTS5's trigram table
  found it; ``chars`` answers one-character words;
- ``en`` / ``ten``: Latin-script words stemmed (``search.text.latin_text``, English
  stemmer), so ``aws`` does not find "laws" and ``contracts`` finds "contract";
- ``facts``: the text's dates and amounts as tokens (``search.facts``);
- metadata as fast fields (filters, ranges, facets, order) and the access lists as
  indexed integers, so ``archive.access``'s rule is a clause of every query.

Each document's record (metadata, title, body) is stored as JSON: snippets come from it,
and ``delete`` and ``rebuild`` rewrite documents from it.

Files: ``PATH/current`` names the live generation ``PATH/g-<hex>``. ``rebuild`` writes a
new generation and switches ``current`` atomically (``os.replace``), so searches answer
from the old one until the new one is complete.

Writes: the API and the worker are separate processes and both write; each write takes an
exclusive ``flock`` on ``PATH/write.lock``, opens a Tantivy writer (Tantivy allows one per
index), writes, commits, waits for the merges the commit started and lets go, so neither
process holds the index for longer than one commit. Within a process, writes that arrive
while one is committing share the next commit (``search._group_commit``): ``index``
returns once its documents are committed, so they are searchable from every process
(every search reloads to the last commit) and a caller may then mark them indexed.

Deletion leaves no trace: Tantivy only marks a deleted entry until its segment is merged
(tantivy-py cannot force a merge), but drops a segment whose entries are all deleted. So
``delete`` deletes the documents by id together with every other document of the segments
that hold them, adds those others again from their records, and commits: the segments go,
with their files. If an earlier, replaced copy of a document lingers in another segment
(its id still has a document frequency), the whole index is rewritten as a new generation.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import shutil
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import tantivy

from archive import AccessScope, RecordId, SecurityLevel
from search._group_commit import GroupCommit
from search._tantivy_query import QueryBuilder, bigrams, chars
from search.base import (
    FACET_SIZE,
    Facet,
    FacetBucket,
    Hit,
    IndexedDocument,
    ProgressCallback,
    SearchRequest,
    SearchResult,
    Sort,
    SortKey,
)
from search.cursor import decode_cursor, encode_cursor
from search.errors import InvalidCursor, SearchUnavailable
from search.facts import text_facts
from search.normalize import index_form
from search.query import Node, text_leaves
from search.text import fold, latin_text, normalize, snippet

__all__ = ["TantivyIndex"]

_WRITER_HEAP = 64_000_000
_BATCH = 1000
_SIMILAR_TERMS = 16
_WINDOW = 4
"""The first fetch, in pages: widening runs the whole query again; a wider top-k costs little."""
_WIDEN = 8
_FACET_FIELDS = {
    Facet.TYPE: "doc_type",
    Facet.SUBTYPE: "subtype",
    Facet.DEPARTMENT: "department_code",
    Facet.FISCAL_YEAR: "fiscal_year",
    Facet.SERIES: "series",
    Facet.SECURITY_LEVEL: "security_level",
}
Record = dict[str, Any]


def _schema() -> Any:
    b = tantivy.SchemaBuilder()
    b.add_text_field("id", stored=True, fast=True, tokenizer_name="raw")
    b.add_text_field("record", stored=True, tokenizer_name="bunko_none")
    for name in ("grams", "tgrams", "egrams"):
        b.add_text_field(name, tokenizer_name="whitespace")
    b.add_text_field("chars", tokenizer_name="whitespace", index_option="basic")
    for name in ("en", "ten"):
        b.add_text_field(name, tokenizer_name="bunko_en")
    b.add_text_field("facts", tokenizer_name="whitespace", index_option="basic")
    keywords = ("doc_type", "subtype", "department_code", "series", "regno", "lang", "counterparty")
    for name in keywords:
        b.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    for name in ("sort_day", "document_date", "fiscal_year", "security_level"):
        b.add_integer_field(name, stored=True, indexed=True, fast=True)
    b.add_float_field("amount", stored=True, indexed=True, fast=True)
    for name in ("owner_path", "grant_users", "grant_depts"):
        b.add_integer_field(name, indexed=True)
    return b.build()


def _register(index: Any) -> None:
    builder = tantivy.TextAnalyzerBuilder
    index.register_tokenizer("bunko_none", builder(tantivy.Tokenizer.regex(r"[^\s\S]")).build())
    index.register_tokenizer("bunko_en", english_analyzer())


def english_analyzer() -> Any:
    """Latin words: split on what is not a letter or digit, lower case, English stemmer."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def _record(doc: IndexedDocument) -> Record:
    """What the index keeps of ``doc``, in the forms filters compare (as FTS5 stored them)."""
    return {
        "id": doc.id,
        "title": index_form(doc.title),
        "body": doc.body,
        "earlier": doc.earlier_body,
        "doc_type": fold(doc.doc_type),
        "subtype": fold(doc.subtype) if doc.subtype else None,
        "department_code": normalize(doc.department_code),
        "security_level": int(doc.security_level),
        "sort_day": doc.sort_date.toordinal(),
        "document_date": doc.document_date.toordinal() if doc.document_date else None,
        "fiscal_year": doc.fiscal_year,
        "amount": float(doc.amount) if doc.amount is not None else None,
        "series": normalize(doc.series) if doc.series else None,
        "regno": normalize(doc.registration_number).upper() if doc.registration_number else None,
        "lang": fold(doc.lang) if doc.lang else None,
        "counterparty": fold(doc.counterparty) if doc.counterparty else None,
        "owner_path": [int(i) for i in doc.owner_path],
        "grant_users": [int(i) for i in doc.grant_users],
        "grant_depts": [int(i) for i in doc.grant_departments],
    }


_OPTIONAL = (
    "document_date",
    "fiscal_year",
    "amount",
    "series",
    "regno",
    "lang",
    "counterparty",
    "subtype",
)


def _document(record: Record) -> Any:
    title, body = fold(record["title"]), fold(record["body"])
    values: dict[str, list[Any]] = {
        "id": [record["id"]],
        "record": [json.dumps(record, ensure_ascii=False)],
        "tgrams": [" ".join(bigrams(title))],
        "grams": [" ".join(bigrams(body))],
        "egrams": [" ".join(bigrams(fold(record.get("earlier", ""))))],
        "chars": [" ".join(set(chars(f"{title} {body}")))],
        "ten": [latin_text(record["title"])],
        "en": [latin_text(record["body"])],
        "facts": [" ".join(text_facts(f"{record['title']}\n{record['body']}").tokens)],
        "doc_type": [record["doc_type"]],
        "department_code": [record["department_code"]],
        "security_level": [record["security_level"]],
        "sort_day": [record["sort_day"]],
    }
    values |= {name: [record[name]] for name in _OPTIONAL if record.get(name) is not None}
    values |= {name: record[name] for name in ("owner_path", "grant_users", "grant_depts")}
    return tantivy.Document(**{k: v for k, v in values.items() if v})


class TantivyIndex:
    """A Tantivy index in the directory ``path`` (see the module docstring for its files)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.url = f"tantivy:///{self.path}"
        self._schema = _schema()
        self._lock = threading.Lock()
        self._open: tuple[tuple[int, int], str, Any] | None = None
        self._commit: tuple[int, int] | None = None
        self._group: GroupCommit[Record] = GroupCommit(self._write)

    # -- files -------------------------------------------------------------------------

    def _index(self) -> Any:
        """The live generation's index, reloaded to its last commit."""
        try:
            pointer = (self.path / "current").stat()
        except OSError:
            raise SearchUnavailable(
                "tantivy", f"{self.path} has no search index; run ensure()"
            ) from None
        version = (pointer.st_ino, pointer.st_mtime_ns)  # os.replace gives a new inode
        with self._lock:
            if self._open is None or self._open[0] != version:
                name = (self.path / "current").read_text().strip()
                try:
                    index = tantivy.Index(self._schema, path=str(self.path / name), reuse=True)
                except (ValueError, OSError) as exc:
                    raise SearchUnavailable("tantivy", str(exc)) from None
                _register(index)
                self._open = (version, name, index)
                self._commit = None
            _, name, index = self._open
            commit = _commit_of(self.path / name)
            if commit != self._commit:  # another writer (or process) committed since
                index.reload()
                self._commit = commit
        return index

    def _new_generation(self) -> tuple[str, Any]:
        name = f"g-{uuid.uuid4().hex}"
        (self.path / name).mkdir(parents=True)
        index = tantivy.Index(self._schema, path=str(self.path / name), reuse=False)
        _register(index)
        return name, index

    def _switch(self, name: str) -> None:
        old = (self.path / "current").read_text().strip() if self._has_current() else None
        tmp = self.path / f"current.{uuid.uuid4().hex}"
        tmp.write_text(name)
        os.replace(tmp, self.path / "current")
        if old and old != name:
            shutil.rmtree(self.path / old, ignore_errors=True)

    def _has_current(self) -> bool:
        return (self.path / "current").exists()

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """One writer at a time across processes: the API and the worker both write."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            handle = (self.path / "write.lock").open("a")
        except OSError as exc:
            raise SearchUnavailable("tantivy", str(exc)) from None
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    # -- writing -----------------------------------------------------------------------

    def ensure(self) -> None:
        with self._write_lock():
            if not self._has_current():
                name, _ = self._new_generation()
                self._switch(name)
            else:
                self._upgrade()

    def _upgrade(self) -> None:
        """Rewrite a generation written with an older schema (fewer fields) from its records."""
        generation = str(self.path / (self.path / "current").read_text().strip())
        try:
            tantivy.Index(self._schema, path=generation, reuse=True)
        except ValueError:  # "the schema does not match": read it with its own schema
            self._write_generation(_all_records(tantivy.Index.open(generation).searcher()), None)

    def check(self) -> None:
        self._index()

    def close(self) -> None:
        with self._lock:
            self._open = None

    def index(self, docs: Iterable[IndexedDocument]) -> int:
        records = [_record(doc) for doc in docs]
        if records:
            self._group.submit(records)
        return len(records)

    def _write(self, records: list[Record]) -> None:
        """Add or replace ``records`` in one commit (a group's documents)."""
        with self._write_lock():
            writer = self._index().writer(heap_size=_WRITER_HEAP, num_threads=1)
            for record in records:
                writer.delete_documents("id", record["id"])
                writer.add_document(_document(record))
            _finish(writer)

    def delete(self, ids: Iterable[RecordId]) -> None:
        gone = set(ids)
        with self._write_lock():
            searcher = self._index().searcher()
            if not any(searcher.doc_freq("id", doc_id) for doc_id in gone):
                return
            kept = list(_neighbours(searcher, self._schema, gone))
            writer = self._index().writer(heap_size=_WRITER_HEAP, num_threads=1)
            for doc_id in gone | {r["id"] for r in kept}:
                writer.delete_documents("id", doc_id)
            for record in kept:
                writer.add_document(_document(record))
            _finish(writer)
            searcher = self._index().searcher()
            if any(searcher.doc_freq("id", doc_id) for doc_id in gone):
                # A replaced copy lingers in a segment of its own: rewrite everything.
                self._write_generation(
                    (r for r in _all_records(searcher) if r["id"] not in gone), None
                )

    def rebuild(
        self, docs: Iterable[IndexedDocument], on_progress: ProgressCallback | None = None
    ) -> int:
        with self._write_lock():
            return self._write_generation((_record(d) for d in docs), on_progress)

    def _write_generation(
        self, records: Iterable[Record], on_progress: ProgressCallback | None
    ) -> int:
        """A new generation holding ``records``, then made the live one."""
        name, index = self._new_generation()
        writer = index.writer(heap_size=_WRITER_HEAP, num_threads=1)
        count = 0
        for record in records:
            writer.add_document(_document(record))
            count += 1
            if on_progress is not None and count % _BATCH == 0:
                on_progress(count)
        _finish(writer)
        self._switch(name)
        if on_progress is not None:
            on_progress(count)
        return count

    # -- reading -----------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        tree = request.tree
        sort = request.effective_sort(tree)
        ranked = sort.key is SortKey.RELEVANCE and bool(text_leaves(tree))
        after = _decode(request.cursor, sort) if request.cursor else None
        index = self._index()
        builder = QueryBuilder(self._schema)
        query = builder.search(request.scope, tree, earlier=request.all_versions)
        searcher = index.searcher()
        pager = _Pager(searcher, query, sort, ranked)
        page = pager.page(request.size, after)
        facets = _facets(searcher, query, request.facets)
        rows = page[: request.size]
        hits = _hits(rows, tree, ranked=ranked)
        next_cursor = None
        if len(page) > request.size:
            last = rows[-1]
            offset = (after[-1] if after else 0) + len(rows)
            next_cursor = encode_cursor(sort, [last.key, last.id, offset])
        return SearchResult(total=pager.total, hits=hits, facets=facets, next_cursor=next_cursor)

    def similar(self, doc_id: RecordId, scope: AccessScope, limit: int = 10) -> list[Hit]:
        builder = QueryBuilder(self._schema)
        searcher = self._index().searcher()
        own = builder.readable(scope, doc_id)
        found = searcher.search(own, 1, count=False).hits
        if not found:
            return []
        record = json.loads(searcher.doc(found[0][1])["record"][0])
        grams = _distinctive_grams(searcher, fold(record["body"]))
        if not grams:
            return []
        query = builder.similar(scope, doc_id, grams)
        rows = _Pager(searcher, query, Sort(SortKey.RELEVANCE), ranked=True).page(limit - 1, None)
        return _hits(rows[:limit], None, ranked=True)


def _commit_of(generation: Path) -> tuple[int, int] | None:
    """Which commit a generation is at: Tantivy replaces ``meta.json`` on every commit."""
    try:
        meta = (generation / "meta.json").stat()
    except OSError:
        return None
    return (meta.st_ino, meta.st_mtime_ns)


def _finish(writer: Any) -> None:
    try:
        writer.commit()
        writer.wait_merging_threads()
    except ValueError as exc:
        raise SearchUnavailable("tantivy", str(exc)) from None


def _all_records(searcher: Any, segments: set[int] | None = None) -> Iterator[Record]:
    """Every live document's record (of ``segments`` only, when given)."""
    total = searcher.num_docs
    if total == 0:
        return
    for _, address in searcher.search(tantivy.Query.all_query(), total, count=False).hits:
        if segments is None or address.segment_ord in segments:
            yield json.loads(searcher.doc(address)["record"][0])


def _neighbours(searcher: Any, schema: Any, ids: set[RecordId]) -> Iterator[Record]:
    """The records of the other documents in the segments that hold ``ids``."""
    segments = {
        address.segment_ord
        for doc_id in ids
        for _, address in searcher.search(
            tantivy.Query.term_query(schema, "id", doc_id), 1, count=False
        ).hits
    }
    if segments:
        yield from (r for r in _all_records(searcher, segments) if r["id"] not in ids)


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


class _Pager:
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


def _decode(cursor: str, sort: Sort) -> list[Any]:
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


def _hits(rows: list[_Row], tree: Node | None, *, ranked: bool) -> list[Hit]:
    needles = [fold(index_form(leaf)) for leaf in text_leaves(tree)]
    return [
        Hit(
            id=RecordId(row.id),
            score=row.score if ranked else None,
            snippet=snippet(row.record["body"], needles),
        )
        for row in rows
    ]


def _facets(searcher: Any, query: Any, facets: frozenset[Facet]) -> dict[Facet, list[FacetBucket]]:
    if not facets:
        return {}
    # A size above any field's number of values: counts are exact, not per-segment estimates.
    aggregations = {
        facet.value: {"terms": {"field": _FACET_FIELDS[facet], "size": 10_000}} for facet in facets
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


def _distinctive_grams(searcher: Any, text: str) -> list[str]:
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
