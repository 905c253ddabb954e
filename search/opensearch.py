"""The scale backend: OpenSearch through ``opensearch-py``.

Documents live in ``{alias}-{stamp}`` indices behind the alias; every write goes through
the alias, and ``rebuild`` fills a new index and swaps the alias in one atomic step. What
is indexed is in ``search._opensearch_schema``, how queries are written in
``search._opensearch_query``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import ConnectionError as OsConnectionError
from opensearchpy.exceptions import NotFoundError, TransportError

from archive import AccessScope, RecordId
from search._opensearch_query import (
    Tokens,
    access_filter,
    facet_buckets,
    highlight,
    hit_of,
    search_body,
)
from search._opensearch_schema import (
    EARLIER_FIELD,
    FACT_FIELDS,
    MAPPINGS,
    SETTINGS,
    SUBTYPE_FIELD,
    source,
)
from search.base import Hit, IndexedDocument, ProgressCallback, SearchRequest, SearchResult
from search.cursor import encode_cursor
from search.errors import SearchUnavailable
from search.normalize import index_form
from search.query import Node, text_leaves

__all__ = ["OpenSearchIndex", "search_body", "source"]

_BULK_CHUNK = 500
_MERGE_TIMEOUT_S = 3600
"""How long a rebuild waits for its new index to be merged into one segment."""
_ANALYSED_FORMS = 4096
"""How many text leaves' tokens one index remembers (``OpenSearchIndex.tokens``)."""
DEFAULT_SHARDS = 2
"""Primary shards of a new index. One query's shards are searched in parallel, so on a node
with two cores or more two shards answer a broad query or a long phrase in about half the
time of one (1M documents, two cores: ``"契約を締結する"`` 82 -> 43 ms, see bench/RESULTS.md)."""
_SEARCH_TYPE = "dfs_query_then_fetch"
"""Score words with the whole index's term statistics, not each shard's, so they rank as on
one shard (phrases answered from pairs of tokens may still use each shard's); OpenSearch
skips the extra round when an index has one shard."""


