"""The scale backend: OpenSearch through ``opensearch-py``.

Japanese is analysed with CJK bigrams (``analysis-common``'s ``cjk_bigram``) and searched
as phrases of adjacent bigrams, which is exact substring matching for two characters and
more — the same semantics as the FTS5 trigram backend; single CJK characters use the
``.uni`` sub-field (one token per ideograph). The ``.en`` sub-field (English stemming) makes
contract find contracts.

Why bigrams (``bench/search_engine.py --analysis``, 30 documents, 20 hand-labelled queries,
macro precision / recall): CJK bigram phrases 0.933 / 1.000 (identical to FTS5 trigram);
standard tokenizer + shingles 0.875 / 1.000; SudachiPy split mode A 1.000 / 1.000; mode C
1.000 / 0.627. Bigrams lose precision only where one word is a substring of another
(京都 in 東京都, 水道 in 下水道, 市長 in 都市長期); SudachiPy A avoids that, but would add a
dictionary dependency and Python tokenisation to both backends, and a dictionary misses
unknown words (new company names, OCR fragments) that substring matching still finds.
Bigrams keep one semantics on both backends; a SudachiPy sub-field for ranking is the
next step if precision matters more.

Documents live in ``{alias}-{stamp}`` indices behind the alias; every write goes through
the alias, and ``rebuild`` fills a new index and swaps the alias in one atomic step.
Queries are built as dicts from the parsed tree (never ``query_string``), with the access
rule as a ``bool`` filter, so totals, facets and snippets only come from readable documents.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import ConnectionError as OsConnectionError
from opensearchpy.exceptions import NotFoundError, TransportError

from archive import AccessScope, RecordId, SecurityLevel
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
from search.errors import SearchUnavailable
from search.facts import query_facts, text_facts
from search.normalize import index_form
from search.query import (
    And,
    Field,
    FieldKind,
    FieldMatch,
    Node,
    Not,
    Or,
    Phrase,
    Range,
    Term,
    text_leaves,
)
from search.text import SNIPPET_CHARS, fold, has_cjk, normalize

SETTINGS: dict[str, Any] = {
    "analysis": {
        "analyzer": {
            "ja_bigram": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["cjk_width", "lowercase", "cjk_bigram"],
            },
            "ja_unigram": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["cjk_width", "lowercase"],
            },
        }
    }
}

_TEXT = {
    "type": "text",
    "analyzer": "ja_bigram",
    "fields": {
        "uni": {"type": "text", "analyzer": "ja_unigram"},
        "en": {"type": "text", "analyzer": "english"},
    },
}
FACT_FIELDS: dict[str, Any] = {"dates": {"type": "keyword"}, "amounts": {"type": "keyword"}}
"""The text's dates (ISO) and amounts (canonical decimals), from ``search.facts``."""
EARLIER_FIELD: dict[str, Any] = {"earlier": _TEXT}
"""Earlier versions' text: searched only by ``versions:all``."""
SUBTYPE_FIELD: dict[str, Any] = {"subtype": {"type": "keyword"}}
"""The finer type (``ingest.classify.SUBTYPES``) under ``doc_type``."""
MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "id": {"type": "keyword"},
        "title": _TEXT,
        "body": _TEXT,
        **EARLIER_FIELD,
        "doc_type": {"type": "keyword"},
        **SUBTYPE_FIELD,
        "department_id": {"type": "integer"},
        "department_code": {"type": "keyword"},
        "owner_path": {"type": "integer"},
        "security_level": {"type": "byte"},
        "grant_users": {"type": "integer"},
        "grant_departments": {"type": "integer"},
        "document_date": {"type": "date", "format": "strict_date"},
        "sort_date": {"type": "date", "format": "strict_date"},
        "fiscal_year": {"type": "integer"},
        "amount": {"type": "double"},
        "currency": {"type": "keyword"},
        "counterparty": {"type": "keyword", "index": False},
        "counterparty_fold": {"type": "keyword"},
        "regno": {"type": "keyword"},
        "series": {"type": "keyword"},
        "lang": {"type": "keyword"},
        "created_at": {"type": "date"},
        **FACT_FIELDS,
    },
}

