"""The text normalisers behind search: the index form, dates and amounts as values, parser forms."""

from __future__ import annotations

from datetime import date

import pytest

from search import QuerySyntaxError, parse
from search.dates import date_spans, find_dates, parse_dates, parse_period, parse_year
from search.facts import query_facts, text_facts
from search.normalize import index_form, join_cjk
from search.query import Field, Range
from search.text import latin_text, snippet


@pytest.mark.parametrize(
    ("text", "indexed"),
    [
        ("業務 委託 契約 書", "業務委託契約書"),
        ("業務委\n託", "業務委託"),
        ("令和 6 年 4 月 1 日", "令和6年4月1日"),
        ("（以下「甲」 という。 ）", "(以下「甲」という。)"),
        ("株式会社 ABC と 契約", "株式会社ABCと契約"),
        ("docu-\nment  and\tthe  law", "document and the law"),
        ("well-known", "well-known"),
        ("金1,233, 760円", "金1,233,760円"),
        (
            "金5.575,900円 8.210.400 1.234.567,89 3.14159 2024.4.1",
            "金5,575,900円8,210,400 1.234.567,89 3.14159 2024.4.1",
        ),
        ("ＡＢＣ　１２３", "ABC 123"),
        ("", ""),
    ],
)
def test_index_form(text: str, indexed: str) -> None:
    assert index_form(text) == indexed


def test_index_form_is_idempotent() -> None:
    text = "業務 委託\n契約 書 Service Agree-\nment ￥3,300, 000"
    assert index_form(index_form(text)) == index_form(text)


def test_join_cjk_keeps_layout_case_and_a_space_before_latin() -> None:
    assert join_cjk("業務 委託 契約 書\n第 3 条 Ｔ 1234") == "業務委託契約書\n第3条 Ｔ 1234"
    assert join_cjk("株式会社 ABC") == "株式会社 ABC"
    assert join_cjk("Smith-\nJones") == "Smith-\nJones"  # a capital after the break: a name
    assert join_cjk("agree-\nment") == "agreement"


def test_latin_text_blanks_cjk_so_words_stand_alone() -> None:
    assert latin_text("登録番号T1234567890123です").split() == ["T1234567890123"]


@pytest.mark.parametrize(
    "written",
    [
        "2024-04-01",
        "2024/4/1",
        "2024/04/01",
        "2024.4.1",
        "2024年4月1日",
        "２０２４年４月１日",
        "令和6年4月1日",
        "令和 6 年 4 月 1 日",
        "R6.4.1",
        "R06/04/01",
        "April 1, 2024",
        "Apr. 1st 2024",
        "1 April 2024",
        "1-Apr-2024",
        "01.04.2024",
        "1er avril 2024",
        "April 1 , 2024",
        "1. April 2024",
        "1 de abril de 2024",
        "1° de abril de 2024",
        "1 aprile 2024",
        "1 april 2024",
        "2024 4 1",
    ],
)
def test_every_form_of_a_date_is_the_same_date(written: str) -> None:
    assert parse_dates(index_form(written)) == {date(2024, 4, 1)}
    assert find_dates(index_form(f"契約日 {written} 以降")) == {date(2024, 4, 1)}


def test_era_first_years_day_first_and_ambiguous_dates() -> None:
    assert parse_dates("令和元年5月1日") == {date(2019, 5, 1)}
    assert parse_dates("H31/4/30") == {date(2019, 4, 30)}
    assert parse_dates("31/12/2017") == {date(2017, 12, 31)}
    assert parse_dates("12/31/2017") == {date(2017, 12, 31)}
    assert parse_dates("04/01/2024") == {date(2024, 4, 1), date(2024, 1, 4)}


@pytest.mark.parametrize(
    "text", ["2024-02-30", "令和6年13月1日", "12345/1/1", "R6", "version 1.2.3", "", "2024"]
)
def test_what_is_not_a_date(text: str) -> None:
    assert parse_dates(text) == set()


def test_dates_inside_numbers_are_not_dates() -> None:
    assert find_dates("12024-04-011 and 3.2024.4.1") == set()
    # Spaced fields inside a longer row of numbers, or with a decimal, are not a date.
    assert find_dates("12 2020 12 31 5 and version 2020 1 1.5 and 2020 13 1") == set()


