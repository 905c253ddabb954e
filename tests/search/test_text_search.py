"""Words, phrases and boolean logic, in Japanese and English, on both backends."""

from __future__ import annotations

import pytest

from archive.types import RecordId
from search import SearchIndex
from tests.search.documents import CITY_WIDE, doc
from tests.search.helpers import ids, run


def test_two_character_word_finds_longer_compound(search_index: SearchIndex) -> None:
    assert "osaka" in ids(search_index, "契約")  # 契約 in 契約書


def test_city_name_found_inside_city_hall(search_index: SearchIndex) -> None:
    assert "osaka" in ids(search_index, "大阪市")  # 大阪市 in 大阪市役所


def test_single_kanji(search_index: SearchIndex) -> None:
    assert {"osaka", "confidential", "secret_granted"} <= ids(search_index, "阪")


@pytest.mark.parametrize("word", ["contract", "contracts", "Contracts", "CONTRACT"])
def test_english_singular_and_plural(search_index: SearchIndex, word: str) -> None:
    assert "english" in ids(search_index, word)  # the text says "contracts"
    assert "phrase_a" in ids(search_index, word)  # the text says "contract"


@pytest.mark.parametrize("query", ["Bunko文庫", "文庫システム", "API連携", "システム", "bunko"])
def test_mixed_scripts(search_index: SearchIndex, query: str) -> None:
    assert "mixed" in ids(search_index, query)


@pytest.mark.parametrize(
    "query", ["第1条", '"第1条"', "約第1条", "第1条の", "条の規定", "第2項", "令和6年度"]
)
def test_a_kanji_beside_a_number_is_found_inside_longer_japanese(
    empty_index: SearchIndex, query: str
) -> None:
    """第 of 第1条 in 本契約第1条 (and 条 before の規定) sits inside a run of kanji, not beside
    the number alone as in the query: found all the same, and not in 第11条."""
    empty_index.index(
        [
            doc("article", "契約書", "本契約第1条の規定により令和6年度の第2項を定める"),
            doc("other", "契約書", "本契約第11条 令和16年度"),
        ]
    )
    assert ids(empty_index, query) == {"article"}
    assert "<mark>" in run(empty_index, query).hits[0].snippet


@pytest.mark.parametrize(
    "query", ["2024-001", "２０２４－００１", "55,000", "５５，０００", "バージョン2", "ﾊﾞｰｼﾞｮﾝ２"]
)
def test_full_and_half_width_forms_match_each_other(search_index: SearchIndex, query: str) -> None:
    assert {"fullwidth", "mixed"} & ids(search_index, query)


def test_phrase_needs_the_words_in_order(search_index: SearchIndex) -> None:
    assert ids(search_index, '"road maintenance contract"') == {"phrase_a"}
    assert {"phrase_a", "phrase_b"} <= ids(search_index, "road maintenance contract")


def test_japanese_phrase(search_index: SearchIndex) -> None:
    assert ids(search_index, '"道路清掃業務"') == {"osaka", "road_1", "road_2"}


def test_boolean_logic(search_index: SearchIndex) -> None:
    assert ids(search_index, "road AND renewed") == {"phrase_a"}
    assert ids(search_index, "renewed OR 極秘") == {"phrase_a", "secret_granted"}
    assert ids(search_index, "road -renewed") == {"phrase_b"}
    assert ids(search_index, "road NOT renewed") == {"phrase_b"}
    assert ids(search_index, "(renewed OR 極秘) 大阪市") == {"secret_granted"}
    assert ids(search_index, "道路清掃業務 -(年間計画 OR 締結)") == set()


def test_negation_alone_keeps_everything_else(search_index: SearchIndex) -> None:
    everything = run(search_index).total
    assert run(search_index, "-renewed").total == everything - 1


def test_no_match(search_index: SearchIndex) -> None:
    result = run(search_index, "存在しない語句 zzzyx")
    assert (result.total, result.hits) == (0, [])


def test_relevance_puts_the_title_match_first(search_index: SearchIndex) -> None:
    hits = run(search_index, "道路清掃").hits
    assert hits[0].id in {"road_1", "road_2"}
    assert all(hit.score is not None for hit in hits)


def test_snippets_mark_the_match_and_escape_html(search_index: SearchIndex) -> None:
    hit = next(h for h in run(search_index, "alert").hits if h.id == "script")
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "<mark>alert</mark>" in hit.snippet
    (osaka,) = [h for h in run(search_index, "山田商事").hits if h.id == "osaka"]
    assert "<mark>" in osaka.snippet and "山田商事" in osaka.snippet.replace("<mark>", "").replace(
        "</mark>", ""
    )


def test_html_in_the_query_is_literal_and_escaped(search_index: SearchIndex) -> None:
    result = run(search_index, "<script>")
    assert [hit.id for hit in result.hits] == ["script"]
    assert "<script>" not in result.hits[0].snippet


def test_similar_documents(search_index: SearchIndex) -> None:
    similar = search_index.similar(RecordId("road_1"), scope=CITY_WIDE)
    assert similar, "a document with near twins has similar documents"
    assert similar[0].id in {"road_2", "osaka"}
    assert "road_1" not in {hit.id for hit in similar}


def test_similar_of_unknown_document_is_empty(search_index: SearchIndex) -> None:
    assert search_index.similar(RecordId("nope"), scope=CITY_WIDE) == []
