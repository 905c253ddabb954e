"""The Tantivy backend's own concerns: deleted documents leave its files, writers take turns."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import tantivy

from archive.types import RecordId
from search import SearchUnavailable, open_search_index
from search.tantivy_index import TantivyIndex
from tests.search.documents import NAMED, all_documents, doc
from tests.search.helpers import ids, run

_WRITER = """
import sys
from search import open_search_index
from tests.search.documents import doc
index = open_search_index(sys.argv[1])
for i in range(5):
    index.index([doc(f"{sys.argv[2]}-{i}", "並行", f"並行書込 {sys.argv[2]}")])
"""


def _index(tmp_path: Path) -> TantivyIndex:
    index = open_search_index(f"tantivy:///{tmp_path / 'index'}")
    assert isinstance(index, TantivyIndex)
    index.ensure()
    return index


def test_delete_leaves_no_term_of_the_document(tmp_path: Path) -> None:
    """GIVEN an indexed document with words of its own WHEN it is deleted THEN no term of it is
    left in the index (Tantivy keeps deleted entries until a merge: doc_freq still counts them)."""
    index = _index(tmp_path)
    index.index([*all_documents(), doc("gone", "消去", "唯一無二の語句 zebraquartz")])
    index.delete([RecordId("gone")])
    searcher = index._index().searcher()
    assert searcher.doc_freq("grams", "唯一") == 0
    assert searcher.doc_freq("en", "zebraquartz") == 0
    assert run(index).total == len(all_documents())
    assert len(list((tmp_path / "index").glob("g-*"))) == 1  # the old generation is gone


def test_delete_leaves_no_replaced_copy_either(tmp_path: Path) -> None:
    """GIVEN a document indexed, then re-indexed (Tantivy marks the first copy deleted and
    keeps it in its segment), among others WHEN it is deleted THEN no term of either copy
    is left, and the other documents are all still found."""
    index = _index(tmp_path)
    index.index(all_documents())
    index.index([doc("gone", "消去", "最初の版 zebraquartz")])
    index.index([doc("gone", "消去", "次の版 zebraquartz")])
    index.index([doc("after", "後", "後から来た文書")])
    index.delete([RecordId("gone")])
    searcher = index._index().searcher()
    assert searcher.doc_freq("id", "gone") == 0
    assert searcher.doc_freq("en", "zebraquartz") == 0
    assert run(index).total == len(all_documents()) + 1
    assert ids(index, "後から") == {"after"}


def test_writers_in_two_processes_take_turns(tmp_path: Path) -> None:
    """GIVEN two processes indexing at the same time (the API and the worker) WHEN both write
    THEN neither fails on Tantivy's writer lock and every document is searchable."""
    index = _index(tmp_path)
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, index.url, name]) for name in ("a", "b")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    assert ids(index, "並行書込") == {f"{name}-{i}" for name in ("a", "b") for i in range(5)}


def test_merges_of_single_document_commits_still_happen(tmp_path: Path) -> None:
    """GIVEN documents indexed one per commit (a commit returns before the merges it started
    end) WHEN the index is closed THEN Tantivy merged their segments (merges waited for
    nowhere would leave one segment per commit) and every document is found."""
    index = _index(tmp_path)
    for i in range(24):
        index.index([doc(f"one-{i}", "一件", f"一件ずつの文書 {i}")])
    index.close()
    searcher = index._index().searcher()
    assert searcher.num_segments < 24
    assert ids(index, "一件ずつ") == {f"one-{i}" for i in range(24)}


def test_a_reader_sees_another_instances_commits(tmp_path: Path) -> None:
    reader = _index(tmp_path)
    assert run(reader).total == 0
    writer = open_search_index(reader.url)
    writer.index([doc("late", "後から", "後から来た文書")])
    assert ids(reader, "後から") == {"late"}
    writer.rebuild([doc("fresh", "新", "新しい世代")])
    assert ids(reader, "新しい") == {"fresh"}
    assert ids(reader, "後から") == set()


def test_a_phrase_of_trigrams_matches_only_the_whole_text(tmp_path: Path) -> None:
    """GIVEN texts holding every trigram of 道路清掃業務 (6 characters: 4 trigrams, of which
    the query reads a cover of 2) but not the word itself, reordered or with a character
    inserted between the covered trigrams WHEN it is searched THEN only the text holding it
    whole is found; likewise for a 7-character word (its last trigram too), a 3-character
    word (one trigram) against its two bigrams apart, and a 2-character word (one bigram,
    no positions) anywhere in the text."""
    index = _index(tmp_path)
    index.index(
        [
            doc("whole", "件名", "市の道路清掃業務委託"),
            doc("reordered", "件名", "清掃業務と道路清掃"),
            doc("inserted", "件名", "道路清X掃業務 路清 掃業"),
            doc("seven", "件名", "図書館システムの更新"),
            doc("seven-changed", "件名", "図書館システ厶 テム"),
            doc("three", "件名", "請求書の送付"),
            doc("three-apart", "件名", "請求と求書"),
        ]
    )
    assert ids(index, "道路清掃業務") == {"whole"}
    assert ids(index, '"道路清掃業務"') == {"whole"}
    assert ids(index, "図書館システム") == {"seven"}
    assert ids(index, "請求書") == {"three"}
    assert ids(index, "求書") == {"three", "three-apart"}
    assert ids(index, "路清") == {"whole", "reordered", "inserted"}


_SchemaBuilder = tantivy.SchemaBuilder


class _BuilderWithoutSubtype:
    """A schema builder that leaves out ``subtype``: the schema before subtypes were indexed."""

    def __init__(self) -> None:
        self._builder = _SchemaBuilder()

    def add_text_field(self, name: str, **options: Any) -> None:
        if name != "subtype":
            self._builder.add_text_field(name, **options)

    def __getattr__(self, name: str) -> object:
        return getattr(self._builder, name)


def test_an_index_of_an_older_schema_is_rewritten_by_ensure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN an index written before the subtype field existed WHEN the new code opens it THEN it
    is unavailable until ensure(), which rewrites it from its stored records; then it answers
    as before and takes subtypes."""
    with monkeypatch.context() as patched:
        patched.setattr(tantivy, "SchemaBuilder", _BuilderWithoutSubtype)
        old = _index(tmp_path)
        old.index(NAMED)
        old.close()
    index = open_search_index(f"tantivy:///{tmp_path / 'index'}")
    with pytest.raises(SearchUnavailable):
        index.check()
    index.ensure()
    assert ids(index, "契約") == {d.id for d in NAMED if "契約" in f"{d.title} {d.body}"}
    index.index([doc("receipt", "領収書", "領収 金額", subtype="receipt")])
    assert ids(index, "subtype:receipt") == {"receipt"}
