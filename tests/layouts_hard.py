"""The structures of real papers that defeat a reader built on tidy layouts, with exact truth.

    doc = letterhead_invoice(rng, n, "de")          # pools of the development set
    doc = letterhead_invoice(rng, n, "de", HELD_OUT)  # pools never read while tuning

Invoices in English, German, French, Spanish and Japanese: a logo's alt text and a product
or brand line printed large above the letterhead (neither is the issuer); the issuer's
letterhead at the top left or right, beside or above the customer's block (a company too);
the mail or web domain of the invoicing platform or of a demo beside the issuer's own; the
invoice number under many labels (No., Nr., Rechnungsnummer, Factura n.º, 請求番号, #); a
service period as a date range (``01-03-2024-31-03-2024``) above the invoice date; an item
table. Some issuers are printed only in their logo (an image): no text names them, and the
right answer is none. Public notices print a ministry above the office that issues them.

Each pool has two halves: the development half (``DEV``) and a held-out half (``HELD_OUT``),
written once and never read while the readers were tuned.
"""

from __future__ import annotations

import random
from datetime import timedelta

from tests.layout_page import WIDTH, FieldDoc, en_date, ja_date, priced_items, random_day, yen

DEV, HELD_OUT = 0, 1
Pool = tuple[tuple[str, ...], tuple[str, ...]]

