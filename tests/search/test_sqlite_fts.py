"""The FTS5 backend's own concerns: the index file's layout and its upgrade in place."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from archive.types import RecordId
from search import Facet, SearchUnavailable
from search.sqlite_fts import SqliteFtsIndex
from tests.search.documents import ALL_SCOPES, all_documents
from tests.search.helpers import run

# The first layout (user_version 0): metadata and text in one row, access lists in tables.
# Made here from a current file, so the test needs no copy of the old writing code.
_TO_LAYOUT_0 = """
CREATE TABLE docs0 (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, body TEXT NOT NULL,
    doc_type TEXT NOT NULL, department_id INTEGER NOT NULL, department_code TEXT NOT NULL,
    security_level INTEGER NOT NULL, document_date TEXT, sort_day INTEGER NOT NULL, fiscal_year INTEGER,
    amount REAL, currency TEXT, counterparty TEXT, counterparty_fold TEXT, regno TEXT, series TEXT, lang TEXT,
    created_at TEXT NOT NULL);
INSERT INTO docs0 SELECT m.rid, id, title, body, doc_type, department_id, department_code, security_level,
    document_date, sort_day, fiscal_year, amount, currency, counterparty, counterparty_fold, regno, series, lang,
    created_at FROM doc_meta m JOIN docs t ON t.rid = m.rid;
CREATE TABLE doc_owner (dept INTEGER NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (dept, rid)) WITHOUT ROWID;
CREATE TABLE doc_grant_user (user_id INTEGER NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (user_id, rid))
    WITHOUT ROWID;
CREATE TABLE doc_grant_dept (dept INTEGER NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (dept, rid)) WITHOUT ROWID;
INSERT INTO doc_owner SELECT j.value, rid FROM doc_meta, json_each('[' || trim(owner_path, ',') || ']') j;
INSERT INTO doc_grant_user SELECT j.value, rid FROM doc_meta, json_each('[' || trim(grant_users, ',') || ']') j;
INSERT INTO doc_grant_dept SELECT j.value, rid FROM doc_meta, json_each('[' || trim(grant_depts, ',') || ']') j;
DROP TABLE doc_meta;
DROP TABLE docs;
ALTER TABLE docs0 RENAME TO docs;
CREATE INDEX docs_sort_day ON docs (sort_day, id);
PRAGMA user_version = 0;
"""
QUERIES = [
    None,
    "契約",
    "大阪市",
    "道路清掃 -年間計画",
    "type:invoice amount>=5000",
    "fy:2024 lang:ja",
    "NOT dept:KE",
]


def filled(path: Path) -> SqliteFtsIndex:
    index = SqliteFtsIndex(path)
    index.ensure()
    index.index(all_documents())
    return index


def test_a_first_layout_file_is_upgraded_in_place_by_ensure(tmp_path: Path) -> None:
    """GIVEN an index file of the first layout WHEN ensure() runs THEN it answers as a new one does."""
    current = filled(tmp_path / "current.db")
    filled(tmp_path / "old.db").close()
    with sqlite3.connect(tmp_path / "old.db") as conn:
        conn.executescript(_TO_LAYOUT_0)
    old = SqliteFtsIndex(tmp_path / "old.db")
    with pytest.raises(SearchUnavailable, match="ensure"):
        old.check()
    old.ensure()
    old.check()
    facets = frozenset(Facet) - {Facet.SUBTYPE}  # layout 0 had no subtypes: a reindex adds them
    for scope in ALL_SCOPES:
        for query in QUERIES:
            assert run(old, query, scope, facets=facets) == run(
                current, query, scope, facets=facets
            )
        road = RecordId("road_1")
        assert old.similar(road, scope) == current.similar(road, scope)
    old.ensure()  # idempotent on the new layout
    assert run(old).total == len(all_documents())
    for index in (old, current):
        index.close()


def test_search_leaves_nothing_behind(tmp_path: Path) -> None:
    """GIVEN a search WHEN it returns THEN its matched set is gone and no transaction is open."""
    index = filled(tmp_path / "s.db")
    assert run(index, "契約", facets=frozenset(Facet)).total > 0
    conn = index._conn()
    assert conn.execute("SELECT count(*) FROM temp.matched").fetchone() == (0,)
    assert not conn.in_transaction
    index.close()
