"""Public-record fields: document number, date, issuing department, addressee."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.extract.base import PageText
from ingest.fields._search import date_finder, first_date, first_match, pages, present
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


# An issuing authority named in running text, in the first lines of the first page: a
# ministry, department, court, council, agency or official journal (English, German,
# French, Spanish, Italian, Dutch).
_CAP = r"[A-Z\u00c0-\u00de][\w.&'’-]*"
_SP = r"[ \t]+"
_AUTHORITY = re.compile(
    rf"((?:{_CAP}{_SP}){{0,4}}(?i:Department|Ministry|Office|Court|Commission|Council|Board|Agency"
    rf"|Authority|Bureau|Administration|Tribunal|Secretariat|Directorate|Inspectorate)"
    rf"(?:{_SP}(?i:of|for|on)(?:{_SP}(?i:the))?{_SP}{_CAP}"
    rf"(?:{_SP}(?:(?i:and|of)(?:{_SP}the)?{_SP})?{_CAP}){{0,6}})?"
    rf"|(?:City|County|State|Province|Municipality|Government){_SP}of(?:{_SP}the)?{_SP}{_CAP}"
    rf"(?:{_SP}{_CAP}){{0,3}}"
    rf"|Official{_SP}Journal{_SP}of{_SP}the{_SP}{_CAP}(?:{_SP}{_CAP}){{0,2}}|Federal{_SP}Register"
    rf"|(?:{_CAP}{_SP}){{1,2}}Gazette"
    rf"|(?:Bundes|Landes)?[A-ZÄÖÜ][a-zäöüß]*(?:ministerium|amt|gericht|behörde|verwaltung|kammer)"
    rf"(?:{_SP}(?:für|der|des){_SP}[^\n,.;:]{{3,60}}|{_SP}[A-ZÄÖÜ][a-zäöüß-]+(?=[ \t]*(?:\n|,|$)))?"
    r"|(?:Minist[èe]re|Tribunal|Cour|Conseil|Pr[ée]fecture|Mairie|Agence|Autorit[ée]|Journal[ \t]+officiel)"
    r"[ \t]+(?:de[ \t]+la|de[ \t]+l['’]|des|du|de|d['’]|administratif|judiciaire)[ \t]*[^\n,.;:]{2,60}"
    r"|(?:Ministerio|Juzgado|Ayuntamiento|Consejo|Agencia|Junta|Gobierno|Bolet[íi]n[ \t]+Oficial)"
    r"[ \t]+(?:de[ \t]+la|del|de)[ \t]+[^\n,.;:]{2,60}"
    r"|(?:Ministero|Tribunale|Corte|Comune|Consiglio|Agenzia|Regione|Provincia|Gazzetta[ \t]+Ufficiale)"
    r"[ \t]+(?:della|dello|dell['’]|degli|delle|dei|del|di)[ \t]*[^\n,.;:]{2,60}"
    r"|(?:Ministerie|Gemeente|Rechtbank|Provincie|Staatscourant)(?:[ \t]+van)?[ \t]+[^\n,.;:]{2,60})"
)
# A ministry or government printed above the body that issues in its name: the issuer is
# the body on the next line ("Department of the Treasury" / "Internal Revenue Service").
_PARENT = re.compile(
    r"(?i)\b(?:Department|Ministry|Government|Ministerium|Minist[èe]re|Ministerio|Ministero"
    r"|Ministerie)\b|ministerium"
)
_SUBORDINATE = re.compile(
    rf"(?m)^[ \t]*((?:{_CAP}{_SP}(?:(?:and|&){_SP})?){{1,6}}(?:Service|Bureau|Office|Agency|Administration|Division"
    rf"|Directorate|Inspectorate|Commission|Authority)(?:{_SP}(?:of|for){_SP}(?:the{_SP})?{_CAP}"
    rf"(?:{_SP}{_CAP}){{0,4}})?"
    rf"|(?:Bundes|Landes)?[A-ZÄÖÜ][a-zäöüß]*(?:amt|behörde|anstalt|direktion)(?:{_SP}(?:für|der|des)"
    rf"{_SP}[^\n,.;:]{{3,60}})?"
    rf"|(?:Direction|Direcci[óo]n|Direzione|Agence|Agencia|Agenzia|Dienst|Directie)[ \t]+[^\n,.;:]{{3,60}}"
    rf"|[A-Z][a-z]+dienst)[ \t]*$"
)
_AUTHORITY_WINDOW = 2000
"""Characters of the first page an authority is looked for in (its heading or first lines)."""


def public_fields(page_texts: Sequence[PageText]) -> list[Field]:
    return present(
        _doc_number(page_texts),
        first_date("date", page_texts, date_finder(page_texts)),
        first_match("issuer", page_texts, _ISSUER, _compact) or _authority(page_texts),
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


def _authority(page_texts: Sequence[PageText]) -> Field | None:
    for number, text in pages(page_texts[:1]):
        for match in _AUTHORITY.finditer(text[:_AUTHORITY_WINDOW]):
            name = re.sub(r"^the\s+", "", " ".join(match.group(1).split()), flags=re.IGNORECASE)
            names = [w.casefold() for w in name.split() if w[:1].isupper()]
            if len(name.split()) > 1 and len(set(names)) == len(names):  # not "Department …"
                issuing = _issuing_body(text, match) if _PARENT.search(name) else None
                if issuing is not None:
                    return Field("issuer", issuing.group(1), number, *issuing.span(1))
                return Field("issuer", name, number, match.start(1), match.end(1))
    return None


def _issuing_body(text: str, parent: re.Match[str]) -> re.Match[str] | None:
    """The body named on the line under a ministry's (its first two lines after it)."""
    after = text.find("\n", parent.end(1) - 1)
    if after < 0:
        return None
    stop = after + 1
    for _ in range(2):
        stop = text.find("\n", stop + 1)
        stop = len(text) if stop < 0 else stop
    return _SUBORDINATE.search(text, after + 1, stop)


def _compact(value: str) -> str:
    # Japanese has no word spaces: spaces inside a name or number are layout, not text.
    stripped = value.strip()
    return _SPACES.sub("", stripped) if re.search(r"[\u3040-\u9fff]", stripped) else stripped