_LANG: dict[str, dict[str, Pool]] = {
    "en": {
        "legal": (
            ("Harbourview Analytics Ltd", "Quillon Software Inc.", "Marrow & Finch LLC"),
            ("Tidewater Print Co.", "Osprey Data Corp.", "Kestrel Field Services Ltd"),
        ),
        "product": (
            ("Phone Center", "CloudVault Backup", "Premium Support Plan", "PhotoPrint Express"),
            ("Smart Office Suite", "Fleet Tracker", "Pro Hosting Line", "Event Ticketing"),
        ),
        "number": (
            ("Invoice No.", "No.", "Invoice #", "#", "Invoice no:"),
            ("Inv. No.", "Invoice Number", "Bill No.", "Nr."),
        ),
        "date": (("Invoice Date", "Date"), ("Date of issue", "Issue Date")),
        "period": (("Service period", "Billing period"), ("Period covered", "Usage period")),
        "total": (("Total", "Amount Due", "Total Due"), ("Balance Due", "Grand Total")),
        "tax": (("VAT 20%", "Tax"), ("Sales Tax", "GST 10%")),
        "customer": (("Bill To:", "Invoice To:", "Customer:"), ("Sold To:", "Client:")),
        "buyers": (
            ("Riverside County Council", "Northgate Hospital Trust Ltd"),
            ("City of Lakewood", "Brookfield Schools Corp."),
        ),
    },
    "de": {
        "legal": (
            ("Brandt Datentechnik GmbH", "Vogel & Sohn KG", "Lorenz Medien AG"),
            ("Hartmann Bürosysteme GmbH", "Seidel Logistik AG", "Kraus IT-Service GmbH"),
        ),
        "product": (
            ("Handy Center", "Druckerei Express", "Cloud Speicher Plus"),
            ("Büro Komplett", "Netzwerk Profi", "Kopierer Service Center"),
        ),
        "number": (
            ("Rechnungsnummer", "Rechnung Nr.", "Nr.", "Rechnungs-Nr."),
            ("Rechnungsnr.", "Beleg-Nr.", "Belegnummer"),
        ),
        "date": (("Rechnungsdatum", "Datum"), ("Ausstellungsdatum", "Belegdatum")),
        "period": (("Leistungszeitraum", "Abrechnungszeitraum"), ("Lieferzeitraum",)),
        "total": (("Gesamtbetrag", "Rechnungsbetrag"), ("Endbetrag", "Zu zahlen")),
        "tax": (("MwSt. 19 %", "USt. 19 %"), ("Umsatzsteuer 19 %",)),
        "customer": (("Rechnungsempfänger:", "Kunde:"), ("Rechnungsadresse:", "An:")),
        "buyers": (
            ("Stadtwerke Bonn GmbH", "Landkreis Harburg"),
            ("Kreisverwaltung Soest", "Verkehrsbetriebe Kiel GmbH"),
        ),
    },
    "fr": {
        "legal": (
            ("Lambert Informatique SARL", "Girard & Fils SAS", "Mercier Énergie SA"),
            ("Chevalier Bureautique SAS", "Perrin Conseil SARL", "Blanc Transports SA"),
        ),
        "product": (
            ("Centre Mobile", "Impression Express", "Maintenance Plus"),
            ("Bureau Facile", "Réseau Pro", "Centre Copie"),
        ),
        "number": (
            ("Facture n°", "N° de facture", "Numéro de facture", "N°"),
            ("Facture N°", "N° facture", "No de facture"),
        ),
        "date": (("Date de facture", "Date"), ("Date d'émission", "Facturée le")),
        "period": (("Période", "Période de service"), ("Période de facturation",)),
        "total": (("Total TTC", "Net à payer"), ("Montant TTC", "Total à payer")),
        "tax": (("TVA 20 %",), ("TVA (20%)",)),
        "customer": (("Client :", "Facturer à :"), ("Destinataire :",)),
        "buyers": (
            ("Mairie de Rennes", "Conseil départemental du Gard"),
            ("Ville de Tours", "Métropole de Lille"),
        ),
    },
    "es": {
        "legal": (
            ("Navarro Sistemas S.L.", "Ortega y Ruiz S.A.", "Delgado Energía S.L."),
            ("Castillo Impresión S.L.", "Vega Logística S.A.", "Molina Consultores S.L."),
        ),
        "product": (
            ("Centro Móvil", "Copias Express", "Soporte Premium"),
            ("Oficina Total", "Red Segura", "Centro de Impresión"),
        ),
        "number": (
            ("Factura n.º", "Número de factura", "Nº", "Factura nº"),
            ("Nº factura", "Número", "Factura N.º"),
        ),
        "date": (("Fecha de factura", "Fecha"), ("Fecha de emisión", "Fecha factura")),
        "period": (("Periodo de servicio", "Periodo"), ("Periodo facturado",)),
        "total": (("Total factura", "Importe total"), ("Total a pagar",)),
        "tax": (("IVA 21%",), ("IVA (21 %)",)),
        "customer": (("Cliente:", "Facturar a:"), ("Destinatario:",)),
        "buyers": (
            ("Ayuntamiento de Málaga", "Diputación de Cádiz"),
            ("Ayuntamiento de Zaragoza", "Cabildo de Tenerife"),
        ),
    },
    "ja": {
        "legal": (
            ("株式会社はやぶさ情報", "みどり印刷株式会社", "合同会社北辰テック"),
            ("株式会社つばさ物流", "光洋電機株式会社", "有限会社あおい企画"),
        ),
        "product": (
            ("タブレットセンター", "クラウド保管サービス", "プレミアムサポート"),
            ("スマートオフィス", "ネットワーク保守", "コピーセンター"),
        ),
        "number": (("請求番号", "請求書番号", "No.", "#"), ("請求No.", "伝票番号")),
        "date": (("請求日", "発行日"), ("請求年月日",)),
        "period": (("対象期間", "ご利用期間"), ("請求対象期間",)),
        "total": (("ご請求金額", "合計金額"), ("今回ご請求額", "税込合計")),
        "tax": (("消費税(10%)", "消費税"), ("消費税等",)),
        "customer": (("",), ("",)),
        "buyers": (("大阪市総務局", "堺市環境局"), ("京都市建設局", "神戸市教育委員会")),
    },
}
_ATTENTION = {
    "en": "Accounts Payable",
    "de": "Buchhaltung",
    "fr": "Service achats",
    "es": "Contabilidad",
    "ja": "経理課",
}
_DAY_FIRST = {"de": ".", "fr": "/", "es": "/"}
_PLATFORMS: Pool = (
    ("Sent with Zoho Invoice - invoices@zoho.com", "billing@example.com", "noreply@odoo.com"),
    ("Powered by QuickBooks · quickbooks.intuit.com", "demo@yourcompany.com", "mail@sample.com"),
)
_LOGO_ALT: Pool = (("[logo]", "LOGO", "Company logo"), ("[image: logo]", "Logo"))
_NUMBER_FORMS: Pool = (
    ("INV/{y}/{m:02d}/{k:04d}", "{y}-{k:04d}", "RE{k:06d}", "{k}"),
    ("F-{y}/{k:03d}", "{k:05d}", "A{k}-{m:02d}"),
)


