"""UN/CEFACT Cross Industry Invoice (D16B): Factur-X, ZUGFeRD 2, XRechnung CII."""

from __future__ import annotations

from lxml import etree

from ingest.einvoice._values import amount, amount_in, cii_date, quantity, text, texts
from ingest.einvoice.model import EInvoice, Line

ROOT = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}CrossIndustryInvoice"
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
_TRADE = "rsm:SupplyChainTradeTransaction/"
_SELLER = _TRADE + "ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/"
_BUYER = _TRADE + "ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/"
_SETTLEMENT = _TRADE + "ram:ApplicableHeaderTradeSettlement/"
_TOTALS = _SETTLEMENT + "ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
_LINE_TOTAL = (
    "ram:SpecifiedLineTradeSettlement/"
    "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
)


def read_cii(root: etree._Element) -> EInvoice:
    currency = text(root, _SETTLEMENT + "ram:InvoiceCurrencyCode", NS)
    return EInvoice(
        syntax="CII",
        specification=text(
            root,
            "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
            NS,
        ),
        type_code=text(root, "rsm:ExchangedDocument/ram:TypeCode", NS),
        number=text(root, "rsm:ExchangedDocument/ram:ID", NS),
        issue_date=cii_date(
            text(root, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString", NS)
        ),
        due_date=cii_date(
            text(
                root,
                _SETTLEMENT
                + "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString",
                NS,
            )
        ),
        seller=text(root, _SELLER + "ram:Name", NS),
        seller_tax_ids=texts(root, _SELLER + "ram:SpecifiedTaxRegistration/ram:ID", NS)
        + texts(root, _SELLER + "ram:SpecifiedLegalOrganization/ram:ID", NS),
        buyer=text(root, _BUYER + "ram:Name", NS),
        currency=currency,
        net=amount(text(root, _TOTALS + "ram:TaxBasisTotalAmount", NS)),
        tax=amount_in(root, _TOTALS + "ram:TaxTotalAmount", NS, currency),
        total=amount(text(root, _TOTALS + "ram:GrandTotalAmount", NS)),
        due=amount(text(root, _TOTALS + "ram:DuePayableAmount", NS)),
        lines=tuple(
            _line(item)
            for item in root.iterfind(_TRADE + "ram:IncludedSupplyChainTradeLineItem", NS)
        ),
    )


def _line(item: etree._Element) -> Line:
    count, unit = quantity(item, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", NS)
    return Line(
        name=text(item, "ram:SpecifiedTradeProduct/ram:Name", NS) or "",
        quantity=count,
        unit=unit,
        amount=amount(text(item, _LINE_TOTAL, NS)),
    )
