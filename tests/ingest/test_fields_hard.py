"""Fields of papers with real papers' hard structures: no issuer guessed from a brand or
product line, a platform's or demo's domain, or a customer in the next column; a ministry's
issuing office; date ranges joined by a hyphen; single-digit invoice numbers."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.extract import extract
from ingest.extract.base import PageText
from ingest.fields import extract_fields, read_layout
from ingest.fields.issuer import ISSUER_CONFIDENCE
from ingest.fields.normalize import find_dates
from ingest.fields.public import public_fields
from ingest.words import Box, PageWords, Word, pdf_words
from tests.layouts_hard import letterhead_invoice, public_notice


def _page(*lines: tuple[str, float, float, float]) -> PageWords:
    """Words from (text, x0, y0, height): one word per line, as wide as its text."""
    return PageWords(
        1, tuple(Word(t, Box(x, y, x + 0.008 * len(t), y + h)) for t, x, y, h in lines)
    )


def _layout(page: PageWords) -> dict[str, object]:
    return {f.name: f.value for f in read_layout([page], "invoice")}


_META = (("Invoice #", 0.6, 0.2, 0.012), ("A-17", 0.8, 0.2, 0.012), ("Total", 0.6, 0.6, 0.012))


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("01-03-2024-31-03-2024", [date(2024, 3, 1), date(2024, 3, 31)]),
        ("Période 01/03/2024–31/03/2024", [date(2024, 3, 1), date(2024, 3, 31)]),
        ("2024-03-01-2024-03-31", [date(2024, 3, 1), date(2024, 3, 31)]),
        ("2024-03-01", [date(2024, 3, 1)]),
        ("Tel 0201-12-2024-5", []),
        ("-" * 10_000, []),
    ],
)
def test_a_range_joined_by_a_hyphen_is_two_dates(text: str, dates: list[date]) -> None:
    """GIVEN two numeric dates joined by a bare hyphen (and look-alikes) WHEN read THEN both
    dates, day first as the second shows, and an ISO date or a phone number is not split."""
    assert [found.value for found in find_dates(text)] == dates


@pytest.mark.parametrize(
    ("text", "issuer"),
    [
        ("Department of the Treasury\nInternal Revenue Service\nNotice 2024-1", "Internal Revenue Service"),
        ("U.S. Department of Labor\nOccupational Safety and Health Administration\n", "Occupational Safety and Health Administration"),
        ("Bundesministerium der Finanzen\nBundeszentralamt für Steuern\n", "Bundeszentralamt für Steuern"),
        ("Ministry of Health\nReport on the Customer Service\n", "Ministry of Health"),
        ("Department of the Treasury\nNotice 1\n\nThe Internal Revenue Service is", "Department of the Treasury"),
    ],
)  # fmt: skip
def test_the_office_under_a_ministry_is_the_issuer(text: str, issuer: str) -> None:
    """GIVEN a ministry printed above the office that issues (or above no office) WHEN read
    THEN the issuer is the office on the next lines, else the ministry."""
    assert {f.name: f.value for f in public_fields([PageText(1, text)])}["issuer"] == issuer


def test_a_day_first_language_reads_a_notice_date_day_first() -> None:
    """GIVEN a French notice with no invoice label WHEN read THEN 07/11/2018 is 7 November."""
    text = (
        "Avis\nLe présent avis informe les parties de la procédure de dépôt modifiée.\n07/11/2018"
    )
    assert public_fields([PageText(1, text)])[0].value == date(2018, 11, 7)


def test_no_issuer_from_a_brand_line_or_a_platform_or_bare_domain() -> None:
    """GIVEN pages whose only sender evidence is a product line printed large, an invoicing
    platform's or demo's address, or a domain that spells no printed name WHEN read THEN no
    issuer; a domain that spells the large line at the top confirms it (lower confidence)."""
    brand = ("Phone Center", 0.08, 0.05, 0.03)
    for footer in ("billing@example.com", "noreply@odoo.com", "Sent with Zoho - zoho.com", ""):
        assert "issuer" not in _layout(_page(brand, *_META, (footer, 0.08, 0.9, 0.01)))
    assert "issuer" not in _layout(_page(*_META, ("info@girard.com", 0.08, 0.9, 0.01)))
    confirmed = read_layout(
        [_page(("NORTHWIND", 0.08, 0.05, 0.03), *_META, ("info@northwind.com", 0.08, 0.9, 0.01))],
        "invoice",
    )
    issuer = next(f for f in confirmed if f.name == "issuer")
    assert (issuer.value, issuer.confidence) == ("NORTHWIND", ISSUER_CONFIDENCE["own domain"])


def test_a_lower_case_word_heading_a_registration_block_is_no_issuer() -> None:
    """GIVEN OCR's lower-case reading of a logo above the registration number's line, and a
    company there WHEN read THEN no issuer from the first, the company from the second."""
    for head, issuer in (("rarer", None), ("サンプル株式会社", "サンプル株式会社")):
        page = _page(
            (head, 0.6, 0.1, 0.012), ("登録番号 T1234567890123", 0.6, 0.115, 0.012), *_META
        )
        assert _layout(page).get("issuer") == issuer


def test_the_letterhead_at_the_right_is_the_issuer_not_the_customer_beside_it() -> None:
    """GIVEN the customer's block at the left ("Invoice To:") level with the issuer's
    letterhead at the right WHEN read THEN the customer is the recipient, the letterhead's
    company the issuer (a name label does not reach into the next column)."""
    page = _page(
        ("Invoice To:", 0.08, 0.11, 0.012),
        ("Lorenz Medien AG", 0.57, 0.11, 0.014),
        ("Stadtwerke Bonn GmbH", 0.08, 0.125, 0.012),
        *_META,
    )
    found = _layout(page)
    assert (found["recipient"], found["issuer"]) == ("Stadtwerke Bonn GmbH", "Lorenz Medien AG")


def test_a_single_digit_is_an_invoice_number_only_after_its_own_label() -> None:
    """GIVEN "請求番号 1", and an item table whose "No." column starts at 1 WHEN read THEN
    the number is 1 after its label; a bare column heading gives none."""
    own = _page(("請求番号", 0.6, 0.1, 0.012), ("1", 0.8, 0.1, 0.012), ("合計", 0.6, 0.6, 0.012))
    assert _layout(own)["invoice_number"] == "1"
    column = _page(("No.", 0.08, 0.4, 0.012), ("1", 0.08, 0.415, 0.012))
    assert "invoice_number" not in _layout(column)


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es", "ja", "notice"])
def test_generated_hard_papers_are_read_without_wrong_guesses(lang: str, tmp_path: Path) -> None:
    """GIVEN generated invoices with a logo's text, a product line, a platform's domain, the
    customer beside the letterhead and a service period, and a ministry's notice (born
    digital) WHEN read THEN every field returned is right, and all are found when the issuer
    is printed."""
    rng = random.Random(f"hard/{lang}")
    doc = public_notice(rng, 0, "en") if lang == "notice" else letterhead_invoice(rng, 0, lang)
    path = tmp_path / "doc.pdf"
    path.write_bytes(doc.pdf())
    extraction = extract(path)
    words = pdf_words(path, [page.number for page in extraction.pages])
    kind = "public" if lang == "notice" else "invoice"
    found = {f.name: f.value for f in extract_fields(extraction.pages, kind, words)}
    printed = {text.text for text in doc.texts}
    for name, (want, *_) in doc.truth.items():
        got = found.get(name)
        if isinstance(got, Decimal | date):
            assert str(got) == want or got == Decimal(want), name
        elif name == "issuer" and want not in printed:  # only in the logo: none, not a guess
            assert got is None
        else:
            assert got == want, name
