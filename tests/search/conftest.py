"""Fixtures of the search suite: every test that takes ``search_index`` runs on both backends.

The OpenSearch case needs ``BUNKO_TEST_OPENSEARCH_URL`` (skipped without it, failed under
``BUNKO_REQUIRE_LIVE=1``) and gets an index of its own, dropped afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from search import SearchIndex, open_search_index
from search.opensearch import OpenSearchIndex
from tests.conftest import live_url
from tests.opensearch_pool import AliasPool
from tests.search.documents import all_documents


def make_index(kind: str, tmp_path: Path) -> SearchIndex:
    if kind == "fts5":
        return open_search_index(f"sqlite:///{tmp_path / 'search.db'}")
    if kind == "tantivy":
        return open_search_index(f"tantivy:///{tmp_path / 'search-index'}")
    name = f"bunko-test-{uuid.uuid4().hex[:12]}"
    return open_search_index(live_url("OPENSEARCH"), index_name=name, refresh=True)


def drop(index: SearchIndex) -> None:
    if isinstance(index, OpenSearchIndex):
        index.drop()
    index.close()


@pytest.fixture(params=["tantivy", "fts5", pytest.param("opensearch", marks=pytest.mark.live)])
def empty_index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchIndex]:
    """A fresh, empty index on one backend (on OpenSearch an alias no other test used, made
    ahead by ``ensure()`` and dropped with its batch: ``tests.opensearch_pool``)."""
    if request.param != "opensearch":
        index = make_index(request.param, tmp_path)
        index.ensure()
        yield index
        index.close()
        return
    aliases: AliasPool = request.getfixturevalue("opensearch_aliases")
    alias = aliases.take()
    index = open_search_index(live_url("OPENSEARCH"), index_name=alias, refresh=True)
    try:
        index.ensure()
        yield index
    finally:
        index.close()
        aliases.release(alias)


@pytest.fixture
def search_index(empty_index: SearchIndex) -> SearchIndex:
    """An index holding the shared documents of ``tests.search.documents``."""
    empty_index.index(all_documents())
    return empty_index
