"""An e-invoice as read from its XML (EN 16931 business terms), whichever syntax carried it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

CREDIT_NOTE_CODES = frozenset(
    {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
)
"""UNTDID 1001 codes of credit notes (EN 16931 allows these for a credit note)."""


@dataclass(frozen=True, slots=True)
class Line:
    name: str
    quantity: Decimal | None
    unit: str | None
    amount: Decimal | None


@dataclass(frozen=True, slots=True)
class EInvoice:
    """The business terms Bunko keeps; None for one the XML does not carry.

    ``syntax`` is ``CII`` or ``UBL``; ``specification`` the guideline the XML claims
    (BT-24: Factur-X profile, XRechnung, Peppol BIS 3, JP PINT); ``type_code`` its UNTDID
    1001 document type (380 invoice, 381 credit note).
    """

    syntax: str
    specification: str | None
    type_code: str | None
    number: str | None
    issue_date: date | None
    due_date: date | None
    seller: str | None
    seller_tax_ids: tuple[str, ...]
    buyer: str | None
    currency: str | None
    net: Decimal | None
    tax: Decimal | None
    total: Decimal | None
    due: Decimal | None
    lines: tuple[Line, ...] = ()

    @property
    def is_credit_note(self) -> bool:
        return self.type_code in CREDIT_NOTE_CODES

    @property
    def format_name(self) -> str:
        """A name staff recognise: the guideline's family, else the syntax."""
        spec = (self.specification or "").lower()
        for marker, name in _FORMATS:
            if marker in spec:
                return name
        return f"{self.syntax} e-invoice"


_FORMATS = (
    ("pint", "Peppol PINT"),
    ("xrechnung", "XRechnung"),
    ("peppol", "Peppol BIS"),
    ("factur-x", "Factur-X"),
    ("zugferd", "ZUGFeRD"),
    ("en16931", "EN 16931"),
)
