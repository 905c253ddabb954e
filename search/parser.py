"""The query language, parsed once into a ``search.query`` tree.

Grammar (``OR`` binds loosest, then ``AND`` — explicit or by juxtaposition — then ``NOT``/``-``)::

    query   := or? EOF                 an empty query matches every readable document
    or      := and ("OR" and)*
    and     := unary (("AND")? unary)*
    unary   := ("NOT" | "-") unary | primary
    primary := "(" or ")" | "phrase" | field | word
    field   := name ":" value | name ":" lo ".." hi | name (">=" | "<=" | ">" | "<") value

Examples: ``契約 -下書き``, ``"service agreement" OR 請負``, ``type:invoice amount>=100000
date:2024-04-01..2025-03-31 counterparty:"山田 商事"``, ``subtype:receipt``, ``fy:2024``,
``fy:令和6``, ``date:..2025-03-31``, ``date:R6.4.1..令和7年3月31日``, ``請求書 versions:all`` (earlier
versions' text too; ``versions:current``, the default, only the current version's).
Operators are upper-case; ``and``/``or`` in lower case are words. Every error raises
``QuerySyntaxError`` with the position in the (NFKC-normalised) query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from archive import SecurityLevel
from search.dates import parse_dates, parse_period, parse_year
from search.errors import QuerySyntaxError
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
from search.text import fold, normalize

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
MAX_DEPTH = 32

_FIELD = re.compile(r"([A-Za-z_]+)(:|>=|<=|>|<)")
_REGNO = re.compile(r"T\d{13}")
_DATE_LIKE = re.compile(
    r"(?:明治|大正|昭和|平成|令和|[MTSHR]\.?)?[\d./\-年月日元度]+", re.IGNORECASE
)
_OPERATORS = {"AND", "OR", "NOT"}
_VERSIONS = ("all", "current")


@dataclass(frozen=True)
class _Token:
    kind: str  # "(" ")" "-" "AND" "OR" "NOT" "word" "phrase" "field"
    pos: int
    text: str = ""
    field: str = ""
    op: str = ""
    value_pos: int = 0


def parse(query: str) -> Node | None:
    """Parse ``query`` into a tree; None for an empty query. Raises ``QuerySyntaxError``."""
    if len(query) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(
            f"query is longer than {MAX_QUERY_CHARS} characters", MAX_QUERY_CHARS
        )
    text = normalize(query)
    tokens = _lex(text)
    if not tokens:
        return None
    parser = _Parser(tokens, end=len(text))
    node = parser.parse_or(depth=0)
    if parser.peek() is not None:
        token = parser.peek()
        assert token is not None
        message = "unbalanced parenthesis" if token.kind == ")" else f"unexpected {token.kind}"
        raise QuerySyntaxError(message, token.pos)
    if parser.leaves > MAX_TERMS:
        raise QuerySyntaxError(f"query has more than {MAX_TERMS} terms", 0)
    return node


def split_versions(tree: Node | None) -> tuple[Node | None, bool]:
    """``tree`` without its ``versions:`` option, and whether that asks for every version.

    The option says which texts the whole query searches, so it may stand only beside the
    other terms (``請求書 versions:all``), not under ``OR`` or ``NOT``."""
    children = tree.children if isinstance(tree, And) else (() if tree is None else (tree,))
    options = [c for c in children if _is_versions(c)]
    rest = [c for c in children if not _is_versions(c)]
    if any(_has_versions(c) for c in rest):
        raise QuerySyntaxError("versions: applies to the whole query, not under OR or NOT", 0)
    remaining = _combine(And, rest) if rest else None
    return remaining, any(o.value == "all" for o in options)  # type: ignore[union-attr]


def _is_versions(node: Node) -> bool:
    return isinstance(node, FieldMatch) and node.field is Field.VERSIONS


def _has_versions(node: Node) -> bool:
    match node:
        case And(children) | Or(children):
            return any(_has_versions(c) for c in children)
        case Not(child):
            return _has_versions(child)
    return _is_versions(node)


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(_Token(ch, i))
            i += 1
        elif ch == '"':
            phrase, i = _read_phrase(text, i)
            tokens.append(_Token("phrase", i - len(phrase) - 2, phrase))
        elif (
            ch == "-"
            and i + 1 < len(text)
            and not text[i + 1].isspace()
            and text[i + 1] not in ")-"
        ):
            tokens.append(_Token("-", i))
            i += 1
        else:
            start = i
            while i < len(text) and not text[i].isspace() and text[i] not in '()"':
                i += 1
            word = text[start:i]
            field = _FIELD.match(word)
            if field:
                value = word[field.end() :]
                value_pos = start + field.end()
                if not value and i < len(text) and text[i] == '"':
                    value, i = _read_phrase(text, i)
                    value_pos += 1
                tokens.append(_Token("field", start, value, field[1], field[2], value_pos))
            elif word in _OPERATORS:
                tokens.append(_Token(word, start))
            else:
                tokens.append(_Token("word", start, word))
    return tokens


def _read_phrase(text: str, start: int) -> tuple[str, int]:
    end = text.find('"', start + 1)
    if end < 0:
        raise QuerySyntaxError("unbalanced quote", start)
    phrase = text[start + 1 : end].strip()
    if not phrase:
        raise QuerySyntaxError("empty phrase", start)
    return phrase, end + 1


class _Parser:
    def __init__(self, tokens: list[_Token], end: int) -> None:
        self.tokens = tokens
        self.end = end
        self.i = 0
        self.leaves = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise QuerySyntaxError("query ends where a term was expected", self.end)
        self.i += 1
        return token

    def parse_or(self, depth: int) -> Node:
        children = [self.parse_and(depth)]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.i += 1
            children.append(self.parse_and(depth))
        return _combine(Or, children)

    def parse_and(self, depth: int) -> Node:
        children = [self.parse_unary(depth)]
        while (token := self.peek()) is not None and token.kind not in ("OR", ")"):
            if token.kind == "AND":
                self.i += 1
            children.append(self.parse_unary(depth))
        return _combine(And, children)

    def parse_unary(self, depth: int) -> Node:
        token = self.peek()
        if token is not None and token.kind in ("NOT", "-"):
            # A negation nests like a parenthesis: both count towards the same depth.
            if depth >= MAX_DEPTH:
                raise QuerySyntaxError(f"operators nest deeper than {MAX_DEPTH}", token.pos)
            self.i += 1
            return Not(self.parse_unary(depth + 1))
        return self.parse_primary(depth)

    def parse_primary(self, depth: int) -> Node:
        token = self.take()
        if token.kind == "(":
            if depth >= MAX_DEPTH:
                raise QuerySyntaxError(f"parentheses nest deeper than {MAX_DEPTH}", token.pos)
            following = self.peek()
            if following is not None and following.kind == ")":
                raise QuerySyntaxError("empty parentheses", token.pos)
            node = self.parse_or(depth + 1)
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise QuerySyntaxError("unbalanced parenthesis", token.pos)
            self.i += 1
            return node
        self.leaves += 1
        if token.kind == "word":
            return Term(token.text)
        if token.kind == "phrase":
            return Phrase(token.text)
        if token.kind == "field":
            return _field_node(token)
        raise QuerySyntaxError(
            "unbalanced parenthesis" if token.kind == ")" else f"{token.kind} needs a term",
            token.pos,
        )


def _combine(kind: type[And] | type[Or], children: list[Node]) -> Node:
    flat: list[Node] = []
    for child in children:
        flat.extend(child.children if isinstance(child, kind) else (child,))
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def _field_node(token: _Token) -> Node:
    try:
        field = Field(token.field.lower())
    except ValueError:
        known = ", ".join(f.value for f in Field)
        raise QuerySyntaxError(
            f"unknown field {token.field!r} (known: {known})", token.pos
        ) from None
    value, pos = token.text, token.value_pos
    if not value:
        raise QuerySyntaxError(f"{field.value}: needs a value", pos)
    kind = field.kind
    if kind in (FieldKind.KEYWORD, FieldKind.CONTAINS):
        if token.op != ":":
            raise QuerySyntaxError(f"{field.value} cannot be compared with {token.op}", pos)
        return FieldMatch(field, _keyword(field, value, pos))
    if token.op == ":":
        if ".." in value:
            low_text, _, high_text = value.partition("..")
            if not low_text and not high_text:
                raise QuerySyntaxError(f"{field.value}: a range needs at least one bound", pos)
            low = _bound(field, low_text, pos, first=True) if low_text else None
            high = _bound(field, high_text, pos, first=False) if high_text else None
            if low is not None and high is not None and low > high:  # type: ignore[operator]
                raise QuerySyntaxError(f"{field.value}: range starts after it ends", pos)
            return Range(field, low, high)
        return Range(
            field, _bound(field, value, pos, first=True), _bound(field, value, pos, first=False)
        )
    if token.op.startswith(">"):
        return Range(
            field,
            low=_bound(field, value, pos, first=token.op == ">="),
            include_low=token.op == ">=",
        )
    return Range(
        field, high=_bound(field, value, pos, first=token.op == "<"), include_high=token.op == "<="
    )


def _keyword(field: Field, value: str, pos: int) -> str:
    if field is Field.REGNO:
        regno = value.upper()
        if not _REGNO.fullmatch(regno):
            raise QuerySyntaxError("regno must be T followed by 13 digits", pos)
        return regno
    if field is Field.VERSIONS:
        if value.lower() not in _VERSIONS:
            raise QuerySyntaxError("versions must be all or current", pos)
        return value.lower()
    if field in (Field.TYPE, Field.SUBTYPE, Field.LANG, Field.COUNTERPARTY):
        return fold(value)
    return value


def _bound(field: Field, value: str, pos: int, *, first: bool) -> Bound:
    """The typed bound for ``value``; a partial date (2024, 2024-04) is its first or last day."""
    kind = field.kind
    if kind is FieldKind.DATE:
        return _date(value, pos, first=first)
    if kind is FieldKind.NUMBER:
        try:
            amount = Decimal(value.replace(",", "").removeprefix("¥").removesuffix("円"))
        except InvalidOperation:
            raise QuerySyntaxError(f"{field.value}: {value!r} is not a number", pos) from None
        if not amount.is_finite():
            raise QuerySyntaxError(f"{field.value}: {value!r} is not a number", pos)
        return amount
    if field is Field.FY and (year := parse_year(value)) is not None:
        return year  # 2024, 令和6, R6, 令和6年度
    if field is Field.LEVEL and not value.isdigit():
        try:
            return int(SecurityLevel.parse(value))
        except ValueError as exc:
            raise QuerySyntaxError(str(exc), pos) from None
    if not value.isdigit() or len(value) > 9:
        raise QuerySyntaxError(f"{field.value}: {value!r} is not a whole number", pos)
    return int(value)


def _date(value: str, pos: int, *, first: bool) -> date:
    """A date, month or year in any form ``search.dates`` reads (2024-04-01, 2024/4/1,
    2024年4月1日, 令和6年4月1日, R6.4.1, "April 1, 2024", 2024-04, 令和6年度…)."""
    period = parse_period(value)
    if period is not None:
        return period[0] if first else period[1]
    if parse_dates(value):
        raise QuerySyntaxError(f"date: {value!r} reads as two dates; write it as YYYY-MM-DD", pos)
    if _DATE_LIKE.fullmatch(value):
        raise QuerySyntaxError(f"date: {value!r} is not a valid date", pos)
    raise QuerySyntaxError(
        f"date: {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD (or 2024/4/1, 2024年4月1日, R6.4.1)",
        pos,
    )