def _pick(rng: random.Random, pool: Pool, half: int) -> str:
    return rng.choice(pool[half])


def _date(lang: str, rng: random.Random, day: object) -> str:
    if lang == "ja":
        return ja_date(rng, day)  # type: ignore[arg-type]
    if lang == "en":
        return en_date(rng, day)  # type: ignore[arg-type]
    sep = _DAY_FIRST[lang]
    return f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"  # type: ignore[attr-defined]


def _range(lang: str, rng: random.Random, start: object, end: object) -> str:
    """A service period, its dates day first and joined by a bare hyphen, or spaced."""
    if lang == "ja":
        return f"{ja_date(rng, start)}～{ja_date(rng, end)}"  # type: ignore[arg-type]
    a = f"{start.day:02d}-{start.month:02d}-{start.year}"  # type: ignore[attr-defined]
    b = f"{end.day:02d}-{end.month:02d}-{end.year}"  # type: ignore[attr-defined]
    return rng.choice((f"{a}-{b}", f"{a} - {b}"))


def _money(lang: str, amount: int) -> str:
    if lang == "ja":
        return f"¥{yen(amount)}"
    whole = f"{amount:,}.00"
    if lang == "en":
        return f"${whole}"
    return whole.replace(",", "_").replace(".", ",").replace("_", ".") + " €"


def letterhead_invoice(rng: random.Random, n: int, lang: str, half: int = DEV) -> FieldDoc:
    """An invoice with a product line, logo text and platform domain above a letterhead."""
    words = _LANG[lang]
    legal = _pick(rng, words["legal"], half)
    buyer = _pick(rng, words["buyers"], half)
    day = random_day(rng)
    start = (day - timedelta(days=40)).replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    form = _pick(rng, _NUMBER_FORMS, half)
    number = form.format(y=day.year, m=day.month, k=rng.randrange(1, 99999))
    items = priced_items(rng, ("Service fee", "Licence", "Support", "Materials"), 3)
    net = sum(q * p for _, q, p in items)
    tax = net // 10
    total = net + tax
    logo_only = rng.random() < 0.15  # the issuer's name is only in the logo image
    doc = FieldDoc(
        f"{lang}-letterhead-invoice-{n}",
        lang,
        "invoice",
        {
            "issuer": [legal],
            "invoice_number": [number],
            "date": [day.isoformat()],
            "total_amount": [str(total)],
            "tax_amount": [str(tax)],
            "currency": ["JPY" if lang == "ja" else "USD" if lang == "en" else "EUR"],
        },
    )
    doc.put(50, 40, _pick(rng, _LOGO_ALT, half), 7)
    doc.put(rng.choice((50, WIDTH / 2)), 66, _pick(rng, words["product"], half), 22)
    right = rng.random() < 0.5 or lang == "ja"
    x = 340 if right else 50
    if not logo_only:
        doc.put(x, 100, legal, 11)
    stem = (
        legal.split()[0].lower() if lang != "ja" else rng.choice(("hayabusa", "midori", "hokushin"))
    )
    own = f"info@{stem}.{'co.jp' if lang == 'ja' else rng.choice(('com', 'net', 'eu'))}"
    street = rng.choice(("Harbour Road", "Marktplatz", "Gran Vía", "rue Nationale"))
    address = f"{rng.randint(1, 99)} {street}" if lang != "ja" else "大阪市中央区本町1-2-3"
    for i, line in enumerate((address, own)):
        doc.put(x, 114 + i * 12, line, 8)
    # the customer's block: a column beside the letterhead, or under it
    cx, cy = (50, 100) if right else (340, 150)
    label = _pick(rng, words["customer"], half)
    if label:
        doc.put(cx, cy, label, 8)
    doc.put(cx, cy + 14, f"{buyer}{' 御中' if lang == 'ja' else ''}", 10)
    doc.put(cx, cy + 27, _ATTENTION[lang], 8)
    meta = [
        (_pick(rng, words["period"], half), _range(lang, rng, start, end)),
        (_pick(rng, words["number"], half), number),
        (_pick(rng, words["date"], half), _date(lang, rng, day)),
    ]
    rng.shuffle(meta)
    y = 210
    for label_text, value in meta:
        doc.cells((300, 420, 545), y, (f"{label_text}:", value))
        y += 16
    y += 20
    doc.cells((50, 300, 360, 450, 545), y, ("Description", "Qty", "Unit", "Amount"))
    for name, qty, price in items:
        y += 18
        row = (name, str(qty), _money(lang, price), _money(lang, qty * price))
        doc.cells((50, 300, 360, 450, 545), y, row)
    y += 30
    for label_text, amount in (
        (_pick(rng, words["tax"], half), tax),
        (_pick(rng, words["total"], half), total),
    ):
        doc.cells((330, 450, 545), y, (label_text, _money(lang, amount)))
        y += 18
    doc.put(50, 790, _pick(rng, _PLATFORMS, half), 7)
    return doc


