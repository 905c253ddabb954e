"""Bad input: a clear QuerySyntaxError, or literal matching; never another error or broader results."""

from __future__ import annotations

import pytest

from search import QuerySyntaxError, SearchIndex
from tests.search.helpers import ids, run


@pytest.mark.parametrize(
    "query",
    [
        "契約" * 5000,
        '"unclosed',
        "(a OR b",
        "a)",
        "date:2025-01-01..2024-01-01",
        "title:契約",
        "foo:bar",
        "amount>=x",
    ],
)
def test_syntax_errors(search_index: SearchIndex, query: str) -> None:
    with pytest.raises(QuerySyntaxError):
        run(search_index, query)


INJECTIONS = [
    '"); DROP TABLE docs; --',
    "'); DROP TABLE docs; --",
    "契約 OR 1=1",
    "NEAR(契約 大阪)",
    "NEAR 契約",
    "*",
    "契*",
    "^契約",
    "body : 契約",
    "docs_tri:契約",
    '{"match_all":{}}',
    "*:*",
    "_id:*",
    "\\",
    '\\"',
    "a\x00b",
    "%",
    "_",
    "'",
    ";",
    "{{7*7}}",
]


@pytest.mark.parametrize("query", INJECTIONS)
def test_injection_attempts_never_broaden_results(search_index: SearchIndex, query: str) -> None:
    everything = run(search_index).total
    try:
        result = run(search_index, query)
    except QuerySyntaxError:
        return
    assert result.total < everything
    assert run(search_index).total == everything  # nothing was dropped either


def test_literal_operators_match_literally(search_index: SearchIndex) -> None:
    assert ids(search_index, "NEAR") == set()
    assert ids(search_index, "1=1") == set()


@pytest.mark.parametrize("operator", ["NOT ", "-(", "NOT ("])
def test_deep_negation_is_a_syntax_error_with_its_position(
    search_index: SearchIndex, operator: str
) -> None:
    """GIVEN far too deeply nested negations (issue: "NOT "×249 x) WHEN searched
    THEN a QuerySyntaxError at the first one too deep, not an engine failure."""
    times = min(249, 900 // (len(operator) + operator.count("(")))
    query = operator * times + "契約" + ")" * operator.count("(") * times
    with pytest.raises(QuerySyntaxError) as raised:
        run(search_index, query)
    levels_per_operator = 1 + operator.count("(")
    assert raised.value.position == len(operator) * (32 // levels_per_operator)


def test_the_deepest_allowed_nesting_runs_on_the_engine(search_index: SearchIndex) -> None:
    """Negations and parentheses share one depth limit, and a query just within it runs."""
    query = "NOT (" * 16 + "契約" + ")" * 16
    everything = run(search_index).total
    with_term = run(search_index, "契約").total
    assert run(search_index, query).total == (everything - with_term if 16 % 2 else with_term)
