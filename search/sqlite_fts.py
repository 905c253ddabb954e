"""The embedded backend: SQLite FTS5 in its own file, separate from the main database.

Three full-text tables serve the query language's words and phrases:

- ``docs_tri`` (trigram tokenizer, external content ``docs``) finds any substring of
  three or more characters, which is what Japanese needs without a dictionary
  (大阪市 inside 大阪市役所, 契約書 inside 契約書類).
- ``docs_short`` (contentless) holds CJK unigrams and bigrams, the terms trigrams cannot
  find (契約, 市). Measured against ``instr`` over the text in ``bench/search_engine.py``.
- ``docs_en`` (contentless, Porter stemmer over ``unicode61``) matches Latin-script words
  as words, as OpenSearch's English analyzer does: ``aws`` does not find "laws",
  ``contracts`` finds "contract". It sees the text with CJK runs blanked out
  (``search.text.latin_text``), and also holds the text's dates and amounts as tokens
  (``search.facts``), so 2024/4/1 finds 令和6年4月1日.

Tables and writes are in ``search._fts_schema``, the translation of a request into SQL in
``search._fts_sql``. Access trimming is part of the one statement that selects a
search's matches; totals, facets and pages are read from that selection only.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from archive import AccessScope, RecordId, SecurityLevel
from search import _fts_schema as schema
from search._fts_sql import (
    BM25,
    MATCHED_TABLE,
    access_sql,
    compile_search,
    fts_string,
    substring_form,
)
from search.base import (
    Facet,
    FacetBucket,
    Hit,
    IndexedDocument,
    ProgressCallback,
    SearchRequest,
    SearchResult,
)
from search.cursor import encode_cursor
from search.errors import SearchUnavailable
from search.query import Node, text_leaves
from search.text import fold, snippet

__all__ = ["SqliteFtsIndex", "compile_search", "fts_string", "substring_form"]

_SIMILAR_TERMS = 16
# Per connection: pages of the index file mapped and cached in memory, temporary tables
# (the matched set) never written to disk.
_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA busy_timeout=10000",
    "PRAGMA mmap_size=1073741824",
    "PRAGMA cache_size=-65536",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA secure_delete=ON",  # freed pages are zeroed: a removed document's text is gone
)


class SqliteFtsIndex:
    """SQLite FTS5 index in the file ``path``; one connection per thread, WAL mode."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    # -- connections -------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                for pragma in _PRAGMAS:
                    conn.execute(pragma)
                conn.execute(MATCHED_TABLE)
            except (sqlite3.Error, OSError) as exc:
                raise SearchUnavailable("sqlite", str(exc)) from None
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        """``begin`` … COMMIT, or ROLLBACK on an error; SQLite errors become ``SearchUnavailable``."""
        conn = self._conn()
        try:
            conn.execute(begin)
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise SearchUnavailable("sqlite", str(exc)) from None

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction, so every statement of a search sees the same index; what it
        wrote to temporary tables is rolled back at the end."""
        conn = self._conn()
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            raise SearchUnavailable("sqlite", str(exc)) from None

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            return self._conn().execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            raise SearchUnavailable("sqlite", str(exc)) from None

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    # -- writing -----------------------------------------------------------------------

    def ensure(self) -> None:
        with self._transaction("BEGIN IMMEDIATE") as conn:
            schema.create_or_migrate(conn)

    def check(self) -> None:
        rows = self._read(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('docs', 'doc_meta', 'docs_tri', 'docs_short', 'docs_en')"
        )
        if rows[0][0] != 5 or self._read("PRAGMA user_version")[0][0] != schema.SCHEMA_VERSION:
            raise SearchUnavailable(
                "sqlite", f"{self.path} has no current search index; run ensure()"
            )

    def index(self, docs: Iterable[IndexedDocument]) -> int:
        count = 0
        with self._transaction("BEGIN IMMEDIATE") as conn:
            for doc in docs:
                schema.remove_document(conn, doc.id)
                schema.insert_document(conn, doc)
                count += 1
        return count

    def delete(self, ids: Iterable[RecordId]) -> None:
        with self._transaction("BEGIN IMMEDIATE") as conn:
            for doc_id in ids:
                schema.remove_document(conn, doc_id)
            schema.merge_segments(conn)
        # The WAL still holds the pages as they were before: empty it.
        self._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def rebuild(
        self, docs: Iterable[IndexedDocument], on_progress: ProgressCallback | None = None
    ) -> int:
        # One transaction: readers (WAL) keep seeing the old index until the commit.
        count = 0
        with self._transaction("BEGIN IMMEDIATE") as conn:
            schema.clear(conn)
            for doc in docs:
                schema.insert_document(conn, doc)
                count += 1
                if on_progress is not None and count % 1000 == 0:
                    on_progress(count)
        if on_progress is not None:
            on_progress(count)
        return count

    # -- reading -----------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        plan = compile_search(request)
        with self._snapshot() as conn:
            total = conn.execute(*plan.match).rowcount
            for statement in plan.rank:
                conn.execute(*statement)
            rows = conn.execute(*plan.page).fetchall()
            facets = {
                facet: _buckets(facet, conn.execute(*sql).fetchall())
                for facet, sql in plan.facets.items()
            }
            page = rows[: request.size]
            hits = _hits(conn, page, plan.tree, scored=plan.ranked)
        next_cursor = None
        if len(rows) > request.size:
            last = page[-1]
            next_cursor = encode_cursor(plan.sort, [*last[2:], last[1]])
        return SearchResult(total=total, hits=hits, facets=facets, next_cursor=next_cursor)

    def similar(self, doc_id: RecordId, scope: AccessScope, limit: int = 10) -> list[Hit]:
        access = access_sql(scope)
        with self._snapshot() as conn:
            rows = conn.execute(
                f"SELECT t.rid, t.title, t.body FROM doc_meta d JOIN docs t ON t.rid = d.rid"
                f" WHERE d.id = ? AND {access.text}",
                [doc_id, *access.params],
            ).fetchall()
            if not rows:
                return []
            rid, title, body = rows[0]
            grams = _distinctive_grams(conn, f"{title} {body}")
            if not grams:
                return []
            found = conn.execute(
                f"SELECT d.rid, d.id, {BM25} AS s FROM docs_tri JOIN doc_meta d ON d.rid = docs_tri.rowid"
                f" WHERE docs_tri MATCH ? AND d.rid != ? AND {access.text} ORDER BY s, d.id LIMIT ?",
                [" OR ".join(fts_string(g) for g in grams), rid, *access.params, limit],
            ).fetchall()
            return _hits(conn, found, None, scored=True)


def _hits(
    conn: sqlite3.Connection, rows: list[Any], tree: Node | None, *, scored: bool
) -> list[Hit]:
    if not rows:
        return []
    rids = [row[0] for row in rows]
    bodies = dict(
        conn.execute(
            f"SELECT rid, body FROM docs WHERE rid IN ({', '.join('?' * len(rids))})", rids
        )
    )
    needles = [substring_form(leaf) for leaf in text_leaves(tree)]
    return [  # 0.0 - s, not -s: a row none of the words matched scores 0.0, not -0.0
        Hit(
            id=RecordId(row[1]),
            score=0.0 - row[2] if scored else None,
            snippet=snippet(bodies[row[0]], needles),
        )
        for row in rows
    ]


def _distinctive_grams(conn: sqlite3.Connection, text: str) -> list[str]:
    """The trigrams of ``text`` that best tell it apart: frequent in it, rare in the index."""
    folded = fold(text)
    counts = Counter(folded[i : i + 3] for i in range(len(folded) - 2))
    candidates = [g for g, _ in counts.most_common(400) if " " not in g]
    if not candidates:
        return []
    df = dict(
        conn.execute(
            f"SELECT term, doc FROM docs_vocab WHERE term IN ({', '.join('?' * len(candidates))})",
            candidates,
        )
    )
    total = conn.execute("SELECT count(*) FROM doc_meta").fetchone()[0]
    # A gram only this document has finds nothing else; one in most documents tells nothing.
    scored = [
        (counts[g] * math.log(total / df[g]), g)
        for g in candidates
        if 1 < df.get(g, 0) <= total / 2
    ]
    return [g for _, g in sorted(scored, reverse=True)[:_SIMILAR_TERMS]]


def _buckets(facet: Facet, rows: list[Any]) -> list[FacetBucket]:
    if facet is Facet.SECURITY_LEVEL:
        return [FacetBucket(SecurityLevel(v).label, n) for v, n in rows]
    return [FacetBucket(str(v), n) for v, n in rows]