class OpenSearchIndex:
    """Documents in OpenSearch behind the alias ``alias``.

    ``refresh=True`` waits until writes are searchable before returning (tests, edits a
    user expects to see at once); otherwise they appear within the refresh interval.
    ``shards`` applies to indices created from now on (``ensure`` on a new alias, ``rebuild``).
    """

    def __init__(
        self,
        client: OpenSearch,
        alias: str,
        *,
        url: str,
        refresh: bool = False,
        shards: int = DEFAULT_SHARDS,
    ) -> None:
        if shards < 1:
            raise ValueError("an index needs at least one shard")
        self.client = client
        self.alias = alias
        self.url = url
        self.refresh = refresh
        self.shards = shards
        # The analysers are this module's SETTINGS, fixed for the process: a form's tokens
        # never change, so a word asked again costs no ``_analyze`` round trip.
        self._analysed = lru_cache(maxsize=_ANALYSED_FORMS)(self._analyse)

    @classmethod
    def from_url(
        cls, url: str, *, index_name: str, refresh: bool = False, shards: int = DEFAULT_SHARDS
    ) -> OpenSearchIndex:
        parts = urlsplit(url)
        public = urlunsplit((parts.scheme, parts.hostname or "", "", "", "")).rstrip("/")
        if parts.port:
            public += f":{parts.port}"
        client = OpenSearch(hosts=[url], timeout=30, max_retries=2, retry_on_timeout=True)
        return cls(client, index_name, url=f"{public}/{index_name}", refresh=refresh, shards=shards)

    @contextmanager
    def _mapped(self) -> Iterator[None]:
        """The one place where the client's transport errors become ``SearchUnavailable``."""
        try:
            yield
        except OsConnectionError as exc:
            raise SearchUnavailable("opensearch", str(exc)) from None
        except NotFoundError as exc:
            raise SearchUnavailable(
                "opensearch", f"index {self.alias} missing: {exc.error}"
            ) from None
        except TransportError as exc:
            if isinstance(exc.status_code, int) and exc.status_code >= 500:
                raise SearchUnavailable("opensearch", str(exc)) from None
            raise

    # -- lifecycle -----------------------------------------------------------------------

    def ensure(self) -> None:
        with self._mapped():
            self.client.indices.put_index_template(
                name=f"{self.alias}-template",
                body={
                    "index_patterns": [f"{self.alias}-*"],
                    "template": {
                        "settings": {**SETTINGS, "index": {"number_of_shards": self.shards}},
                        "mappings": MAPPINGS,
                    },
                },
            )
            if not self.client.indices.exists_alias(name=self.alias):
                self.client.indices.create(
                    index=self._new_index_name(),
                    body={"aliases": {self.alias: {"is_write_index": True}}},
                )
            else:
                self._add_missing_fields()

    def _add_missing_fields(self) -> None:
        """Map the fields an older index lacks (fact fields, earlier versions' text, subtypes;
        its documents need a reindex); the fields it has keep their mapping until then."""
        mappings = self.client.indices.get_mapping(index=self.alias)
        have = {name for m in mappings.values() for name in m["mappings"].get("properties", {})}
        missing = {
            name: field
            for name, field in (FACT_FIELDS | EARLIER_FIELD | SUBTYPE_FIELD).items()
            if name not in have
        }
        if missing:
            self.client.indices.put_mapping(index=self.alias, body={"properties": missing})

    def _new_index_name(self) -> str:
        return f"{self.alias}-{time.time_ns()}"

    def check(self) -> None:
        with self._mapped():
            if not self.client.indices.exists_alias(name=self.alias):
                raise SearchUnavailable("opensearch", f"alias {self.alias} missing; run ensure()")
            health = self.client.cluster.health(index=self.alias)
            if health["status"] == "red":
                raise SearchUnavailable("opensearch", f"index {self.alias} is red")

    def drop(self) -> None:
        """Delete every index and the template of this alias (tests, benchmarks)."""
        with self._mapped():
            self.client.indices.delete(index=f"{self.alias}-*", ignore_unavailable=True)
            self.client.indices.delete_index_template(name=f"{self.alias}-template", ignore=[404])

    def close(self) -> None:
        self.client.close()

    # -- writing -------------------------------------------------------------------------

    def index(self, docs: Iterable[IndexedDocument]) -> int:
        actions = ({"_index": self.alias, "_id": doc.id, "_source": source(doc)} for doc in docs)
        return self._bulk(actions, refresh=self.refresh)

    def delete(self, ids: Iterable[RecordId]) -> None:
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": doc_id} for doc_id in ids)
        self._bulk(actions, refresh=self.refresh, ignore_status=(404,))
        with self._mapped():  # Lucene keeps deleted documents in their segments until a merge
            self.client.indices.forcemerge(index=self.alias, only_expunge_deletes=True)

    def _bulk(
        self,
        actions: Iterable[dict[str, Any]],
        *,
        refresh: bool,
        ignore_status: tuple[int, ...] = (),
    ) -> int:
        with self._mapped():
            count, _ = helpers.bulk(
                self.client,
                actions,
                chunk_size=_BULK_CHUNK,
                ignore_status=ignore_status,
                refresh="true" if refresh else "false",
                max_retries=3,
            )
        return int(count)

    def rebuild(
        self, docs: Iterable[IndexedDocument], on_progress: ProgressCallback | None = None
    ) -> int:
        # Writes that arrive during a rebuild go to the old index through the alias; the
        # caller re-indexes what changed after it started (the index is derived data).
        self.ensure()
        new = self._new_index_name()
        count = 0
        with self._mapped():
            self.client.indices.create(index=new, body={"settings": {"refresh_interval": "-1"}})
            try:
                for ok, _ in helpers.streaming_bulk(
                    self.client,
                    ({"_index": new, "_id": doc.id, "_source": source(doc)} for doc in docs),
                    chunk_size=_BULK_CHUNK,
                    max_retries=3,
                ):
                    count += ok
                    if on_progress is not None and count % 1000 == 0:
                        on_progress(count)
                self.client.indices.put_settings(index=new, body={"refresh_interval": None})
                self.client.indices.refresh(index=new)
                # Nothing writes to the new index before the swap: one segment answers
                # faster than the many of a bulk load (1M documents, 20 segments: engine
                # p50 80 -> 57 ms, p95 203 -> 181 ms; merging took 102 s).
                self.client.indices.forcemerge(
                    index=new, max_num_segments=1, request_timeout=_MERGE_TIMEOUT_S
                )
            except BaseException:
                self.client.indices.delete(index=new, ignore_unavailable=True)
                raise
            old = list(self.client.indices.get_alias(name=self.alias))
            actions: list[dict[str, Any]] = [
                {"remove": {"index": name, "alias": self.alias}} for name in old
            ]
            actions.append({"add": {"index": new, "alias": self.alias, "is_write_index": True}})
            self.client.indices.update_aliases(body={"actions": actions})
            for name in old:
                self.client.indices.delete(index=name, ignore_unavailable=True)
        if on_progress is not None:
            on_progress(count)
        return count

    # -- reading -------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        tree = request.tree
        sort = request.effective_sort(tree)
        with self._mapped():
            body = search_body(request, tree, sort, self.tokens(tree))
            response = self.client.search(index=self.alias, body=body, search_type=_SEARCH_TYPE)
        hits = response["hits"]["hits"]
        page = hits[: request.size]
        next_cursor = encode_cursor(sort, page[-1]["sort"]) if len(hits) > request.size else None
        aggregations = response.get("aggregations", {})
        total = response["hits"]["total"]
        return SearchResult(
            total=total["value"],
            total_exact=total["relation"] == "eq",
            hits=[hit_of(h) for h in page],
            facets={
                facet: facet_buckets(facet, aggregations[facet.value]["buckets"])
                for facet in request.facets
            },
            next_cursor=next_cursor,
        )

    def tokens(self, tree: Node | None) -> Tokens:
        """The tokens of each text leaf of ``tree`` with more than one, as the bigram fields
        hold them (the highlight marks phrases with them; see ``_opensearch_query``)."""
        analysed = {form: self._analysed(form) for form in map(index_form, text_leaves(tree))}
        return {form: tokens for form, tokens in analysed.items() if len(tokens) > 1}

    def _analyse(self, form: str) -> tuple[str, ...]:
        """``form``'s tokens in the bigram fields when they are consecutive (a phrase)."""
        found = self.client.indices.analyze(
            index=self.alias, body={"analyzer": "ja_bigram", "text": form}
        )["tokens"]
        positions = [t["position"] for t in found]
        consecutive = bool(found) and positions == list(range(positions[0], positions[-1] + 1))
        return tuple(t["token"] for t in found) if consecutive else ()

    def similar(self, doc_id: RecordId, scope: AccessScope, limit: int = 10) -> list[Hit]:
        access = access_filter(scope)
        with self._mapped():
            readable = self.client.count(
                index=self.alias,
                body={"query": {"bool": {"filter": [{"ids": {"values": [doc_id]}}, access]}}},
            )
            if readable["count"] == 0:
                return []
            response = self.client.search(
                index=self.alias,
                search_type=_SEARCH_TYPE,
                body={
                    "size": limit,
                    "_source": ["id"],
                    "query": {
                        "bool": {
                            "must": [
                                {
                                    "more_like_this": {
                                        "fields": ["title", "body"],
                                        "like": [{"_index": self.alias, "_id": doc_id}],
                                        "min_term_freq": 1,
                                        "min_doc_freq": 2,
                                        "max_query_terms": 25,
                                    }
                                }
                            ],
                            "filter": [access],
                        }
                    },
                    "sort": [{"_score": "desc"}, {"id": "asc"}],
                    "highlight": highlight(None),
                },
            )
        return [hit_of(h) for h in response["hits"]["hits"]]
