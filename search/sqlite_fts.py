"""The embedded backend: SQLite FTS5 in its own file, separate from the main database.

Two full-text tables serve the query language's words and phrases:

- ``docs_tri`` (trigram tokenizer, external content ``docs``) finds any substring of
  three or more characters, which is what Japanese needs without a dictionary
  (大阪市 inside 大阪市役所, 契約書 inside 契約書類).
- ``docs_short`` (contentless) holds CJK unigrams and bigrams and 1–2 letter words, the
  terms trigrams cannot find (契約, 市, HR). Measured against ``instr`` over the text in
  ``bench/search_engine.py``.

Every user value reaches SQLite as a bound parameter; MATCH arguments are single FTS5
strings (double quotes doubled), so no FTS5 operator or column filter can be injected.
Access trimming is part of every statement's WHERE clause.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.access import AccessScope, SecurityLevel
from archive.types import RecordId
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
from search.query import And, Field, FieldKind, FieldMatch, Node, Not, Or, Phrase, Range, Term, text_leaves
from search.text import fold, is_short_token, normalize, short_tokens, snippet

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    department_id INTEGER NOT NULL,
    department_code TEXT NOT NULL,
    security_level INTEGER NOT NULL,
    document_date TEXT,
    sort_day INTEGER NOT NULL,
    fiscal_year INTEGER,
    amount REAL,
    currency TEXT,
    counterparty TEXT,
    counterparty_fold TEXT,
    regno TEXT,
    series TEXT,
    lang TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_sort_day ON docs (sort_day, id);
CREATE INDEX IF NOT EXISTS docs_amount ON docs (amount);
CREATE TABLE IF NOT EXISTS doc_owner (dept INTEGER NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (dept, rid))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS doc_grant_user (user_id INTEGER NOT NULL, rid INTEGER NOT NULL,
    PRIMARY KEY (user_id, rid)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS doc_grant_dept (dept INTEGER NOT NULL, rid INTEGER NOT NULL,
    PRIMARY KEY (dept, rid)) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS docs_tri USING fts5(
    title, body, content='docs', content_rowid='rid', tokenize='trigram');
CREATE VIRTUAL TABLE IF NOT EXISTS docs_short USING fts5(tokens, content='', tokenize='unicode61');
CREATE VIRTUAL TABLE IF NOT EXISTS docs_vocab USING fts5vocab(docs_tri, 'row');
"""

_CHILD_TABLES = ("doc_owner", "doc_grant_user", "doc_grant_dept")

_KEYWORD_COLUMNS = {
    Field.TYPE: "d.doc_type",
    Field.DEPT: "d.department_code",
    Field.SERIES: "d.series",
    Field.REGNO: "d.regno",
    Field.LANG: "d.lang",
    Field.COUNTERPARTY: "d.counterparty_fold",
}
_RANGE_COLUMNS = {
    Field.DATE: "d.document_date",
    Field.AMOUNT: "d.amount",
    Field.FY: "d.fiscal_year",
    Field.LEVEL: "d.security_level",
}
_FACET_COLUMNS = {
    Facet.TYPE: "d.doc_type",
    Facet.DEPARTMENT: "d.department_code",
    Facet.FISCAL_YEAR: "d.fiscal_year",
    Facet.SERIES: "d.series",
    Facet.SECURITY_LEVEL: "d.security_level",
}
# bm25 weights per column of docs_tri: a match in the title counts more than one in the body.
_BM25 = "bm25(docs_tri, 3.0, 1.0)"
_SIMILAR_TERMS = 16


@dataclass
class _Sql:
    """A WHERE fragment and its bound parameters."""

    text: str
    params: list[Any] = field(default_factory=list)


def fts_string(term: str) -> str:
    """``term`` as one FTS5 string literal, so the MATCH argument can hold no operator."""
    return '"' + term.replace('"', '""') + '"'


