"""``versions:all`` (issue 13): earlier versions' text is found only when asked for, on both engines."""

from __future__ import annotations

import pytest

from archive.access import AccessScope, SecurityLevel
from search import QuerySyntaxError, SearchIndex
from tests.search.documents import doc
from tests.search.helpers import ids, run

CORRECTED = doc(
    "inv",
    "請求書",
    "請求金額 12,000円 ひまわり",
    earlier_text=["請求金額 10,000円 あじさい Tokyo warehouse", "請求金額 11,000円 すみれ"],
)
OTHER = doc("memo", "メモ", "あじさい の 植栽 計画")
SECRET = doc(
    "secret",
    "秘密",
    "現行の本文",
    security_level=SecurityLevel.SECRET,
    earlier_text=["あじさい 秘密の旧版"],
)


def test_earlier_text_only_with_versions_all(empty_index: SearchIndex) -> None:
    empty_index.index([CORRECTED, OTHER, SECRET])
    assert ids(empty_index, "あじさい") == {"memo"}
    assert ids(empty_index, "あじさい versions:all") == {"inv", "memo", "secret"}
    assert ids(empty_index, "versions:all すみれ 請求金額") == {"inv"}
    assert ids(empty_index, "warehouse versions:all") == {"inv"}
    assert ids(empty_index, "warehouse versions:current") == set()
    assert ids(empty_index, "ひまわり versions:all") == {"inv"}
    assert ids(empty_index, "あじさい -植栽 versions:all") == {"inv", "secret"}
    internal = AccessScope(clearance=SecurityLevel.INTERNAL, city_wide=True)
    assert ids(empty_index, "あじさい versions:all", internal) == {"inv", "memo"}

    empty_index.index([doc("inv", "請求書", "請求金額 12,000円 ひまわり")])
    assert ids(empty_index, "すみれ versions:all") == set()
    empty_index.delete(["secret"])  # type: ignore[list-item]
    assert ids(empty_index, "あじさい versions:all") == {"memo"}


@pytest.mark.parametrize(
    "query", ["versions:old", "a OR versions:all", "-versions:all", "versions>=1", "versions:"]
)
def test_a_misplaced_or_unknown_versions_option_is_a_syntax_error(
    empty_index: SearchIndex, query: str
) -> None:
    with pytest.raises(QuerySyntaxError):
        run(empty_index, query)