def test_spans_leave_out_what_only_the_index_reads() -> None:
    """The field readers' spans: no form's spaced fields, no year-less day (issue 14)."""
    text = "2020 12 31 ... le 20 juin et le 1er mai 2030"
    assert find_dates(text) == {date(2020, 12, 31), date(2030, 6, 20), date(2030, 5, 1)}
    [span] = date_spans(text)
    assert (span.value, text[span.start : span.end]) == (date(2030, 5, 1), "1er mai 2030")


def test_a_day_and_month_without_a_year_take_the_nearest_full_dates_year() -> None:
    minutes = "Séance publique tenue le 20 juin, à 16h00. Avis publié le 7 juin 2023."
    assert find_dates(index_form(minutes)) == {date(2023, 6, 20), date(2023, 6, 7)}
    assert find_dates("June 20 meeting. Minutes of March 3, 2021") == {
        date(2021, 6, 20),
        date(2021, 3, 3),
    }
    assert find_dates("Dec 31 2019 ... 1 mai 2030 ... 30 juin") == {
        date(2019, 12, 31),
        date(2030, 5, 1),
        date(2030, 6, 30),
    }
    # No full date to borrow a year from, or no such day: nothing.
    assert find_dates("tenue le 20 juin") == set()
    assert find_dates("31 February; 1 March 2024") == {date(2024, 3, 1)}


def test_years_and_periods() -> None:
    assert [parse_year(v) for v in ("2024", "令和6", "R6", "令和元", "令和6年度", "平成31")] == [
        2024,
        2024,
        2024,
        2019,
        2024,
        2019,
    ]
    assert parse_year("twenty") is None and parse_year("1200") is None
    assert parse_period("令和6年度") == (date(2024, 4, 1), date(2025, 3, 31))
    assert parse_period("2024年2月") == (date(2024, 2, 1), date(2024, 2, 29))
    assert parse_period("04/01/2024") is None


def test_amounts_in_every_form_are_one_value() -> None:
    forms = ["3,300,000", "3300000", "¥3,300,000", "3,300,000円", "金3,300,000円", "￥3300000"]
    assert {frozenset(query_facts(index_form(f)).amounts) for f in forms} == {
        frozenset({"3300000"})
    }
    found = text_facts(index_form("委託料 金3,300,000円 (税込) 単価 ¥1,234.50 数量 12"))
    assert found.amounts == {"3300000", "1234.5"}
    assert found.tokens == ["a1234p5", "a3300000"]


@pytest.mark.parametrize("word", ["12", "契約", "road", "1.5", "", "¥", "３"])
def test_short_numbers_and_words_are_no_amount(word: str) -> None:
    assert not query_facts(index_form(word))


def test_a_huge_table_of_figures_is_capped() -> None:
    text = " ".join(f"{n:,}" for n in range(100_000, 100_000 + 2_000))
    assert len(text_facts(text).amounts) == 500


def test_query_language_reads_date_forms_and_era_fiscal_years() -> None:
    assert parse("date:2024/4/1..R7.3.31") == Range(Field.DATE, date(2024, 4, 1), date(2025, 3, 31))
    assert parse("date:令和6年度") == Range(Field.DATE, date(2024, 4, 1), date(2025, 3, 31))
    assert parse('date:"April 1, 2024"') == Range(Field.DATE, date(2024, 4, 1), date(2024, 4, 1))
    assert parse("fy:令和6") == Range(Field.FY, 2024, 2024)
    assert parse("fy:R5..令和6年度") == Range(Field.FY, 2023, 2024)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date:04/01/2024", "reads as two dates"),
        ("date:令和6年13月1日", "not a valid date"),
        ("date:R6.4.1..R5.4.1", "range starts after it ends"),
        ("fy:令和", "not a whole number"),
        ("date:" + "9" * 500, "not a valid date"),
    ],
)
def test_bad_date_forms_are_syntax_errors(query: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message):
        parse(query)


def test_latin_snippet_marks_words_not_parts_of_words() -> None:
    marked = snippet("the laws of aws and contracts", ["aws", "contract"])
    assert marked == "the laws of <mark>aws</mark> and <mark>contracts</mark>"
    assert snippet("業務委託契約書", ["委託"]) == "業務<mark>委託</mark>契約書"