def substring_form(term: str) -> str:
    """The form of a query word the trigram index looks for: folded, English plurals stripped.

    Substring matching then finds both forms (``contracts`` → ``contract`` matches
    contract and contracts; ``companies`` → ``compan`` matches company too).
    """
    word = fold(term)
    if word.isascii() and word.isalpha() and len(word) > 4:
        if word.endswith("ies"):
            return word[:-3]
        if word.endswith("s") and not word.endswith("ss"):
            return word[:-1]
    return word


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
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA busy_timeout=10000")
            except (sqlite3.Error, OSError) as exc:
                raise SearchUnavailable("sqlite", str(exc)) from None
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
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
        with self._write() as conn:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)

    def check(self) -> None:
        rows = self._read("SELECT count(*) FROM sqlite_master WHERE name IN ('docs', 'docs_tri', 'docs_short')")
        if rows[0][0] != 3:
            raise SearchUnavailable("sqlite", f"{self.path} has no search index; run ensure()")

    def index(self, docs: Iterable[IndexedDocument]) -> int:
        count = 0
        with self._write() as conn:
            for doc in docs:
                self._remove(conn, [doc.id])
                self._insert(conn, doc)
                count += 1
        return count

    def delete(self, ids: Iterable[RecordId]) -> None:
        with self._write() as conn:
            self._remove(conn, list(ids))

    def rebuild(self, docs: Iterable[IndexedDocument], on_progress: ProgressCallback | None = None) -> int:
        # One transaction: readers (WAL) keep seeing the old index until the commit.
        count = 0
        with self._write() as conn:
            conn.execute("INSERT INTO docs_tri(docs_tri) VALUES ('delete-all')")
            conn.execute("INSERT INTO docs_short(docs_short) VALUES ('delete-all')")
            for table in (*_CHILD_TABLES, "docs"):
                conn.execute(f"DELETE FROM {table}")
            for doc in docs:
                self._insert(conn, doc)
                count += 1
                if on_progress is not None and count % 1000 == 0:
                    on_progress(count)
        if on_progress is not None:
            on_progress(count)
        return count

    def _insert(self, conn: sqlite3.Connection, doc: IndexedDocument) -> None:
        title, body = normalize(doc.title), doc.body
        cursor = conn.execute(
            "INSERT INTO docs (id, title, body, doc_type, department_id, department_code, security_level,"
            " document_date, sort_day, fiscal_year, amount, currency, counterparty, counterparty_fold,"
            " regno, series, lang, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc.id,
                title,
                body,
                fold(doc.doc_type),
                doc.department_id,
                normalize(doc.department_code),
                int(doc.security_level),
                doc.document_date.isoformat() if doc.document_date else None,
                doc.sort_date.toordinal(),
                doc.fiscal_year,
                float(doc.amount) if doc.amount is not None else None,
                doc.currency,
                doc.counterparty,
                fold(doc.counterparty) if doc.counterparty else None,
                normalize(doc.registration_number).upper() if doc.registration_number else None,
                normalize(doc.series) if doc.series else None,
                fold(doc.lang) if doc.lang else None,
                doc.created_at.isoformat(),
            ),
        )
        rid = cursor.lastrowid
        conn.execute("INSERT INTO docs_tri (rowid, title, body) VALUES (?, ?, ?)", (rid, title, body))
        conn.execute("INSERT INTO docs_short (rowid, tokens) VALUES (?, ?)", (rid, _short_text(title, body)))
        for table, column, values in (
            ("doc_owner", "dept", doc.owner_path),
            ("doc_grant_user", "user_id", doc.grant_users),
            ("doc_grant_dept", "dept", doc.grant_departments),
        ):
            conn.executemany(
                f"INSERT OR IGNORE INTO {table} ({column}, rid) VALUES (?, ?)",
                [(value, rid) for value in values],
            )

    def _remove(self, conn: sqlite3.Connection, ids: list[RecordId]) -> None:
        for doc_id in ids:
            row = conn.execute("SELECT rid, title, body FROM docs WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                continue
            rid, title, body = row
            # External-content and contentless FTS5 tables delete by the values they indexed.
            conn.execute(
                "INSERT INTO docs_tri (docs_tri, rowid, title, body) VALUES ('delete', ?, ?, ?)", (rid, title, body)
            )
            conn.execute(
                "INSERT INTO docs_short (docs_short, rowid, tokens) VALUES ('delete', ?, ?)",
                (rid, _short_text(title, body)),
            )
            for table in _CHILD_TABLES:
                conn.execute(f"DELETE FROM {table} WHERE rid = ?", (rid,))
            conn.execute("DELETE FROM docs WHERE rid = ?", (rid,))

    # -- reading -----------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        plan = compile_search(request)
        rows = self._read(*plan.page)
        page = rows[: request.size]
        next_cursor = None
        if len(rows) > request.size:
            last = page[-1]
            next_cursor = encode_cursor(plan.sort, [*last[2:], last[1]])
        return SearchResult(
            total=self._read(*plan.count)[0][0],
            hits=self._hits(page, plan.tree, scored=plan.ranked),
            facets={facet: _buckets(facet, self._read(*statement)) for facet, statement in plan.facets.items()},
            next_cursor=next_cursor,
        )

    def _hits(self, rows: list[Any], tree: Node | None, *, scored: bool) -> list[Hit]:
        if not rows:
            return []
        rids = [row[0] for row in rows]
        bodies = dict(
            self._read(
                f"SELECT rid, body FROM docs WHERE rid IN ({', '.join('?' * len(rids))})",
                rids,
            )
        )
        needles = [n for leaf in text_leaves(tree) for n in {normalize(leaf), substring_form(leaf)}]
        return [
            Hit(id=RecordId(row[1]), score=-row[2] if scored else None, snippet=snippet(bodies[row[0]], needles))
            for row in rows
        ]

    def similar(self, doc_id: RecordId, scope: AccessScope, limit: int = 10) -> list[Hit]:
        access = _access(scope)
        rows = self._read(
            f"SELECT d.rid, d.title, d.body FROM docs d WHERE d.id = ? AND {access.text}",
            [doc_id, *access.params],
        )
        if not rows:
            return []
        rid, title, body = rows[0]
        grams = self._distinctive_grams(f"{title} {body}")
        if not grams:
            return []
        match = " OR ".join(fts_string(g) for g in grams)
        found = self._read(
            f"SELECT d.rid, d.id, {_BM25} AS s FROM docs_tri JOIN docs d ON d.rid = docs_tri.rowid"
            f" WHERE docs_tri MATCH ? AND d.rid != ? AND {access.text} ORDER BY s, d.id LIMIT ?",
            [match, rid, *access.params, limit],
        )
        return self._hits(found, None, scored=True)

    def _distinctive_grams(self, text: str) -> list[str]:
        """The trigrams of ``text`` that best tell it apart: frequent in it, rare in the index."""
        folded = fold(text)
        counts = Counter(folded[i : i + 3] for i in range(len(folded) - 2))
        candidates = [g for g, _ in counts.most_common(400) if " " not in g]
        if not candidates:
            return []
        df = dict(
            self._read(
                f"SELECT term, doc FROM docs_vocab WHERE term IN ({', '.join('?' * len(candidates))})",
                candidates,
            )
        )
        total = self._read("SELECT count(*) FROM docs")[0][0]
        # A gram only this document has finds nothing else; one in most documents tells nothing.
        scored = [(counts[g] * math.log(total / df[g]), g) for g in candidates if 1 < df.get(g, 0) <= total / 2]
        return [g for _, g in sorted(scored, reverse=True)[:_SIMILAR_TERMS]]


Statement = tuple[str, list[Any]]


@dataclass(frozen=True)
class CompiledSearch:
    """The SQL a search runs: its page, total and facet statements, with bound parameters."""

    tree: Node | None
    sort: Sort
    ranked: bool
    page: Statement
    """Rows of (rid, id, sort keys...), ``size + 1`` of them to tell whether a next page exists."""
    count: Statement
    facets: dict[Facet, Statement]


def compile_search(request: SearchRequest) -> CompiledSearch:
    """Translate ``request`` into SQL over the index file's tables (also used by the benchmark)."""
    tree = request.tree
    sort = request.effective_sort(tree)
    where = _and(_access(request.scope), _where(tree) if tree is not None else _Sql("1"))
    rank = _rank(tree) if sort.key is SortKey.RELEVANCE else None
    keys = _sort_keys(sort, rank)
    names = [f"k{i}" for i in range(len(keys))]
    after, after_params = "", []
    if request.cursor is not None:
        after_params = decode_cursor(request.cursor, sort)
        if len(after_params) != len(keys) + 1:
            raise InvalidCursor("malformed cursor")
        after = f"WHERE ({', '.join([*names, 'id'])}) > ({', '.join('?' * (len(keys) + 1))})"
    key_columns = ", ".join(f"{expr} AS {name}" for expr, name in zip(keys, names, strict=True))
    page = (
        f"SELECT rid, id, {', '.join(names)} FROM ("  # fixed SQL fragments; every value is bound
        f" SELECT d.rid, d.id, {key_columns} FROM docs d {rank.join if rank else ''} WHERE {where.text}"
        f") {after} ORDER BY {', '.join([*names, 'id'])} LIMIT ?",
        [*(rank.params if rank else []), *where.params, *after_params, request.size + 1],
    )
    facets = {}
    for facet in request.facets:
        column = _FACET_COLUMNS[facet]
        facets[facet] = (
            f"SELECT {column} AS v, count(*) AS n FROM docs d WHERE ({where.text}) AND {column} IS NOT NULL"
            " GROUP BY v ORDER BY n DESC, v LIMIT ?",
            [*where.params, FACET_SIZE],
        )
    return CompiledSearch(
        tree=tree,
        sort=sort,
        ranked=rank is not None,
        page=page,
        count=(f"SELECT count(*) FROM docs d WHERE {where.text}", where.params),
        facets=facets,
    )


def _buckets(facet: Facet, rows: list[Any]) -> list[FacetBucket]:
    if facet is Facet.SECURITY_LEVEL:
        return [FacetBucket(SecurityLevel(v).label, n) for v, n in rows]
    return [FacetBucket(str(v), n) for v, n in rows]


def _short_text(title: str, body: str) -> str:
    return " ".join(short_tokens(f"{title} {body}"))


# -- translation of the query tree into SQL ------------------------------------------------


def _and(*parts: _Sql) -> _Sql:
    return _Sql(" AND ".join(f"({p.text})" for p in parts), [v for p in parts for v in p.params])


def _access(scope: AccessScope) -> _Sql:
    """The access rule of ``archive.access`` as a WHERE fragment over ``docs d``."""
    branches = [_Sql("d.security_level = ?", [int(SecurityLevel.PUBLIC)])]
    if scope.user_id is not None:
        branches.append(
            _Sql("EXISTS (SELECT 1 FROM doc_grant_user g WHERE g.user_id = ? AND g.rid = d.rid)", [scope.user_id])
        )
    if scope.department_lineage:
        marks = ", ".join("?" * len(scope.department_lineage))
        branches.append(
            _Sql(
                f"EXISTS (SELECT 1 FROM doc_grant_dept g WHERE g.dept IN ({marks}) AND g.rid = d.rid)",
                list(scope.department_lineage),
            )
        )
    if scope.city_wide:
        branches.append(_Sql("d.security_level <= ?", [int(scope.clearance)]))
    elif scope.department_id is not None:
        branches.append(
            _Sql(
                "d.security_level <= ? AND EXISTS (SELECT 1 FROM doc_owner o WHERE o.dept = ? AND o.rid = d.rid)",
                [int(scope.clearance), scope.department_id],
            )
        )
    return _Sql("(" + " OR ".join(f"({b.text})" for b in branches) + ")", [v for b in branches for v in b.params])


def _where(node: Node) -> _Sql:
    match node:
        case Term(text):
            return _text_match(substring_form(text))
        case Phrase(text):
            return _text_match(fold(text))
        case FieldMatch(field, value):
            column = _KEYWORD_COLUMNS[field]
            if field.kind is FieldKind.CONTAINS:
                return _Sql(f"ifnull(instr({column}, ?) > 0, 0)", [value])
            return _Sql(f"ifnull({column} = ?, 0)", [value])
        case Range():
            return _range(node)
        case And(children):
            return _and(*(_where(c) for c in children))
        case Or(children):
            parts = [_where(c) for c in children]
            return _Sql(" OR ".join(f"({p.text})" for p in parts), [v for p in parts for v in p.params])
        case Not(child):
            inner = _where(child)
            return _Sql(f"NOT ({inner.text})", inner.params)
    raise TypeError(f"not a query node: {node!r}")


def _text_match(term: str) -> _Sql:
    if len(term) >= 3:
        return _Sql("d.rid IN (SELECT rowid FROM docs_tri WHERE docs_tri MATCH ?)", [fts_string(term)])
    if is_short_token(term):
        return _Sql("d.rid IN (SELECT rowid FROM docs_short WHERE docs_short MATCH ?)", [fts_string(term)])
    # Punctuation and mixed-script fragments under three characters: a literal scan.
    return _Sql("(instr(lower(d.title), ?) > 0 OR instr(lower(d.body), ?) > 0)", [term, term])


def _range(node: Range) -> _Sql:
    column = _RANGE_COLUMNS[node.field]
    clauses: list[str] = []
    params: list[Any] = []
    for bound, op in ((node.low, ">=" if node.include_low else ">"), (node.high, "<=" if node.include_high else "<")):
        if bound is None:
            continue
        clauses.append(f"{column} {op} ?")
        params.append(_sql_value(node.field, bound))
    return _Sql(f"ifnull({' AND '.join(clauses)}, 0)", params)


def _sql_value(field: Field, bound: Any) -> Any:
    if field.kind is FieldKind.DATE:
        return bound.isoformat()
    if field.kind is FieldKind.NUMBER:
        return float(bound)
    return bound


@dataclass(frozen=True)
class _Rank:
    join: str
    params: list[Any]
    score: str
    """bm25 over the positive words: lower is better, as FTS5 ranks."""


def _rank(tree: Node | None) -> _Rank | None:
    """LEFT JOINs giving each row its bm25 rank over the query's positive words, if any."""
    leaves = [substring_form(leaf) for leaf in text_leaves(tree)]
    joins: list[str] = []
    params: list[Any] = []
    scores: list[str] = []
    for table, bm25, terms in (
        ("docs_tri", _BM25, [t for t in leaves if len(t) >= 3]),
        ("docs_short", "bm25(docs_short)", [t for t in leaves if len(t) < 3 and is_short_token(t)]),
    ):
        if terms:
            alias = f"r{len(joins)}"
            joins.append(
                f"LEFT JOIN (SELECT rowid AS rid, {bm25} AS s FROM {table} WHERE {table} MATCH ?) {alias}"
                f" ON {alias}.rid = d.rid"
            )
            params.append(" OR ".join(fts_string(t) for t in terms))
            scores.append(f"ifnull({alias}.s, 0)")
    return _Rank(" ".join(joins), params, " + ".join(scores)) if joins else None


def _sort_keys(sort: Sort, rank: _Rank | None) -> list[str]:
    """SQL expressions that, ascending and followed by id, give ``sort``'s order."""
    sign = "-" if sort.descending else ""
    if sort.key is SortKey.RELEVANCE:
        # Without words to rank by (filters only), relevance falls back to newest first.
        return [rank.score] if rank else ["-d.sort_day"]
    if sort.key is SortKey.DATE:
        return [f"{sign}d.sort_day"]
    return ["d.amount IS NULL", f"ifnull({sign}d.amount, 0)"]
