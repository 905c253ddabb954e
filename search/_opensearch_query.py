"""The OpenSearch request bodies: the query tree and the access rule as query DSL.

Queries are built as dicts from the parsed tree (never ``query_string``), with the access
rule as a ``bool`` filter, so totals, facets and snippets only come from readable documents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from archive import AccessScope, RecordId, SecurityLevel
from search.base import (
    EXACT_TOTAL_UP_TO,
    FACET_FIELDS,
    FACET_SIZE,
    Facet,
    FacetBucket,
    Hit,
    SearchRequest,
    Sort,
    SortKey,
)
from search.cursor import decode_cursor
from search.facts import query_facts
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
from search.text import SNIPPET_CHARS, has_cjk, lone_cjk_edge

Tokens = Mapping[str, Sequence[str]]
"""A text leaf's form (``index_form``) and its consecutive tokens in the bigram fields."""

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
_FACET_SHARD_SIZE = 1000
"""Buckets each shard returns per facet: a facet's counts are exact while each shard holds
no more distinct values than this (types, departments, years and series hold far fewer)."""
_HIGHLIGHT_FIELDS = ("body", "body.uni", "body.en")
_EARLIER_HIGHLIGHT = ("earlier", "earlier.uni", "earlier.en")


def search_body(
    request: SearchRequest, tree: Node | None, sort: Sort, tokens: Tokens | None = None
) -> dict[str, Any]:
    """The OpenSearch request body for ``request``: built as data from the tree, never from
    text; ``tokens`` holds the text leaves' tokens (``OpenSearchIndex.tokens``)."""
    query = to_dsl(tree, earlier=request.all_versions) if tree is not None else {"match_all": {}}
    body: dict[str, Any] = {
        "size": request.size + 1,
        # Facets visit every match, so counting them all is free; without facets, counting
        # past the bound would stop the engine skipping blocks that cannot reach the top.
        "track_total_hits": True if request.facets else EXACT_TOTAL_UP_TO,
        "_source": ["id"],
        "query": {"bool": {"must": [query], "filter": [access_filter(request.scope)]}},
        "sort": _sort(sort, ranked=bool(text_leaves(tree))),
        "highlight": highlight(tree, earlier=request.all_versions, tokens=tokens),
    }
    if request.cursor is not None:
        body["search_after"] = decode_cursor(request.cursor, sort)
    if request.facets:
        body["aggs"] = {
            facet.value: {
                "terms": {
                    "field": FACET_FIELDS[facet],
                    "size": FACET_SIZE,
                    "shard_size": _FACET_SHARD_SIZE,
                }
            }
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
    # A CJK character alone at either end is no bigram where the document's text runs on in
    # CJK (第 of 第1条 in 本契約第1条): such words are phrases of the unigram sub-field.
    suffix = ".uni" if lone_cjk_edge(text) else ""
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


def highlight(
    tree: Node | None, *, earlier: bool = False, tokens: Tokens | None = None
) -> dict[str, Any]:
    leaves = text_leaves(tree)
    query = (
        {
            "bool": {
                "should": [
                    _marked(index_form(leaf), earlier=earlier, tokens=tokens or {})
                    for leaf in leaves
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


def _marked(form: str, *, earlier: bool, tokens: Tokens) -> dict[str, Any]:
    """What marks ``form`` in a snippet: its query and, when it is a phrase of several
    tokens, the same phrase as spans of the highlighted fields. ``index_phrases`` answers a
    phrase from pairs of tokens, which the highlighter cannot find in the text."""
    query = _text_query(form, stemmed=True, earlier=earlier)
    words = tokens.get(form, ())
    if len(words) < 2:
        return query
    names = ("body", "earlier") if earlier else ("body",)
    spans = [
        {
            "span_near": {
                "clauses": [{"span_term": {name: word}} for word in words],
                "slop": 0,
                "in_order": True,
            }
        }
        for name in names
    ]
    return {"bool": {"should": [query, *spans]}}


def _highlighted(forms: list[str], *, earlier: bool) -> list[str]:
    """The text fields that can hold a match of ``forms``; each is analysed again for every
    hit. A word of CJK characters alone (two or more) is a phrase of bigrams, which neither
    ``.uni`` (single characters) nor ``.en`` (words) holds: such queries mark ``body`` only.
    ``.uni`` and ``body`` hold the same tokens outside CJK text: a query without any CJK
    character marks the same words in both, so only ``body`` is highlighted."""
    other = any(c.isalnum() and not has_cjk(c) for form in forms for c in form)
    lone = any(lone_cjk_edge(form) for form in forms)
    uni = lone or (other and any(has_cjk(form) for form in forms))
    suffixes = ["", *([".uni"] if uni else []), *([".en"] if other else [])]
    names = ("body", "earlier") if earlier else ("body",)
    return [f"{name}{suffix}" for name in names for suffix in suffixes]


def hit_of(raw: dict[str, Any]) -> Hit:
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


def facet_buckets(facet: Facet, raw: list[dict[str, Any]]) -> list[FacetBucket]:
    if facet is Facet.SECURITY_LEVEL:
        return [FacetBucket(SecurityLevel(b["key"]).label, b["doc_count"]) for b in raw]
    return [FacetBucket(str(b["key"]), b["doc_count"]) for b in raw]
