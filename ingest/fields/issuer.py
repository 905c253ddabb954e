"""Who sent a commercial paper and to whom, read from where names stand on the page.

    recipient = read_recipient(segs)          # the addressee: before 御中/様, after "Bill To"
    issuer = read_issuer(segs, recipient)     # the sender, never the addressee

The issuer is taken only from evidence that names it, strongest first: a "From" label; the
sender's return line above a European address window ("Müller GmbH · Hauptstr. 1 · Berlin");
the block that carries the registration number or VAT ID (a letterhead or a footer column);
"Make checks payable to …" or the bank details' account holder; a company with its legal
form at the top (right half for Japanese papers, left for others) outside the addressee's
block; a company in the footer; a line at the top that the sender's own web or mail domain
spells. Its confidence says which. A brand or product line printed large, or a domain alone
(an invoicing platform's, a demo's, a webmail's), is no evidence: no issuer rather than a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.fields.base import Field, Value
from ingest.fields.cells import labelled, whole
from ingest.fields.invoice import _COMPANY, PAYEE
from ingest.fields.normalize import find_dates
from ingest.fields.registration import PATTERN as REGISTRATION
from ingest.fields.segments import Segment, below

HONORIFIC = re.compile(r"^(.{2,40}?)\s*(?:御中|様|殿)$")
_TO_LABEL = re.compile(
    r"^(?:Bill(?:ed)?\s*To|Invoice\s*To|Ship(?:ped)?\s*To|Deliver(?:y|ed)?\s*To|Customer|To|"
    r"Sold\s*To|Rechnungsempf[äa]nger|Rechnungsadresse|Lieferadresse|Kunde|An|Client|"
    r"Adresse\s*de\s*(?:facturation|livraison)|Enviar\s*a|Destinataire|Factur(?:er|eren)\s*(?:[àa]|aan)|Klant|Cliente|Facturar\s*a|Destinatario|"
    r"Spett\.?le)\s*:?$",
    re.IGNORECASE,
)
_FROM_LABEL = re.compile(
    r"^(?:From|Seller|Supplier|Issued\s*by|発行者|請求者|Verk[äa]ufer|Lieferant|Absender|"
    r"Fournisseur|Vendeur|[ÉE]metteur|Leverancier|Proveedor|Emisor|Fornitore|Cedente)\s*[:：]?$",
    re.IGNORECASE,
)
_LEGAL_FORMS = (
    r"Inc|Ltd|LLC|LLP|PLC|GmbH|AG|KG|OHG|UG|e\.\s?K|SE|Co|Corp|Corporation|Company|Limited|"
    r"S\.?A\.?S?|SARL|S[àa]rl|EURL|B\.?V\.?|N\.?V\.?|S\.?L\.?U?|S\.?r\.?l\.?s?|S\.?p\.?A\.?|"
    r"S\.?n\.?c\.?|Oy|AB|ApS|A/S|Pty|Traders|Services|Works|Supplies|Engineering|Consulting|Systems"
)
_EN_COMPANY = re.compile(
    rf"^[A-Z\u00c0-\u024f][\w&.,'’ -]{{1,60}}?\b(?:{_LEGAL_FORMS})(?:\b|\.)\.?$"
)
_TITLE_WORDS = re.compile(
    r"^(?:tax\s+)?(?:invoice|quotation|quote|estimate|receipt|payment receipt|statement|"
    r"rechnung|gutschrift|angebot|quittung|facture|avoir|devis|re[çc]u|factuur|offerte|"
    r"factura|presupuesto|recibo|fattura|preventivo|ricevuta|credit note)$",
    re.IGNORECASE,
)
_NAME_PREFIX = re.compile(r"^(?:名称|商号|氏名|社名|名)\s*[:：]?\s*")
_CJK_NAME = re.compile(r"[\u3040-\u9fff]")
_NAME_START = re.compile(r"^[A-Z\u00c0-\u00de]|[\u3040-\u9fff]")
VAT_ID = re.compile(
    r"(?<![A-Z0-9])(?:DE\s?\d{9}|ATU\d{8}|FR\s?[0-9A-Z]{2}\s?\d{9}|NL\s?\d{9}\s?B\d{2}"
    r"|ES\s?[A-Z0-9]\d{7}[A-Z0-9]|IT\s?\d{11}|BE\s?0?\d{9}|GB\s?\d{9})(?![A-Z0-9])"
)
_SENDER_LINE = re.compile(r"^([^·|•]{2,60}?)\s*[·|•]\s*[^·|•]+[·|•]")
_DOMAIN = re.compile(r"(?i)(?:@|\bwww\.)([a-z0-9][a-z0-9-]{1,40})\.[a-z]{2,}")
_NOT_SENDER_DOMAINS = frozenset(
    [
        "gmail",
        "googlemail",
        "yahoo",
        "hotmail",
        "outlook",
        "live",
        "msn",
        "aol",
        "icloud",
        "me",
        "mail",
        "gmx",
        "web",
        "t-online",
        "orange",
        "free",
        "wanadoo",
        "sfr",
        "laposte",
        "libero",
        "tiscali",
        "virgilio",
        "ziggo",
        "kpn",
        "telefonica",
        "paypal",
        "stripe",
        "google",
        "facebook",
        "linkedin",
        "twitter",
        "instagram",
        "youtube",
        "x",
        # invoicing and shop platforms, placeholders of demos and templates
        "example",
        "sample",
        "test",
        "demo",
        "domain",
        "company",
        "yourcompany",
        "yourdomain",
        "mycompany",
        "odoo",
        "zoho",
        "quickbooks",
        "intuit",
        "xero",
        "freshbooks",
        "invoiceninja",
        "sage",
        "wave",
        "waveapps",
        "square",
        "squareup",
        "shopify",
        "wix",
        "sumup",
        "lexoffice",
        "sevdesk",
        "billbee",
        "invoice",
        "invoices",
        "billing",
        "noreply",
        "no-reply",
    ]
)


def read_recipient(segs: Sequence[Segment]) -> Field | None:
    for seg in segs:
        match = HONORIFIC.match(seg.text.strip())
        if match:
            return layout_field("recipient", match.group(1).strip(), seg)
    for value, seg in labelled(segs, _TO_LABEL, whole, reach=NAME_REACH):
        return layout_field("recipient", value, seg)
    return None


NAME_REACH = 0.25
"""How far right of "Bill To:" or "From:" its name may stand (a column further is another block)."""

ISSUER_CONFIDENCE = {
    "label": 0.9,
    "return line": 0.85,
    "registration block": 0.9,
    "payee": 0.85,
    "letterhead company": 0.8,
    "footer company": 0.7,
    "own domain": 0.6,
}
"""How far each kind of evidence names the sender (``Field.confidence`` of the issuer)."""


def read_issuer(segs: Sequence[Segment], recipient: Field | None) -> Field | None:
    taken = recipient.value if recipient is not None else None
    for value, seg in labelled(segs, _FROM_LABEL, whole, reach=NAME_REACH):
        return layout_field("issuer", value, seg, ISSUER_CONFIDENCE["label"])
    for evidence, found in (
        ("return line", _sender_line(segs)),
        ("registration block", _id_block(segs, taken)),
        ("payee", _payee(segs)),
        ("letterhead company", _top_company(segs, taken)),
        ("footer company", _footer_company(segs, taken)),
        ("own domain", _domain_name(segs)),
    ):
        if found is not None and found[0] != taken:
            return layout_field("issuer", found[0], found[1], ISSUER_CONFIDENCE[evidence])
    return None


def company(text: str) -> str | None:
    """The company name ``text`` is (or starts with), not an addressee's."""
    stripped = _NAME_PREFIX.sub("", text.strip())
    if HONORIFIC.match(stripped) or _TITLE_WORDS.match(stripped):
        return None
    match = _COMPANY.fullmatch(stripped) or _COMPANY.match(stripped)
    if match:
        return match.group(1).strip()
    return stripped if _EN_COMPANY.match(stripped) else None


