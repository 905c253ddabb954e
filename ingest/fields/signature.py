"""Signing dates English contracts give only beside their signatures."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from ingest.extract.base import PageText
from ingest.fields import _search as search
from ingest.fields.base import Field
from ingest.fields.normalize import Found, find_labelled_dates

# The contract runs from its signing: "executed … as of the date below", "the date of the last
# signature".
_AS_SIGNED = re.compile(
    r"(?i)as\s+of\s+the\s+date\s+(?:written\s+|set\s+forth\s+)?below"
    r"|date\s+of\s+(?:the\s+)?last\s+signature"
)
# Signature blocks dated by each party: "Date: 1/26/2020   Date: 1/27/2020", or dates over
# the "Date" printed under each signature's rule; near a signature's cue.
_SIGN_CUE = re.compile(r"(?im)^\s*(?:by\s*:|/s/|signature\b|name\s*:|in\s+witness\s+whereof)")
_DATE_WORDS = re.compile(r"(?i)\bdate\b\s*:?|\s")
_LINE = re.compile(r"(?m)^.*$")


def signed_on(page_texts: Sequence[PageText]) -> Field | None:
    """The last date the parties put beside their signatures: a contract is made when its last
    party signs (one block "Date: 1/26/2020", the other "Date: 1/27/2020")."""
    dated = [
        Field(
            "agreement_date",
            hit.value,
            number,
            line.start() + hit.start,
            line.start() + hit.end,
        )
        for number, text in search.pages(page_texts)
        for line in _LINE.finditer(text)
        for found in [find_labelled_dates(line.group())]
        if found and _signature_line(text, line, found)
        for hit in found
    ]
    return max(dated, key=lambda f: (f.value, f.page, f.start)) if dated else None


def _signature_line(text: str, line: re.Match[str], found: Sequence[Found[date]]) -> bool:
    """Whether ``line``, whose dates are ``found``, holds only dates labelled "Date" (on it, or
    on the line under its rule) and stands near a signature's cue."""
    rest = line.group()
    for hit in reversed(found):
        rest = rest[: hit.start] + rest[hit.end :]
    below = text[line.end() : line.end() + 200].split("\n")[1:3]
    labelled = "date" in line.group().casefold() or any(
        b.strip() and not _DATE_WORDS.sub("", b) for b in below
    )
    near = text[max(0, line.start() - 300) : line.end() + 300]
    return labelled and not _DATE_WORDS.sub("", rest) and bool(_SIGN_CUE.search(near))


def runs_from_signing(page_texts: Sequence[PageText]) -> bool:
    """Whether the contract runs from its (last) signature."""
    return any(_AS_SIGNED.search(text) for _, text in search.pages(page_texts))