_KEYWORD_FIELDS = {
    Field.TYPE: "doc_type",
    Field.SUBTYPE: "subtype",
    Field.DEPT: "department_code",
    Field.SERIES: "series",
    Field.REGNO: "regno",
    Field.LANG: "lang",
    Field.COUNTERPARTY: "counterparty_fold",
}
_RANGE_FIELDS = {
    Field.DATE: "document_date",
    Field.AMOUNT: "amount",
    Field.FY: "fiscal_year",
    Field.LEVEL: "security_level",
}
_FACET_FIELDS = {
    Facet.TYPE: "doc_type",
    Facet.SUBTYPE: "subtype",
    Facet.DEPARTMENT: "department_code",
    Facet.FISCAL_YEAR: "fiscal_year",
    Facet.SERIES: "series",
    Facet.SECURITY_LEVEL: "security_level",
}
_HIGHLIGHT_FIELDS = ("body", "body.uni", "body.en")
_EARLIER_HIGHLIGHT = ("earlier", "earlier.uni", "earlier.en")
_BULK_CHUNK = 500


def source(doc: IndexedDocument) -> dict[str, Any]:
    """The JSON document OpenSearch stores for ``doc``: normalised the same way as FTS5's rows."""
    body = doc.body
    title = index_form(doc.title)
    facts = text_facts(f"{title}\n{body}")
    return {
        "id": doc.id,
        "title": title,
        "body": body,
        "earlier": doc.earlier_body or None,
        "dates": facts.iso_dates,
        "amounts": sorted(facts.amounts),
        "doc_type": fold(doc.doc_type),
        "subtype": fold(doc.subtype) if doc.subtype else None,
        "department_id": doc.department_id,
        "department_code": normalize(doc.department_code),
        "owner_path": list(doc.owner_path),
        "security_level": int(doc.security_level),
        "grant_users": list(doc.grant_users),
        "grant_departments": list(doc.grant_departments),
        "document_date": doc.document_date.isoformat() if doc.document_date else None,
        "sort_date": doc.sort_date.isoformat(),
        "fiscal_year": doc.fiscal_year,
        "amount": float(doc.amount) if doc.amount is not None else None,
        "currency": doc.currency,
        "counterparty": doc.counterparty,
        "counterparty_fold": fold(doc.counterparty) if doc.counterparty else None,
        "regno": normalize(doc.registration_number).upper() if doc.registration_number else None,
        "series": normalize(doc.series) if doc.series else None,
        "lang": fold(doc.lang) if doc.lang else None,
        "created_at": doc.created_at.isoformat(),
    }


class OpenSearchIndex:
    """Documents in OpenSearch behind the alias ``alias``.

    ``refresh=True`` waits until writes are searchable before returning (tests, edits a
    user expects to see at once); otherwise they appear within the refresh interval.
    """

    def __init__(self, client: OpenSearch, alias: str, *, url: str, refresh: bool = False) -> None:
        self.client = client
        self.alias = alias
        self.url = url
        self.refresh = refresh

    @classmethod
    def from_url(cls, url: str, *, index_name: str, refresh: bool = False) -> OpenSearchIndex:
        parts = urlsplit(url)
        public = urlunsplit((parts.scheme, parts.hostname or "", "", "", "")).rstrip("/")
        if parts.port:
            public += f":{parts.port}"
        client = OpenSearch(hosts=[url], timeout=30, max_retries=2, retry_on_timeout=True)
        return cls(client, index_name, url=f"{public}/{index_name}", refresh=refresh)

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
                    "template": {"settings": SETTINGS, "mappings": MAPPINGS},
                },
            )
            if not self.client.indices.exists_alias(name=self.alias):
                self.client.indices.create(
                    index=self._new_index_name(),
                    body={"aliases": {self.alias: {"is_write_index": True}}},
                )
            else:  # an index made before the fact fields, earlier versions' text or subtypes
                self.client.indices.put_mapping(  # (its documents need a reindex)
                    index=self.alias,
                    body={"properties": FACT_FIELDS | EARLIER_FIELD | SUBTYPE_FIELD},
                )

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
        body = search_body(request, tree, sort)
        with self._mapped():
            response = self.client.search(index=self.alias, body=body)
        hits = response["hits"]["hits"]
        page = hits[: request.size]
        next_cursor = encode_cursor(sort, page[-1]["sort"]) if len(hits) > request.size else None
        aggregations = response.get("aggregations", {})
        return SearchResult(
            total=response["hits"]["total"]["value"],
            hits=[_hit(h) for h in page],
            facets={
                facet: _buckets(facet, aggregations[facet.value]["buckets"])
                for facet in request.facets
            },
            next_cursor=next_cursor,
        )

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
                    "highlight": _highlight(None),
                },
            )
        return [_hit(h) for h in response["hits"]["hits"]]