def layout_field(
    name: str, value: Value, segment: Segment, confidence: float | None = None
) -> Field:
    return Field(
        name,
        value,
        segment.page,
        0,
        0,
        source="layout",
        confidence=confidence,
        box=segment.box.rounded(),
    )


Named = tuple[str, Segment]


def _sender_line(segs: Sequence[Segment]) -> Named | None:
    """The sender's name on the return line printed above a window envelope's address."""
    for seg in segs:
        match = _SENDER_LINE.match(seg.text.strip())
        if match and seg.box.y0 < 0.35 and not re.search(r"\d", match.group(1)):
            return match.group(1).strip(), seg
    return None


def _id_block(segs: Sequence[Segment], taken: Value | None) -> Named | None:
    """The head of the block that carries a registration number or a VAT ID."""
    for reg in (s for s in segs if REGISTRATION.search(s.text) or VAT_ID.search(s.text)):
        head = _block_head(reg, segs)
        name = _NAME_PREFIX.sub("", head.text.strip()) if head is not reg else ""
        # a street or a phone line is no name, nor a lower-case word (OCR's reading of a logo)
        plausible = (
            _NAME_START.search(name) and not re.search(r"\d{3}", name) and not find_dates(name)
        )
        if plausible and not HONORIFIC.match(name) and name != taken:
            return company(name) or name, head
    return None


