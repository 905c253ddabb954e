"""More of the field development set (``tests.layouts``): papers from outside Japan.

German, French, Dutch, Spanish and Italian invoices laid out as those countries print them
(the sender's return line above a window envelope's address, the meta block at the right,
the legal name only in the footer beside the bank details and VAT ID, the brand alone at
the top); English invoices whose issuer is only a brand, a web domain or the payee of
"Make checks payable to"; English contracts whose term is a length of time from the
Effective Date. Exact truth; dates and amounts in each country's own forms.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from tests.layout_page import WIDTH, FieldDoc, en_date, priced_items, random_day

_EU: dict[str, dict[str, tuple[str, ...]]] = {
    "de": {
        "surnames": ("Müller", "Schmidt", "Becker", "Wagner", "Hoffmann", "Krüger", "Schäfer"),
        "sectors": ("Haustechnik", "Bürobedarf", "Elektrotechnik", "Druckerei", "Software"),
        "forms": ("GmbH", "AG", "GmbH & Co. KG", "e.K."),
        "title": ("RECHNUNG", "Rechnung"),
        "number": ("Rechnungsnummer", "Rechnungs-Nr.", "Rechnung Nr."),
        "date": ("Rechnungsdatum", "Datum"),
        "due": ("Fälligkeitsdatum", "Zahlbar bis", "Fällig am"),
        "net": ("Nettobetrag", "Summe netto", "Zwischensumme"),
        "tax": ("MwSt. 19 %", "zzgl. 19 % USt.", "Umsatzsteuer 19 %"),
        "total": ("Gesamtbetrag", "Rechnungsbetrag", "Endbetrag", "Brutto", "Bruttobetrag"),
        "items": ("Wartung Heizungsanlage", "Druckerpapier A4", "Lizenz Fachverfahren"),
        "holder": ("Kontoinhaber",),
        "vat": ("USt-IdNr.",),
        "street": ("Hauptstraße", "Bahnhofstr.", "Lindenweg"),
        "city": ("10115 Berlin", "50667 Köln", "80331 München"),
    },
    "fr": {
        "surnames": ("Dubois", "Lefèvre", "Moreau", "Garnier", "Rousseau", "Fontaine"),
        "sectors": ("Informatique", "Bâtiment", "Services", "Imprimerie", "Bureautique"),
        "forms": ("SARL", "SAS", "SA"),
        "title": ("FACTURE", "Facture"),
        "number": ("N° de facture", "Facture n°", "Numéro de facture"),
        "date": ("Date de facture", "Date d'émission", "Date"),
        "due": ("Date d'échéance", "Échéance", "Date limite de paiement"),
        "net": ("Total HT", "Montant HT"),
        "tax": ("TVA 20 %", "TVA (20%)"),
        "total": ("Total TTC", "Montant TTC", "Net à payer", "Somme à payer"),
        "items": ("Maintenance du parc informatique", "Ramettes papier A4", "Travaux de peinture"),
        "holder": ("Titulaire du compte",),
        "vat": ("N° TVA intracommunautaire",),
        "street": ("rue de la République", "avenue Victor Hugo", "boulevard Voltaire"),
        "city": ("75011 Paris", "69002 Lyon", "33000 Bordeaux"),
    },
    "nl": {
        "surnames": ("Jansen", "de Vries", "Bakker", "Visser", "Smit", "Mulder"),
        "sectors": ("Installatietechniek", "Kantoorartikelen", "Drukkerij", "ICT Diensten"),
        "forms": ("B.V.", "N.V."),
        "title": ("FACTUUR", "Factuur"),
        "number": ("Factuurnummer", "Factuurnr."),
        "date": ("Factuurdatum", "Datum"),
        "due": ("Vervaldatum", "Uiterste betaaldatum"),
        "net": ("Subtotaal", "Totaal excl. BTW"),
        "tax": ("BTW 21%", "21% BTW"),
        "total": ("Totaal", "Totaalbedrag", "Te betalen"),
        "items": ("Onderhoud cv-ketel", "Printpapier A4", "Softwarelicentie"),
        "holder": ("Tenaamstelling", "Begunstigde"),
        "vat": ("BTW-nummer",),
        "street": ("Kerkstraat", "Stationsweg", "Dorpsstraat"),
        "city": ("1012 AB Amsterdam", "3011 AD Rotterdam", "3511 LX Utrecht"),
    },
    "es": {
        "surnames": ("García", "Martínez", "López", "Fernández", "Sánchez", "Romero"),
        "sectors": ("Suministros", "Construcciones", "Informática", "Imprenta"),
        "forms": ("S.L.", "S.A."),
        "title": ("FACTURA", "Factura"),
        "number": ("Número de factura", "Factura n.º", "Nº factura"),
        "date": ("Fecha de factura", "Fecha de emisión", "Fecha"),
        "due": ("Fecha de vencimiento", "Vencimiento", "Fecha límite de pago"),
        "net": ("Base imponible", "Subtotal"),
        "tax": ("IVA 21%", "IVA (21 %)"),
        "total": ("Total factura", "Importe total", "Total a pagar"),
        "items": ("Mantenimiento de equipos", "Papel de impresora A4", "Obras de reforma"),
        "holder": ("Beneficiario", "Titular"),
        "vat": ("CIF", "NIF"),
        "street": ("Calle Mayor", "Avenida de la Constitución", "Calle del Sol"),
        "city": ("28013 Madrid", "08002 Barcelona", "41001 Sevilla"),
    },
    "it": {
        "surnames": ("Rossi", "Bianchi", "Romano", "Colombo", "Ricci", "Marino"),
        "sectors": ("Forniture", "Costruzioni", "Informatica", "Tipografia"),
        "forms": ("S.r.l.", "S.p.A."),
        "title": ("FATTURA", "Fattura"),
        "number": ("Fattura n.", "Numero fattura", "N. fattura"),
        "date": ("Data fattura", "Data di emissione", "Data"),
        "due": ("Scadenza", "Data scadenza", "Pagamento entro il"),
        "net": ("Imponibile", "Totale imponibile"),
        "tax": ("IVA 22%", "IVA (22%)"),
        "total": ("Totale documento", "Totale fattura", "Totale da pagare"),
        "items": ("Manutenzione impianto", "Carta per stampanti A4", "Licenza software"),
        "holder": ("Intestatario", "Beneficiario"),
        "vat": ("P.IVA",),
        "street": ("Via Roma", "Corso Italia", "Via Garibaldi"),
        "city": ("00184 Roma", "20121 Milano", "10121 Torino"),
    },
}
_RATES = {"de": 19, "fr": 20, "nl": 21, "es": 21, "it": 22}
_VAT_PREFIX = {"de": "DE", "fr": "FR", "nl": "NL", "es": "ES", "it": "IT"}
_BUYERS = {
    "de": ("Stadt Köln", "Landratsamt Ebersberg", "Kreisverwaltung Mainz-Bingen"),
    "fr": ("Mairie de Lyon", "Conseil départemental du Rhône", "Ville de Nantes"),
    "nl": ("Gemeente Utrecht", "Provincie Gelderland", "Waterschap Rivierenland"),
    "es": ("Ayuntamiento de Valencia", "Diputación de Sevilla", "Concello de Vigo"),
    "it": ("Comune di Bologna", "Provincia di Torino", "Regione Lazio"),
}


def _eu_date(lang: str, rng: random.Random, day: date) -> str:
    if lang == "de":
        return f"{day.day:02d}.{day.month:02d}.{day.year}"
    if lang == "nl":
        return rng.choice((f"{day.day:02d}-{day.month:02d}-{day.year}", day.isoformat()))
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _eu_money(lang: str, amount: float, places: int = 2) -> str:
    digits = f"{amount:,.{places}f}"  # 1,234.56
    if lang == "fr":
        return digits.replace(",", " ").replace(".", ",") + " €"
    local = digits.replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {local}" if lang == "nl" else f"{local} €"


def eu_invoice(rng: random.Random, n: int, lang: str) -> FieldDoc:
    """A European invoice: return line, address window, meta block, footer with the legal name."""
    words = _EU[lang]
    surname = rng.choice(words["surnames"])
    legal = f"{surname} {rng.choice(words['sectors'])} {rng.choice(words['forms'])}"
    day = random_day(rng)
    due = day + timedelta(days=rng.choice((14, 30)))
    items = priced_items(rng, words["items"], rng.randint(1, 5))
    net = sum(q * p for _, q, p in items) / 100
    tax = round(net * _RATES[lang] / 100, 2)
    total = round(net + tax, 2)
    number = rng.choice(("RE-", "F", "", "2024-", "FA/")) + str(rng.randrange(100, 99999))
    doc = FieldDoc(
        f"{lang}-invoice-{n}",
        lang,
        "invoice",
        {
            "issuer": [legal],
            "invoice_number": [number],
            "date": [day.isoformat()],
            "date_due": [due.isoformat()],
            "total_amount": [f"{total:.2f}"],
            "tax_amount": [f"{tax:.2f}"],
            "currency": ["EUR"],
        },
    )
    street = f"{rng.choice(words['street'])} {rng.randint(1, 120)}"
    city = rng.choice(words["city"])
    brand_only = rng.random() < 0.5  # the letterhead shows the brand, the footer the legal name
    head = surname.upper() if brand_only else legal
    doc.put(rng.choice((50, 330)), 60, head, 20 if brand_only else 14)
    if rng.random() < 0.7:
        doc.put(50, 132, f"{legal} · {street} · {city}", 6.5)
    buyer = rng.choice(_BUYERS[lang])
    for i, line in enumerate(
        (buyer, rng.choice(words["street"]) + " 5", rng.choice(words["city"]))
    ):
        doc.put(50, 150 + i * 14, line, 10)
    doc.put(50, 250, rng.choice(words["title"]), 16)
    meta = [
        (rng.choice(words["number"]), number),
        (rng.choice(words["date"]), _eu_date(lang, rng, day)),
        (rng.choice(words["due"]), _eu_date(lang, rng, due)),
    ]
    for i, (label, value) in enumerate(meta):
        doc.cells((340, 450, 545), 150 + i * 16, (f"{label}:", value))
    y = 290
    doc.cells((50, 300, 360, 450, 545), y, ("Pos.", "#", "€", "€"))
    places = rng.choice((2, 2, 4))  # unit prices to a hundredth of a cent: 0,8403 €
    for name, qty, price in items:
        y += 18
        unit = _eu_money(lang, price / 100, places)
        doc.cells(
            (50, 300, 360, 450, 545), y, (name, str(qty), unit, _eu_money(lang, qty * price / 100))
        )
    y += 30
    for label, amount in (
        (rng.choice(words["net"]), net),
        (rng.choice(words["tax"]), tax),
        (rng.choice(words["total"]), total),
    ):
        doc.cells((330, 450, 545), y, (label, _eu_money(lang, amount)))
        y += 18
    vat = f"{_VAT_PREFIX[lang]}{rng.randrange(10**8, 10**9)}"
    footer = (
        (legal, street, city),
        (f"IBAN {_VAT_PREFIX[lang]}89 3704 0044 0532 0130 00", "BIC COBADEFFXXX")
        + ((f"{rng.choice(words['holder'])}: {legal}",) if rng.random() < 0.5 else ()),
        (f"{rng.choice(words['vat'])} {vat}",),
    )
    for column, lines in enumerate(footer):
        for i, line in enumerate(lines):
            doc.put(50 + column * 175, 770 + i * 11, line, 7)
    return doc


# -- English papers whose issuer is only a brand, a domain or a payee -------------------------

_BRANDS = (
    ("Brightline", "Brightline Office Supplies Ltd"),
    ("NORTHWIND", "Northwind Traders Inc."),
    ("Copperleaf", "Copperleaf Design LLC"),
    ("Bluebird", "Bluebird Catering Company"),
    ("Tallgrass", "Tallgrass Landscaping Inc."),
    ("Ironbridge", "Ironbridge Consulting Ltd"),
)


def brand_invoice(rng: random.Random, n: int) -> FieldDoc:
    brand, legal = rng.choice(_BRANDS)
    day = random_day(rng)
    items = priced_items(rng, ("Consulting hours", "Catering service", "Design work"), 2)
    net = sum(q * p for _, q, p in items)
    tax = net * 8 // 100
    total = net + tax
    number = f"{rng.choice(('INV', 'B', ''))}{rng.randrange(1000, 99999)}"
    doc = FieldDoc(
        f"en-brand-invoice-{n}",
        "en",
        "invoice",
        {
            "issuer": [legal],
            "invoice_number": [number],
            "date": [day.isoformat()],
            "total_amount": [str(total)],
            "tax_amount": [str(tax)],
            "currency": ["USD"],
        },
    )
    doc.put(50, 70, brand, 26)
    doc.put(545, 70, "INVOICE", 20, "right")
    doc.cells((350, 430, 545), 110, ("Invoice #", number))
    doc.cells((350, 430, 545), 126, ("Date", en_date(rng, day)))
    doc.put(50, 170, "Bill To:", 9)
    doc.put(50, 185, rng.choice(("City of Springfield", "Riverside County Library")), 11)
    y = 240
    for name, qty, price in items:
        doc.cells(
            (50, 300, 360, 450, 545), y, (name, str(qty), f"{price:,.2f}", f"{qty * price:,.2f}")
        )
        y += 18
    y += 20
    for label, amount in (("Subtotal", net), ("Sales Tax", tax), ("Total Due", total)):
        doc.cells((360, 450, 545), y, (label, f"${amount:,.2f}"))
        y += 18
    domain = legal.split()[0].lower() + rng.choice((".com", "-supplies.com", ".net"))
    closing = rng.choice(
        (
            f"Make all checks payable to {legal}.",
            f"Questions? billing@{domain}",
            f"Please make checks payable to {legal} - thank you!",
        )
    )
    doc.put(50, 760, closing, 9)
    return doc


# -- English contracts whose term is a length of time ------------------------------------------

_NUMBERS = {1: "one", 2: "two", 3: "three", 6: "six", 12: "twelve", 18: "eighteen", 24: "twenty-four", 36: "thirty-six"}  # fmt: skip
_ORDINAL = {1: "first", 2: "second", 3: "third"}


def _plus(start: date, months: int) -> date:
    month = start.month - 1 + months
    year = start.year + month // 12
    return start.replace(year=year, month=month % 12 + 1, day=min(start.day, 28))


def duration_contract(rng: random.Random, n: int, parties: tuple[str, ...]) -> FieldDoc:
    first, second = rng.sample(parties, 2)
    signed = random_day(rng).replace(day=rng.randint(1, 28))
    months = rng.choice((12, 24, 36, 6, 18))
    unit = rng.choice(("months", "years")) if months % 12 == 0 else "months"
    count = months // 12 if unit == "years" else months
    spelled = f"{_NUMBERS[count]} ({count}) {unit if count > 1 else unit[:-1]}"
    style = rng.choice(("period", "after", "anniversary", "document", "above", "stated"))
    end = _plus(signed, months)  # an English term ends on the anniversary
    if style == "period":
        term = (
            f"2. Term. The term of this Agreement shall commence on the Effective Date and shall "
            f"continue for a period of {spelled}, unless terminated earlier upon thirty (30) days' "
            "prior written notice. It shall renew for successive one (1) year periods."
        )
    elif style == "after":
        term = f"2. Term. This Agreement shall terminate {spelled} after the Effective Date."
    elif style == "anniversary":
        years = rng.choice((1, 2, 3))
        end = _plus(signed, 12 * years)
        term = f"2. Term. This Agreement shall expire on the {_ORDINAL[years]} anniversary of the Effective Date."
    elif style == "document":
        term = f"2. Term. This Agreement shall be for a term of {spelled} from the date of this document."
    elif style == "above":
        term = f"2. Term. The term will commence on the date above and shall continue for a term of {spelled}."
    else:  # the page states its end beside the length: that date, not the anniversary
        end -= timedelta(days=1)
        term = f"2. Term. The term is {spelled} from the Effective Date, ending on {en_date(rng, end)}."
    title = rng.choice(("SERVICES AGREEMENT", "LICENSE AGREEMENT", "SUPPLY AGREEMENT"))
    doc = FieldDoc(
        f"en-term-contract-{n}",
        "en",
        "contract",
        {
            "title": [title],
            "party": [first, second],
            "agreement_date": [signed.isoformat()],
            "term_start": [signed.isoformat()],
            "term_end": [end.isoformat()],
        },
    )
    doc.put(WIDTH / 2, 70, title, 15, "center")
    defined = ' (the "Effective Date")' if style not in ("document", "above") else ""
    text = (
        f"This {title.title()} is entered into as of {en_date(rng, signed)}{defined} "
        f"by and between {first}, a Delaware corporation, and {second}. "
    )
    y = 110
    for paragraph in (text, "1. Services. Provider shall provide the services in Exhibit A.", term):
        line = ""
        for word in paragraph.split():
            if len(line) + len(word) > 88:
                doc.put(60, y, line, 10)
                y += 17
                line = ""
            line = f"{line} {word}".strip()
        doc.put(60, y, line, 10)
        y += 27
    return doc


# -- English contracts dated only where the parties sign ----------------------------------------

_SCHEDULE_LABELS = (
    ("Contract start", "Contract end"),
    ("Start date", "End date"),
    ("Commencement Date", "Expiration Date"),
)


def _us_short(day: date, rng: random.Random) -> str:
    """A US month-first date with a two-digit year: 3/23/06, 04-01-06."""
    if rng.random() < 0.5:
        return f"{day.month}/{day.day}/{day:%y}"
    return f"{day:%m-%d-%y}"


def signed_contract(rng: random.Random, n: int, parties: tuple[str, ...]) -> FieldDoc:
    """A contract whose only dates are each party's beside its signature (made when the last
    signs) and, in the "schedule" style, a schedule's start and end: "executed as of the date
    below" starts the term on the last signature."""
    first, second = rng.sample(parties, 2)
    dates = sorted(random_day(rng) + timedelta(days=k) for k in (0, rng.randint(0, 9)))
    rng.shuffle(dates)
    signed = max(dates)
    title = rng.choice(("SUPPLY AGREEMENT", "CONTENT LICENSING AGREEMENT", "CONSULTING AGREEMENT"))
    schedule = rng.random() < 0.5
    truth = {"title": [title], "party": [first, second], "agreement_date": [signed.isoformat()]}
    if schedule:
        start = signed + timedelta(days=rng.randint(1, 20))
        end = _plus(start, 24)
        truth |= {"term_start": [start.isoformat()], "term_end": [end.isoformat()]}
        term = (
            "2. Term. Unless otherwise stated in the Schedule, the term of this Agreement "
            "shall continue for twenty-four (24) months."
        )
        closing = "IN WITNESS WHEREOF, the Parties have signed this Agreement."
    else:
        truth["term_start"] = [signed.isoformat()]
        term = "2. Term and Termination. Either Party may terminate this Agreement upon notice."
        closing = (
            "IN WITNESS WHEREOF, the Parties have executed this Agreement as of the date below."
        )
    doc = FieldDoc(f"en-signed-contract-{n}", "en", "contract", truth)
    doc.put(WIDTH / 2, 70, title, 15, "center")
    doc.put(60, 110, f"This Agreement is made by and between {first}, a Delaware", 10)
    doc.put(60, 127, f'corporation, and {second}, each individually a "Party".', 10)
    doc.put(60, 154, "1. Services. Provider shall supply the goods set out in Exhibit A.", 10)
    doc.put(60, 181, term, 9)
    doc.put(60, 215, closing, 9)
    for i, (name, day) in enumerate(zip((first, second), dates, strict=True)):
        x = 60 + i * 260
        doc.put(x, 250, name, 10)
        doc.put(x, 275, f"By: /s/ {rng.choice(('J. Smith', 'A. Lee', 'M. Brown'))}", 9)
        if schedule:
            doc.put(x, 300, _us_short(day, rng), 9)
            doc.put(x, 312, "______________________", 9)
            doc.put(x, 326, "Date", 9)
        else:
            doc.put(x, 300, f"Date: {day.month}/{day.day}/{day.year}", 9)
    if schedule:
        start_label, end_label = rng.choice(_SCHEDULE_LABELS)
        doc.put(60, 380, "SCHEDULE 1", 11)
        doc.put(60, 405, f"1. {start_label}: {_us_short(start, rng)}", 10)
        doc.put(60, 422, f"2. {end_label}: {_us_short(end, rng)}", 10)
    return doc
