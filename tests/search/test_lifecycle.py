"""Writing: ensure, re-index, delete, rebuild, readiness; and opening indexes by URL."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import pytest

import search
from archive.types import RecordId
from search import SearchIndex, SearchUnavailable, open_search_index
from search._opensearch_schema import MAPPINGS, SETTINGS
from search.opensearch import OpenSearchIndex
from search.sqlite_fts import SqliteFtsIndex
from search.tantivy_index import TantivyIndex
from tests.conftest import live_url
from tests.search.conftest import drop, make_index
from tests.search.documents import CITY_WIDE, NAMED, all_documents, by_id
from tests.search.helpers import ids, run
from web.services import build_services
from web.settings import Settings


def test_ensure_is_idempotent_and_the_index_is_ready(empty_index: SearchIndex) -> None:
    empty_index.ensure()
    empty_index.check()
    assert isinstance(empty_index, SearchIndex)
    assert run(empty_index).total == 0


def test_reindexing_a_document_replaces_it(search_index: SearchIndex) -> None:
    changed = dataclasses.replace(
        by_id("phrase_a"), text="completely new words 改訂版", doc_type="public"
    )
    assert search_index.index([changed]) == 1
    assert ids(search_index, "改訂版") == {"phrase_a"}
    assert "phrase_a" not in ids(search_index, "renewed")
    assert "phrase_a" in ids(search_index, "type:public")
    assert run(search_index).total == len(all_documents())


def test_delete_removes_from_every_path(search_index: SearchIndex) -> None:
    search_index.delete([RecordId("osaka"), RecordId("unknown-id")])
    assert "osaka" not in ids(search_index, "大阪市")
    assert "osaka" not in ids(search_index, "契約")  # the short-term path too
    assert "osaka" not in ids(search_index, "regno:T1234567890123")
    assert run(search_index).total == len(all_documents()) - 1


def test_rebuild_replaces_everything_and_reports_progress(search_index: SearchIndex) -> None:
    progress: list[int] = []
    assert search_index.rebuild(iter(NAMED), progress.append) == len(NAMED)
    assert progress[-1] == len(NAMED)
    assert run(search_index).total == len(NAMED)
    assert ids(search_index, "大阪市") >= {"osaka"}
    search_index.check()


def test_unreachable_opensearch_is_unavailable() -> None:
    index = open_search_index("http://127.0.0.1:9", index_name="nowhere")
    with pytest.raises(SearchUnavailable):
        index.check()
    with pytest.raises(SearchUnavailable):
        index.search(search.SearchRequest(scope=CITY_WIDE))


def test_missing_sqlite_index_is_unavailable(tmp_path: Path) -> None:
    index = open_search_index(f"sqlite:///{tmp_path / 'absent.db'}")
    with pytest.raises(SearchUnavailable):
        index.check()


def test_missing_tantivy_index_is_unavailable(tmp_path: Path) -> None:
    index = open_search_index(f"tantivy:///{tmp_path / 'absent'}")
    with pytest.raises(SearchUnavailable):
        index.check()
    with pytest.raises(SearchUnavailable):
        index.search(search.SearchRequest(scope=CITY_WIDE))


def test_urls_pick_backends_from_a_closed_table(tmp_path: Path) -> None:
    assert isinstance(open_search_index(f"sqlite:///{tmp_path}/s.db"), SqliteFtsIndex)
    assert isinstance(open_search_index(f"tantivy:///{tmp_path}/index"), TantivyIndex)
    remote = open_search_index("https://user:secret@search.example:9200", index_name="docs")
    assert isinstance(remote, OpenSearchIndex)
    assert remote.url == "https://search.example:9200/docs"  # no credentials
    for url in ["ftp://x", "search.opensearch.OpenSearchIndex", "sqlite:///", "tantivy:///"]:
        with pytest.raises(ValueError):
            open_search_index(url)


def test_exported_names() -> None:
    public = {name for name in dir(search) if not name.startswith("_")} - {
        "annotations",
        "base",
        "cursor",
        "dates",
        "errors",
        "facts",
        "factory",
        "normalize",
        "opensearch",
        "parser",
        "query",
        "sqlite_fts",
        "tantivy_index",
        "text",
    }
    assert set(search.__all__) == public


@pytest.mark.live
def test_an_index_mapped_before_phrase_pairs_keeps_answering_the_same(tmp_path: Path) -> None:
    """``ensure()`` on an index made without pairs of tokens (nor the later fields) maps only
    what it lacks; its phrases are found and marked exactly as on a new index with pairs."""
    old, new = make_index("opensearch", tmp_path), make_index("opensearch", tmp_path)
    assert isinstance(old, OpenSearchIndex) and isinstance(new, OpenSearchIndex)
    text = {"type": "text", "analyzer": "ja_bigram"}
    properties = MAPPINGS["properties"] | {"title": text, "body": text}
    del properties["earlier"], properties["subtype"]
    old.client.indices.create(
        index=f"{old.alias}-1",
        body={
            "settings": SETTINGS,
            "mappings": {"dynamic": "strict", "properties": properties},
            "aliases": {old.alias: {"is_write_index": True}},
        },
    )
    try:
        old.ensure()
        new.ensure()
        for index in (old, new):
            index.index(all_documents())
        mapped = old.client.indices.get_mapping(index=old.alias)[f"{old.alias}-1"]["mappings"]
        assert {"earlier", "subtype"} <= mapped["properties"].keys()
        assert "index_phrases" not in mapped["properties"]["body"]
        for query in ("大阪市", '"道路清掃業務"', "本契約書を締結する", '"school"', "契約 OR 清掃"):
            before, after = run(old, query), run(new, query)
            assert before.total == after.total > 0
            assert [(h.id, h.snippet) for h in before.hits] == [
                (h.id, h.snippet) for h in after.hits
            ]
            assert any("<mark>" in h.snippet for h in after.hits)
    finally:
        drop(old)
        drop(new)


@pytest.mark.live
def test_indices_have_the_shards_asked_for_and_rank_as_one(tmp_path: Path) -> None:
    """``BUNKO_SEARCH_SHARDS`` reaches the index; new indices (``ensure``, ``rebuild``) have
    that many shards, and a query ranks the same on three shards as on one: words are scored
    with the whole index's statistics (each shard's own would reorder 契約's hits here).
    Phrases answered from pairs of tokens (清掃業務) may still be scored per shard."""
    settings = Settings(
        data_dir=tmp_path, search_url=live_url("OPENSEARCH"), search_index="x", search_shards=3
    )
    services = build_services(settings)
    assert isinstance(services.index, OpenSearchIndex) and services.index.shards == 3
    services.close()
    one, three = (
        open_search_index(
            live_url("OPENSEARCH"),
            index_name=f"bunko-test-{uuid.uuid4().hex[:12]}",
            refresh=True,
            shards=shards,
        )
        for shards in (1, 3)
    )
    assert isinstance(one, OpenSearchIndex) and isinstance(three, OpenSearchIndex)
    try:
        for index in (one, three):
            index.ensure()
            index.index(all_documents())
        assert _shards(one) == [1] and _shards(three) == [3]
        for query in ("契約", "阪", "contract", "road maintenance contract", "大阪市 OR contracts"):
            ranked_one, ranked_three = run(one, query), run(three, query)
            assert ranked_one.total == ranked_three.total > 0
            assert [h.id for h in ranked_one.hits] == [h.id for h in ranked_three.hits]
            assert [h.score for h in ranked_one.hits] == pytest.approx(
                [h.score for h in ranked_three.hits]
            )
        three.rebuild(iter(NAMED))
        assert _shards(three) == [3]
    finally:
        drop(one)
        drop(three)


def _shards(index: OpenSearchIndex) -> list[int]:
    found = index.client.indices.get_settings(index=index.alias, name="index.number_of_shards")
    return [int(s["settings"]["index"]["number_of_shards"]) for s in found.values()]
