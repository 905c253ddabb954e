"""Generated documents of every subtype, in Japanese and English, with their exact type.

    documents("train", 150, seed=0)    # the training set (with the hand-written seeds)
    documents("heldout", 40, seed=1)   # the development set: never trained on

Each document is a title, a header block (number, date, addressee, sender) in one of
several orders, a body of phrases drawn from its subtype's pools, and for commercial
papers a table of items with totals. Quotations, delivery notes and purchase orders carry
amounts, tax and T-numbers like invoices do (the hard negatives). The held-out split is
more than other random seeds: one phrase in four of every pool (and one name in four) is
reserved to it, so it measures phrasings the model has never seen.

Lives in ``ingest`` because retraining (``bunko classifier train``) needs the training set.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

from ingest.classify.subtypes import SUBTYPES

Split = Literal["train", "heldout"]
Pools = dict[str, Sequence[str]]


def _held_out(item: str) -> bool:
    return hashlib.sha256(item.encode()).digest()[0] % 4 == 0


def _pick(rng: random.Random, pool: Sequence[str], split: Split) -> str:
    """An item of ``pool`` for ``split`` (pools of fewer than four items are shared)."""
    if len(pool) >= 4:
        side = [p for p in pool if _held_out(p) == (split == "heldout")]
        pool = side or pool
    return rng.choice(pool)


def _sample(rng: random.Random, pool: Sequence[str], k: int, split: Split) -> list[str]:
    side = [p for p in pool if _held_out(p) == (split == "heldout")] if len(pool) >= 4 else []
    pool = side or list(pool)
    return rng.sample(pool, min(k, len(pool)))


# -- shared values -------------------------------------------------------------------------

_JA_COMPANIES = (
    "株式会社サンプル商事",
    "有限会社みなと設備",
    "東西建設株式会社",
    "合同会社ひかり企画",
    "株式会社北斗システム",
    "さくら印刷株式会社",
    "株式会社大和テクノ",
    "浪速物産株式会社",
    "株式会社青葉メディカル",
    "中央警備保障株式会社",
    "株式会社つばさ運輸",
    "山田工務店",
)
_EN_COMPANIES = (
    "Acme Corporation",
    "Northwind Traders Ltd.",
    "Blue River Consulting LLC",
    "Contoso Inc.",
    "Globex Services",
    "Initech Systems GmbH",
    "Harbor Logistics Co.",
    "Summit Print Works",
    "Evergreen Facilities Ltd.",
    "Pinecrest Software Inc.",
    "Redwood Supplies",
    "Atlas Engineering",
)
_JA_GOV = (
    "大阪市総務局",
    "大阪市環境局",
    "横浜市こども青少年局",
    "名古屋市財政局",
    "札幌市市民文化局",
    "福岡市教育委員会",
    "神戸市都市局",
    "京都市保健福祉局",
    "厚生労働省医政局",
    "総務省自治行政局",
    "堺市建設局",
    "大阪府都市整備部",
    "川崎市まちづくり局",
    "国土交通省近畿地方整備局",
)
_EN_GOV = (
    "City of Springfield",
    "Department of Public Works",
    "County Board of Supervisors",
    "Ministry of the Interior",
    "Office of the City Clerk",
    "Department of Health",
    "State Department of Revenue",
    "Planning Commission",
    "Department of Transportation",
    "Office of Public Records",
    "Board of Education",
    "City Manager's Office",
    "Parks and Recreation Department",
    "Department of Finance",
    "Bureau of Public Health",
    "Housing Authority",
)
_JA_PEOPLE = (
    "山田太郎",
    "佐藤花子",
    "鈴木一郎",
    "高橋美咲",
    "田中健",
    "伊藤さくら",
    "渡辺誠",
    "中村葵",
)
_EN_PEOPLE = (
    "John Smith",
    "Mary Johnson",
    "Robert Brown",
    "Linda Garcia",
    "James Wilson",
    "Patricia Lee",
    "Michael Davis",
    "Susan Clark",
)
_JA_ITEMS = (
    "コピー用紙A4",
    "トナーカートリッジ",
    "ノートパソコン",
    "事務机",
    "清掃業務",
    "保守点検作業",
    "印刷代",
    "会議用椅子",
    "LED照明器具",
    "防災用品一式",
    "ソフトウェア使用料",
    "配送料",
)
_EN_ITEMS = (
    "Consulting services",
    "Laptop computer",
    "Office chairs",
    "Printer toner",
    "Software license",
    "Cleaning services",
    "Maintenance visit",
    "Shipping",
    "Training workshop",
    "Cloud hosting",
    "Network switch",
    "Paper A4 (box)",
)
_JA_SUBJECTS = (
    "庁舎清掃業務",
    "道路維持補修工事",
    "学校給食配送業務",
    "図書館システム保守",
    "公園管理業務",
    "ごみ収集運搬業務",
    "健診業務",
    "窓口案内業務",
)
_EN_SUBJECTS = (
    "facility maintenance",
    "software development",
    "janitorial services",
    "road repair",
    "data hosting",
    "translation services",
    "security services",
    "catering",
)


def _values(rng: random.Random, split: Split) -> dict[str, str]:
    day = date(2015, 1, 1) + timedelta(days=rng.randrange(365 * 11))
    later = day + timedelta(days=rng.randrange(10, 400))
    reiwa = max(day.year - 2018, 1)
    amount = rng.randrange(10, 90_000) * 110
    c1, c2 = _sample(rng, _JA_COMPANIES, 2, split)
    e1, e2 = _sample(rng, _EN_COMPANIES, 2, split)
    return {
        "company": c1,
        "company2": c2,
        "ecompany": e1,
        "ecompany2": e2,
        "gov": _pick(rng, _JA_GOV, split),
        "egov": _pick(rng, _EN_GOV, split),
        "person": _pick(rng, _JA_PEOPLE, split),
        "eperson": _pick(rng, _EN_PEOPLE, split),
        "subject": _pick(rng, _JA_SUBJECTS, split),
        "esubject": _pick(rng, _EN_SUBJECTS, split),
        "date": rng.choice(
            (
                f"{day.year}年{day.month}月{day.day}日",
                f"令和{reiwa}年{day.month}月{day.day}日",
                f"{day.year}/{day.month}/{day.day}",
            )
        ),
        "date2": f"令和{max(later.year - 2018, 1)}年{later.month}月{later.day}日",
        "edate": rng.choice((day.strftime("%B %d, %Y"), day.isoformat(), day.strftime("%d/%m/%Y"))),
        "edate2": later.strftime("%B %d, %Y"),
        "amount": f"{amount:,}",
        "tax": f"{amount // 11:,}",
        "no": str(rng.randrange(1, 9999)),
        "year": str(reiwa),
        "regno": "T" + "".join(rng.choice("0123456789") for _ in range(13)),
        "n": str(rng.randrange(2, 20)),
        "m": str(rng.randrange(1, 13)),
        "d": str(rng.randrange(1, 29)),
        "pct": f"{rng.uniform(-20, 40):.1f}",
        "count": f"{rng.randrange(100, 500_000):,}",
    }


# -- subtype specifications ------------------------------------------------------------------
# Each language: title pool, header pools (lines near the top), body pools, closing pool,
# and whether the body carries a priced item table.


class _Spec:
    def __init__(
        self,
        titles: Sequence[str],
        heads: Sequence[str],
        body: Sequence[str],
        closing: Sequence[str] = (),
        *,
        table: bool = False,
        min_body: int = 2,
        max_body: int = 5,
    ) -> None:
        self.titles, self.heads, self.body, self.closing = titles, heads, body, closing
        self.table, self.min_body, self.max_body = table, min_body, max_body


_JA_BILL_HEAD = (
    "{company2} 御中",
    "{gov} 御中",
    "登録番号 {regno}",
    "No. {no}",
    "発行日 {date}",
    "{company}",
    "〒530-0001 大阪市北区梅田1-2-3",
    "TEL 06-1234-5678",
    "担当 {person}",
)
_EN_BILL_HEAD = (
    "Bill to: {ecompany2}",
    "To: {egov}",
    "No. {no}",
    "Date: {edate}",
    "{ecompany}",
    "123 Main Street, Springfield",
    "VAT ID: GB{no}77",
    "Customer ID: C-{no}",
    "Attn: {eperson}",
)
_JA_TOTALS = ("小計 {amount}円", "消費税(10%) {tax}円", "合計 ¥{amount}", "税込合計 {amount}円")
_EN_TOTALS = ("Subtotal {amount}", "Tax (10%) {tax}", "Total {amount}", "VAT 20% {tax}")

_SPECS: dict[str, dict[str, _Spec]] = {
    "invoice": {
        "ja": _Spec(
            (
                "請求書",
                "御請求書",
                "適格請求書",
                "請求書（控）",
                "ご請求書",
                "請求明細書",
                "納品書兼請求書",
            ),
            _JA_BILL_HEAD,
            (
                "下記のとおりご請求申し上げます。",
                "ご請求金額 ¥{amount}（税込）",
                "お支払期限 {date2}",
                "お振込先 みずほ銀行 梅田支店 普通 1234567",
                "請求番号 INV-{no}",
                "今回ご請求額 {amount}円",
                "毎度ありがとうございます。下記の通りご請求いたします。",
                "振込手数料は貴社にてご負担ください。",
                "お支払いは請求書到着後30日以内にお願いします。",
                "前回ご請求額 0円 ご入金額 0円 繰越金額 0円",
                "請求日 {date}",
                "ご利用期間 {date}～{date2}",
                "口座振替日 {date2}",
                "適格請求書発行事業者登録番号 {regno}",
            ),
            ("上記金額をご請求いたします。", "何卒よろしくお願い申し上げます。", "以上"),
            table=True,
        ),
        "en": _Spec(
            (
                "INVOICE",
                "Tax Invoice",
                "Invoice",
                "Commercial Invoice",
                "Billing Statement",
                "Final Invoice",
            ),
            _EN_BILL_HEAD,
            (
                "Invoice Number: INV-{no}",
                "Invoice Date: {edate}",
                "Due Date: {edate2}",
                "Amount due: {amount}",
                "Payment terms: Net 30",
                "Please remit payment to the account below.",
                "Balance due {amount}",
                "Please include the invoice number with your payment.",
                "Bank: First National Bank, IBAN DE89 3704 0044 0532 0130 00",
                "Billing period {edate} to {edate2}",
                "Late payments are subject to a fee of 1.5% per month.",
                "Pay online at our billing portal.",
            ),
            (
                "Thank you for your business.",
                "Payment is due within 30 days.",
                "Questions about this invoice? Contact billing.",
            ),
            table=True,
        ),
    },
    "receipt": {
        "ja": _Spec(
            ("領収書", "領収証", "領収書（控）", "受領書", "レシート"),
            ("{company2} 様", "{person} 様", "No. {no}", "{date}", "{company}", "登録番号 {regno}"),
            (
                "金額 ¥{amount}-",
                "但し 印刷代として",
                "上記正に領収いたしました。",
                "領収金額",
                "領収日 {date}",
                "上記金額を領収しました。",
                "領収者 {company}",
                "お支払方法 現金",
                "収入印紙",
                "お預り ¥{amount}",
                "お釣り ¥0",
                "現金にて受領",
                "クレジットカード支払",
                "領収金額 {amount}円（税込）",
                "内消費税等 {tax}円",
                "但し お品代として",
                "上記の金額を確かに受領しました。",
            ),
            ("ありがとうございました。", "またのご来店をお待ちしております。"),
        ),
        "en": _Spec(
            ("RECEIPT", "Payment Receipt", "Official Receipt", "Sales Receipt", "Cash Receipt"),
            ("Receipt No. {no}", "Date: {edate}", "{ecompany}", "Received from: {eperson}"),
            (
                "Payment received with thanks.",
                "Amount paid: {amount}",
                "Paid by credit card ending 4242",
                "Payment method: cash",
                "Balance: 0.00",
                "Received the sum of {amount}",
                "Transaction ID TX-{no}",
                "This receipt confirms your payment in full.",
                "Change 0.00",
            ),
            ("Thank you for your payment.", "Keep this receipt for your records."),
        ),
    },
    "credit_note": {
        "ja": _Spec(
            ("返金明細書", "赤伝票", "減額請求書", "返品伝票", "クレジットノート", "値引明細書"),
            _JA_BILL_HEAD,
            (
                "下記のとおり返金いたします。",
                "本書は返金のご案内です。",
                "返金方法 銀行振込",
                "減額後の金額",
                "取消伝票",
                "返金明細",
                "過請求分を減額いたします。",
                "返品数量 {n}",
                "返金合計 {amount}円",
                "返品に伴う減額",
                "元請求書番号 INV-{no}",
                "返金額 ▲{amount}円",
                "マイナス請求 -{amount}円",
                "次回ご請求額より相殺いたします。",
                "値引額 {amount}円",
                "誤請求分の取消",
                "返金予定日 {date2}",
                "返品理由 破損",
            ),
            ("ご迷惑をおかけしたことをお詫び申し上げます。", "以上"),
            table=True,
        ),
        "en": _Spec(
            ("CREDIT NOTE", "Credit Memo", "Credit Note", "Refund Notice", "Credit Memorandum"),
            _EN_BILL_HEAD,
            (
                "Credit note number CN-{no}",
                "This credit note reduces the amount owed.",
                "Credit reference CR-{no}",
                "Returned items credited",
                "Negative invoice",
                "Total credit -{amount}",
                "Original invoice INV-{no}",
                "Credit amount -{amount}",
                "Reason: returned goods",
                "This credit will be applied to your next invoice.",
                "Refund issued to the original payment method.",
                "Amount credited {amount}",
                "Adjustment for overbilling",
                "Credit applied against outstanding balance.",
            ),
            ("No payment is required.", "Please retain for your records."),
            table=True,
        ),
    },
    "contract": {
        "ja": _Spec(
            (
                "業務委託契約書",
                "売買契約書",
                "賃貸借契約書",
                "工事請負契約書",
                "基本契約書",
                "ライセンス契約書",
                "雇用契約書",
            ),
            (
                "{company}（以下「甲」という。）と{company2}（以下「乙」という。）は、次のとおり契約を締結する。",
                "{gov}（以下「甲」という。）と{company}（以下「乙」という。）は、{subject}について契約を締結する。",
            ),
            (
                "第1条（目的）甲は乙に対し{subject}を委託し、乙はこれを受託する。",
                "第{n}条（契約期間）本契約の期間は{date}から{date2}までとする。",
                "第{n}条（委託料）甲は乙に対し委託料として金{amount}円を支払う。",
                "第{n}条（再委託の禁止）乙は甲の書面による承諾なく業務を第三者に委託してはならない。",
                "第{n}条（損害賠償）乙は本契約に違反して甲に損害を与えたときは賠償しなければならない。",
                "第{n}条（契約の解除）甲は乙が本契約に違反したときは本契約を解除することができる。",
                "第{n}条（反社会的勢力の排除）甲及び乙は反社会的勢力に該当しないことを表明する。",
                "第{n}条（協議）本契約に定めのない事項は甲乙協議のうえ定める。",
                "第{n}条（管轄）本契約に関する紛争は大阪地方裁判所を専属的合意管轄裁判所とする。",
                "第{n}条（支払）甲は検査合格後30日以内に代金を支払う。",
                "第{n}条（検査）乙は業務完了後、甲の検査を受ける。",
            ),
            (
                "本契約の成立を証するため本書2通を作成し、甲乙記名押印のうえ各1通を保有する。",
                "{date} 甲 {company} 代表取締役 {person} 印 乙 {company2}",
            ),
            min_body=3,
            max_body=7,
        ),
        "en": _Spec(
            (
                "SERVICES AGREEMENT",
                "Master Services Agreement",
                "Supply Agreement",
                "Consulting Agreement",
                "License Agreement",
                "Lease Agreement",
                "Purchase Agreement",
            ),
            (
                'This Agreement is made as of {edate} by and between {ecompany} ("Company") and {ecompany2} ("Contractor").',
                "THIS AGREEMENT is entered into by and between {ecompany} and {egov}.",
            ),
            (
                "1. Services. Contractor shall provide {esubject} as described in Exhibit A.",
                "2. Term. This Agreement commences on the Effective Date and continues for {n} months.",
                "3. Fees. Company shall pay Contractor {amount} in accordance with the payment schedule.",
                "Termination. Either party may terminate this Agreement upon thirty days written notice.",
                "Governing Law. This Agreement shall be governed by the laws of the State of New York.",
                "Indemnification. Each party shall indemnify and hold harmless the other party.",
                "Limitation of Liability. In no event shall either party be liable for indirect damages.",
                "Entire Agreement. This Agreement constitutes the entire agreement between the parties.",
                "Assignment. Neither party may assign this Agreement without prior written consent.",
                "Warranties. Contractor warrants that the services will be performed in a workmanlike manner.",
                "Force Majeure. Neither party shall be liable for delays caused by events beyond its control.",
            ),
            (
                "IN WITNESS WHEREOF, the parties have executed this Agreement as of the date first written above.",
                "By: {eperson} Title: President Date: {edate}",
            ),
            min_body=3,
            max_body=7,
        ),
    },
    "memorandum": {
        "ja": _Spec(
            ("覚書", "覚書（確認書）", "確認書", "合意書", "念書"),
            (
                "{company}（以下「甲」という。）と{company2}（以下「乙」という。）は、{date}付け{subject}委託契約（以下「原契約」という。）に関し、次のとおり確認する。",
                "{gov}（以下「甲」という。）と{company}（以下「乙」という。）は、以下の事項について合意したので、本覚書を締結する。",
            ),
            (
                "第1条 甲及び乙は、原契約第{n}条の運用について次のとおり確認する。",
                "第2条 本覚書に定めのない事項は原契約の定めによる。",
                "第3条 本覚書は原契約と一体をなすものとする。",
                "甲及び乙は、業務の実施方法について以下のとおり確認した。",
                "本覚書の有効期間は原契約の有効期間と同一とする。",
                "甲及び乙は、個人情報の取扱いに関し次の事項を遵守することを確認する。",
                "本覚書の内容について疑義が生じたときは、甲乙誠意をもって協議する。",
            ),
            ("本覚書締結の証として本書2通を作成し、甲乙記名押印のうえ各1通を保有する。", "{date}"),
        ),
        "en": _Spec(
            (
                "MEMORANDUM OF UNDERSTANDING",
                "Memorandum of Agreement",
                "Letter of Understanding",
                "MOU",
            ),
            (
                "This Memorandum of Understanding is entered into between {ecompany} and {egov}.",
                "{ecompany} and {ecompany2} (the Parties) record their understanding as follows.",
            ),
            (
                "Purpose. The Parties wish to record their mutual understanding regarding {esubject}.",
                "This MOU is not legally binding except for the confidentiality clause.",
                "Each Party will bear its own costs.",
                "The Parties intend to cooperate in good faith.",
                "Roles and responsibilities of each Party are set out below.",
                "This Memorandum may be modified by mutual written consent.",
                "Nothing in this MOU creates a partnership or joint venture.",
            ),
            ("Signed on behalf of the Parties on {edate}.",),
        ),
    },
    "amendment": {
        "ja": _Spec(
            (
                "変更契約書",
                "契約変更契約書",
                "第{n}回変更契約書",
                "契約内容変更に関する合意書",
                "変更覚書",
            ),
            (
                "{gov}（以下「甲」という。）と{company}（以下「乙」という。）は、{date}付けで締結した{subject}委託契約（以下「原契約」という。）の一部を次のとおり変更する。",
                "甲と乙は、原契約の一部を変更することに合意し、次のとおり変更契約を締結する。",
            ),
            (
                "第1条 原契約第{n}条中「{date}」を「{date2}」に改める。",
                "第2条 原契約の委託料 金{amount}円を 金{amount}円に変更する。",
                "変更前 契約期間 {date}まで 変更後 契約期間 {date2}まで",
                "変更の理由 業務量の増加による。",
                "本変更契約に定めのない事項は、原契約のとおりとする。",
                "本変更契約は{date}から効力を生じる。",
                "契約金額の増額 {amount}円",
                "原契約のその他の条項は変更しない。",
            ),
            ("本変更契約の証として本書2通を作成し、甲乙記名押印のうえ各1通を保有する。",),
        ),
        "en": _Spec(
            (
                "AMENDMENT NO. {n}",
                "First Amendment to Services Agreement",
                "Contract Amendment",
                "Amendment Agreement",
            ),
            (
                "This Amendment is made to the Agreement dated {edate} between {ecompany} and {ecompany2} (the Original Agreement).",
                "The parties hereby amend the Agreement as follows.",
            ),
            (
                "Section {n} of the Agreement is deleted in its entirety and replaced with the following.",
                "The term of the Agreement is extended until {edate2}.",
                "The fees are increased to {amount}.",
                "Except as amended herein, all terms of the Original Agreement remain in full force and effect.",
                "Capitalized terms not defined in this Amendment have the meanings given in the Agreement.",
                "This Amendment is effective as of {edate}.",
                "Exhibit B is replaced by the attached Exhibit B-1.",
                "In case of conflict, this Amendment prevails over the Original Agreement.",
            ),
            ("IN WITNESS WHEREOF, the parties have executed this Amendment.",),
        ),
    },
    "nda": {
        "ja": _Spec(
            (
                "秘密保持契約書",
                "機密保持契約書",
                "秘密保持に関する覚書",
                "NDA（秘密保持契約）",
                "秘密保持誓約書",
            ),
            (
                "{company}（以下「甲」という。）と{company2}（以下「乙」という。）は、相互に開示する秘密情報の取扱いについて、次のとおり契約を締結する。",
            ),
            (
                "第1条（秘密情報）本契約において秘密情報とは、開示者が秘密である旨を明示して開示した技術上又は営業上の情報をいう。",
                "第{n}条（秘密保持）受領者は秘密情報を厳に秘密として保持し、第三者に開示又は漏洩してはならない。",
                "第{n}条（目的外使用の禁止）受領者は秘密情報を本目的以外に使用してはならない。",
                "第{n}条（返還）本契約終了時、受領者は秘密情報を返還又は廃棄する。",
                "第{n}条（有効期間）本契約の有効期間は締結日から{n}年間とする。",
                "次の各号の情報は秘密情報に含まれない。公知の情報、既に保有していた情報。",
                "第{n}条（差止め）開示者は秘密保持義務違反に対し差止めを請求できる。",
            ),
            ("本契約締結の証として本書2通を作成し、各1通を保有する。",),
            min_body=3,
            max_body=6,
        ),
        "en": _Spec(
            (
                "NON-DISCLOSURE AGREEMENT",
                "Mutual Non-Disclosure Agreement",
                "Confidentiality Agreement",
                "One-Way NDA",
            ),
            (
                "This Non-Disclosure Agreement is entered into as of {edate} between {ecompany} (Discloser) and {ecompany2} (Recipient).",
            ),
            (
                "Confidential Information means any non-public information disclosed by either party.",
                "Recipient shall hold the Confidential Information in strict confidence.",
                "Recipient shall not disclose Confidential Information to any third party.",
                "Confidential Information shall be used solely for evaluating a potential business relationship.",
                "Upon request, Recipient shall return or destroy all Confidential Information.",
                "The obligations of confidentiality survive for {n} years.",
                "Exclusions: information that is publicly available or independently developed.",
                "Discloser may seek injunctive relief for any breach of this Agreement.",
            ),
            ("Agreed and accepted by the parties on {edate}.",),
            min_body=3,
            max_body=6,
        ),
    },
    "notice": {
        "ja": _Spec(
            (
                "{subject}の実施について（通知）",
                "文書管理規程の改正について（通知）",
                "事務処理要領の改正について（通知）",
                "{subject}に係る留意事項について（通知）",
                "会議の開催について（通知）",
                "決定通知書",
                "開示決定通知書",
            ),
            (
                "大市総第{no}号",
                "{date}",
                "各所属長 様",
                "各区長 様",
                "各都道府県知事 殿",
                "{gov}長",
                "{company} 様",
            ),
            (
                "このことについて、下記のとおり通知します。",
                "別紙のとおり改正しましたので、お知らせします。",
                "ついては、遺漏のないよう取り計らい願います。",
                "各所属においては、職員への周知徹底をお願いします。",
                "下記のとおり決定したので通知します。",
                "標記の件について、下記のとおり取り扱うこととしたので通知する。",
                "標記について、別添のとおり定めたので通知します。",
                "記",
                "1 趣旨",
                "2 施行日 {date2}",
                "3 留意事項",
                "関係職員への周知をお願いします。",
                "令和{year}年{m}月{d}日付けで請求のあった件について、次のとおり決定したので通知します。",
                "この決定に不服がある場合は、審査請求をすることができます。",
                "担当 {gov} 電話 06-6208-{no}",
            ),
            ("以上",),
        ),
        "en": _Spec(
            (
                "NOTICE",
                "Notice of Decision",
                "Official Notice",
                "Notice to All Departments",
                "Notification of Change",
            ),
            ("To: All Department Heads", "From: {egov}", "Date: {edate}", "Ref. No. {no}"),
            (
                "This is to notify you that the following policy takes effect on {edate2}.",
                "Notice is hereby given to all employees.",
                "This notification is sent to you as the requester.",
                "Please take note of the following changes.",
                "This memorandum notifies all divisions of the new schedule.",
                "Please be advised that the office will be closed on {edate2}.",
                "You are hereby notified of the decision described below.",
                "Please ensure all staff are informed of this notice.",
                "This notice is issued pursuant to Section {n} of the Municipal Code.",
                "All departments are requested to comply with the revised procedure.",
                "Subject: revision of the records management rules",
                "The attached guidelines replace those issued on {edate}.",
                "Your request for records dated {edate} has been granted in part.",
                "Please circulate this notice to the staff concerned.",
                "You may appeal this decision within 30 days of the date of this notice.",
                "For questions, contact the Office of the City Clerk.",
            ),
            ("By order of the Director.",),
        ),
    },
    "announcement": {
        "ja": _Spec(
            (
                "大阪市告示第{no}号",
                "公告",
                "入札公告",
                "市告示第{no}号",
                "告示",
                "一般競争入札の実施について（公告）",
            ),
            ("{date}", "大阪市長 {person}", "{gov}"),
            (
                "都市計画法第{n}条第1項の規定により、都市計画の変更を告示する。",
                "次のとおり一般競争入札に付するので、地方自治法施行令第167条の6の規定により公告する。",
                "入札に付する事項 {subject}",
                "入札参加資格",
                "入札日時 {date2} 午前10時",
                "縦覧場所 {gov}",
                "縦覧期間 {date}から{date2}まで",
                "次のとおり区域を指定したので告示する。",
                "道路法第18条の規定により道路の区域を変更する。",
                "契約条項を示す場所",
            ),
        ),
        "en": _Spec(
            (
                "PUBLIC NOTICE",
                "Notice of Public Hearing",
                "Invitation to Bid",
                "Request for Proposals",
                "Legal Notice",
            ),
            ("{egov}", "Published {edate}"),
            (
                "NOTICE IS HEREBY GIVEN that the City Council will hold a public hearing on {edate2}.",
                "Sealed bids will be received until 2:00 p.m. on {edate2}.",
                "All interested persons may attend and be heard.",
                "The proposed ordinance is available for public inspection.",
                "Bidders must be registered with the procurement office.",
                "Proposals shall be submitted to the Purchasing Division no later than {edate2}.",
                "A pre-bid conference will be held at City Hall.",
                "The City reserves the right to reject any and all bids.",
                "Notice is given that the hearing will be held in the Council Chambers.",
                "Written comments may be submitted before the hearing.",
                "Bid documents may be obtained from the Clerk.",
                "Published pursuant to state law.",
            ),
        ),
    },
    "draft_decision": {
        "ja": _Spec(
            ("起案用紙", "起案文書", "伺い", "決裁伺", "支出伺", "{subject}の実施について（伺い）"),
            (
                "起案日 {date}",
                "決裁日 {date2}",
                "起案者 {gov} {person}",
                "文書番号 大市総第{no}号",
                "決裁区分 局長決裁",
                "保存期間 5年",
                "施行日 {date2}",
            ),
            (
                "件名 {subject}の契約締結について",
                "このことについて、下記のとおり実施してよろしいか伺います。",
                "決裁欄 局長 部長 課長 係長 担当",
                "合議 財政課",
                "支出科目 需用費 金額 {amount}円",
                "案 別紙のとおり",
                "供覧",
                "起案理由",
                "伺い定め",
                "上記のとおり決裁を受けたい。",
                "施行文案 別添のとおり",
                "決裁後、関係課へ通知する。",
                "起案の理由及び経過",
                "専決 課長",
            ),
        ),
        "en": _Spec(
            (
                "Request for Approval",
                "Decision Memo",
                "Internal Approval Form",
                "Action Memorandum",
            ),
            (
                "Prepared by: {eperson}",
                "Department: {egov}",
                "Date drafted: {edate}",
                "File No. {no}",
            ),
            (
                "Approval is requested for the following action.",
                "Drafted for the approval of the Director.",
                "Please indicate approval by initialing below.",
                "Originating section: {egov}",
                "The draft letter for issue is attached for approval.",
                "Decision required by {edate2}.",
                "Approval chain: Drafter, Section Chief, Department Head.",
                "Recommended action: approve the purchase of {esubject}.",
                "Approvals: Section Chief ____ Director ____ Deputy Mayor ____",
                "Budget line: {no}, amount {amount}",
                "Background and justification",
                "Decision: approved / not approved",
                "Routing: Finance, Legal",
            ),
        ),
    },
    "minutes": {
        "ja": _Spec(
            (
                "議事録",
                "会議録",
                "令和{year}年第{n}回定例会 会議録",
                "委員会議事要旨",
                "審議会議事録",
            ),
            (
                "日時 {date} 午後2時から",
                "場所 市役所本庁舎 第{n}会議室",
                "出席者 {person}委員長 他{n}名",
                "欠席者 なし",
            ),
            (
                "議題 1 {subject}について",
                "開会",
                "委員長 ただいまから会議を開会します。",
                "事務局より資料に基づき説明があった。",
                "質疑 委員 {person} 本件の予算について伺います。",
                "討論 なし",
                "採決の結果、原案のとおり可決された。",
                "閉会 午後4時",
                "次回開催予定 {date2}",
                "報告事項",
                "協議事項",
                "議事録署名人",
            ),
            ("以上",),
            min_body=3,
            max_body=7,
        ),
        "en": _Spec(
            (
                "MINUTES",
                "Minutes of the Regular Meeting",
                "Meeting Minutes",
                "Council Minutes",
                "Board Minutes",
            ),
            (
                "Date: {edate}",
                "Location: City Hall, Room {n}",
                "Present: {eperson} (Chair), {n} members",
                "Absent: none",
            ),
            (
                "Call to order at 7:00 p.m.",
                "Roll call.",
                "Approval of the agenda.",
                "Approval of the minutes of the previous meeting.",
                "Public comments: none.",
                "Motion by {eperson}, seconded. Motion carried unanimously.",
                "Discussion of {esubject}.",
                "Adjournment at 9:15 p.m.",
                "Next meeting: {edate2}",
            ),
            min_body=3,
            max_body=7,
        ),
    },
    "report": {
        "ja": _Spec(
            (
                "{subject}に関する調査報告書",
                "監査結果報告書",
                "事業報告書",
                "実績報告書",
                "業務完了報告書",
                "評価報告書",
            ),
            ("{date}", "{gov}", "{company}"),
            (
                "1 調査の目的",
                "2 調査の概要",
                "3 調査結果",
                "4 考察",
                "5 今後の課題",
                "本報告書は、{subject}の実施状況を取りまとめたものである。",
                "調査の結果、次のことが明らかになった。",
                "地方自治法第199条第9項の規定により、監査の結果を次のとおり報告します。",
                "まとめ",
                "業務が完了したので報告します。",
                "改善に向けた提言",
            ),
            min_body=3,
            max_body=7,
        ),
        "en": _Spec(
            (
                "ANNUAL REPORT",
                "Audit Report",
                "Final Report",
                "Progress Report",
                "Evaluation Report",
            ),
            ("Prepared for: {egov}", "Date: {edate}", "Prepared by: {ecompany}"),
            (
                "Executive Summary",
                "1. Introduction",
                "2. Methodology",
                "3. Findings",
                "4. Recommendations",
                "This report presents the results of the review of {esubject}.",
                "Key findings are summarized below.",
                "The audit found no material weaknesses.",
                "Appendix A: data sources",
                "Conclusion",
            ),
            min_body=3,
            max_body=7,
        ),
    },
    "statistics": {
        "ja": _Spec(
            (
                "人口統計",
                "統計表",
                "令和{year}年度 統計資料",
                "月別推移表",
                "{subject}利用状況（統計）",
                "推計人口",
            ),
            ("{gov}", "令和{year}年{n}月1日現在", "単位：人"),
            (
                "区分 総数 男 女 前年比",
                "北区 {count} {count} {count} {pct}%",
                "中央区 {count} {count} {count} {pct}%",
                "合計 {count} 前年比 {pct}%",
                "年度 件数 構成比",
                "令和{year}年度 {count}件 {pct}%",
                "資料：住民基本台帳",
                "注 四捨五入のため合計が一致しない場合がある。",
                "世帯数 {count}",
            ),
            min_body=4,
            max_body=8,
        ),
        "en": _Spec(
            (
                "STATISTICAL TABLES",
                "Population Statistics",
                "Monthly Statistics",
                "Statistical Bulletin",
                "Data Tables",
            ),
            ("{egov}", "As of {edate}", "Units: persons"),
            (
                "Category Total Male Female Change",
                "District 1 {count} {count} {count} {pct}%",
                "District 2 {count} {count} {count} {pct}%",
                "Total {count} change {pct}%",
                "Year Count Share",
                "Source: census data",
                "Note: figures may not add up due to rounding.",
                "Households {count}",
                "Table {n}. Population by age group",
            ),
            min_body=4,
            max_body=8,
        ),
    },
    "court_filing": {
        "ja": _Spec(
            ("訴状", "判決", "答弁書", "準備書面", "決定", "申立書"),
            (
                "令和{year}年（ワ）第{no}号",
                "{date}",
                "大阪地方裁判所 民事第{n}部 御中",
                "原告 {company}",
                "被告 {gov}",
            ),
            (
                "請求の趣旨",
                "原告",
                "被告",
                "大阪地方裁判所",
                "上記当事者間の損害賠償請求事件について、次のとおり判決する。",
                "口頭弁論終結日 {date}",
                "裁判長裁判官 {person}",
                "控訴人",
                "被控訴人",
                "申立ての趣旨",
                "請求の原因",
                "主文",
                "被告は原告に対し金{amount}円を支払え。",
                "訴訟費用は被告の負担とする。",
                "事実及び理由",
                "当裁判所の判断",
                "原告訴訟代理人弁護士 {person}",
                "証拠方法 甲第1号証",
                "本件控訴を棄却する。",
                "附属書類 訴状副本 1通",
            ),
            min_body=3,
            max_body=6,
        ),
        "en": _Spec(
            (
                "COMPLAINT",
                "MOTION TO DISMISS",
                "ORDER",
                "MEMORANDUM OPINION",
                "BRIEF FOR THE PETITIONER",
            ),
            (
                "UNITED STATES DISTRICT COURT",
                "Case No. {no}-cv-{n}",
                "{ecompany}, Plaintiff, v. {egov}, Defendant.",
                "IN THE SUPREME COURT OF THE STATE",
            ),
            (
                "Plaintiff alleges as follows.",
                "JURISDICTION AND VENUE",
                "PRAYER FOR RELIEF",
                "Defendant respectfully moves the Court to dismiss the complaint.",
                "IT IS SO ORDERED.",
                "Counsel for Plaintiff",
                "The Court has jurisdiction under 28 U.S.C. 1331.",
                "For the foregoing reasons, the judgment is affirmed.",
                "Respectfully submitted,",
            ),
            min_body=3,
            max_body=6,
        ),
    },
    "gazette": {
        "ja": _Spec(
            ("官報", "官報 号外", "大阪市公報", "県報", "市報 第{no}号", "公報"),
            ("令和{year}年{m}月{d}日 第{no}号", "発行 {gov}", "目次"),
            (
                "政令",
                "〔政令〕",
                "○内閣府令第{n}号",
                "叙位・叙勲",
                "本号で公布された条例等",
                "官庁報告 国会事項",
                "規則を次のように定める。",
                "省令",
                "告示",
                "〔人事異動〕",
                "公布された法令",
                "条例の公布",
                "規則第{n}号",
                "○{subject}条例の一部を改正する条例",
                "公布する。 {date} 市長",
                "官庁報告",
                "公告 諸事項",
                "本号で公布された法令のあらまし",
            ),
            min_body=4,
            max_body=8,
        ),
        "en": _Spec(
            (
                "OFFICIAL GAZETTE",
                "Government Gazette",
                "Federal Register",
                "Official Journal",
                "Municipal Bulletin",
            ),
            ("Vol. {n}, No. {no}", "{edate}", "Published by {egov}", "Contents"),
            (
                "Rules and Regulations",
                "Part I",
                "Government Notice No. {no}",
                "Statutory Instruments",
                "Department notices",
                "Published by authority",
                "This issue contains the following acts and regulations.",
                "Effective date: {edate2}. Regulatory text follows.",
                "Proposed Rules",
                "Notices",
                "Executive Orders",
                "Appointments",
                "AGENCY: {egov}. ACTION: Final rule.",
                "SUMMARY: This rule amends the regulations.",
                "Regulation No. {n} is hereby published.",
                "Table of contents of this issue",
            ),
            min_body=4,
            max_body=8,
        ),
    },
    "public": {
        "ja": _Spec(
            (
                "{subject}条例",
                "答申",
                "事務連絡",
                "議会だより",
                "要綱",
                "計画書（案）",
                "行政評価シート",
            ),
            ("{gov}", "{date}", "{gov}長 様"),
            (
                "第1条 この条例は、{subject}に関し必要な事項を定めるものとする。",
                "附則 この条例は、公布の日から施行する。",
                "諮問事項について審議した結果、次のとおり答申します。",
                "標記について、下記のとおりご協力をお願いします。",
                "一般質問",
                "市議会の動き",
                "第{n}条 市長は、必要な措置を講ずるものとする。",
                "施策の方向性",
                "この要綱は、{date2}から施行する。",
                "基本方針",
                "所管 {gov}",
            ),
        ),
        "en": _Spec(
            (
                "RESOLUTION NO. {no}",
                "Ordinance No. {no}",
                "Agenda",
                "Policy Statement",
                "Official Form {n}-A",
            ),
            ("{egov}", "{edate}"),
            (
                "WHEREAS, the City Council finds that the public interest so requires;",
                "NOW, THEREFORE, BE IT RESOLVED by the Council as follows.",
                "Adopted and approved on {edate2}.",
                "Call to order. Consent calendar. Action items. Public comment.",
                "Instructions for completing this form. Paperwork Reduction Act notice.",
                "Sign here under penalties of perjury.",
                "Department of Revenue use only.",
                "This policy applies to all city departments.",
            ),
        ),
    },
    "quotation": {
        "ja": _Spec(
            ("見積書", "御見積書", "お見積書", "概算見積書", "見積書（控）"),
            _JA_BILL_HEAD,
            (
                "下記のとおりお見積り申し上げます。",
                "御見積金額 ¥{amount}（税込）",
                "見積有効期限 {date2}",
                "見積番号 Q-{no}",
                "納期 ご注文後2週間",
                "受渡場所 貴社指定場所",
                "お支払条件 月末締め翌月末払い",
                "本見積の有効期間は発行日より30日間です。",
                "ご検討のほどよろしくお願いいたします。",
                "見積条件",
                "ご発注の際は本見積書番号をご記載ください。",
            ),
            ("以上", "何卒ご用命賜りますようお願い申し上げます。"),
            table=True,
        ),
        "en": _Spec(
            ("QUOTATION", "Quote", "Price Quotation", "Estimate", "Proposal and Quote"),
            _EN_BILL_HEAD,
            (
                "Quote Number: Q-{no}",
                "Valid until: {edate2}",
                "This quotation is valid for 30 days.",
                "Estimated total {amount}",
                "Prices are subject to change after the validity period.",
                "To accept this quote, please sign and return.",
                "Lead time: 2 weeks after order",
                "This is not an invoice.",
                "Estimate prepared for {ecompany2}",
            ),
            ("We look forward to working with you.", "Acceptance signature ____"),
            table=True,
        ),
    },
    "delivery_note": {
        "ja": _Spec(
            ("納品書", "納品書（控）", "物品受領書", "出荷案内書", "納品明細書"),
            _JA_BILL_HEAD,
            (
                "下記のとおり納品いたします。",
                "納品日 {date}",
                "納品場所 {gov}",
                "伝票番号 D-{no}",
                "受領印",
                "検収欄",
                "出荷日 {date}",
                "配送業者 {company2}",
                "数量をご確認のうえ受領印をお願いします。",
                "ご注文番号 PO-{no}",
                "納品書番号 {no}",
                "分納 1/2",
            ),
            ("毎度ありがとうございます。", "以上"),
            table=True,
        ),
        "en": _Spec(
            (
                "DELIVERY NOTE",
                "Packing Slip",
                "Delivery Receipt",
                "Goods Received Note",
                "Dispatch Note",
            ),
            _EN_BILL_HEAD,
            (
                "Delivery Note No. DN-{no}",
                "Delivery date: {edate}",
                "Ship to: {egov}",
                "Your order: PO-{no}",
                "Received in good condition by: ____",
                "Carrier: {ecompany2}",
                "Packages: {n}",
                "Please check the goods on receipt.",
                "Partial delivery 1 of 2",
            ),
            ("Signature of recipient ____",),
            table=True,
        ),
    },
    "purchase_order": {
        "ja": _Spec(
            ("発注書", "注文書", "御注文書", "発注書（控）", "注文請書"),
            _JA_BILL_HEAD,
            (
                "下記のとおり発注いたします。",
                "発注番号 PO-{no}",
                "納期 {date2}",
                "納入場所 {gov}",
                "注文日 {date}",
                "支払条件 検収後翌月末払い",
                "上記のとおり注文します。",
                "発注金額 {amount}円",
                "注文請書をご返送ください。",
                "発注者 {gov} 契約担当",
            ),
            ("以上",),
            table=True,
        ),
        "en": _Spec(
            ("PURCHASE ORDER", "Order Form", "Purchase Order", "PO", "Work Order"),
            _EN_BILL_HEAD,
            (
                "PO Number: PO-{no}",
                "Order date: {edate}",
                "Required delivery date: {edate2}",
                "Please supply the following items.",
                "Ship to: {egov}",
                "Vendor: {ecompany2}",
                "Please confirm receipt of this order.",
                "Authorized by: {eperson}",
                "Reference this PO number on all invoices.",
            ),
            ("Authorized signature ____",),
            table=True,
        ),
    },
    "letter": {
        "ja": _Spec(
            ("拝啓", "ご挨拶", "お知らせ", "{subject}についてのお願い", "御礼"),
            (
                "{date}",
                "{company2} 御中",
                "{person} 様",
                "{company} 営業部 {person}",
                "拝啓",
                "謹啓",
            ),
            (
                "時下ますますご清栄のこととお慶び申し上げます。",
                "拝啓 新緑の候、貴社ますますご清祥のこととお喜び申し上げます。",
                "謹啓 師走の候、皆様におかれましてはご健勝のこととお慶び申し上げます。",
                "ご多忙のところ恐縮ですが、ご確認のほどよろしくお願いいたします。",
                "後日改めて担当者よりご連絡いたします。",
                "寒さ厳しき折、どうぞご自愛ください。",
                "平素は格別のご高配を賜り、厚く御礼申し上げます。",
                "さて、このたび弊社は本社を移転することとなりました。",
                "つきましては、下記のとおりご案内申し上げます。",
                "今後とも変わらぬご愛顧を賜りますようお願い申し上げます。",
                "まずは略儀ながら書中をもってご挨拶申し上げます。",
                "先日はお忙しいところお時間をいただき、誠にありがとうございました。",
            ),
            ("敬具", "草々"),
        ),
        "en": _Spec(
            ("Dear {eperson},", "Re: {esubject}", "Letter of Recommendation", "Dear Sir or Madam,"),
            ("{edate}", "{ecompany}", "123 Main Street"),
            (
                "Thank you for your letter of {edate}.",
                "I hope this letter finds you well.",
                "Enclosed please find the documents you requested.",
                "We regret to inform you that the event has been postponed.",
                "Please give my regards to your team.",
                "I am writing to let you know about our new office.",
                "We appreciate your continued support.",
                "Please do not hesitate to contact me.",
                "I look forward to hearing from you.",
                "It was a pleasure meeting you last week.",
                "I would like to recommend {eperson} without reservation.",
            ),
            ("Sincerely,", "Best regards,", "Yours faithfully,"),
        ),
    },
    "form": {
        "ja": _Spec(
            (
                "申込書",
                "参加申込書",
                "アンケート",
                "会員登録申込書",
                "届出書（様式第{n}号）",
                "変更届",
            ),
            ("記入日 年 月 日", "※太枠内をご記入ください。"),
            (
                "氏名 ＿＿＿＿",
                "フリガナ ＿＿＿＿",
                "生年月日 年 月 日",
                "住所 〒",
                "電話番号 ＿＿＿＿",
                "該当するものに○をつけてください。 □はい □いいえ",
                "メールアドレス",
                "署名 ＿＿＿＿ 印",
                "ご意見・ご感想をお書きください。",
                "希望日 第1希望 第2希望",
                "記入例",
            ),
            ("ご記入ありがとうございました。",),
            min_body=4,
            max_body=8,
        ),
        "en": _Spec(
            (
                "APPLICATION FORM",
                "Registration Form",
                "Survey",
                "Enrollment Form",
                "Change of Address Form",
            ),
            ("Please print clearly.", "Complete all fields marked *"),
            (
                "Name: ____",
                "Date of birth: __/__/____",
                "Address: ____",
                "Phone: ____",
                "Email: ____",
                "Please tick one: [ ] Yes [ ] No",
                "Signature: ____ Date: ____",
                "For office use only",
                "How did you hear about us?",
                "Emergency contact: ____",
            ),
            ("Thank you for completing this form.",),
            min_body=4,
            max_body=8,
        ),
    },
    "other": {
        "ja": _Spec(
            (
                "取扱説明書",
                "社内報",
                "研修資料",
                "新商品のご案内",
                "履歴書",
                "メモ",
                "議事メモ（社内）",
                "旅行のしおり",
            ),
            ("{company}", "{date}"),
            (
                "ご使用の前にこの説明書をよくお読みください。",
                "今月の話題",
                "第1章 はじめに",
                "特長 高性能 軽量",
                "学歴 職歴 資格",
                "持ち物 筆記用具",
                "故障かな？と思ったら",
                "編集後記",
                "演習問題",
                "集合時間 午前9時",
                "価格はお問い合わせください。",
                "ランチのおすすめ",
            ),
            min_body=2,
            max_body=6,
        ),
        "en": _Spec(
            (
                "User Manual",
                "Newsletter",
                "Product Brochure",
                "Curriculum Vitae",
                "Notes",
                "Recipe",
                "Training Handout",
            ),
            ("{ecompany}", "{edate}"),
            (
                "Getting started",
                "Installation and setup",
                "Upcoming events",
                "Features and specifications",
                "Work experience",
                "Education",
                "Troubleshooting",
                "Ingredients",
                "Lorem ipsum dolor sit amet.",
                "Frequently asked questions",
                "Contact our sales team for pricing.",
                "Team lunch on Friday.",
            ),
            min_body=2,
            max_body=6,
        ),
    },
}


# Invoices and the papers around them also arrive in German and French (EU suppliers).
_DE_HEAD = (
    "An: {ecompany2}",
    "Kundennummer {no}",
    "Datum: {edate}",
    "{ecompany}",
    "USt-IdNr. DE{no}77",
)
_FR_HEAD = (
    "Client : {ecompany2}",
    "N° client {no}",
    "Date : {edate}",
    "{ecompany}",
    "N° TVA FR{no}77",
)
_EUROPEAN: dict[str, dict[str, _Spec]] = {
    "invoice": {
        "de": _Spec(
            ("Rechnung", "Rechnung Nr. {no}", "Schlussrechnung"),
            _DE_HEAD,
            (
                "Rechnungsnummer {no}",
                "Rechnungsdatum {edate}",
                "Zahlbar bis {edate2} ohne Abzug",
                "Bitte überweisen Sie den Betrag auf unser Konto.",
                "Leistungszeitraum {edate} bis {edate2}",
                "Bankverbindung IBAN DE89 3704 0044 0532 0130 00",
            ),
            table=True,
        ),
        "fr": _Spec(
            ("Facture", "Facture N° {no}", "Facture d'acompte"),
            _FR_HEAD,
            (
                "Date de facture {edate}",
                "Échéance {edate2}",
                "Net à payer {amount}",
                "Conditions de paiement : 30 jours",
                "Règlement par virement bancaire",
                "Pénalités de retard",
            ),
            table=True,
        ),
    },
    "credit_note": {
        "de": _Spec(
            ("Gutschrift", "Rechnungskorrektur", "Stornorechnung"),
            _DE_HEAD,
            (
                "Gutschrift zu Rechnung {no}",
                "Wir schreiben Ihnen folgenden Betrag gut.",
                "Der Betrag wird mit der nächsten Rechnung verrechnet.",
                "Grund: Rücksendung",
            ),
            table=True,
        ),
        "fr": _Spec(
            ("Avoir", "Facture d'avoir", "Avoir N° {no}"),
            _FR_HEAD,
            (
                "Avoir sur facture {no}",
                "Montant remboursé {amount}",
                "Motif : retour de marchandise",
                "Ce montant sera déduit de votre prochaine facture.",
            ),
            table=True,
        ),
    },
    "receipt": {
        "de": _Spec(
            ("Quittung", "Kassenbeleg", "Zahlungsbestätigung"),
            ("Beleg Nr. {no}", "{ecompany}", "Datum: {edate}"),
            ("Betrag dankend erhalten.", "Bar bezahlt {amount}", "Zahlungsart: Kreditkarte"),
        ),
        "fr": _Spec(
            ("Reçu", "Reçu de paiement", "Ticket de caisse"),
            ("Reçu N° {no}", "{ecompany}", "Date : {edate}"),
            ("Reçu la somme de {amount}", "Payé en espèces", "Paiement par carte bancaire"),
        ),
    },
    "quotation": {
        "de": _Spec(
            ("Angebot", "Kostenvoranschlag", "Angebot Nr. {no}"),
            _DE_HEAD,
            (
                "Gültig bis {edate2}",
                "Wir bieten Ihnen freibleibend an.",
                "Lieferzeit 2 Wochen nach Auftrag",
                "Dies ist keine Rechnung.",
                "Wir freuen uns auf Ihren Auftrag.",
            ),
            table=True,
        ),
        "fr": _Spec(
            ("Devis", "Devis N° {no}", "Proposition commerciale"),
            _FR_HEAD,
            (
                "Devis valable jusqu'au {edate2}",
                "Bon pour accord, signature du client",
                "Délai de livraison : 2 semaines",
                "Ce document n'est pas une facture.",
            ),
            table=True,
        ),
    },
    "delivery_note": {
        "de": _Spec(
            ("Lieferschein", "Lieferschein Nr. {no}", "Warenbegleitschein"),
            _DE_HEAD,
            (
                "Lieferdatum {edate}",
                "Ware erhalten: Unterschrift ____",
                "Ihre Bestellung {no}",
                "Anzahl Pakete {n}",
            ),
            table=True,
        ),
        "fr": _Spec(
            ("Bon de livraison", "Bordereau de livraison", "BL N° {no}"),
            _FR_HEAD,
            (
                "Date de livraison {edate}",
                "Marchandise reçue : signature ____",
                "Votre commande {no}",
                "Nombre de colis {n}",
            ),
            table=True,
        ),
    },
    "purchase_order": {
        "de": _Spec(
            ("Bestellung", "Auftrag", "Bestellung Nr. {no}"),
            _DE_HEAD,
            (
                "Wir bestellen hiermit zu Ihren Bedingungen.",
                "Liefertermin {edate2}",
                "Bitte bestätigen Sie den Auftrag.",
            ),
            table=True,
        ),
        "fr": _Spec(
            ("Bon de commande", "Commande N° {no}", "Ordre d'achat"),
            _FR_HEAD,
            (
                "Merci de livrer les articles suivants.",
                "Date de livraison souhaitée {edate2}",
                "Merci de confirmer la commande.",
            ),
            table=True,
        ),
    },
    "contract": {
        "de": _Spec(
            ("Dienstleistungsvertrag", "Rahmenvertrag", "Kaufvertrag"),
            ("zwischen {ecompany} (Auftraggeber) und {ecompany2} (Auftragnehmer)",),
            (
                "§ 1 Vertragsgegenstand",
                "§ 2 Vertragslaufzeit und Kündigung",
                "§ 3 Vergütung {amount}",
                "§ 4 Haftung",
                "§ 5 Gerichtsstand ist Berlin.",
                "Änderungen bedürfen der Schriftform.",
            ),
            ("Ort, Datum, Unterschrift der Vertragsparteien",),
            min_body=3,
        ),
        "fr": _Spec(
            ("Contrat de prestation de services", "Contrat cadre", "Contrat de vente"),
            ("Entre {ecompany}, ci-après le Client, et {ecompany2}, ci-après le Prestataire",),
            (
                "Article 1 Objet du contrat",
                "Article 2 Durée et résiliation",
                "Article 3 Prix {amount}",
                "Article 4 Responsabilité",
                "Article 5 Droit applicable et juridiction compétente",
                "Fait en deux exemplaires originaux.",
            ),
            ("Signature des parties",),
            min_body=3,
        ),
    },
}
for _subtype, _specs in _EUROPEAN.items():
    _SPECS[_subtype].update(_specs)

_TABLE_HEADERS = {
    "ja": ("品名 数量 単価 金額", "品目 数量 単位 単価 金額", "内容 数量 金額"),
    "en": ("Description Qty Unit Price Amount", "Item Quantity Price Total", "Description Amount"),
    "de": ("Pos. Bezeichnung Menge Einzelpreis Gesamt", "Artikel Anzahl Preis Betrag"),
    "fr": ("Désignation Qté Prix unitaire Montant", "Article Quantité Prix Total"),
}
_TOTALS = {
    "ja": _JA_TOTALS,
    "en": _EN_TOTALS,
    "de": ("Nettobetrag {amount}", "zzgl. 19% MwSt {tax}", "Gesamtbetrag {amount} EUR"),
    "fr": ("Total HT {amount}", "TVA 20% {tax}", "Total TTC {amount} EUR"),
}


def _table(rng: random.Random, lang: str, split: Split, values: dict[str, str]) -> list[str]:
    items = _JA_ITEMS if lang == "ja" else _EN_ITEMS
    rows = [rng.choice(_TABLE_HEADERS[lang])]
    for _ in range(rng.randint(1, 5)):
        qty, price = rng.randint(1, 20), rng.randrange(1, 500) * 100
        rows.append(f"{_pick(rng, items, split)} {qty} {price:,} {qty * price:,}")
    totals = _TOTALS[lang]
    rows.extend(t.format_map(values) for t in rng.sample(totals, rng.randint(1, len(totals))))
    return rows


def document(subtype: str, rng: random.Random, split: Split, lang: str) -> str:
    """One generated document of ``subtype`` in ``lang`` (``ja``, ``en``; ``de`` and ``fr``
    for commercial papers and contracts)."""
    spec = _SPECS[subtype][lang]
    values = _values(rng, split)
    title = _pick(rng, spec.titles, split).format_map(values)
    heads = [h.format_map(values) for h in _sample(rng, spec.heads, rng.randint(1, 4), split)]
    body_count = rng.randint(spec.min_body, spec.max_body)
    body = [b.format_map(values) for b in _sample(rng, spec.body, body_count, split)]
    if spec.table:
        table = _table(rng, lang, split, values)
        at = rng.randint(0, len(body))
        body[at:at] = table
    closing = [c.format_map(values) for c in spec.closing if rng.random() < 0.6]
    layout = rng.randrange(3)
    if layout == 0:  # title first, then the header block
        lines = [title, *heads, *body, *closing]
    elif layout == 1:  # letterhead: number, date and addressee above the title
        lines = [*heads, title, *body, *closing]
    else:  # the title between two halves of the header block
        half = len(heads) // 2
        lines = [*heads[:half], title, *heads[half:], *body, *closing]
    separator = rng.choice(("\n", "\n", " ", "  "))
    return separator.join(lines)


def documents(
    split: Split, per_subtype: int, *, seed: int = 0, subtypes: Sequence[str] = tuple(SUBTYPES)
) -> list[tuple[str, str]]:
    """``per_subtype`` documents of each subtype, as ``(text, subtype)``: Japanese and
    English by turns, every sixth in German or French where the subtype has them. The same
    arguments give the same documents."""
    rng = random.Random(f"{split}/{seed}")
    out = []
    for subtype in subtypes:
        european = [lang for lang in ("de", "fr") if lang in _SPECS[subtype]]
        for i in range(per_subtype):
            lang = ("ja", "en")[i % 2]
            if european and i % 6 == 5:
                lang = european[i // 6 % len(european)]
            out.append((document(subtype, rng, split, lang), subtype))
    return out