# -- public notices: a ministry above the office that issues --------------------------------

_BODIES: dict[str, Pool] = {
    "en": (
        (
            "Department of the Treasury|Internal Revenue Service",
            "Department of Labor|Occupational Safety and Health Administration",
            "Ministry of Transport|Driver and Vehicle Licensing Agency",
        ),
        (
            "Department of Commerce|Bureau of Industry and Security",
            "Ministry of Justice|Legal Aid Agency",
        ),
    ),
    "de": (
        (
            "Bundesministerium der Finanzen|Bundeszentralamt für Steuern",
            "Bundesministerium des Innern|Bundesverwaltungsamt",
        ),
        ("Bundesministerium für Verkehr|Kraftfahrt-Bundesamt",),
    ),
    "fr": (
        ("Ministère de l'Économie|Direction générale des Finances publiques",),
        ("Ministère de l'Intérieur|Direction générale des étrangers en France",),
    ),
}
_NOTICE_TITLES: dict[str, Pool] = {
    "en": (("NOTICE", "Public Notice"), ("Official Notice",)),
    "de": (("Bekanntmachung", "Bescheid"), ("Allgemeinverfügung",)),
    "fr": (("Avis", "Arrêté"), ("Décision",)),
}
_NOTICE_TEXT = {
    "en": "This notice informs all registered parties of the revised filing procedure.",
    "de": "Hiermit wird das geänderte Verfahren zur Einreichung bekannt gemacht.",
    "fr": "Le présent avis informe les parties de la procédure de dépôt modifiée.",
}


def public_notice(rng: random.Random, n: int, lang: str, half: int = DEV) -> FieldDoc:
    """A notice whose letterhead prints the ministry above the issuing office."""
    parent, body = _pick(rng, _BODIES[lang], half).split("|")
    day = random_day(rng)
    doc = FieldDoc(
        f"{lang}-notice-{n}",
        lang,
        "notice",
        {"issuer": [body], "date": [day.isoformat()]},
    )
    doc.put(50, 60, parent, 9)
    doc.put(50, 74, body, 12)
    doc.put(545, 110, _date(lang, rng, day), 10, "right")
    doc.put(WIDTH / 2, 150, _pick(rng, _NOTICE_TITLES[lang], half), 16, "center")
    doc.put(60, 190, _NOTICE_TEXT[lang], 10)
    return doc
