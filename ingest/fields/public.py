"""Public-record fields: document number, date, issuing department, addressee."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.extract.base import PageText
from ingest.fields._search import first_date, first_match, pages, present
from ingest.fields.base import Field

_SPACES = re.compile(r"\s+")
# 大市総第123号, 医政地発1121第1号 (PDF text often spaces every character out).
_DOC_NUMBER = re.compile(
    r"(?m)^[ \t]*((?:[\u4e00-\u9fff][ \t]*){1,10}(?:\d+[ \t]*)?第[ \t]*\d+[ \t]*号)"
    r"|(?i:\b(?:Resolution|Ordinance|Notice|Document|Order)\s+No\.?\s*([\w-]*\d[\w-]*))"
)
_ADDRESSEE = re.compile(r"(?m)^[ \t]*([^\n]{2,60}?)[ \t]*(?:殿|様|御中)[ \t]*$")
_ISSUER = re.compile(
    r"(?m)^[ \t]*([^\n]{0,30}?(?:省|庁|局|部|課|室|委員会|市長|町長|村長|知事|区長)(?:長)?)[ \t]*(?:\n|$)"
)


def public_fields(page_texts: Sequence[PageText]) -> list[Field]:
    return present(
        _doc_number(page_texts),
        first_date("date", page_texts),
        first_match("issuer", page_texts, _ISSUER, _compact),
        first_match("recipient", page_texts, _ADDRESSEE, _compact),
    )


def _doc_number(page_texts: Sequence[PageText]) -> Field | None:
    for number, text in pages(page_texts):
        match = _DOC_NUMBER.search(text)
        if match:
            group = 1 if match.group(1) else 2
            value = _compact(match.group(group))
            return Field("doc_number", value, number, match.start(group), match.end(group))
    return None


def _compact(value: str) -> str:
    # Japanese has no word spaces: spaces inside a name or number are layout, not text.
    stripped = value.strip()
    return _SPACES.sub("", stripped) if re.search(r"[\u3040-\u9fff]", stripped) else stripped