def search_body(request: SearchRequest, tree: Node | None, sort: Sort) -> dict[str, Any]:
    """The OpenSearch request body for ``request``: built as data from the tree, never from text."""
    query = to_dsl(tree, earlier=request.all_versions) if tree is not None else {"match_all": {}}
    body: dict[str, Any] = {
        "size": request.size + 1,
        "track_total_hits": True,
        "_source": ["id"],
        "query": {"bool": {"must": [query], "filter": [access_filter(request.scope)]}},
        "sort": _sort(sort, ranked=bool(text_leaves(tree))),
        "highlight": _highlight(tree, earlier=request.all_versions),
    }
    if request.cursor is not None:
        body["search_after"] = decode_cursor(request.cursor, sort)
    if request.facets:
        body["aggs"] = {
            facet.value: {"terms": {"field": _FACET_FIELDS[facet], "size": FACET_SIZE}}
            for facet in request.facets
        }
    return body


def access_filter(scope: AccessScope) -> dict[str, Any]:
    """The access rule of ``archive.access`` as a bool query."""
    branches: list[dict[str, Any]] = [{"term": {"security_level": int(SecurityLevel.PUBLIC)}}]
    if scope.user_id is not None:
        branches.append({"term": {"grant_users": scope.user_id}})
    if scope.department_lineage:
        branches.append({"terms": {"grant_departments": list(scope.department_lineage)}})
    cleared = {"range": {"security_level": {"lte": int(scope.clearance)}}}
    if scope.city_wide:
        branches.append(cleared)
    elif scope.department_id is not None:
        branches.append(
            {"bool": {"filter": [cleared, {"term": {"owner_path": scope.department_id}}]}}
        )
    return {"bool": {"should": branches, "minimum_should_match": 1}}


def to_dsl(node: Node, *, earlier: bool = False) -> dict[str, Any]:
    """``node`` as a query; with ``earlier``, words and phrases also match earlier versions' text."""
    match node:
        case Term(text):
            return _leaf_query(text, stemmed=True, earlier=earlier)
        case Phrase(text):
            return _leaf_query(text, stemmed=False, earlier=earlier)
        case FieldMatch(field, value):
            name = _KEYWORD_FIELDS[field]
            if field.kind is FieldKind.CONTAINS:
                return {"wildcard": {name: {"value": f"*{_escape_wildcard(str(value))}*"}}}
            return {"term": {name: value}}
        case Range(field, low, high, include_low, include_high):
            bounds: dict[str, Any] = {}
            if low is not None:
                bounds["gte" if include_low else "gt"] = _json_value(low)
            if high is not None:
                bounds["lte" if include_high else "lt"] = _json_value(high)
            return {"range": {_RANGE_FIELDS[field]: bounds}}
        case And(children):
            return {"bool": {"must": [to_dsl(c, earlier=earlier) for c in children]}}
        case Or(children):
            return {
                "bool": {
                    "should": [to_dsl(c, earlier=earlier) for c in children],
                    "minimum_should_match": 1,
                }
            }
        case Not(child):
            return {"bool": {"must_not": [to_dsl(child, earlier=earlier)]}}
    raise TypeError(f"not a query node: {node!r}")


def _leaf_query(text: str, *, stemmed: bool, earlier: bool) -> dict[str, Any]:
    """A word or phrase in the index's form; when it is a date or an amount, any form of it."""
    form = index_form(text)
    query = _text_query(form, stemmed=stemmed, earlier=earlier)
    facts = query_facts(form)
    if not facts:
        return query
    values: list[dict[str, Any]] = [
        {"terms": {name: list(found)}}
        for name, found in (("dates", facts.iso_dates), ("amounts", sorted(facts.amounts)))
        if found
    ]
    return {"bool": {"should": [query, *values], "minimum_should_match": 1}}


