"""The FTS5 index file's tables, their migration, and writing one document into them.

Metadata lives in ``doc_meta``, apart from the text in ``docs``: filters, access
trimming, facets and sorting then read rows of about 150 bytes instead of stepping over
each document's text (``docs`` rows run to kilobytes, and a column after them in the same
row costs a read of the whole text).

The departments and users the access rule asks about are id lists in the row itself
(``owner_path``, ``grant_users``, ``grant_depts``, written ``,1,10,11,``), so trimming a
row is a few ``instr`` calls instead of a lookup in another table per branch; at 100,000
documents that is 25 ms against 62 ms for a scan.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from search.base import IndexedDocument
from search.facts import text_facts
from search.normalize import index_form
from search.text import fold, latin_text, normalize, short_tokens

SCHEMA_VERSION = 4
"""``PRAGMA user_version`` of the current layout; 0 is the first layout (metadata inside ``docs``).

Layout 3 added ``docs_en`` (Latin words, stemmed, and the text's dates and amounts) and
holds text in ``search.normalize.index_form``: opening an older file re-derives every row
from the text it stored. Layout 4 added ``doc_meta.subtype`` (empty until reindexed)."""
_REDERIVED_IN = 3
_REDERIVE_BATCH = 500

_META_COLUMNS = (
    "id, doc_type, department_id, department_code, security_level, document_date, sort_day, fiscal_year,"
    " amount, currency, counterparty, counterparty_fold, regno, series, lang, created_at"
)
_ACCESS_COLUMNS = "owner_path, grant_users, grant_depts"

_TABLES = """
CREATE TABLE IF NOT EXISTS docs (rid INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS doc_earlier (rid INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS doc_meta (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
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
    created_at TEXT NOT NULL,
    subtype TEXT,
    owner_path TEXT NOT NULL,
    grant_users TEXT NOT NULL,
    grant_depts TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS doc_meta_sort_day ON doc_meta (sort_day, id);
CREATE INDEX IF NOT EXISTS doc_meta_amount ON doc_meta (amount);
CREATE INDEX IF NOT EXISTS doc_meta_date ON doc_meta (document_date);
CREATE INDEX IF NOT EXISTS doc_meta_fiscal_year ON doc_meta (fiscal_year);
CREATE INDEX IF NOT EXISTS doc_meta_department ON doc_meta (department_code);
CREATE INDEX IF NOT EXISTS doc_meta_regno ON doc_meta (regno);
CREATE VIRTUAL TABLE IF NOT EXISTS docs_tri USING fts5(
    title, body, content='docs', content_rowid='rid', tokenize='trigram');
CREATE VIRTUAL TABLE IF NOT EXISTS docs_short USING fts5(tokens, content='', tokenize='unicode61');
CREATE VIRTUAL TABLE IF NOT EXISTS docs_en USING fts5(
    title, body, facts, content='', tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS docs_vocab USING fts5vocab(docs_tri, 'row');
"""

# Layout 0 kept title and body in the metadata row (then named ``docs``) and the access
# lists in tables of their own; the FTS tables are unchanged.
_FROM_LAYOUT_0 = f"""
INSERT INTO doc_meta (rid, {_META_COLUMNS}, {_ACCESS_COLUMNS})
    SELECT docs.rid, {_META_COLUMNS}, ',' || ifnull(o.ids || ',', ''), ',' || ifnull(u.ids || ',', ''),
        ',' || ifnull(g.ids || ',', '') FROM docs
    LEFT JOIN (SELECT rid, group_concat(dept, ',') AS ids FROM doc_owner GROUP BY rid) o ON o.rid = docs.rid
    LEFT JOIN (SELECT rid, group_concat(user_id, ',') AS ids FROM doc_grant_user GROUP BY rid) u ON u.rid = docs.rid
    LEFT JOIN (SELECT rid, group_concat(dept, ',') AS ids FROM doc_grant_dept GROUP BY rid) g ON g.rid = docs.rid;
DROP TABLE doc_owner;
DROP TABLE doc_grant_user;
DROP TABLE doc_grant_dept;
CREATE TABLE docs_text (rid INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL);
INSERT INTO docs_text (rid, title, body) SELECT rid, title, body FROM docs;
DROP TABLE docs;
ALTER TABLE docs_text RENAME TO docs
"""

DATA_TABLES = ("doc_meta", "docs", "doc_earlier")
"""``doc_earlier`` holds earlier versions' text, case-folded, for ``versions:all``: auditors'
searches, scanned as literal text rather than indexed (few documents have earlier versions)."""


def id_list(ids: Iterable[int]) -> str:
    """How ``doc_meta`` stores a set of ids: ``,1,10,11,`` (``,`` when empty), so that
    ``instr(column, ',10,')`` tests membership."""
    return "," + "".join(f"{int(i)}," for i in ids)


def create_or_migrate(conn: sqlite3.Connection) -> None:
    """Bring the file to ``SCHEMA_VERSION`` inside the caller's write transaction, keeping its documents."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    old_layout = version == 0 and "doc_type" in {
        row[1] for row in conn.execute("PRAGMA table_info(docs)")
    }
    for statement in _TABLES.split(";"):  # an old-layout docs table is left as it is here
        if statement.strip():
            conn.execute(statement)
    if old_layout:
        for statement in _FROM_LAYOUT_0.split(";"):
            conn.execute(statement)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(doc_meta)")}
    if "subtype" not in columns:
        conn.execute("ALTER TABLE doc_meta ADD COLUMN subtype TEXT")
    if version < _REDERIVED_IN:
        _rederive(conn)
    conn.execute(
        f"PRAGMA user_version = {SCHEMA_VERSION}"
    )  # an int constant: PRAGMA takes no parameters


def _rederive(conn: sqlite3.Connection) -> None:
    """Put every stored row's text in the current form and fill the derived tables from it."""
    conn.execute("INSERT INTO docs_short(docs_short) VALUES ('delete-all')")
    conn.execute("INSERT INTO docs_en(docs_en) VALUES ('delete-all')")
    last = 0
    while rows := conn.execute(
        "SELECT rid, title, body FROM docs WHERE rid > ? ORDER BY rid LIMIT ?",
        (last, _REDERIVE_BATCH),
    ).fetchall():
        for rid, old_title, old_body in rows:
            title, body = index_form(old_title), index_form(old_body)
            conn.execute("UPDATE docs SET title = ?, body = ? WHERE rid = ?", (title, body, rid))
            _insert_derived(conn, rid, title, body)
        last = rows[-1][0]
    conn.execute("INSERT INTO docs_tri(docs_tri) VALUES ('rebuild')")


def _insert_derived(conn: sqlite3.Connection, rid: int, title: str, body: str) -> None:
    """The contentless tables' rows of one document, derived from its stored title and body."""
    conn.execute(
        "INSERT INTO docs_short (rowid, tokens) VALUES (?, ?)", (rid, _short_text(title, body))
    )
    conn.execute(
        "INSERT INTO docs_en (rowid, title, body, facts) VALUES (?, ?, ?, ?)",
        (rid, *_en_values(title, body)),
    )


def insert_document(conn: sqlite3.Connection, doc: IndexedDocument) -> None:
    title, body = index_form(doc.title), doc.body
    rid = conn.execute("INSERT INTO docs (title, body) VALUES (?, ?)", (title, body)).lastrowid
    assert rid is not None
    conn.execute(
        f"INSERT INTO doc_meta (rid, {_META_COLUMNS}, subtype, {_ACCESS_COLUMNS})"
        f" VALUES ({', '.join('?' * 21)})",
        (
            rid,
            doc.id,
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
            fold(doc.subtype) if doc.subtype else None,
            id_list(doc.owner_path),
            id_list(doc.grant_users),
            id_list(doc.grant_departments),
        ),
    )
    conn.execute("INSERT INTO docs_tri (rowid, title, body) VALUES (?, ?, ?)", (rid, title, body))
    _insert_derived(conn, rid, title, body)
    if earlier := doc.earlier_body:
        conn.execute("INSERT INTO doc_earlier (rid, body) VALUES (?, ?)", (rid, fold(earlier)))


def remove_document(conn: sqlite3.Connection, doc_id: str) -> None:
    row = conn.execute(
        "SELECT d.rid, d.title, d.body FROM doc_meta m JOIN docs d ON d.rid = m.rid WHERE m.id = ?",
        (doc_id,),
    ).fetchone()
    if row is None:
        return
    rid, title, body = row
    # External-content and contentless FTS5 tables delete by the values they indexed.
    conn.execute(
        "INSERT INTO docs_tri (docs_tri, rowid, title, body) VALUES ('delete', ?, ?, ?)",
        (rid, title, body),
    )
    conn.execute(
        "INSERT INTO docs_short (docs_short, rowid, tokens) VALUES ('delete', ?, ?)",
        (rid, _short_text(title, body)),
    )
    conn.execute(
        "INSERT INTO docs_en (docs_en, rowid, title, body, facts) VALUES ('delete', ?, ?, ?, ?)",
        (rid, *_en_values(title, body)),
    )
    for table in DATA_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE rid = ?", (rid,))


def merge_segments(conn: sqlite3.Connection) -> None:
    """Rewrite the FTS5 indexes as one segment each: removed documents' terms and positions
    stay in older segments (as delete markers) until a merge, and text can be rebuilt from them."""
    conn.execute("INSERT INTO docs_tri(docs_tri) VALUES ('optimize')")
    conn.execute("INSERT INTO docs_short(docs_short) VALUES ('optimize')")


def clear(conn: sqlite3.Connection) -> None:
    """Empty every table, for a rebuild."""
    conn.execute("INSERT INTO docs_tri(docs_tri) VALUES ('delete-all')")
    conn.execute("INSERT INTO docs_short(docs_short) VALUES ('delete-all')")
    conn.execute("INSERT INTO docs_en(docs_en) VALUES ('delete-all')")
    for table in DATA_TABLES:
        conn.execute(f"DELETE FROM {table}")


def _short_text(title: str, body: str) -> str:
    return " ".join(short_tokens(f"{title} {body}"))


def _en_values(title: str, body: str) -> tuple[str, str, str]:
    """``docs_en``'s title, body and facts: Latin words apart from CJK, dates and amounts as tokens."""
    return latin_text(title), latin_text(body), " ".join(text_facts(f"{title}\n{body}").tokens)
