from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ingest.extract.base import PageText
from ingest.fields import Field, extract_fields, halfwidth, is_valid_registration_number, parse_date
from ingest.fields.normalize import find_amounts, find_dates
from ingest.fields.registration import check_digit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和6年4月1日", date(2024, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("令和６年１２月２５日", date(2024, 12, 25)),
        ("令和元年 11 月 21 日", date(2019, 11, 21)),
        ("R6.4.1", date(2024, 4, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("２０２４年４月１日", date(2024, 4, 1)),
        ("2024/04/01", date(2024, 4, 1)),
        ("March 5, 2024", date(2024, 3, 5)),
        ("the 1st day of October 2008", date(2008, 10, 1)),
        ("3/24/2006", date(2006, 3, 24)),
        ("05.03.2018", date(2018, 3, 5)),
    ],
)
def test_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_impossible_dates_are_ignored() -> None:
    assert parse_date("令和6年2月30日") is None


@pytest.mark.parametrize(
    "text",
    [
        "05-03-2024",  # read day first: see day_first=True below
        "5. März 2024",
        "5 mars 2024",
        "5 de marzo de 2024",
        "5 marzo 2024",
        "5 maart 2024",
        "March 5th, 2024",
        "2024年3月5日",
        "令和6年3月5日",
        "令和 6 年 3 月 5 日",
        "R6.3.5",
    ],
)
def test_every_form_search_reads_is_read_with_its_span(text: str) -> None:
    """The field reader reads dates with search's grammar (issue 14): one grammar, not two."""
    page = f"Datum: {text} —"
    [found] = find_dates(halfwidth(page), day_first=True)
    assert found.value == date(2024, 3, 5)
    assert page[found.start : found.end] == text


def test_dashed_day_first_dates_follow_the_labels_language() -> None:
    french = extract_fields(
        _page("FACTURE\nDate de facture : 05-03-2024\nTotal TTC 120,00 €"), "invoice"
    )
    english = extract_fields(
        _page("INVOICE\nInvoice Date: 05-03-2024\nTotal USD 120.00"), "invoice"
    )
    assert _summary(french)["date"] == date(2024, 3, 5)
    assert _summary(english)["date"] == date(2024, 5, 3)
    # A date that can only be day first makes the page's other dates day first too.
    assert [f.value for f in find_dates("31-12-2017 and 05-03-2024")] == [
        date(2017, 12, 31),
        date(2024, 3, 5),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "31-02-2024",
        "99-99-9999",
        "5 mars 20245",
        "R6.3.55",
        "12-05-20245",
        " ".join(str(n) for n in range(1, 400)),
        "0" * 100_000,
        "5 de " * 20_000 + "marzo",
        "令和" + " " * 50_000 + "6年3月5日",
    ],
)
def test_what_is_not_a_date_gives_no_field_date(text: str) -> None:
    assert find_dates(text) == []
    assert find_dates(text, day_first=True) == []


def test_a_date_in_a_huge_text_is_found_where_it_is() -> None:
    text = "x " * 100_000 + "Rechnungsdatum 5. März 2024 " + "1-2-3 " * 20_000
    [found] = find_dates(text)
    assert (found.value, found.start) == (date(2024, 3, 5), 200_015)
    with pytest.raises(TypeError):
        find_dates(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("¥1,234,567", Decimal("1234567"), "JPY"),
        ("1,234,567円", Decimal("1234567"), "JPY"),
        ("金１，２３４，５６７円", Decimal("1234567"), "JPY"),
        ("￥42,820", Decimal("42820"), "JPY"),
        ("USD 1,234.56", Decimal("1234.56"), "USD"),
        ("$972.00", Decimal("972.00"), "USD"),
        ("34,73 €", Decimal("34.73"), "EUR"),
    ],
)
def test_amounts(text: str, amount: Decimal, currency: str) -> None:
    [found] = find_amounts(halfwidth(text))
    assert found.value == (amount, currency)


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("1 0,8403 € 0,84 €", [Decimal("0.84")]),
        ("€ 0,8403", []),
        ("USD 1,234.5678", []),
        ("Preis 12.34567 EUR", []),
        ("€" * 10_000, []),
        ("¥" + "9" * 5000, [Decimal("9" * 5000)]),
    ],
)
def test_a_number_with_more_decimals_is_no_amount(text: str, amounts: list[Decimal]) -> None:
    """GIVEN a unit price to a hundredth of a cent, bare symbols and a huge digit run WHEN read
    THEN no amount is cut out of the digits (0,8403 € is not 8403, nor 840)."""
    assert [found.value.value for found in find_amounts(text)] == amounts


def test_halfwidth_keeps_offsets() -> None:
    text = "登録番号：Ｔ７０００　０１２０５０００２"
    assert len(halfwidth(text)) == len(text)
    assert halfwidth(text).endswith("T7000 012050002")


def test_registration_number_check_digit() -> None:
    assert check_digit("000012050002") == 7  # 国税庁's corporate number 7000012050002
    assert is_valid_registration_number("T7000012050002")
    assert is_valid_registration_number("T-7000-0120-50002")
    assert not is_valid_registration_number("T1234567890123")  # wrong check digit
    assert not is_valid_registration_number("T700001205000")  # 12 digits


