"""Contract fields: title, parties (甲/乙 or English), signing date, term, value."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from ingest.extract.base import PageText
from ingest.fields import _search as search
from ingest.fields import signature
from ingest.fields.base import Field
from ingest.fields.duration import find_durations, term_end
from ingest.fields.normalize import Found, find_amounts, find_dates, find_labelled_dates

_TITLE = re.compile(
    r"(?m)^\s*((?:[^\n]{0,30}(?:契約書|覚書|協定書|通知書))"
    r"|(?:[A-Z][A-Za-z\-&,' \u00a0]{0,60}(?:AGREEMENT|Agreement|CONTRACT|Contract)))\s*$"
)
# 東京都（以下「甲」という。）と株式会社X（以下「乙」…: the name before each role marker,
# without the particle that joins it to the previous party.
_JA_PARTY = re.compile(
    r"(?:と|及び|並びに)?([^\s、。「」（）()]{2,40})\s*[（(]\s*以下\s*[「『]?\s*([甲乙丙])\s*[」』]?\s*という"
)
_EN_PARTIES = re.compile(
    r"(?is)\bbetween\s*:?\s+(.{3,200}?)\s*,?\s+and\s+(.{3,200}?)"
    r"(?:(?<!Ltd)(?<!Inc)(?<!Co)(?<!Corp)\.[\"”’)]?\s|\n\n|;|$"
    r"|\s*,?\s*\(?(?:each|collectively|individually|together|hereinafter)\b)"
)
# "Acme, LLC, d/b/a Shi Farms (“Shi Farms”), a Delaware …": a name ends at the first comma
# or bracket, except the comma before its legal form.
_EN_NAME_END = re.compile(
    r",\s(?!(?:LLC|Inc|Ltd|LLP|LP|PLC|Corp|Co|GmbH|AG)\b|L\.L\.C\.|L\.P\.|N\.A\.|S\.A\.|B\.V\.)"
    r"|\s*[(“\"]"
)
_SIGNED = re.compile(
    r"(?i)(?:契約締結日|締結日|契約日|made\s+and\s+entered\s+into|entered\s+into|made|dated)(?:\s+(?:as\s+of|on|this))?"
)
# A schedule's labels ("Contract start: 04-01-06", "Commencement Date:") too.
_SCHEDULE = r"(?:(?:contract|term|agreement|service|licen[cs]e)\s+|\b)"
_START = re.compile(
    r"(?i)(?:契約期間|有効期間|履行期間|commenc\w*\s+on|effective\s+(?:as\s+of|on)|Effective\s+Date"
    rf"|{_SCHEDULE}start(?:\s+date)?\s*:|commencement\s+date\s*:)"
)
_END_LABEL = re.compile(rf"(?i){_SCHEDULE}end(?:\s+date)?\s*:|\bexpir(?:y|ation)\s+date\s*:")
_DATE_LINE = re.compile(r"(?m)^[ \t]*(\S[^\n]{4,24}?)[ \t]*$")
_UNTIL = re.compile(r"から|より|\b(?:through|until|to)\b|～|~|\s-\s|-")
# Where a term is stated: "The term of this Agreement …", "shall continue for", "期間".
_TERM_WORDS = re.compile(
    r"(?i)\bterm\b|\bperiod\b|\bcontinue|remain\s+in\s+(?:full\s+)?(?:force|effect)|\bexpire"
    r"|\bterminat|Laufzeit|Dauer|dur[ée]e|duraci[óo]n|plazo|durata|looptijd|期間"
)
_SENTENCE_END = re.compile(r"\.\s|。|\n\s*\n")
# The date a term runs from when the sentence names no date: the Effective Date, signing.
_FROM_SIGNING = re.compile(
    r"(?i)effective\s+date|date\s+(?:of\s+this\s+(?:agreement|document|contract)|hereof"
    r"|(?:first\s+)?(?:written\s+|set\s+forth\s+)?above)"
    r"|date\s+(?:written\s+)?below|execution|signing|締結日|Unterzeichnung|Inkrafttreten"
    r"|signature|firma|ondertekening"
)
# An end the term sentence states beside its length ("… of 12 months … and expiring May 31,
# 2021"): the page's own date wins over one computed.
_END_WORDS = r"\b(?:expir\w*|ending|ends|end\s+on|until|through|terminat\w*\s+on)\b"
_STATED_END = re.compile(rf"(?i){_END_WORDS}\W{{0,3}}(?:on\s+)?")
START_ALONE = re.compile(rf"{_START.pattern}(?!.*{_END_WORDS})")
"""A start's label with no end's word after it on its line (whose date would be the end's)."""
_EFFECTIVE = re.compile(r'(?i)^[\s,]*\((?:the|hereinafter)?\s*["“]?Effective\s+Date')
_VALUE = re.compile(
    r"契約金額|請負代金額|委託料|契約額|契約代金|総額|(?i:contract\s+price|total\s+fees?|consideration\s+of)"
)


def contract_fields(page_texts: Sequence[PageText]) -> list[Field]:
    fields = search.present(
        search.first_match("title", page_texts, _TITLE, _one_spaced),
    )
    term = _term(page_texts)
    signed = (
        search.labelled_date("agreement_date", page_texts, _SIGNED)
        or signature.signed_on(page_texts)
        or _signing_line(page_texts)
    )
    if signed is None:  # the first date that is not the term's, nor after its start
        spans = {(f.page, f.start) for f in term}
        latest = term[0].value if term and isinstance(term[0].value, date) else date.max
        running = _running_lines(page_texts)
        signed = next(
            (
                search.field("agreement_date", number, found, found.value)
                for number, text in search.pages(page_texts)
                for found in find_dates(text)
                if (number, found.start) not in spans
                and found.value <= latest
                and _line_at(text, found.start) not in running
            ),
            None,
        )
    fields += search.present(signed)
    fields += _parties(page_texts)
    if len(term) < 2:
        term = _term_from_length(page_texts, term, _effective(page_texts), signed)
    if not term and signed is not None and signature.runs_from_signing(page_texts):
        term = [Field("term_start", signed.value, signed.page, signed.start, signed.end)]
    fields += term
    values = search.after_label(page_texts, _VALUE, find_amounts, window=40)
    if values:
        page, value = values[0]
        fields.append(search.field("value", page, value, value.value.value))
    return fields


def _one_spaced(text: str) -> str:
    """``text`` with its runs of spaces (no-break spaces too) as one space."""
    return " ".join(text.split())


def _running_lines(page_texts: Sequence[PageText]) -> set[str]:
    """Lines printed on more than one page: a running header or footer (a filing's stamp
    "Source: …, 9/18/2006"), whose date is not the contract's."""
    seen: dict[str, int] = {}
    for _, text in search.pages(page_texts):
        for line in {line.strip() for line in text.splitlines() if line.strip()}:
            seen[line] = seen.get(line, 0) + 1
    return {line for line, count in seen.items() if count > 1}


def _line_at(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : end if end >= 0 else len(text)].strip()


def _signing_line(page_texts: Sequence[PageText]) -> Field | None:
    """The signing date of a Japanese contract: the last date standing alone on its line
    (above the 甲/乙 signature blocks), not one inside the term clause."""
    last: Field | None = None
    for number, text in search.pages(page_texts):
        for line in _DATE_LINE.finditer(text):
            found = find_dates(line.group(1))
            if found and found[0].end == len(line.group(1)):
                hit = found[0]
                start = line.start(1) + hit.start
                last = Field("agreement_date", hit.value, number, start, line.start(1) + hit.end)
    return last


def _parties(page_texts: Sequence[PageText]) -> list[Field]:
    for number, text in search.pages(page_texts):
        found = [
            Field("party", f"{m.group(1)} ({m.group(2)})", number, m.start(1), m.end(1))
            for m in _JA_PARTY.finditer(text)
        ]
        if found:
            return found
        match = _EN_PARTIES.search(text[:5000])
        if match:
            return [_en_party(match, group, number) for group in (1, 2)]
    return []


def _start_dates(text: str) -> list[Found[date]]:
    """Dates after a start's label, not after an end's word ("Effective Date, ending on …")."""
    found = find_labelled_dates(text)
    return [f for f in found if not _STATED_END.search(text[: f.start])]


def _term(page_texts: Sequence[PageText]) -> list[Field]:
    starts = search.after_label(page_texts, _START, _start_dates, window=60)
    if not starts:
        return []
    page, start = starts[0]
    fields = [search.field("term_start", page, start, start.value)]
    text = next(text for number, text in search.pages(page_texts) if number == page)
    # The end follows "until"/"から" soon after the start ("… and shall continue until …").
    rest = text[start.end : start.end + 60]
    until = _UNTIL.search(rest)
    later = find_dates(rest[until.end() :]) if until else []
    if until and later and later[0].start < 30:
        offset = start.end + until.end()
        end = later[0]
        fields.append(Field("term_end", end.value, page, offset + end.start, offset + end.end))
    else:  # a schedule's "Contract end: 04-01-08"
        ends = search.after_label(page_texts, _END_LABEL, find_labelled_dates, window=40)
        fields += [search.field("term_end", p, f, f.value) for p, f in ends[:1]]
    return fields


def _effective(page_texts: Sequence[PageText]) -> Field | None:
    """The date defined as "the Effective Date"."""
    for number, text in search.pages(page_texts):
        for found in find_dates(text):
            if _EFFECTIVE.match(text[found.end : found.end + 40]):
                return search.field("term_start", number, found, found.value)
    return None


def _term_from_length(
    page_texts: Sequence[PageText],
    term: list[Field],
    effective: Field | None,
    signed: Field | None,
) -> list[Field]:
    """The term with its end computed from a length ("for a period of one (1) year from the
    Effective Date"): from the term's start, a date in the sentence, the date the contract
    defines as its Effective Date, or the signing date when the sentence runs from it."""
    for number, text in search.pages(page_texts):
        for match in _TERM_WORDS.finditer(text):
            stop = _SENTENCE_END.search(text, match.end(), match.end() + 400)
            sentence = text[match.start() : stop.start() if stop else match.end() + 300]
            lengths = find_durations(sentence)
            if not lengths:
                continue
            start = term[0] if term else _sentence_start(sentence, number, match.start())
            since = effective or (signed if _FROM_SIGNING.search(sentence) else None)
            if start is None and since is not None:
                start = Field("term_start", since.value, since.page, since.start, since.end)
            if start is None or not isinstance(start.value, date):
                continue
            stated = _stated_end(sentence, number, match.start())
            if stated is not None:
                return [start, stated]
            end = term_end(start.value, lengths[0].value)
            if end is None:
                continue
            at = match.start() + lengths[0].start
            length_end = match.start() + lengths[0].end
            return [start, Field("term_end", end, number, at, length_end)]
    return term


def _stated_end(sentence: str, page: int, offset: int) -> Field | None:
    for word in _STATED_END.finditer(sentence):
        found = find_dates(sentence[word.end() : word.end() + 30])
        if found and found[0].start == 0:
            start, end = offset + word.end(), offset + word.end() + found[0].end
            return Field("term_end", found[0].value, page, start, end)
    return None


def _sentence_start(sentence: str, page: int, offset: int) -> Field | None:
    found = _start_dates(sentence)
    if not found:
        return None
    first = found[0]
    return Field("term_start", first.value, page, offset + first.start, offset + first.end)


def _en_party(match: re.Match[str], group: int, page: int) -> Field:
    # "Acme Corp., a Delaware corporation (“Acme”)": the name ends at the first comma or bracket.
    raw = match.group(group)
    name = _EN_NAME_END.split(raw, maxsplit=1)[0]
    start = match.start(group)
    return Field("party", " ".join(name.split()), page, start, start + len(name))
