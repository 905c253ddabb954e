"""Fields read from where words are on the page, not only from the order of the text.

    fields = read_layout(pages, "invoice")    # pages: ingest.words.PageWords

A label's value is right of it on its line (the next table cell) or below it in its
column; the issuer is the name in the block that carries the registration number, or the
company at the top right (Japanese) or top left (English) that is not the addressee; the
addressee is the name before 御中/様; a contract's parties are the names in the 甲/乙
signature blocks, its term the dates after 自 and 至, its signing date the date that stands
alone above those blocks. Every field keeps its page and box (``Field.box``); its text span
is found later (``ingest.fields.locate``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from ingest.fields.base import Field, Value
from ingest.fields.contract import _START, _VALUE
from ingest.fields.invoice import _COMPANY, _DUE, _ISSUED, _TAX, _TOTAL
from ingest.fields.normalize import Amount, Found, find_amounts, find_dates, parse_number
from ingest.fields.registration import PATTERN as REGISTRATION
from ingest.fields.segments import Segment, below, beside_or_below, right_of, segments
from ingest.words import PageWords

Finder = Callable[[str], list[Found[Any]]]

_NUMBER_LABEL = re.compile(
    r"^(?:請求書?番号|請求No\.?|見積(?:書)?(?:番号|No\.?)|領収書?番号|伝票番号|No\.?|"
    r"(?:Invoice|Quote|Quotation|Receipt)\s*(?:No\.?|Number|#)|Number|#)(?![A-Za-z])\s*[:：]?",
    re.IGNORECASE,
)
_ID = re.compile(r"#?([A-Z0-9][A-Z0-9_/.-]*\d[A-Z0-9_/-]*)", re.IGNORECASE)
_HONORIFIC = re.compile(r"^(.{2,40}?)\s*(?:御中|様|殿)$")
_TO_LABEL = re.compile(r"^(?:Bill\s*To|Billed\s*To|Customer|To|Sold\s*To)\s*:?$", re.IGNORECASE)
_FROM_LABEL = re.compile(
    r"^(?:From|Seller|Supplier|Issued\s*by|発行者|請求者)\s*[:：]?$", re.IGNORECASE
)
_EN_COMPANY = re.compile(
    r"^[A-Z][\w&.,' -]{1,60}?\b(?:Inc|Ltd|LLC|GmbH|Co|Corp|Corporation|Company|Limited|Traders|Services|Works|Supplies|Engineering|Consulting|Systems)\b\.?$",
    re.IGNORECASE,
)
_TITLE_WORDS = re.compile(
    r"^(?:tax\s+)?(?:invoice|quotation|quote|estimate|receipt|payment receipt|statement)$", re.I
)
_ROLE = re.compile(r"^([甲乙丙])(?:\s+|$|(?=住所|所在地|名称|商号|氏名|[(（]))")
_NAME_PREFIX = re.compile(r"^(?:名称|商号|氏名|社名|名)\s*[:：]?\s*")
_NOT_NAME = re.compile(r"住所|所在地|代表|〒|TEL|電話|印|^\(?[甲乙]\)?$")
_FROM = re.compile(r"^自\s*")
_TO = re.compile(r"^至\s*")
_TAX_LABEL = re.compile(rf"{_TAX.pattern}|(?i:GST|HST|Sales\s*Tax)(?![A-Za-z])")
_START_LABEL = re.compile(r"(?i)^(?:Start\s*Date|Commencement\s*Date|Term\s*Start)\s*:?$")
_END_LABEL = re.compile(r"(?i)^(?:End\s*Date|Expiration\s*Date|Term\s*End)\s*:?$")
_BARE_NUMBER = re.compile(r"^[¥$€£]?\s*(\d{1,3}(?:,\d{3})+(?:\.\d{2})?|\d+\.\d{2})\s*(?:円|-)?$")
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


def _field(name: str, value: Value, segment: Segment) -> Field:
    return Field(name, value, segment.page, 0, 0, source="layout", box=segment.box.rounded())


def labelled(
    segs: Sequence[Segment], label: re.Pattern[str], finder: Finder
) -> list[tuple[Any, Segment]]:
    """(value, segment) for each label whose value is in the next cell or the one below."""
    hits: list[tuple[Any, Segment]] = []
    for seg in segs:
        match = label.search(seg.text)
        # A label starts its segment, or is inside a short one ("Sales Tax", "10%対象 消費税").
        if match is None or (match.start() > 2 and len(seg.text) > 24):
            continue
        if (
            match.start()
            and seg.text[match.start() - 1].isascii()
            and seg.text[match.start() - 1].isalpha()
        ):
            continue  # "Subtotal" is no "Total"
        rest = seg.text[match.end() :]
        own = [f for f in finder(rest) if f.start < 6] if rest.strip(" :：") else []
        if own:
            hits.append((own[0].value, seg))
            continue
        for other in beside_or_below(seg, segs):
            found = finder(other.text)
            if found and found[0].start < 3:
                hits.append((found[0].value, other))
                break
    return hits


def cell_amounts(text: str) -> list[Found[Amount]]:
    """Amounts with a currency, or a table cell that is only a grouped or decimal number (a
    bare integer may be a year, a count or a code: not an amount without its currency)."""
    found = find_amounts(text)
    if found:
        return found
    match = _BARE_NUMBER.match(text.strip())
    number = parse_number(match.group(1)) if match else None
    return [Found(Amount(number, ""), 0, len(text))] if match and number is not None else []


def _ids(text: str) -> list[Found[str]]:
    match = _ID.match(text.strip())
    return [Found(match.group(1), match.start(1), match.end(1))] if match else []


def _invoice(segs: list[Segment]) -> list[Field]:
    fields: list[Field] = []
    totals = labelled(segs, _TOTAL, cell_amounts)
    if totals:
        amount, seg = max(totals, key=lambda hit: hit[0].value)
        fields.append(_field("total_amount", amount.value, seg))
        if amount.currency:
            fields.append(_field("currency", amount.currency, seg))
    taxes = [hit for hit in labelled(segs, _TAX_LABEL, cell_amounts) if hit[0].value > 0]
    if taxes:
        fields.append(_field("tax_amount", taxes[0][0].value, taxes[0][1]))
    for name, label in (("date", _ISSUED), ("date_due", _DUE)):
        dates = labelled(segs, label, find_dates)
        if dates:
            fields.append(_field(name, dates[0][0], dates[0][1]))
    numbers = labelled(segs, _NUMBER_LABEL, _ids)
    if numbers:
        fields.append(_field("invoice_number", numbers[0][0], numbers[0][1]))
    recipient = _recipient(segs)
    if recipient is not None:
        fields.append(recipient)
    issuer = _issuer(segs, recipient)
    if issuer is not None:
        fields.append(issuer)
    return fields


def _recipient(segs: list[Segment]) -> Field | None:
    for seg in segs:
        match = _HONORIFIC.match(seg.text.strip())
        if match:
            return _field("recipient", match.group(1).strip(), seg)
    for value, seg in labelled(segs, _TO_LABEL, _whole):
        return _field("recipient", value, seg)
    return None


def _whole(text: str) -> list[Found[str]]:
    stripped = text.strip()
    return [Found(stripped, 0, len(stripped))] if len(stripped) >= 2 else []


def _issuer(segs: list[Segment], recipient: Field | None) -> Field | None:
    """The issuer: after a "From" label; else the company of the block with the registration
    number; else a company at the top, right half for Japanese papers, left for English."""
    taken = recipient.value if recipient is not None else None
    for value, seg in labelled(segs, _FROM_LABEL, _whole):
        return _field("issuer", value, seg)
    companies = [
        (name, s) for s in segs if (name := _company(s.text)) is not None and name != taken
    ]
    for reg in (s for s in segs if REGISTRATION.search(s.text)):
        head = _block_head(reg, segs)
        name = _NAME_PREFIX.sub("", head.text.strip()) if head is not reg else ""
        if name and not _HONORIFIC.match(name) and not find_dates(name) and name != taken:
            return _field("issuer", _company(name) or name, head)
    top = [(name, s) for name, s in companies if s.box.y0 < 0.45]
    right = [(name, s) for name, s in top if s.box.x0 > 0.45 and _CJK_NAME.search(name)]
    left = [(name, s) for name, s in top if s.box.x0 < 0.3]
    for name, seg in (*right[:1], *left[:1]):
        return _field("issuer", name, seg)
    return None


_CJK_NAME = re.compile(r"[\u3040-\u9fff]")


def _block_head(seg: Segment, segs: Sequence[Segment]) -> Segment:
    """The first line of the left-aligned block of lines ``seg`` is in (a letterhead)."""
    head = seg
    while True:
        size = head.box.height
        above = [
            s
            for s in segs
            if s.page == head.page
            and abs(s.box.x0 - head.box.x0) < 0.02
            and 0 <= head.box.y0 - s.box.y1 < size * 1.2
        ]
        if not above:
            return head
        head = max(above, key=lambda s: s.box.y1)


def _company(text: str) -> str | None:
    """The company name ``text`` is (or starts with), not an addressee's."""
    stripped = _NAME_PREFIX.sub("", text.strip())
    if _HONORIFIC.match(stripped) or _TITLE_WORDS.match(stripped):
        return None
    match = _COMPANY.fullmatch(stripped) or _COMPANY.match(stripped)
    if match:
        return match.group(1).strip()
    return stripped if _EN_COMPANY.match(stripped) else None


def _contract(segs: list[Segment]) -> list[Field]:
    fields = _parties(segs)
    start = (
        labelled(segs, _FROM, find_dates)
        or labelled(segs, _START_LABEL, find_dates)
        or labelled(segs, _START, find_dates)
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
