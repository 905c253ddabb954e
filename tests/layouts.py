"""A field development set with exact truth: invoices, receipts, quotations and contracts in
Japanese and English, laid out as such papers are, as born-digital PDFs or paper scans.

    docs = field_documents(40, seed=0)       # the same arguments make the same documents
    docs[0].pdf() / docs[0].scan_png()        # bytes to upload; docs[0].truth: name -> values

Layouts vary per document: issuer block top right (Japanese) or top left (English), the
addressee with 御中/様, labels and values in separate table cells (value right of or below
its label), totals at the bottom right with tax lines, 契約期間 自…至…, signing dates in
和暦 above 甲/乙 signature blocks (stacked or side by side), English signature blocks.
Names and items come from the classifier's generator (``ingest.classify.generate``); papers
from outside Japan come from ``tests.layouts_world``, real papers' hard structures from
``tests.layouts_hard``. Seed 14 is the development set the readers were tuned on; seed 15 is
held out (measured, never read while tuning); seed 16 with ``half=HELD_OUT`` is held out and
draws the hard structures from pools never read while tuning.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from ingest.classify.generate import value_pool
from tests.layout_page import (
    HEIGHT,
    JA_CITIES,
    WIDTH,
    FieldDoc,
    en_date,
    ja_date,
    priced_items,
    random_day,
    registration_number,
    yen,
)
from tests.layouts_hard import DEV, letterhead_invoice, public_notice
from tests.layouts_world import brand_invoice, duration_contract, eu_invoice, signed_contract

# The classifier generator's value pools (names, companies, items, subjects).
_EN_COMPANIES, _EN_ITEMS, _EN_PEOPLE, _EN_SUBJECTS = (
    value_pool(f"en_{k}") for k in ("companies", "items", "people", "subjects")
)
_JA_COMPANIES, _JA_GOV, _JA_ITEMS, _JA_PEOPLE, _JA_SUBJECTS = (
    value_pool(f"ja_{k}") for k in ("companies", "gov", "items", "people", "subjects")
)

__all__ = ["HEIGHT", "FieldDoc", "field_documents"]

# -- Japanese commercial papers ----------------------------------------------------------

_JA_TITLES = {
    "invoice": ("請求書", "御請求書", "適格請求書", "ご請求書"),
    "quotation": ("御見積書", "見積書"),
    "receipt": ("領収書", "領収証"),
}
_JA_TOTAL_LABEL = {
    "invoice": ("ご請求金額", "請求金額", "今回ご請求額", "合計金額"),
    "quotation": ("御見積金額", "見積金額", "合計金額"),
    "receipt": ("金額", "領収金額"),
}
_JA_NUMBER_LABEL = {
    "invoice": ("請求番号", "請求書番号", "No."),
    "quotation": ("見積番号", "見積No.", "No."),
    "receipt": ("領収書番号", "No."),
}
_JA_DATE_LABEL = {
    "invoice": ("請求日", "発行日", "請求年月日"),
    "quotation": ("見積日", "発行日"),
    "receipt": ("発行日", "領収日"),
}


def _ja_commercial(rng: random.Random, subtype: str, n: int) -> FieldDoc:
    issuer, addressee = rng.sample(_JA_COMPANIES, 2)
    if rng.random() < 0.3:
        addressee = (
            f"{rng.choice(JA_CITIES)}{rng.choice(('総務局', '環境局', '建設局', '教育委員会'))}"
        )
    honorific = rng.choice(("御中", "御中", "様"))
    day = random_day(rng)
    due = day + timedelta(days=rng.choice((14, 30, 31, 45)))
    regno = registration_number(rng)
    number = rng.choice(("INV-", "No.", "", "Q-", "R-")) + str(rng.randrange(100, 99999))
    items = priced_items(rng, _JA_ITEMS, rng.randint(1, 8))
    net = sum(q * p for _, q, p in items)
    tax = net // 10
    total = net + tax
    doc = FieldDoc(
        f"ja-{subtype}-{n}",
        "ja",
        subtype,
        {
            "issuer": [issuer],
            "recipient": [addressee],
            "registration_number": [regno],
            "invoice_number": [number] if number[-1:].isdigit() else [],
            "date": [day.isoformat()],
            "total_amount": [str(total)],
            "tax_amount": [str(tax)],
            "currency": ["JPY"],
        },
    )
    doc.put(WIDTH / 2, 70, rng.choice(_JA_TITLES[subtype]), 20, "center")
    doc.put(50, 130, f"{addressee} {honorific}", 13)
    doc.rules.append((50, 135, 280, 135))
    # the issuer block, top right; the meta block above it as label | value cells or "label：value"
    meta = [
        (rng.choice(_JA_NUMBER_LABEL[subtype]), number),
        (rng.choice(_JA_DATE_LABEL[subtype]), ja_date(rng, day)),
    ]
    if subtype == "invoice" and rng.random() < 0.6:
        meta.append((rng.choice(("お支払期限", "支払期限", "お振込期限")), ja_date(rng, due)))
        doc.truth["date_due"] = [due.isoformat()]
    y = 110
    in_cells = rng.random() < 0.6
    for label, value in meta:
        if in_cells:
            doc.cells((360, 430, 545), y, (label, value))
        else:
            doc.put(545, y, f"{label}{rng.choice(('：', ': ', ' '))}{value}", 9.5, "right")
        y += 16
    y += 14
    x = rng.choice((360, 380))
    doc.put(x, y, issuer, 12)
    for line in (
        f"〒{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)} {rng.choice(JA_CITIES)}北区梅田{rng.randint(1, 9)}-{rng.randint(1, 20)}-{rng.randint(1, 30)}",
        f"TEL 06-{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}",
        f"登録番号 {regno}",
        f"担当 {rng.choice(_JA_PEOPLE)}",
    )[: rng.randint(3, 4)]:
        y += 15
        doc.put(x, y, line, 9)
    y = max(y + 30, 260)
    doc.put(
        50,
        y - 30,
        rng.choice(
            (
                "下記のとおりご請求申し上げます。",
                "下記の通り御見積申し上げます。",
                "毎度ありがとうございます。",
            )
        ),
        10,
    )
    big = rng.choice(("¥{}-", "{}円", "￥{}－", "¥{}(税込)"))
    if rng.random() < 0.6:
        doc.cells(
            (50, 160, 300), y, (rng.choice(_JA_TOTAL_LABEL[subtype]), big.format(yen(total))), 12
        )
    else:
        doc.put(50, y, f"{rng.choice(_JA_TOTAL_LABEL[subtype])}  {big.format(yen(total))}", 13)
    y += 40
    doc.cells((50, 300, 360, 450, 545), y, ("品名", "数量", "単価", "金額"))
    for name, qty, price in items:
        y += 18
        doc.cells((50, 300, 360, 450, 545), y, (name, str(qty), yen(price), yen(qty * price)))
    y += 30
    tax_label = rng.choice(("消費税(10%)", "消費税", "消費税等", "内消費税", "10%対象 消費税"))
    totals = [("小計", net), (tax_label, tax), (rng.choice(("合計", "総合計", "税込合計")), total)]
    for label, amount in totals:
        doc.cells((360, 450, 545), y, (label, rng.choice(("¥", "", "")) + yen(amount)))
        y += 18
    if subtype == "invoice":
        doc.put(50, y + 20, "お振込先 みずほ銀行 梅田支店 普通 1234567", 9)
    return doc


def _ja_receipt(rng: random.Random, n: int) -> FieldDoc:
    """A receipt: 金額 in a box in the middle, the issuer and its stamp at the bottom right."""
    issuer, addressee = rng.sample(_JA_COMPANIES, 2)
    day = random_day(rng)
    total = rng.randrange(10, 9000) * 110
    tax = total // 11
    regno = registration_number(rng)
    number = str(rng.randrange(1000, 99999))
    doc = FieldDoc(
        f"ja-receipt-{n}",
        "ja",
        "receipt",
        {
            "issuer": [issuer],
            "recipient": [addressee],
            "registration_number": [regno],
            "invoice_number": [number],
            "date": [day.isoformat()],
            "total_amount": [str(total)],
            "tax_amount": [str(tax)],
            "currency": ["JPY"],
        },
    )
    doc.put(WIDTH / 2, 80, rng.choice(_JA_TITLES["receipt"]), 22, "center")
    doc.cells((380, 440, 545), 110, ("No.", number))
    doc.cells((380, 440, 545), 128, ("発行日", ja_date(rng, day)))
    doc.put(60, 170, f"{addressee} {rng.choice(('様', '御中'))}", 14)
    doc.rules.append((60, 176, 320, 176))
    doc.put(WIDTH / 2, 240, f"金 {rng.choice(('¥', '￥'))}{yen(total)} -", 20, "center")
    doc.rules.append((150, 250, 445, 250))
    doc.put(
        150,
        280,
        rng.choice(("但し 印刷代として", "但し お品代として", "但し 業務委託料として")),
        10,
    )
    doc.put(150, 298, "上記正に領収いたしました。", 10)
    doc.cells((150, 250, 340), 330, ("内消費税等(10%)", f"¥{yen(tax)}"))
    doc.put(360, 390, issuer, 12)
    doc.put(
        360, 406, f"{rng.choice(JA_CITIES)}中央区本町{rng.randint(1, 9)}-{rng.randint(1, 9)}", 9
    )
    doc.put(360, 420, f"登録番号：{regno}", 9)
    return doc


# -- English commercial papers -------------------------------------------------------------

_EN_TITLES = {
    "invoice": ("INVOICE", "Invoice", "TAX INVOICE"),
    "quotation": ("QUOTATION", "Quote", "Estimate"),
    "receipt": ("RECEIPT", "Payment Receipt"),
}
_EN_CURRENCIES = (("USD", "$"), ("EUR", "€"), ("GBP", "£"), ("USD", "USD "))


def _en_commercial(rng: random.Random, subtype: str, n: int) -> FieldDoc:
    issuer, customer = rng.sample(_EN_COMPANIES, 2)
    day = random_day(rng)
    due = day + timedelta(days=rng.choice((14, 30, 60)))
    currency, symbol = rng.choice(_EN_CURRENCIES)
    items = priced_items(rng, _EN_ITEMS, rng.randint(1, 7))
    net = sum(q * p for _, q, p in items)
    rate = rng.choice((5, 8, 10, 20))
    tax = net * rate // 100
    total = net + tax
    number = rng.choice(("INV-", "", "Q-", "2024-", "#")) + str(rng.randrange(100, 999999))
    doc = FieldDoc(
        f"en-{subtype}-{n}",
        "en",
        subtype,
        {
            "issuer": [issuer],
            "recipient": [customer],
            "invoice_number": [number.lstrip("#")],
            "date": [day.isoformat()],
            "total_amount": [str(total)],
            "tax_amount": [str(tax)],
            "currency": [currency],
        },
    )
    doc.put(50, 70, issuer, 16)
    for i, line in enumerate(
        (
            f"{rng.randint(10, 999)} Main Street",
            "Springfield, IL 62701",
            f"Phone (555) {rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        )
    ):
        doc.put(50, 88 + i * 13, line, 9)
    doc.put(545, 70, rng.choice(_EN_TITLES[subtype]), 22, "right")
    word = {"invoice": "Invoice", "quotation": "Quote", "receipt": "Receipt"}[subtype]
    meta = [
        (rng.choice((f"{word} No.", f"{word} #", f"{word} Number")), number),
        (rng.choice(("Date", f"{word} Date", "Date of issue")), en_date(rng, day)),
    ]
    if subtype == "invoice" and rng.random() < 0.7:
        meta.append((rng.choice(("Due Date", "Payment Due", "Due")), en_date(rng, due)))
        doc.truth["date_due"] = [due.isoformat()]
    below = rng.random() < 0.3  # labels in one row, values in the row below
    y = 110
    if below:
        xs = (330, 400, 470, 545)
        for i, (label, value) in enumerate(meta):
            doc.put(xs[i], y, label, 8.5)
            doc.put(xs[i], y + 14, value, 9)
        y += 30
    else:
        for label, value in meta:
            doc.cells((350, 430, 545), y, (label, value))
            y += 16
    y = max(y, 150) + 20
    doc.put(50, y, rng.choice(("Bill To:", "BILL TO", "Customer:", "To:")), 9)
    doc.put(50, y + 15, customer, 11)
    doc.put(50, y + 29, f"Attn: {rng.choice(_EN_PEOPLE)}", 9)
    y += 70
    doc.cells((50, 300, 360, 450, 545), y, ("Description", "Qty", "Unit Price", "Amount"))
    for name, qty, price in items:
        y += 18
        doc.cells(
            (50, 300, 360, 450, 545), y, (name, str(qty), f"{price:,.2f}", f"{qty * price:,.2f}")
        )
    y += 30
    tax_label = rng.choice((f"Tax ({rate}%)", f"VAT {rate}%", "Sales Tax", "TAX", f"GST {rate}%"))
    total_label = rng.choice(
        ("Total", "TOTAL", "Total Due", "Amount Due", "Balance Due", "Grand Total")
    )
    for label, amount in (("Subtotal", net), (tax_label, tax), (total_label, total)):
        doc.cells((360, 450, 545), y, (label, f"{symbol}{amount:,.2f}"))
        y += 18
    doc.put(
        50,
        y + 30,
        rng.choice(
            (
                "Thank you for your business.",
                "Payment terms: Net 30",
                "Please include the invoice number with your payment.",
            )
        ),
        9,
    )
    return doc


# -- contracts -------------------------------------------------------------------------------


def _wrap(doc: FieldDoc, y: float, text: str, width: int, size: float = 10.5) -> float:
    """``text`` in lines of at most ``width`` characters: Japanese broken anywhere (mid-name
    too, as PDFs break it), English between words."""
    lines: list[str] = []
    if doc.lang == "ja":
        lines = [text[start : start + width] for start in range(0, len(text), width)]
    else:
        for word in text.split():
            if lines and len(lines[-1]) + 1 + len(word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
    for line in lines:
        doc.put(60, y, line, size)
        y += size * 1.7
    return y


def _ja_contract(rng: random.Random, n: int) -> FieldDoc:
    city = rng.choice(JA_CITIES)
    first = rng.choice((city, rng.choice(_JA_GOV), rng.choice(_JA_COMPANIES)))
    second = rng.choice([c for c in _JA_COMPANIES if c != first])
    subject = rng.choice(_JA_SUBJECTS)
    start = date(rng.randint(2019, 2026), 4, 1) if rng.random() < 0.6 else random_day(rng)
    end = start.replace(year=start.year + 1) - timedelta(days=1)
    signed = start - timedelta(days=rng.randint(3, 40))
    value = rng.randrange(100, 90000) * 1100
    title = rng.choice(
        (f"{subject}委託契約書", "業務委託契約書", f"{subject}請負契約書", "物品売買契約書")
    )
    doc = _contract_doc(f"ja-contract-{n}", title, (first, second), (signed, start, end), value)
    doc.put(WIDTH / 2, 70, title, 16, "center")
    width = rng.choice((34, 38, 42))
    y = _wrap(
        doc,
        110,
        f"{first}（以下「甲」という。）と{second}（以下「乙」という。）は、{subject}について、次のとおり契約を締結する。",
        width,
    )
    y = _wrap(
        doc,
        y + 6,
        "第1条（目的） 甲は乙に対し、本契約に定める業務を委託し、乙はこれを受託する。",
        width,
    )
    if rng.random() < 0.5:
        y = _wrap(
            doc,
            y + 6,
            f"第2条（契約期間） 契約期間は、{ja_date(rng, start)}から{ja_date(rng, end)}までとする。",
            width,
        )
    else:
        doc.put(60, y + 6, "第2条（契約期間）", 10.5)
        doc.cells((60, 160, 400), y + 26, ("契約期間", f"自 {ja_date(rng, start)}"))
        doc.put(164, y + 44, f"至 {ja_date(rng, end)}", 9.5)
        y += 64
    money = f"金{yen(value)}円"
    if rng.random() < 0.5:
        y = _wrap(
            doc,
            y + 6,
            f"第3条（契約金額） 契約金額は、{money}（消費税及び地方消費税を含む。）とする。",
            width,
        )
    else:
        doc.put(60, y + 6, "第3条（契約金額）", 10.5)
        doc.cells((60, 160, 400), y + 26, (rng.choice(("契約金額", "委託料")), money))
        y += 44
    for clause in (
        "第4条（秘密保持） 乙は業務上知り得た秘密を他に漏らしてはならない。",
        "第5条（協議） 本契約に定めのない事項は、甲乙協議の上定める。",
    ):
        y = _wrap(doc, y + 6, clause, width)
    y = _wrap(
        doc,
        y + 10,
        "本契約の締結を証するため、本書2通を作成し、甲乙記名押印の上、各自1通を保有する。",
        width,
    )
    doc.put(rng.choice((100, 120, 300)), y + 20, ja_date(rng, signed), 10.5)
    y += 60
    side_by_side = rng.random() < 0.5
    for i, (role, name) in enumerate((("甲", first), ("乙", second))):
        x, top = (60 + i * 260, y) if side_by_side else (300, y + i * 80)
        doc.put(x, top, role, 11)
        doc.put(
            x + 20, top, f"住所 {city}北区中之島{rng.randint(1, 9)}丁目{rng.randint(1, 20)}番", 9
        )
        doc.put(
            x + 20,
            top + 16,
            f"{rng.choice(('名称', '商号'))} {name}" if rng.random() < 0.6 else name,
            10,
        )
        doc.put(
            x + 20,
            top + 32,
            f"代表者 {rng.choice(('代表取締役', '市長', '局長'))} {rng.choice(_JA_PEOPLE)}",
            9,
        )
    return doc


_EN_SUFFIXED = (
    "Kestrel 2, LLC",
    "Orchard Row Holdings, Inc.",
    "Plover Foods, Inc",
    "Marlin Bay, L.P.",
)
"""Names whose legal form follows a comma, as US filings print them."""


def _en_contract(rng: random.Random, n: int) -> FieldDoc:
    first, second = rng.sample(_EN_COMPANIES, 2)
    defined = rng.random() < 0.35  # the preamble ends "each a Party", names with ", LLC"
    if defined:
        first = rng.choice(_EN_SUFFIXED)
    subject = rng.choice(_EN_SUBJECTS)
    signed = random_day(rng)
    start = signed + timedelta(days=rng.choice((0, 0, 1, 15, 30)))
    end = start.replace(year=start.year + rng.choice((1, 2, 3))) - timedelta(days=1)
    value = rng.randrange(10, 9000) * 100
    title = rng.choice(
        (
            "SERVICES AGREEMENT",
            "Master Services Agreement",
            "CONSULTING AGREEMENT",
            f"{subject.title()} Agreement",
        )
    )
    doc = _contract_doc(f"en-contract-{n}", title, (first, second), (signed, start, end), value)
    doc.put(WIDTH / 2, 70, title, 15, "center")
    width = rng.choice((80, 88, 95))
    opening = (
        f'This {title.title()} (the "Agreement") is made and entered into as of {en_date(rng, signed)} '
        f'by and between {first}, a Delaware corporation ("Client"), and {second} ("Provider").'
    )
    if defined:
        brand = rng.choice(("SHORE GOODS", "Fieldstone"))
        opening = (
            f"This {title.title()} (“the Agreement”), dated {en_date(rng, signed)}, is made by and "
            f"between {first}, d/b/a {brand} (“Client”), a Delaware limited liability company and "
            f"{second}, a Nevada corporation (“Provider”), each individually “a Party,” and "
            "collectively, “the Parties.”"
        )
    y = _wrap(doc, 110, opening, width, 10)
    y = _wrap(
        doc,
        y + 6,
        f"1. Services. Provider shall provide {subject} as described in Exhibit A.",
        width,
        10,
    )
    if rng.random() < 0.5:
        term = f"2. Term. This Agreement shall commence on {en_date(rng, start)} and shall continue until {en_date(rng, end)}, unless terminated earlier."
        y = _wrap(doc, y + 6, term, width, 10)
    else:
        doc.put(60, y + 6, "2. Term.", 10)
        doc.cells((60, 170, 400), y + 24, ("Start Date", en_date(rng, start)))
        doc.cells((60, 170, 400), y + 40, ("End Date", en_date(rng, end)))
        y += 56
    fee = rng.choice(("USD {:,}", "${:,}", "${:,}.00"))
    y = _wrap(
        doc,
        y + 6,
        f"3. Fees. Client shall pay Provider total fees of {fee.format(value)} for the Services.",
        width,
        10,
    )
    y = _wrap(
        doc,
        y + 6,
        "4. Governing Law. This Agreement is governed by the laws of the State of New York.",
        width,
        10,
    )
    doc.put(
        60,
        y + 20,
        "IN WITNESS WHEREOF, the parties have executed this Agreement as of the date first written above.",
        9,
    )
    y += 60
    for i, name in enumerate((first, second)):
        x = 60 + i * 260
        doc.put(x, y, f"{name.upper() if rng.random() < 0.5 else name}", 10)
        doc.put(x, y + 30, "By: ______________________", 9)
        doc.put(x, y + 46, f"Name: {rng.choice(_EN_PEOPLE)}", 9)
        doc.put(x, y + 62, f"Title: {rng.choice(('CEO', 'President', 'Director'))}", 9)
        doc.put(x, y + 78, f"Date: {en_date(rng, signed)}", 9)
    return doc


_MAKERS: tuple[Callable[[random.Random, int], FieldDoc], ...] = (
    lambda rng, n: _ja_commercial(rng, "invoice", n),
    lambda rng, n: _en_commercial(rng, "invoice", n),
    _ja_contract,
    _en_contract,
    _ja_receipt,
    lambda rng, n: _en_commercial(rng, "receipt", n),
    lambda rng, n: _ja_commercial(rng, "quotation", n),
    lambda rng, n: _en_commercial(rng, "quotation", n),
    lambda rng, n: eu_invoice(rng, n, ("de", "fr", "nl", "es", "it")[n // 14 % 5]),
    brand_invoice,
    lambda rng, n: duration_contract(rng, n, _EN_COMPANIES),
    lambda rng, n: eu_invoice(rng, n, ("it", "es", "nl", "fr", "de")[n // 14 % 5]),
    _en_contract,
    _ja_contract,
    lambda rng, n: signed_contract(rng, n, _EN_COMPANIES),
)


_HARD_MAKERS: tuple[Callable[[random.Random, int, int], FieldDoc], ...] = (
    lambda rng, n, half: letterhead_invoice(rng, n, "en", half),
    lambda rng, n, half: letterhead_invoice(rng, n, "de", half),
    lambda rng, n, half: public_notice(rng, n, ("en", "de", "fr")[n // 20 % 3], half),
    lambda rng, n, half: letterhead_invoice(rng, n, "fr", half),
    lambda rng, n, half: letterhead_invoice(rng, n, "ja", half),
    lambda rng, n, half: letterhead_invoice(rng, n, "es", half),
)
"""Real papers' hard structures (``tests.layouts_hard``), from the pools' ``half``."""


def field_documents(
    count: int, *, seed: int = 0, scans: float = 0.3, half: int = DEV
) -> list[FieldDoc]:
    """``count`` documents of every kind by turns; a share ``scans`` of them to be scanned;
    the hard structures drawn from their pools' development or held-out ``half``."""
    rng = random.Random(f"fields/{seed}")
    docs = []
    cycle = len(_MAKERS) + len(_HARD_MAKERS)
    for n in range(count):
        turn = n % cycle
        if turn < len(_MAKERS):
            doc = _MAKERS[turn](rng, n)
        else:
            doc = _HARD_MAKERS[turn - len(_MAKERS)](rng, n, half)
        doc.scanned = rng.random() < scans
        docs.append(doc)
    return docs


def _contract_doc(
    name: str, title: str, parties: tuple[str, str], days: tuple[date, date, date], value: int
) -> FieldDoc:
    """A contract's page with its truth: title, parties, signing date, term and value."""
    signed, start, end = days
    truth = {
        "title": [title],
        "party": list(parties),
        "agreement_date": [signed.isoformat()],
        "term_start": [start.isoformat()],
        "term_end": [end.isoformat()],
        "value": [str(value)],
    }
    return FieldDoc(name, name[:2], "contract", truth)
