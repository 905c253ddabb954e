"""Fields read from where words are on the page, not only from the order of the text.

    fields = read_layout(pages, "invoice")    # pages: ingest.words.PageWords

A label's value is right of it on its line (the next table cell) or below it in its
column (labels of seven languages, ``ingest.fields.labels``); the issuer and addressee are
read by ``ingest.fields.issuer``; a contract's parties are the names in the 甲/乙
signature blocks, its term the dates after 自 and 至, its signing date the date that stands
alone above those blocks. Every field keeps its page and box (``Field.box``); its text span
is found later (``ingest.fields.locate``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial

from ingest.fields import labels
from ingest.fields.base import Field
from ingest.fields.cells import Finder, labelled
from ingest.fields.contract import _VALUE, START_ALONE
from ingest.fields.issuer import layout_field as _field
from ingest.fields.issuer import read_issuer, read_recipient
from ingest.fields.normalize import Amount, Found, find_amounts, find_dates, parse_number
from ingest.fields.segments import Segment, below, right_of, segments
from ingest.words import PageWords

_NUMBER_LABEL = re.compile(
    rf"^(?:{labels.pattern(labels.NUMBER)}|見積(?:書)?(?:番号|No\.?)|No\.?|Nr\.?|N[°º]\.?|"
    r"(?:Quote|Quotation|Receipt|Angebot|Devis|Offerte|Presupuesto|Preventivo)\s*(?:No\.?|Nr\.?|Number|#)"
    r"|Number|#)(?![A-Za-z])\s*[:：]?",
    re.IGNORECASE,
)
_ID = re.compile(r"#?([A-Z0-9][A-Z0-9_/.-]*\d[A-Z0-9_/-]*)", re.IGNORECASE)
# After an invoice number's own label (not a bare "No." that also heads an item table's
# column) a single digit is a number too: the first invoice of a series is "1".
_INVOICE_NUMBER_LABEL = re.compile(rf"^(?:{labels.pattern(labels.NUMBER)})\s*[:：]?", re.IGNORECASE)
_ANY_ID = re.compile(r"#?((?:[A-Z0-9][A-Z0-9_/.-]*)?\d[A-Z0-9_/-]*)(?![\w.])", re.IGNORECASE)
_DATE_LABEL = re.compile(r"^(?:Date|Datum|Fecha|Data|日付)\s*[:：]?$", re.IGNORECASE)
_ROLE = re.compile(r"^([甲乙丙])(?:\s+|$|(?=住所|所在地|名称|商号|氏名|[(（]))")
_NAME_PREFIX = re.compile(r"^(?:名称|商号|氏名|社名|名)\s*[:：]?\s*")
_NOT_NAME = re.compile(r"住所|所在地|代表|〒|TEL|電話|印|^\(?[甲乙]\)?$")
_FROM = re.compile(r"^自\s*")
_TO = re.compile(r"^至\s*")
_START_LABEL = re.compile(r"(?i)^(?:Start\s*Date|Commencement\s*Date|Term\s*Start)\s*:?$")
_END_LABEL = re.compile(r"(?i)^(?:End\s*Date|Expiration\s*Date|Term\s*End)\s*:?$")
_BARE_NUMBER = re.compile(
    r"^[¥$€£]?\s*(\d{1,3}(?:([,.])\d{3})(?:\2\d{3})*(?:[.,]\d{2})?|\d+[.,]\d{2})\s*(?:円|-)?$"
)
_SIGN_DATE_LABEL = re.compile(r"(?i)^(?:Date|Dated|Signed\s*on)\s*:?")


def read_layout(pages: Sequence[PageWords], doc_type: str) -> list[Field]:
    """The fields of a document of ``doc_type`` read from its words' positions."""
    return read_segments(page_segments(pages), doc_type)


def page_segments(pages: Sequence[PageWords]) -> list[Segment]:
    return [s for page in pages for s in segments(page)]


def read_segments(segs: list[Segment], doc_type: str) -> list[Field]:
    """``read_layout`` of the pages' segments (``page_segments``)."""
    if doc_type == "invoice":
        return _invoice(segs)
    if doc_type == "contract":
        return _contract(segs)
    return []


def cell_amounts(text: str) -> list[Found[Amount]]:
    """Amounts with a currency, or a table cell that is only a grouped or decimal number (a
    bare integer may be a year, a count or a code: not an amount without its currency)."""
    found = find_amounts(text)
    if found:
        return found
    match = _BARE_NUMBER.match(text.strip())
    number = parse_number(match.group(1)) if match else None
    return [Found(Amount(number, ""), 0, len(text))] if match and number is not None else []


