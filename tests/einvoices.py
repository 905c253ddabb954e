"""Standard e-invoices made with the libraries that write them, with their truth.

* CII (Factur-X / ZUGFeRD / XRechnung CII) with ``drafthorse``, validated against the
  Factur-X EN 16931 schema by ``factur-x`` when embedded into a PDF/A-3 with it.
* UBL 2.1 Invoice / CreditNote with lxml, following the Peppol BIS Billing 3 and JP PINT
  rules (CustomizationID, ProfileID, the parties and totals they require).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from drafthorse.models.accounting import ApplicableTradeTax
from drafthorse.models.document import Document
from drafthorse.models.party import TaxRegistration
from drafthorse.models.payment import PaymentTerms
from drafthorse.models.tradelines import LineItem
from facturx import generate_from_binary
from lxml import etree
from reportlab.pdfgen import canvas

PEPPOL_BIS = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
JP_PINT = "urn:peppol:pint:billing-1@jp-1"
PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
EN16931 = "urn:cen.eu:en16931:2017"


@dataclass(frozen=True)
class Truth:
    """What an invoice says; each generator writes exactly this."""

    number: str = "INV-2024-0042"
    type_code: str = "380"
    issued: date = date(2024, 4, 1)
    due: date = date(2024, 4, 30)
    seller: str = "Lieferant GmbH"
    seller_tax_id: str = "DE123456789"
    buyer: str = "Stadt Musterstadt"
    currency: str = "EUR"
    lines: tuple[tuple[str, Decimal, str, Decimal], ...] = (
        ("Beratung", Decimal("10"), "HUR", Decimal("1000.00")),
        ("Reisekosten", Decimal("1"), "C62", Decimal("250.00")),
    )
    rate: Decimal = Decimal("19")

    @property
    def net(self) -> Decimal:
        return sum((line[3] for line in self.lines), Decimal("0"))

    @property
    def tax(self) -> Decimal:
        places = Decimal("1") if self.currency == "JPY" else Decimal("0.01")
        return (self.net * self.rate / 100).quantize(places)

    @property
    def total(self) -> Decimal:
        return self.net + self.tax


JAPANESE = Truth(
    number="請-2024-101",
    seller="株式会社サンプル商事",
    seller_tax_id="T7000012050002",
    buyer="大阪市役所",
    currency="JPY",
    lines=(("事務用品", Decimal("3"), "C62", Decimal("30000")),),
    rate=Decimal("10"),
)


def cii_xml(truth: Truth = Truth()) -> bytes:
    """A Factur-X EN 16931 CII invoice written by drafthorse."""
    doc = Document()
    doc.context.guideline_parameter.id = EN16931
    doc.header.id = truth.number
    doc.header.type_code = truth.type_code
    doc.header.issue_date_time = truth.issued
    agreement = doc.trade.agreement
    agreement.seller.name = truth.seller
    agreement.seller.tax_registrations.add(TaxRegistration(id=("VA", truth.seller_tax_id)))
    agreement.buyer.name = truth.buyer
    settlement = doc.trade.settlement
    settlement.currency_code = truth.currency
    for number, (name, quantity, unit, amount) in enumerate(truth.lines, start=1):
        item = LineItem()
        item.document.line_id = str(number)
        item.product.name = name
        item.agreement.net.amount = amount / quantity
        item.delivery.billed_quantity = (quantity, unit)
        item.settlement.trade_tax.type_code = "VAT"
        item.settlement.trade_tax.category_code = "S"
        item.settlement.trade_tax.rate_applicable_percent = truth.rate
        item.settlement.monetary_summation.total_amount = amount
        doc.trade.items.add(item)
    tax = ApplicableTradeTax()
    tax.calculated_amount = truth.tax
    tax.basis_amount = truth.net
    tax.type_code = "VAT"
    tax.category_code = "S"
    tax.rate_applicable_percent = truth.rate
    settlement.trade_tax.add(tax)
    terms = PaymentTerms()
    terms.due = truth.due
    settlement.terms.add(terms)
    totals = settlement.monetary_summation
    totals.line_total = truth.net
    totals.charge_total = Decimal("0.00")
    totals.allowance_total = Decimal("0.00")
    totals.tax_basis_total = truth.net
    totals.tax_total = (truth.tax, truth.currency)
    totals.grand_total = truth.total
    totals.due_amount = truth.total
    return bytes(doc.serialize(schema="FACTUR-X_EN16931"))


def facturx_pdf(xml: bytes, printed: str = "Rechnung") -> bytes:
    """A PDF/A-3 with ``xml`` embedded as factur-x.xml by the factur-x library (schema-checked)."""
    visual = io.BytesIO()
    page = canvas.Canvas(visual)
    page.drawString(72, 720, printed)
    page.save()
    return bytes(
        generate_from_binary(
            visual.getvalue(), xml, flavor="factur-x", level="en16931", check_xsd=True
        )
    )


_UBL: dict[str | None, str] = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


def ubl_xml(
    truth: Truth = Truth(), customization: str = PEPPOL_BIS, credit_note: bool = False
) -> bytes:
    """A UBL 2.1 Invoice (or CreditNote) in the element order of the UBL schema."""
    kind = "CreditNote" if credit_note else "Invoice"
    nsmap: dict[str | None, str] = {
        None: f"urn:oasis:names:specification:ubl:schema:xsd:{kind}-2",
        **_UBL,
    }
    root = etree.Element(
        f"{{urn:oasis:names:specification:ubl:schema:xsd:{kind}-2}}{kind}",
        nsmap=nsmap,
    )

    def add(
        parent: etree._Element, name: str, text: str | None = None, **attrs: str
    ) -> etree._Element:
        prefix, local = name.split(":")
        element = etree.SubElement(parent, f"{{{_UBL[prefix]}}}{local}", attrs)
        element.text = text
        return element

    money = {"currencyID": truth.currency}
    add(root, "cbc:CustomizationID", customization)
    add(root, "cbc:ProfileID", PEPPOL_PROFILE)
    add(root, "cbc:ID", truth.number)
    add(root, "cbc:IssueDate", truth.issued.isoformat())
    if not credit_note:
        add(root, "cbc:DueDate", truth.due.isoformat())
    add(root, f"cbc:{kind}TypeCode", truth.type_code)
    add(root, "cbc:DocumentCurrencyCode", truth.currency)
    add(root, "cbc:BuyerReference", "04011000-12345-34")
    for role, name, tax_id in (
        ("AccountingSupplierParty", truth.seller, truth.seller_tax_id),
        ("AccountingCustomerParty", truth.buyer, None),
    ):
        party = add(add(root, f"cac:{role}"), "cac:Party")
        add(
            party,
            "cbc:EndpointID",
            "0188:1234567890123" if tax_id else "0188:9876543210987",
            schemeID="0188",
        )
        country = add(add(party, "cac:PostalAddress"), "cac:Country")
        add(country, "cbc:IdentificationCode", "JP" if truth.currency == "JPY" else "DE")
        if tax_id:
            scheme = add(party, "cac:PartyTaxScheme")
            add(scheme, "cbc:CompanyID", tax_id)
            add(add(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
        add(add(party, "cac:PartyLegalEntity"), "cbc:RegistrationName", name)
    means = add(root, "cac:PaymentMeans")
    add(means, "cbc:PaymentMeansCode", "30")
    if credit_note:  # a CreditNote has no DueDate of its own
        add(means, "cbc:PaymentDueDate", truth.due.isoformat())
    tax_total = add(root, "cac:TaxTotal")
    add(tax_total, "cbc:TaxAmount", _amount(truth.tax), **money)
    subtotal = add(tax_total, "cac:TaxSubtotal")
    add(subtotal, "cbc:TaxableAmount", _amount(truth.net), **money)
    add(subtotal, "cbc:TaxAmount", _amount(truth.tax), **money)
    category = add(subtotal, "cac:TaxCategory")
    add(category, "cbc:ID", "S")
    add(category, "cbc:Percent", _amount(truth.rate))
    add(add(category, "cac:TaxScheme"), "cbc:ID", "VAT")
    totals = add(root, "cac:LegalMonetaryTotal")
    add(totals, "cbc:LineExtensionAmount", _amount(truth.net), **money)
    add(totals, "cbc:TaxExclusiveAmount", _amount(truth.net), **money)
    add(totals, "cbc:TaxInclusiveAmount", _amount(truth.total), **money)
    add(totals, "cbc:PayableAmount", _amount(truth.total), **money)
    for number, (name, quantity, unit, amount) in enumerate(truth.lines, start=1):
        line = add(root, f"cac:{kind}Line")
        add(line, "cbc:ID", str(number))
        add(
            line,
            "cbc:CreditedQuantity" if credit_note else "cbc:InvoicedQuantity",
            _amount(quantity),
            unitCode=unit,
        )
        add(line, "cbc:LineExtensionAmount", _amount(amount), **money)
        item = add(line, "cac:Item")
        add(item, "cbc:Name", name)
        line_tax = add(item, "cac:ClassifiedTaxCategory")
        add(line_tax, "cbc:ID", "S")
        add(line_tax, "cbc:Percent", _amount(truth.rate))
        add(add(line_tax, "cac:TaxScheme"), "cbc:ID", "VAT")
        add(add(line, "cac:Price"), "cbc:PriceAmount", _amount(amount / quantity), **money)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _amount(value: Decimal) -> str:
    return format(value, "f")


_SELLERS = (
    ("株式会社サンプル商事", "T7000012050002"),
    ("Lieferant GmbH", "DE123456789"),
    ("Au bon moulin SARL", "FR11999999998"),
    ("合同会社みなと印刷", "T3010401023456"),
)
_BUYERS = ("大阪市役所", "Stadt Musterstadt", "Ville de Lyon", "横浜市 総務局")
_ITEMS = (("事務用品", "C62"), ("Beratung", "HUR"), ("Maintenance", "C62"), ("印刷費", "C62"))


def varied_truth(n: int) -> Truth:
    """The ``n``-th of a development set: sellers, buyers, currencies, lines and credit notes vary."""
    seller, tax_id = _SELLERS[n % len(_SELLERS)]
    yen = tax_id.startswith("T")
    lines = tuple(
        (
            _ITEMS[(n + k) % len(_ITEMS)][0],
            Decimal(1 + (n * 7 + k) % 9),
            _ITEMS[(n + k) % len(_ITEMS)][1],
            Decimal((1 + (n * 7 + k) % 9) * (1000 + 250 * k)) / (1 if yen else 100),
        )
        for k in range(1 + n % 4)
    )
    return Truth(
        number=f"{'請' if yen else 'INV'}-{2024 + n % 3}-{100 + n}",
        type_code="381" if n % 5 == 4 else "380",
        issued=date(2024, 1 + n % 12, 1 + n % 28),
        due=date(2024, 1 + n % 12, 1 + n % 28) + timedelta(days=30),
        seller=seller,
        seller_tax_id=tax_id,
        buyer=_BUYERS[n % len(_BUYERS)],
        currency="JPY" if yen else "EUR",
        lines=lines,
        rate=Decimal("10") if yen else Decimal("19"),
    )
