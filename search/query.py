"""The query tree: what the parser produces and every backend translates.

The tree holds normalised values only (NFKC, see ``search.text``), so backends never
re-interpret user text: a ``Term`` is a literal to look for, a ``FieldMatch`` a value to
compare, a ``Range`` typed bounds.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeAlias


class Field(enum.Enum):
    """Metadata fields a query may filter on, by their name in the query language."""

    TYPE = "type"
    SUBTYPE = "subtype"
    DEPT = "dept"
    SERIES = "series"
    COUNTERPARTY = "counterparty"
    REGNO = "regno"
    LANG = "lang"
    LEVEL = "level"
    DATE = "date"
    AMOUNT = "amount"
    FY = "fy"
    VERSIONS = "versions"
    """``versions:all`` searches earlier versions' text too (``search.parser.split_versions``)."""

    @property
    def kind(self) -> FieldKind:
        return _KINDS[self]


class FieldKind(enum.Enum):
    KEYWORD = "keyword"
    """Exact match on a normalised value."""
    CONTAINS = "contains"
    """Case-insensitive substring of the normalised value (counterparty names)."""
    DATE = "date"
    NUMBER = "number"
    INTEGER = "integer"


_KINDS = {
    Field.TYPE: FieldKind.KEYWORD,
    Field.SUBTYPE: FieldKind.KEYWORD,
    Field.DEPT: FieldKind.KEYWORD,
    Field.SERIES: FieldKind.KEYWORD,
    Field.COUNTERPARTY: FieldKind.CONTAINS,
    Field.REGNO: FieldKind.KEYWORD,
    Field.LANG: FieldKind.KEYWORD,
    Field.LEVEL: FieldKind.INTEGER,
    Field.DATE: FieldKind.DATE,
    Field.AMOUNT: FieldKind.NUMBER,
    Field.FY: FieldKind.INTEGER,
    Field.VERSIONS: FieldKind.KEYWORD,
}

Bound: TypeAlias = date | Decimal | int


@dataclass(frozen=True)
class Term:
    """A word: matches documents whose title or text contains it."""

    text: str


@dataclass(frozen=True)
class Phrase:
    """A quoted phrase: matches documents whose title or text contains it verbatim."""

    text: str


@dataclass(frozen=True)
class FieldMatch:
    field: Field
    value: str | int


@dataclass(frozen=True)
class Range:
    """``low <= field <= high`` (or strict where ``include_*`` is False); None is open."""

    field: Field
    low: Bound | None = None
    high: Bound | None = None
    include_low: bool = True
    include_high: bool = True


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node: TypeAlias = Term | Phrase | FieldMatch | Range | And | Or | Not


def text_leaves(node: Node | None) -> list[str]:
    """The words and phrases a match must contain (not those under NOT), for ranking and snippets."""
    match node:
        case Term(text) | Phrase(text):
            return [text]
        case And(children) | Or(children):
            return [leaf for child in children for leaf in text_leaves(child)]
        case _:
            return []