def _payee(segs: Sequence[Segment]) -> Named | None:
    for seg in segs:
        match = PAYEE.search(seg.text)
        if match:
            return match.group(1).strip(), seg
    return None


def _top_company(segs: Sequence[Segment], taken: Value | None) -> Named | None:
    addressed = _addressee_block(segs)
    top = [
        (name, s)
        for s in segs
        if s.box.y0 < 0.45
        and s not in addressed
        and (name := company(s.text)) is not None
        and name != taken
    ]
    # Japanese papers: the issuer at the right (the addressee, top left, has 御中/様); others:
    # the letterhead, left or right, is the topmost company outside the customer's block.
    right = [(name, s) for name, s in top if s.box.x0 > 0.45 and _CJK_NAME.search(name)]
    chosen = right or [(name, s) for name, s in top if not _CJK_NAME.search(name)]
    return min(chosen, key=lambda hit: hit[1].box.y0) if chosen else None


def _footer_company(segs: Sequence[Segment], taken: Value | None) -> Named | None:
    for seg in segs:
        name = company(seg.text) if seg.box.y0 > 0.8 else None
        if name is not None and name != taken:
            return name, seg
    return None


def _addressee_block(segs: Sequence[Segment]) -> list[Segment]:
    """The lines under a "Bill To" label or a sender's return line: the customer's address."""
    heads = [s for s in segs if _TO_LABEL.match(s.text.strip()) or _SENDER_LINE.match(s.text)]
    return [b for head in heads for b in below(head, segs, lines=6)]


def _domain_name(segs: Sequence[Segment]) -> Named | None:
    """A line at the top that the sender's web or mail domain (letterhead or footer) spells:
    a brand or logo text the domain confirms; a domain that spells no printed name is none."""
    addressed = _addressee_block(segs)
    for seg in segs:
        if seg in addressed or 0.25 < seg.box.y0 < 0.8:
            continue
        for match in _DOMAIN.finditer(seg.text):
            stem = match.group(1).lower()
            if stem in _NOT_SENDER_DOMAINS or len(stem) < 3:
                continue
            printed = next((s for s in segs if s.box.y0 < 0.25 and _spells(stem, s.text)), None)
            if printed is not None:
                return printed.text.strip(), printed
    return None


def _spells(stem: str, text: str) -> bool:
    """Whether a domain's ``stem`` spells ``text`` ("acme-tools": "ACME Tools", "Acme")."""
    letters = re.sub(r"[^a-z0-9]", "", text.lower())
    return len(letters) >= 4 and stem.replace("-", "").startswith(letters)


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
