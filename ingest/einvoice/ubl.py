"""OASIS UBL 2.1 Invoice and CreditNote: Peppol BIS Billing 3, JP PINT, XRechnung UBL."""

from __future__ import annotations

from lxml import etree

from ingest.einvoice._values import amount, amount_in, iso_date, quantity, text, texts
from ingest.einvoice.model import EInvoice, Line

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
ROOTS = (f"{{{INVOICE_NS}}}Invoice", f"{{{CREDIT_NOTE_NS}}}CreditNote")
NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
_SELLER = "cac:AccountingSupplierParty/cac:Party/"
_BUYER = "cac:AccountingCustomerParty/cac:Party/"
_TOTALS = "cac:LegalMonetaryTotal/"


def read_ubl(root: etree._Element) -> EInvoice:
    credit = root.tag == ROOTS[1]
    kind = "CreditNote" if credit else "Invoice"
    currency = text(root, "cbc:DocumentCurrencyCode", NS)
    return EInvoice(
        syntax="UBL",
        specification=text(root, "cbc:CustomizationID", NS),
        # A CreditNote without a type code is still a credit note (UBL's own document type).
        type_code=text(root, f"cbc:{kind}TypeCode", NS) or ("381" if credit else None),
        number=text(root, "cbc:ID", NS),
        issue_date=iso_date(text(root, "cbc:IssueDate", NS)),
        due_date=iso_date(
            text(root, "cbc:DueDate", NS) or text(root, "cac:PaymentMeans/cbc:PaymentDueDate", NS)
        ),
        seller=_party_name(root, _SELLER),
        seller_tax_ids=texts(root, _SELLER + "cac:PartyTaxScheme/cbc:CompanyID", NS)
        + texts(root, _SELLER + "cac:PartyLegalEntity/cbc:CompanyID", NS),
        buyer=_party_name(root, _BUYER),
        currency=currency,
        net=amount(text(root, _TOTALS + "cbc:TaxExclusiveAmount", NS)),
        tax=amount_in(root, "cac:TaxTotal/cbc:TaxAmount", NS, currency),
        total=amount(text(root, _TOTALS + "cbc:TaxInclusiveAmount", NS)),
        due=amount(text(root, _TOTALS + "cbc:PayableAmount", NS)),
        lines=tuple(_line(item, credit) for item in root.iterfind(f"cac:{kind}Line", NS)),
    )


def _party_name(root: etree._Element, party: str) -> str | None:
    """The legal name (BT-27/BT-44), else the trading name."""
    return text(root, party + "cac:PartyLegalEntity/cbc:RegistrationName", NS) or text(
        root, party + "cac:PartyName/cbc:Name", NS
    )


def _line(item: etree._Element, credit: bool) -> Line:
    count, unit = quantity(item, "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity", NS)
    return Line(
        name=text(item, "cac:Item/cbc:Name", NS) or "",
        quantity=count,
        unit=unit,
        amount=amount(text(item, "cbc:LineExtensionAmount", NS)),
    )
