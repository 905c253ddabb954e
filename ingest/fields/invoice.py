"""Invoice fields: issuer, registration number, number, dates, total, tax, currency."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.extract.base import PageText
from ingest.fields import registration
from ingest.fields._search import (
    after_label,
    field,
    first_date,
    first_match,
    labelled_date,
    pages,
    present,
)
from ingest.fields.base import Field
from ingest.fields.normalize import find_amounts

_NUMBER = re.compile(
    r"(?:請求書?番号|請求No\.?|伝票番号|領収書?番号|Invoice\s*(?:No\.?|Number|#)|Rechnungs?(?:nummer|\s*Nr\.?)"
    r"|Facture\s*N[°o]|Factuurnummer|Invoice)\s*[:#.]?\s*(#?[A-Z0-9][A-Z0-9_/#.-]*\d[A-Z0-9_/-]*)",
    re.IGNORECASE,
)
_ISSUED = re.compile(
    r"請求日|発行日|請求年月日|Invoice\s*Date|Date\s*of\s*issue|Rechnungsdatum|Date\s*de\s*facture|Factuurdatum",
    re.IGNORECASE,
)
_DUE = re.compile(
    r"お?支払(?:い)?期[限日]|振込期限|Due\s*Date|Payment\s*due|due\s*by|zahlbar\s*bis|F[äa]lligkeit|[ÉE]ch[ée]ance",
    re.IGNORECASE,
)
_TOTAL = re.compile(
    r"ご?請求金額|ご?請求額|税込合計|合計金額|総合計|合\s*計|Total\s*(?:Due|Amount|TTC)?|Amount\s*Due|Balance\s*Due"
    r"|Grand\s*Total|Gesamtbetrag|Rechnungsbetrag|Montant\s*TTC|Net\s*[àa]\s*payer|Totaal",
    re.IGNORECASE,
)
_TAX = re.compile(
    r"(?:内)?消費税(?:額)?(?:等)?|(?<![A-Za-z])(?i:Tax|VAT|MwSt|USt|TVA|BTW)(?![A-Za-z])"
)
# A company name not followed by an honorific: the addressee is 御中/様, the issuer is not.
_COMPANY = re.compile(
    r"((?:株式会社|有限会社|合同会社)[ \t]?[^\s、。,御様殿]{1,30}|[^\s、。,\d/:]{1,30}[ \t]?(?:株式会社|有限会社|合同会社))"
    r"(?![ \t]*(?:御中|様|殿))"
)


def invoice_fields(page_texts: Sequence[PageText]) -> list[Field]:
    fields = present(
        _registration(page_texts),
        first_match("invoice_number", page_texts, _NUMBER),
        labelled_date("date", page_texts, _ISSUED) or first_date("date", page_texts),
        labelled_date("date_due", page_texts, _DUE),
        _issuer(page_texts),
    )
    # Without a "total" label (forms whose labels are drawn, not text), the largest amount
    # on an invoice is its total.
    totals = after_label(page_texts, _TOTAL, find_amounts) or [
        (number, found) for number, text in pages(page_texts) for found in find_amounts(text)
    ]
    if totals:
        page, total = max(totals, key=lambda hit: hit[1].value.value)
        fields += [
            field("total_amount", page, total, total.value.value),
            field("currency", page, total, total.value.currency),
        ]
    taxes = [
        hit
        for hit in after_label(page_texts, _TAX, find_amounts, window=40)
        if hit[1].value.value > 0
    ]
    if taxes:
        page, tax = taxes[0]
        fields.append(field("tax_amount", page, tax, tax.value.value))
    return fields


def _registration(page_texts: Sequence[PageText]) -> Field | None:
    for number, text in pages(page_texts):
        match = registration.PATTERN.search(text)
        if match:
            value = registration.normalize(match.group(1))
            return Field(
                "registration_number",
                value,
                number,
                match.start(),
                match.end(),
                valid=registration.is_valid(value),
            )
    return None


def _issuer(page_texts: Sequence[PageText]) -> Field | None:
    # Japanese invoices put the addressee first (top left) and the issuer after it.
    for number, text in pages(page_texts):
        names = list(_COMPANY.finditer(text))
        if names:
            name = names[-1]
            return Field("issuer", name.group(1).strip(), number, name.start(1), name.end(1))
    return None
