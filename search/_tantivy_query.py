"""Translation of the query tree and the access rule into tantivy-py queries.

Matching follows the FTS5 backend it replaced: a Latin-script word matches words
(stemmed; a phrase of three or more characters also literally), anything else matches as
a substring of the title or the text (a phrase of character trigrams; two characters are one
bigram, one character a term of its own), and a word that is a
date or an amount also matches that value in any form. Filters and the access rule score
nothing, so relevance is BM25 over the query's words alone. Values reach Tantivy as terms,
never through its query parser, so no operator can be injected.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any

import tantivy

from archive import AccessScope, SecurityLevel
from search._tantivy_schema import bigrams, chars, english_analyzer, trigrams
from search.facts import query_facts
from search.normalize import index_form
from search.query import (
    And,
    Bound,
    Field,
    FieldKind,
    FieldMatch,
    Node,
    Not,
    Or,
    Phrase,
    Range,
    Term,
)
from search.text import fold, has_cjk

_TITLE_BOOST = 3.0
_KEYWORDS = {
    Field.TYPE: "doc_type",
    Field.SUBTYPE: "subtype",
    Field.DEPT: "department_code",
    Field.SERIES: "series",
    Field.REGNO: "regno",
    Field.LANG: "lang",
}
_RANGES = {
    Field.DATE: "document_date",
    Field.AMOUNT: "amount",
    Field.FY: "fiscal_year",
    Field.LEVEL: "security_level",
}
_INT_LIMIT = 2**62


def cover(grams: Sequence[str], width: int) -> list[tuple[int, str]]:
    """Of ``grams`` (each ``width`` characters, one per offset), those at every ``width``-th
    offset and the last, each with its offset in the phrase.

    Every character of the text is in one of them, so their phrase matches exactly where
    the phrase of all the grams does, reading a ``width``-th of the position lists."""
    offsets = [*range(0, len(grams), width)]
    if offsets[-1] != len(grams) - 1:
        offsets.append(len(grams) - 1)
    return [(i, grams[i]) for i in offsets]


def _regex_literal(value: str) -> str:
    return "".join(c if c.isalnum() else f"\\x{{{ord(c):x}}}" for c in value)


class QueryBuilder:
    def __init__(self, schema: Any) -> None:
        self.schema = schema
        self._english: Any = None
        self._earlier = False

    def search(self, scope: AccessScope, tree: Node | None, *, earlier: bool = False) -> Any:
        """The readable documents ``tree`` matches (every document when it is None); with
        ``earlier``, words and phrases also match earlier versions' text, literally."""
        self._earlier = earlier
        clauses = [(tantivy.Occur.Must, self.access(scope))]
        if tree is not None:
            clauses.append((tantivy.Occur.Must, self.node(tree)))
        return tantivy.Query.boolean_query(clauses)

    def readable(self, scope: AccessScope, doc_id: str) -> Any:
        """``doc_id`` if ``scope`` may read it."""
        own = tantivy.Query.term_query(self.schema, "id", doc_id)
        return self._all([self.access(scope), own])

    def similar(self, scope: AccessScope, doc_id: str, grams: list[str]) -> Any:
        """Readable documents other than ``doc_id`` holding any of ``grams``, scored by them."""
        should = [
            (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "grams", g)) for g in grams
        ]
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, self.access(scope)),
                (tantivy.Occur.Must, tantivy.Query.boolean_query(should)),
                (tantivy.Occur.MustNot, tantivy.Query.term_query(self.schema, "id", doc_id)),
            ]
        )

    def access(self, scope: AccessScope) -> Any:
        """``archive.access``'s rule: public, cleared within the owner subtree (or city-wide),
        granted to the user, or granted to a department of the user's lineage."""
        q = tantivy.Query
        branches = [self._term("security_level", int(SecurityLevel.PUBLIC))]
        cleared = q.range_query(
            self.schema, "security_level", tantivy.FieldType.Integer, 0, int(scope.clearance)
        )
        if scope.city_wide:
            branches.append(cleared)
        elif scope.department_id is not None:
            branches.append(self._all([cleared, self._term("owner_path", scope.department_id)]))
        if scope.user_id is not None:
            branches.append(self._term("grant_users", scope.user_id))
        branches += [self._term("grant_depts", dept) for dept in scope.department_lineage]
        return _filter(self._any(branches))

    def node(self, node: Node) -> Any:
        match node:
            case Term(text):
                return self._in_earlier(self._leaf(text, phrase=False), text)
            case Phrase(text):
                return self._in_earlier(self._leaf(text, phrase=True), text)
            case FieldMatch(field, value):
                return _filter(self._field_match(field, str(value)))
            case Range():
                return _filter(self._range(node))
            case And(children):
                return self._all([self.node(c) for c in children])
            case Or(children):
                return self._any([self.node(c) for c in children])
            case Not(child):
                everything = _filter(tantivy.Query.all_query())
                return tantivy.Query.boolean_query(
                    [(tantivy.Occur.Must, everything), (tantivy.Occur.MustNot, self.node(child))]
                )
        raise TypeError(f"not a query node: {node!r}")

    # -- leaves --------------------------------------------------------------------------

    def _leaf(self, text: str, *, phrase: bool) -> Any:
        form = fold(index_form(text))
        if has_cjk(form) or not any(c.isalnum() for c in form):
            match = self._substring(form)
        else:
            match = self._words(form)
            if phrase and len(form) >= 3:
                match = self._all([match, self._substring(form)])
        facts = query_facts(index_form(text))
        if not facts:
            return match
        values = [self._term("facts", token) for token in facts.tokens]
        return self._any([match, *values])

    def _in_earlier(self, current: Any, text: str) -> Any:
        if not self._earlier:
            return current
        form = fold(index_form(text))
        return self._any([current, self._contains("e", form)]) if bigrams(form) else current

    def _substring(self, form: str) -> Any:
        if not bigrams(form):
            return self._term("chars", chars(form))
        return self._any(
            [
                tantivy.Query.boost_query(self._contains("t", form), _TITLE_BOOST),
                self._contains("", form),
            ]
        )

    def _contains(self, text: str, form: str) -> Any:
        """The documents whose text (``text``: "" body, "t" title, "e" earlier versions)
        holds ``form`` (two characters or more): its bigram, its trigram, or the phrase of
        its trigrams' cover."""
        grams = trigrams(form)
        if not grams:
            return self._term(f"{text}grams", bigrams(form)[0])
        if len(grams) == 1:
            return self._term(f"{text}tri", grams[0])
        return tantivy.Query.phrase_query(
            self.schema, f"{text}tri", list[str | tuple[int, str]](cover(grams, 3))
        )

    def _words(self, form: str) -> Any:
        if self._english is None:
            self._english = english_analyzer()
        tokens = self._english.analyze(form)
        if not tokens:
            return tantivy.Query.empty_query()
        return self._any(
            [
                tantivy.Query.boost_query(self._sequence("ten", tokens), _TITLE_BOOST),
                self._sequence("en", tokens),
            ]
        )

    def _sequence(self, field: str, tokens: Sequence[str]) -> Any:
        if len(tokens) == 1:
            return self._term(field, tokens[0])
        return tantivy.Query.phrase_query(self.schema, field, list[str | tuple[int, str]](tokens))

    # -- filters -------------------------------------------------------------------------

    def _field_match(self, field: Field, value: str) -> Any:
        if field.kind is FieldKind.CONTAINS:
            pattern = f".*{_regex_literal(value)}.*"
            return tantivy.Query.regex_query(self.schema, "counterparty", pattern)
        return self._term(_KEYWORDS[field], value)

    def _range(self, node: Range) -> Any:
        number = node.field.kind is FieldKind.NUMBER
        kind = tantivy.FieldType.Float if number else tantivy.FieldType.Integer
        low = -math.inf if number else -_INT_LIMIT
        high = math.inf if number else _INT_LIMIT
        return tantivy.Query.range_query(
            self.schema,
            _RANGES[node.field],
            kind,
            _bound(node.low, number) if node.low is not None else low,
            _bound(node.high, number) if node.high is not None else high,
            node.include_low or node.low is None,
            node.include_high or node.high is None,
        )

    # -- combinators ---------------------------------------------------------------------

    def _term(self, field: str, value: Any) -> Any:
        return tantivy.Query.term_query(self.schema, field, value)

    def _all(self, queries: list[Any]) -> Any:
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in queries])

    def _any(self, queries: list[Any]) -> Any:
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])


def _filter(query: Any) -> Any:
    """``query`` as a filter: it selects documents and adds nothing to their score."""
    return tantivy.Query.const_score_query(query, 0.0)


def _bound(value: Bound, number: bool) -> float:
    """A range bound as the index holds the field: dates as day ordinals."""
    if isinstance(value, date):
        return value.toordinal()
    return float(value) if number else int(value)
