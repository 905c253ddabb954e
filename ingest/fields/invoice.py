"""Invoice fields: issuer, registration number, number, dates, total, tax, currency."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.extract.base import PageText
from ingest.fields import labels, registration
from ingest.fields._search import (
    after_label,
    date_finder,
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
    rf"(?:{labels.pattern(labels.NUMBER)}|Invoice)\s*[:#.]?\s*#?\s*([A-Z0-9][A-Z0-9_/#.-]*\d[A-Z0-9_/-]*)",
    re.IGNORECASE,
)
_ISSUED = labels.ISSUED_DATE
_DUE = labels.DUE_DATE
_TOTAL = labels.TOTAL_AMOUNT
_TAX = labels.TAX_AMOUNT
# "Make checks payable to Acme Corp." / "Account name: Acme Corp": the payee is the issuer.
PAYEE = re.compile(
    r"(?im)(?:(?:checks?|cheques?|payments?)\s+(?:should\s+be\s+)?(?:made\s+)?payable\s+to|"
    r"Account\s*(?:name|holder)|Beneficiary|Kontoinhaber(?:in)?|Titulaire(?:\s*du\s*compte)?"
    r"|Begunstigde|Beneficiario|Intestatario|Tenaamstelling)\s*[:：]?\s*"
    r"([A-Z\u00c0-\u024f][^\n,;:]{1,60}?)\s*(?:[.;,]?\s*$|[,;(]|\s{2,})"
)
# A company name not followed by an honorific: the addressee is 御中/様, the issuer is not.
_COMPANY = re.compile(
    r"((?:株式会社|有限会社|合同会社)[ \t]?[^\s、。,御様殿]{1,30}|[^\s、。,\d/:]{1,30}[ \t]?(?:株式会社|有限会社|合同会社))"
    r"(?![ \t]*(?:御中|様|殿))"
)


def invoice_fields(page_texts: Sequence[PageText]) -> list[Field]:
    dates = date_finder(page_texts)
    fields = present(
        _registration(page_texts),
        first_match("invoice_number", page_texts, _NUMBER),
        labelled_date("date", page_texts, _ISSUED, dates) or first_date("date", page_texts, dates),
        labelled_date("date_due", page_texts, _DUE, dates),
        _issuer(page_texts) or first_match("issuer", page_texts, PAYEE),
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