def _page(text: str) -> list[PageText]:
    return [PageText(number=1, text=text)]


def _summary(fields: list[Field]) -> dict[str, object]:
    """name -> value (a list for names that occur more than once)."""
    summary: dict[str, object] = {}
    for field in fields:
        if field.name in summary:
            previous = summary[field.name]
            summary[field.name] = [
                *(previous if isinstance(previous, list) else [previous]),
                field.value,
            ]
        else:
            summary[field.name] = field.value
    return summary


def test_invoice_fields_with_spans() -> None:
    text = (
        "株式会社ダミー 御中\n請求書\n請求番号: INV-2024-0042\n発行日 令和６年４月３０日\n"
        "サンプル株式会社\n登録番号 Ｔ７００００１２０５０００２\n"
        "小計 ¥100,000\n消費税 ¥10,000\nご請求金額 ¥110,000\nお支払期限 R6.5.31\n"
    )
    fields = extract_fields(_page(text), "invoice")
    assert _summary(fields) == {
        "registration_number": "T7000012050002",
        "invoice_number": "INV-2024-0042",
        "date": date(2024, 4, 30),
        "date_due": date(2024, 5, 31),
        "issuer": "サンプル株式会社",
        "total_amount": Decimal("110000"),
        "currency": "JPY",
        "tax_amount": Decimal("10000"),
    }
    number = fields[0]
    assert number.valid and text[number.start : number.end].startswith("Ｔ７０００")


def test_invalid_registration_number_is_flagged() -> None:
    [field] = [
        f
        for f in extract_fields(_page("登録番号: T-1234567890123"), "invoice")
        if f.name == "registration_number"
    ]
    assert not field.valid


@pytest.mark.parametrize(
    ("doc_type", "text", "expected"),
    [
        (
            "contract",
            "業務委託契約書\n大阪市（以下「甲」という。）と株式会社サンプル（以下「乙」という。）は、"
            "次のとおり契約を締結する。\n契約期間 令和6年4月1日から令和7年3月31日まで\n"
            "契約金額 金1,100,000円\n",
            {  # no signing date printed: the term's start is not one (issue 14)
                "title": "業務委託契約書",
                "party": ["大阪市 (甲)", "株式会社サンプル (乙)"],
                "term_start": date(2024, 4, 1),
                "term_end": date(2025, 3, 31),
                "value": Decimal("1100000"),
            },
        ),
        (
            "contract",
            "SERVICES AGREEMENT\nThis Agreement is made as of March 1, 2024 by and between "
            "Acme Corp., a Delaware corporation (\u201cAcme\u201d) and Beta LLC (\u201cBeta\u201d).\n",
            {
                "title": "SERVICES AGREEMENT",
                "agreement_date": date(2024, 3, 1),
                "party": ["Acme Corp.", "Beta LLC"],
            },
        ),
        (
            "public",
            "大市総第123号\n令和6年4月1日\n\n各所属長 様\n\n大阪市総務局長\n\n"
            "文書管理規程の改正について（通知）\n",
            {
                "doc_number": "大市総第123号",
                "date": date(2024, 4, 1),
                "issuer": "大阪市総務局長",
                "recipient": "各所属長",
            },
        ),
    ],
    ids=["contract-ja", "contract-en", "public-ja"],
)
def test_document_fields(doc_type: str, text: str, expected: dict[str, object]) -> None:
    assert _summary(extract_fields(_page(text), doc_type)) == expected


def test_other_documents_have_no_fields() -> None:
    assert extract_fields(_page("令和6年4月1日 ¥100"), "other") == []


def test_fields_staff_check_first() -> None:
    """Signing date apart from the term, OCR-split and long amounts, TAX in capitals,
    day-first dates, and a party whose clause breaks across lines (issue 14)."""
    contract = (
        "業務委託契約書\n大阪市\n（以下「甲」\nという。）と株式会社テスト（以下「乙」という。）は、\n"
        "第1条 契約期間 令和7年4月1日から令和8年3月31日まで\n第2条 契約金額 金1,233, 760円\n"
        "令和7年3月5日\n甲 大阪市北区中之島1丁目3番20号\n乙 東京都千代田区 株式会社テスト\n"
    )
    found = _summary(extract_fields(_page(contract), "contract"))
    assert found["agreement_date"] == date(2025, 3, 5)
    assert found["term_start"] == date(2025, 4, 1)
    assert found["value"] == Decimal("1233760")
    assert found["party"] == ["大阪市 (甲)", "株式会社テスト (乙)"]
    invoice = (
        "INVOICE\nInvoice No: A-1001\nInvoice Date: 31/12/2017\nDue Date: 15/01/2018\n"
        "TAX (10%)                         JPY 1,453,200\nTotal                JPY 15,985,200\n"
    )
    found = _summary(extract_fields(_page(invoice), "invoice"))
    assert found["date"] == date(2017, 12, 31) and found["date_due"] == date(2018, 1, 15)
    assert found["tax_amount"] == Decimal("1453200")
    assert found["total_amount"] == Decimal("15985200")
