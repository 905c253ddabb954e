"""Search finds what a document means on both engines: OCR-spaced Japanese, Latin words as
words, and dates and amounts whatever form the document and the query write them in."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from search import SearchIndex
from search.sqlite_fts import SqliteFtsIndex
from tests.search.documents import doc
from tests.search.helpers import ids, run

DATE_FORMS = {
    "d_iso": "2024-04-01",
    "d_slash": "2024/4/1",
    "d_kanji": "2024年4月1日",
    "d_era": "令和6年4月1日",
    "d_era_short": "R6.4.1",
    "d_fullwidth": "２０２４年４月１日",
    "d_en": "April 1, 2024",
    "d_en_dayfirst": "1 April 2024",
}
AMOUNT_FORMS = {"a_grouped": "3,300,000", "a_plain": "3300000", "a_yen": "¥3,300,000円"}


@pytest.fixture
def meaning_index(empty_index: SearchIndex) -> SearchIndex:
    docs = [
        doc("ocr", "スキャン", "業務 委託 契約 書\n大阪 市役所 総務 局 と 株式 会社 サンプル"),
        doc("digital", "契約書", "業務委託契約書 大阪市役所総務局と株式会社サンプルは締結する"),
        doc("laws", "City laws", "The laws of the city and the party of the art museum."),
        doc("aws", "AWS invoice", "Amazon Web Services invoice for contracts and parties"),
        doc("regno", "登録", "登録番号T1234567890123の適格請求書"),
        doc("other_date", "別の日", "契約日 2024年4月2日 金3,300,001円"),
    ]
    docs += [doc(k, "日付", f"契約日 {v} とする") for k, v in DATE_FORMS.items()]
    docs += [doc(k, "金額", f"委託料は {v} とする") for k, v in AMOUNT_FORMS.items()]
    empty_index.index(docs)
    return empty_index


def test_ocr_spaced_japanese_and_typed_phrases_meet(meaning_index: SearchIndex) -> None:
    """GIVEN OCR text with spaces between characters WHEN a phrase is searched with or without
    spaces THEN the scan and the born-digital document are both found."""
    for query in ('"業務委託契約書"', '"業務 委託"', "総務局", '"株式会社サンプル"', "市役所総務"):
        assert ids(meaning_index, query) == {"ocr", "digital"}, query


def test_latin_terms_match_words_stemmed_and_japanese_substrings(
    meaning_index: SearchIndex,
) -> None:
    assert ids(meaning_index, "aws") == {"aws"}
    assert ids(meaning_index, "art") == {"laws"}
    assert ids(meaning_index, "law") == {"laws"}
    assert ids(meaning_index, "contract") == {"aws"}
    assert ids(meaning_index, "party") == {"laws", "aws"}
    assert ids(meaning_index, '"web services"') == {"aws"}
    assert ids(meaning_index, "T1234567890123") == {"regno"}
    assert ids(meaning_index, "適格請求") == {"regno"}
    top = run(meaning_index, "art").hits
    assert [h.id for h in top] == ["laws"] and "<mark>art</mark>" in top[0].snippet


@pytest.mark.parametrize("form", [*DATE_FORMS.values(), "R06/04/01", '"1st April 2024"'])
def test_a_date_in_any_form_finds_every_form(meaning_index: SearchIndex, form: str) -> None:
    query = form if form.startswith('"') or " " not in form else f'"{form}"'
    assert ids(meaning_index, query) == set(DATE_FORMS)


@pytest.mark.parametrize("form", ["3,300,000", "3300000", "¥3,300,000", "3300000円"])
def test_an_amount_in_any_form_finds_every_form(meaning_index: SearchIndex, form: str) -> None:
    assert ids(meaning_index, form) == set(AMOUNT_FORMS)


def test_values_combine_with_the_query_language(meaning_index: SearchIndex) -> None:
    # NOT excludes the date in every form too.
    assert ids(meaning_index, "委託料 OR R6.4.1 -令和6年4月1日") == set(AMOUNT_FORMS)
    assert ids(meaning_index, "2024/4/2 OR 3300000") == {"other_date", *AMOUNT_FORMS}
    assert ids(meaning_index, "2024/4/3") == set()


@pytest.mark.parametrize("empty_index", ["fts5"], indirect=True)
def test_a_layout_2_file_is_re_derived_on_ensure(
    meaning_index: SearchIndex, tmp_path: Path
) -> None:
    """GIVEN an index file from before docs_en WHEN ensure() runs THEN words and dates work."""
    assert isinstance(meaning_index, SqliteFtsIndex)
    meaning_index.close()
    with sqlite3.connect(meaning_index.path) as conn:
        conn.executescript("DROP TABLE docs_en; PRAGMA user_version = 2;")
    upgraded = SqliteFtsIndex(meaning_index.path)
    upgraded.ensure()
    upgraded.check()
    assert ids(upgraded, "aws") == {"aws"}
    assert ids(upgraded, "R6.4.1") == set(DATE_FORMS)
    upgraded.close()
