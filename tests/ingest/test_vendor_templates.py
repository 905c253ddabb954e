"""Vendor templates: a field learned from one corrected value is read at its label next time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.extract.base import PageText
from ingest.fields import Field
from ingest.fields.templates import (
    Place,
    Template,
    apply,
    learn,
    merge,
    value_in,
    value_type_of,
    words_in,
)
from ingest.vendor_templates import registration_of
from ingest.words import Box, pdf_words
from tests.vendors import VENDORS, registration_number, unlabelled

FIRST = """御請求書
ハヤテ物産株式会社
登録番号 {regno}
前回ご請求残高 ¥2,500,000
伝票整理番号: HX-0042
発行年月日　２０２４年１１月５日
ご入金額            ¥1,234,500
うち消費税相当       112,227
お振込期日
2024年12月20日
"""
NEXT = """御請求書
ハヤテ物産株式会社
前回ご請求残高 ¥9,900,000
伝票整理番号: HX-0077
発行 年月日 2025年1月7日
ご 入金額   ¥88,000
うち消費税相当 8,000
お振込期日

2025年2月28日
"""


def pages(text: str) -> list[PageText]:
    return [PageText(1, text.format(regno=registration_number(1)))]


@pytest.mark.parametrize(
    ("name", "value", "label", "next_line", "expected"),
    [
        ("invoice_number", "HX-0042", "伝票整理番号", False, "HX-0077"),
        ("date", "2024-11-05", "発行年月日", False, date(2025, 1, 7)),
        ("total_amount", "1,234,500", "ご入金額", False, Decimal(88000)),
        ("tax_amount", "112227", "うち消費税相当", False, Decimal(8000)),
        ("date_due", "2024-12-20", "お振込期日", True, date(2025, 2, 28)),
    ],
)
def test_a_label_learned_once_reads_the_next_invoice(
    name: str, value: str, label: str, next_line: bool, expected: object
) -> None:
    """GIVEN a corrected value WHEN learned THEN the label printed before it (on its line, or
    the line above) is kept, and the next invoice's value is read there, whatever spacing
    the text has, as source "template" with a confidence."""
    template = learn(pages(FIRST), name, value)
    assert template is not None
    assert (template.label, template.next_line) == (label, next_line)
    (found,) = apply(pages(NEXT), [template])
    assert (found.name, found.value, found.source, found.confidence) == (
        name,
        expected,
        "template",
        0.8,
    )
    assert found.page == 1 and 0 <= found.start < found.end <= len(NEXT)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("total_amount", "999"),  # not in the text
        ("total_amount", "not a number"),
        ("date", "2024-02-30"),
        ("invoice_number", ""),
        ("invoice_number", "   "),
        ("invoice_number", "HX-0042" * 200),  # huge
        ("invoice_number", "(.*)+$"),  # a pattern would match anything
        ("invoice_number", "<script>alert(1)</script>"),
        ("issuer", "御請求書"),  # in the text, but nothing before it to be its label
        ("registration_number", registration_number(1)),  # the key is not a field to learn
    ],
)
def test_nothing_is_learned_from_a_value_that_is_not_labelled_in_the_text(
    name: str, value: str
) -> None:
    assert learn(pages(FIRST), name, value) is None


def test_a_hostile_label_is_looked_up_as_text_and_finds_nothing_else() -> None:
    """GIVEN templates whose labels are patterns or markup WHEN applied THEN they match only
    themselves, literally (here: nowhere)."""
    hostile = [
        Template("invoice_number", "text", ".*"),
        Template("total_amount", "amount", "<b>"),
        Template("date", "date", "\\d+"),
    ]
    assert apply(pages(NEXT), hostile) == []


def test_a_label_with_a_character_misread_is_still_found_with_less_confidence() -> None:
    """GIVEN a scan whose OCR misread one character of a learned label (金 as 全) WHEN read THEN
    the value is read there, with a lower confidence; a short label must match exactly."""
    scanned = [PageText(1, "ご入全額 ¥88,000\n内杭 8,000\n")]
    total = Template("total_amount", "amount", "ご入金額")
    (found,) = apply(scanned, [total, Template("tax_amount", "amount", "内税")])
    assert (found.name, found.value, found.confidence) == ("total_amount", Decimal(88000), 0.6)


def test_what_a_template_reads_replaces_the_guess_of_the_same_name_only() -> None:
    guess = [Field("total_amount", Decimal(9900000), 1, 0, 1), Field("issuer", "X", 1, 0, 1)]
    learned = [Field("total_amount", Decimal(88000), 1, 5, 9, source="template")]
    assert merge(guess, learned) == [guess[1], learned[0]]


def test_confidence_rises_with_agreeing_corrections() -> None:
    ones = [Template("date", "date", "x", corrections=n).confidence for n in (1, 2, 3, 9)]
    assert ones == sorted(ones) and ones[0] == 0.8 and ones[-1] == 0.95


def test_only_a_valid_registration_number_keys_a_template() -> None:
    """GIVEN a number whose check digit is wrong WHEN looked up THEN no vendor is known."""
    good = registration_number(1)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    assert registration_of([Field("registration_number", good, 1, 0, 1)]) == good
    assert registration_of([Field("registration_number", bad, 1, 0, 1)]) is None
    assert registration_of([Field("registration_number", good, 1, 0, 1, valid=False)]) is None


def test_a_place_shown_without_a_label_reads_the_next_invoice_there(tmp_path: Path) -> None:
    """GIVEN a vendor that prints its total and invoice number with no label WHEN an officer
    corrects them showing where they are THEN templates with no label keep the places, and
    the vendor's next invoice is read there (from its words), with the words' box; a page
    without words, or a box over nothing, reads nothing."""
    vendor = unlabelled(VENDORS[1], ("total_amount", "invoice_number"))
    first, truth = vendor.invoice(seed=1)
    (tmp_path / "first.pdf").write_bytes(first)
    taught = []
    for name in ("total_amount", "invoice_number"):
        box = vendor.box(name)
        place = Place(1, Box(box["x0"], box["y0"], box["x1"], box["y1"]))
        shown = " ".join(w.text for w in words_in(pdf_words(tmp_path / "first.pdf", [1]), place))
        assert value_in(shown, value_type_of(name)) == truth[name]  # what the page offers
        template = learn([PageText(1, "")], name, truth[name], place)
        assert template is not None and (template.label, template.place) == ("", place)
        taught.append(template)

    following, after = vendor.invoice(seed=2)
    (tmp_path / "next.pdf").write_bytes(following)
    rows, _ = vendor.rows(seed=2)
    text = [PageText(1, "\n".join("  ".join(cells) for cells in rows))]
    words = pdf_words(tmp_path / "next.pdf", [1])
    read = {f.name: f for f in apply(text, taught, words)}
    assert read["total_amount"].value == Decimal(after["total_amount"])
    assert read["invoice_number"].value == after["invoice_number"]
    for template in taught:
        field = read[template.field]
        assert (field.source, field.confidence, field.page) == ("template", 0.8, 1)
        assert template.place is not None and field.box is not None
        assert template.place.box.y0 <= field.box.middle <= template.place.box.y1
        assert text[0].text[field.start : field.end].replace(",", "").endswith(str(field.value))
    assert apply(text, taught, []) == []
    empty = Place(1, Box(0.0, 0.9, 0.1, 0.95))
    assert apply(text, [Template("total_amount", "amount", "", place=empty)], words) == []
