"""The generated documents and the fixed query mix that the search benchmarks share.

``generate`` yields the same documents for the same count and seed (Japanese and English
text, varied metadata, departments, amounts); ``QUERIES`` is the mix of 20 queries (single
word, phrase, filter+range, faceted) asked as ``SCOPE``'s caller.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from archive.access import AccessScope, SecurityLevel
from archive.types import RecordId
from search import Facet, IndexedDocument, SearchRequest

SCOPE = AccessScope(
    user_id=1,
    department_id=11,
    department_lineage=(11, 10, 1),
    clearance=SecurityLevel.CONFIDENTIAL,
)
DEPARTMENTS = {
    10: ("ZA", (1,)),
    11: ("ZA-KE", (10, 1)),
    20: ("KE", (1,)),
    21: ("KE-DO", (20, 1)),
    30: ("KY", (1,)),
}
JA_SUBJECTS = [
    "道路清掃業務",
    "学校給食",
    "下水道管更新工事",
    "図書館システム",
    "保育所運営",
    "公園樹木剪定",
    "市立病院医療機器",
    "区役所窓口業務",
    "補助金交付",
    "観光振興事業",
    "防災備蓄品",
    "庁舎清掃",
]
JA_SENTENCES = [
    "{s}について、{c}と契約を締結する。",
    "{s}の請求書を受領した。金額は{a}円である。",
    "大阪市役所における{s}の実施状況を報告する。",
    "{s}に関する会議の議事録。",
    "令和{y}年度の{s}の予算。",
]
EN_SUBJECTS = [
    "road maintenance",
    "school meals",
    "library system",
    "park management",
    "water supply",
    "waste collection",
    "IT support",
    "cleaning services",
]
EN_SENTENCES = [
    "This agreement covers {s} provided by {c}.",
    "Invoice for {s}, total {a} yen.",
    "Minutes of the meeting on {s}.",
    "Annual report on {s} for fiscal {y}.",
]
COUNTERPARTIES = [
    "株式会社山田商事",
    "大阪建設株式会社",
    "Acme Corp",
    "関西ペーパー株式会社",
    "合同会社みなと",
    "Kansai IT Ltd.",
]


def generate(count: int, seed: int = 1) -> Iterator[IndexedDocument]:
    rng = random.Random(seed)
    for i in range(count):
        ja = rng.random() < 0.7
        subject = rng.choice(JA_SUBJECTS if ja else EN_SUBJECTS)
        counterparty = rng.choice(COUNTERPARTIES)
        amount = rng.randrange(1, 500) * 10_000
        day = date(2019, 4, 1) + timedelta(days=rng.randrange(2400))
        templates = JA_SENTENCES if ja else EN_SENTENCES
        text = [
            " ".join(
                rng.choice(templates).format(
                    s=rng.choice([subject, *rng.sample(JA_SUBJECTS if ja else EN_SUBJECTS, 2)]),
                    c=counterparty,
                    a=f"{amount:,}",
                    y=day.year - 2018,
                )
                for _ in range(rng.randrange(4, 12))
            )
            for _ in range(rng.randrange(1, 4))
        ]
        dept = rng.choice(list(DEPARTMENTS))
        code, ancestors = DEPARTMENTS[dept]
        kind = rng.choice(["contract", "invoice", "public", "other"])
        yield IndexedDocument(
            id=RecordId(f"doc-{i:07d}"),
            title=f"{subject} {'契約書' if kind == 'contract' else '請求書' if kind == 'invoice' else '文書'}",
            text=text,
            doc_type=kind,
            department_id=dept,
            department_code=code,
            owner_path=(dept, *ancestors),
            created_at=datetime(2025, 1, 1),
            security_level=rng.choice(list(SecurityLevel)),
            grant_users=(1,) if rng.random() < 0.01 else (),
            document_date=day,
            amount=Decimal(amount) if kind in ("contract", "invoice") else None,
            currency="JPY",
            counterparty=counterparty if kind in ("contract", "invoice") else None,
            registration_number=f"T{rng.randrange(10**12, 10**13)}" if kind == "invoice" else None,
            series=rng.choice(["FIN-01", "FIN-02", "CON-01", "GEN-01"]),
            lang="ja" if ja else "en",
        )


ALL_FACETS = frozenset(Facet)
QUERIES: list[tuple[str, str, frozenset[Facet]]] = [
    ("word", "契約", frozenset()),
    ("word", "大阪市", frozenset()),
    ("word", "清掃", frozenset()),
    ("word", "library", frozenset()),
    ("word", "invoices", frozenset()),
    ("word", "図書館システム", frozenset()),
    ("phrase", '"道路清掃業務"', frozenset()),
    ("phrase", '"school meals"', frozenset()),
    ("phrase", '"契約を締結する"', frozenset()),
    ("phrase", '"annual report"', frozenset()),
    ("filter", "type:invoice date:2023-04-01..2024-03-31 amount:100000..500000", frozenset()),
    ("filter", "counterparty:山田商事 amount>=1000000", frozenset()),
    ("filter", "fy:2022 dept:ZA-KE", frozenset()),
    ("filter", "契約 type:contract date:2024", frozenset()),
    ("filter", "regno:T1234567890123 OR series:CON-01 lang:en", frozenset()),
    ("faceted", "", ALL_FACETS),
    ("faceted", "請求書", ALL_FACETS),
    ("faceted", "type:contract", ALL_FACETS),
    ("faceted", "maintenance OR 清掃", ALL_FACETS),
    ("faceted", "fy:2023 -type:public", ALL_FACETS),
]


def requests() -> list[SearchRequest]:
    return [SearchRequest(scope=SCOPE, query=q or None, size=20, facets=f) for _, q, f in QUERIES]


@dataclass
class Latency:
    samples: list[float]

    def pct(self, p: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000