def _text_query(text: str, *, stemmed: bool, earlier: bool = False) -> dict[str, Any]:
    # A single CJK character is no bigram: it is looked up in the unigram sub-field.
    suffix = ".uni" if len(text) == 1 and has_cjk(text) else ""
    texts = ("title", "body", "earlier") if earlier else ("title", "body")
    clauses: list[dict[str, Any]] = [
        {
            "multi_match": {
                "query": text,
                "type": "phrase",
                "fields": [f"{name}{suffix}" + ("^3" if name == "title" else "") for name in texts],
            }
        }
    ]
    if stemmed and not has_cjk(text):
        english = [f"{name}.en" + ("^3" if name == "title" else "") for name in texts]
        clauses.append({"multi_match": {"query": text, "operator": "and", "fields": english}})
    return (
        clauses[0]
        if len(clauses) == 1
        else {"bool": {"should": clauses, "minimum_should_match": 1}}
    )


def _escape_wildcard(value: str) -> str:
    return value.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")


def _json_value(bound: Any) -> Any:
    if hasattr(bound, "isoformat"):
        return bound.isoformat()
    return float(bound) if not isinstance(bound, int) else bound


def _sort(sort: Sort, *, ranked: bool) -> list[dict[str, Any]]:
    order = "desc" if sort.descending else "asc"
    tiebreak = {"id": "asc"}
    if sort.key is SortKey.RELEVANCE:
        # Without words to rank by (filters only), relevance falls back to newest first.
        return [{"_score": "desc"}, tiebreak] if ranked else [{"sort_date": "desc"}, tiebreak]
    if sort.key is SortKey.DATE:
        return [{"sort_date": order}, tiebreak]
    return [{"amount": {"order": order, "missing": "_last"}}, tiebreak]


def _highlight(tree: Node | None, *, earlier: bool = False) -> dict[str, Any]:
    leaves = text_leaves(tree)
    query = (
        {
            "bool": {
                "should": [
                    _text_query(index_form(leaf), stemmed=True, earlier=earlier) for leaf in leaves
                ]
            }
        }
        if leaves
        else {"match_none": {}}
    )
    forms = [index_form(leaf) for leaf in leaves]
    fields: dict[str, Any] = {
        name: {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1}
        for name in _highlighted(forms, earlier=earlier)
    }
    fields["body"]["no_match_size"] = SNIPPET_CHARS
    return {
        "encoder": "html",
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "require_field_match": False,
        "highlight_query": query,
        "fields": fields,
    }


def _highlighted(forms: list[str], *, earlier: bool) -> list[str]:
    """The text fields that can hold a match of ``forms``; each is analysed again for every
    hit. A word of CJK characters alone (two or more) is a phrase of bigrams, which neither
    ``.uni`` (single characters) nor ``.en`` (words) holds: such queries mark ``body`` only."""
    other = any(c.isalnum() and not has_cjk(c) for form in forms for c in form)
    single = any(len(form) == 1 and has_cjk(form) for form in forms)
    suffixes = ["", *([".uni"] if other or single else []), *([".en"] if other else [])]
    names = ("body", "earlier") if earlier else ("body",)
    return [f"{name}{suffix}" for name in names for suffix in suffixes]


def _hit(raw: dict[str, Any]) -> Hit:
    fragments = raw.get("highlight", {})
    marked = [
        f[0]
        for name in (*_HIGHLIGHT_FIELDS, *_EARLIER_HIGHLIGHT)
        if (f := fragments.get(name)) and "<mark>" in f[0]
    ]
    fallback = fragments.get("body", [""])[0]
    score = raw.get("_score")
    return Hit(
        id=RecordId(raw["_source"]["id"]),
        score=float(score) if score is not None else None,
        snippet=marked[0] if marked else fallback,
    )


def _buckets(facet: Facet, buckets: list[dict[str, Any]]) -> list[FacetBucket]:
    if facet is Facet.SECURITY_LEVEL:
        return [FacetBucket(SecurityLevel(b["key"]).label, b["doc_count"]) for b in buckets]
    return [FacetBucket(str(b["key"]), b["doc_count"]) for b in buckets]
