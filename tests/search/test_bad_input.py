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
