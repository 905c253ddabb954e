"""The query language: one parse into a typed tree, and clear errors with a position."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from search import QuerySyntaxError, parse
from search.parser import MAX_DEPTH, MAX_QUERY_CHARS, MAX_TERMS
from search.query import And, Field, FieldMatch, Not, Or, Phrase, Range, Term


def test_empty_query_is_no_tree() -> None:
    assert parse("") is None
    assert parse("   \u3000 ") is None


def test_juxtaposition_is_and_and_or_binds_loosest() -> None:
    assert parse("a b OR c") == Or((And((Term("a"), Term("b"))), Term("c")))
    assert parse("a AND (b OR c)") == And((Term("a"), Or((Term("b"), Term("c")))))


def test_not_and_minus_negate() -> None:
    assert parse("契約 -下書き NOT 廃止") == And(
        (Term("契約"), Not(Term("下書き")), Not(Term("廃止")))
    )
    assert parse("-(a b)") == Not(And((Term("a"), Term("b"))))


def test_lowercase_operators_are_words() -> None:
    assert parse("rock and roll") == And((Term("rock"), Term("and"), Term("roll")))


def test_phrases_and_quoted_field_values() -> None:
    assert parse('"service agreement"') == Phrase("service agreement")
    assert parse('counterparty:"山田 商事"') == FieldMatch(Field.COUNTERPARTY, "山田 商事")


def test_full_width_query_text_is_normalised() -> None:
    assert parse("２０２４ ＡＢＣ") == And((Term("2024"), Term("ABC")))
    assert parse("amount>=１００，０００") == Range(Field.AMOUNT, low=Decimal(100000))


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("type:Invoice", FieldMatch(Field.TYPE, "invoice")),
        ("dept:ZA-KE", FieldMatch(Field.DEPT, "ZA-KE")),
        ("regno:t1234567890123", FieldMatch(Field.REGNO, "T1234567890123")),
        ("level:confidential", Range(Field.LEVEL, 2, 2)),
        ("level<=1", Range(Field.LEVEL, high=1)),
        ("date:2024-04-01..2025-03-31", Range(Field.DATE, date(2024, 4, 1), date(2025, 3, 31))),
        ("date:..2025-03-31", Range(Field.DATE, high=date(2025, 3, 31))),
        ("date:2024-04..", Range(Field.DATE, low=date(2024, 4, 1))),
        ("date:2024-02", Range(Field.DATE, date(2024, 2, 1), date(2024, 2, 29))),
        ("date>2024", Range(Field.DATE, low=date(2024, 12, 31), include_low=False)),
        ("date<2024", Range(Field.DATE, high=date(2024, 1, 1), include_high=False)),
        ("amount<5000", Range(Field.AMOUNT, high=Decimal(5000), include_high=False)),
        ("amount:100000..500000", Range(Field.AMOUNT, Decimal(100000), Decimal(500000))),
        ("amount:¥1,200", Range(Field.AMOUNT, Decimal(1200), Decimal(1200))),
        ("fy:2024", Range(Field.FY, 2024, 2024)),
    ],
)
def test_fields_and_ranges(text: str, node: object) -> None:
    assert parse(text) == node


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ('契約 "unclosed', "unbalanced quote", 3),
        ("(a OR b", "unbalanced parenthesis", 0),
        ("a OR b)", "unbalanced parenthesis", 6),
        ("()", "empty parentheses", 0),
        ("a OR", "query ends where a term was expected", 4),
        ("AND a", "AND needs a term", 0),
        ("NOT", "query ends where a term was expected", 3),
        ("title:foo", "unknown field 'title'", 0),
        ("x foo:bar", "unknown field 'foo'", 2),
        ("date:2025-03-31..2024-04-01", "range starts after it ends", 5),
        ("amount:500..100", "range starts after it ends", 7),
        ("date:2024-13-01", "not a valid date", 5),
        ("date:yesterday", "is not YYYY", 5),
        ("amount>=lots", "is not a number", 8),
        ("amount>=NaN", "is not a number", 8),
        ("fy:twenty", "is not a whole number", 3),
        ("level:top", "security level must be one of", 6),
        ("regno:T123", "regno must be T followed by 13 digits", 6),
        ("type>=invoice", "type cannot be compared with >=", 6),
        ("date:..", "a range needs at least one bound", 5),
        ("type:", "type: needs a value", 5),
        ('""', "empty phrase", 0),
    ],
)
def test_errors_name_the_problem_and_its_position(text: str, message: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse(text)
    assert message in info.value.message
    assert info.value.position == position


def test_limits() -> None:
    with pytest.raises(QuerySyntaxError, match="longer than"):
        parse("契" * 10_000)
    assert parse("a" * MAX_QUERY_CHARS) == Term("a" * MAX_QUERY_CHARS)
    with pytest.raises(QuerySyntaxError, match="more than 64 terms"):
        parse(" ".join(["w"] * (MAX_TERMS + 1)))
    with pytest.raises(QuerySyntaxError, match="nest deeper"):
        parse("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1))


@pytest.mark.parametrize(
    "text", ['"); DROP TABLE docs; --', "NEAR(a b)", '{"match_all":{}}', "title:x", "body:契約"]
)
def test_injection_shapes_are_syntax_errors_or_literals(text: str) -> None:
    try:
        tree = parse(text)
    except QuerySyntaxError:
        return
    assert tree is not None


def test_operator_characters_stay_literal_words() -> None:
    assert parse("*:*") == Term("*:*")
    assert parse("a* ^b") == And((Term("a*"), Term("^b")))