def _ids(text: str, pattern: re.Pattern[str] = _ID) -> list[Found[str]]:
    match = pattern.match(text.strip())
    return [Found(match.group(1), match.start(1), match.end(1))] if match else []


def _invoice(segs: list[Segment]) -> list[Field]:
    fields: list[Field] = []
    totals = labelled(segs, labels.TOTAL_AMOUNT, cell_amounts)
    if totals:
        amount, seg = max(totals, key=lambda hit: hit[0].value)
        fields.append(_field("total_amount", amount.value, seg))
        if amount.currency:
            fields.append(_field("currency", amount.currency, seg))
    taxes = [hit for hit in labelled(segs, labels.TAX_AMOUNT, cell_amounts) if hit[0].value > 0]
    if taxes:
        fields.append(_field("tax_amount", taxes[0][0].value, taxes[0][1]))
    finder = _date_finder(segs)
    for name, label in (("date", labels.ISSUED_DATE), ("date_due", labels.DUE_DATE)):
        dates = labelled(segs, label, finder)
        if name == "date" and not dates:
            dates = labelled(segs, _DATE_LABEL, finder)
        if dates:
            fields.append(_field(name, dates[0][0], dates[0][1]))
    numbers = labelled(segs, _INVOICE_NUMBER_LABEL, partial(_ids, pattern=_ANY_ID)) or labelled(
        segs, _NUMBER_LABEL, _ids
    )
    if numbers:
        fields.append(_field("invoice_number", numbers[0][0], numbers[0][1]))
    recipient = read_recipient(segs)
    if recipient is not None:
        fields.append(recipient)
    issuer = read_issuer(segs, recipient)
    if issuer is not None:
        fields.append(issuer)
    return fields


def _date_finder(segs: Sequence[Segment]) -> Finder:
    if any(labels.day_first(s.text) for s in segs):
        return partial(find_dates, day_first=True)
    return find_dates


def _contract(segs: list[Segment]) -> list[Field]:
    fields = _parties(segs)
    start = (
        labelled(segs, _FROM, find_dates)
        or labelled(segs, _START_LABEL, find_dates)
        or labelled(segs, START_ALONE, find_dates)
    )
    if start:
        fields.append(_field("term_start", start[0][0], start[0][1]))
    end = labelled(segs, _TO, find_dates) or labelled(segs, _END_LABEL, find_dates)
    if end:
        fields.append(_field("term_end", end[0][0], end[0][1]))
    values = labelled(segs, _VALUE, find_amounts)
    if values:
        fields.append(_field("value", values[0][0].value, values[0][1]))
    signed = _signing_date(segs)
    if signed is not None:
        fields.append(signed)
    return fields


def _parties(segs: list[Segment]) -> list[Field]:
    """The names in the 甲/乙 signature blocks: right of the role mark or under it."""
    found: list[Field] = []
    for seg in segs:
        role = _ROLE.match(seg.text)
        if role is None:
            continue
        block = [seg, *right_of(seg, segs)[:1], *below(seg, segs, lines=4)]
        block += [b for r in right_of(seg, segs)[:1] for b in below(r, segs, lines=4)]
        for part in block:
            text = _NAME_PREFIX.sub("", _ROLE.sub("", part.text, count=1).strip())
            if len(text) >= 2 and not _NOT_NAME.search(text) and not find_dates(text):
                found.append(_field("party", f"{text} ({role.group(1)})", part))
                break
    return found


def _signing_date(segs: list[Segment]) -> Field | None:
    """A date standing alone above the first 甲/乙 block, or after "Date:" in a signature block."""
    roles = [s for s in segs if _ROLE.match(s.text)]
    alone = [
        s
        for s in segs
        if roles
        and s.page == roles[0].page
        and s.box.y1 <= roles[0].box.y0
        and (found := find_dates(s.text))
        and found[0].end >= len(s.text.strip()) - 1
        and found[0].start <= 1
    ]
    if alone:
        return _field("agreement_date", find_dates(alone[-1].text)[0].value, alone[-1])
    signed = labelled(segs, _SIGN_DATE_LABEL, find_dates)
    if signed:
        return _field("agreement_date", signed[-1][0], signed[-1][1])
    return None
