"""The shared documents and callers of the search suite, and an oracle that filters them in Python.

Departments: 1 市長室 (SC) ├── 10 財政局 (ZA) └── 11 契約課 (ZA-KE); └── 20 建設局 (KE) └── 21 道路課 (KE-DO).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from archive.access import AccessScope, SecurityLevel
from archive.types import RecordId
from search import IndexedDocument, Node
from search.query import And, Field, FieldKind, FieldMatch, Not, Or, Phrase, Range, Term
from search.text import fold, normalize

DEPARTMENTS = {
    1: ("SC", ()),
    10: ("ZA", (1,)),
    11: ("ZA-KE", (10, 1)),
    20: ("KE", (1,)),
    21: ("KE-DO", (20, 1)),
}
CREATED = datetime(2025, 6, 1, 9, 0)


def doc(
    doc_id: str, title: str, text: str | list[str], *, dept: int = 21, **fields: Any
) -> IndexedDocument:
    code, ancestors = DEPARTMENTS[dept]
    fields.setdefault("doc_type", "other")
    fields.setdefault("security_level", SecurityLevel.PUBLIC)
    return IndexedDocument(
        id=RecordId(doc_id),
        title=title,
        text=text,
        department_id=dept,
        department_code=code,
        owner_path=(dept, *ancestors),
        created_at=CREATED,
        **fields,
    )


NAMED = [
    doc(
        "osaka",
        "業務委託契約書",
        [
            "大阪市役所と株式会社山田商事は、道路清掃業務について本契約書を締結する。",
            "契約金額 1,234,567円",
        ],
        doc_type="contract",
        security_level=SecurityLevel.INTERNAL,
        document_date=date(2024, 5, 10),
        amount=Decimal(1234567),
        currency="JPY",
        counterparty="株式会社山田商事",
        registration_number="T1234567890123",
        series="KE-2024-01",
        lang="ja",
    ),
    doc(
        "english",
        "Service agreement",
        "These contracts between the City and Acme Corp cover street maintenance services.",
        dept=11,
        doc_type="contract",
        document_date=date(2023, 7, 1),
        amount=Decimal(500000),
        currency="JPY",
        counterparty="Acme Corp",
        lang="en",
    ),
    doc(
        "fullwidth",
        "請求書",
        "請求番号 ２０２４－００１ 合計 ￥５５，０００ 支払期限 令和７年３月３１日",
        dept=11,
        doc_type="invoice",
        document_date=date(2025, 3, 31),
        amount=Decimal(55000),
        counterparty="ＡＢＣ商事",
        registration_number="T9876543210987",
        lang="ja",
    ),
    doc(
        "confidential",
        "人事評価 機密",
        "契約 大阪市 personnel evaluation of the contract section",
        dept=11,
        doc_type="other",
        security_level=SecurityLevel.CONFIDENTIAL,
        document_date=date(2024, 6, 1),
        series="ZA-HR",
        lang="ja",
    ),
    doc("script", "notice", "<script>alert('x')</script> 契約 notice & terms", dept=10, lang="en"),
    doc(
        "mixed",
        "Bunko文庫システム",
        "Bunko文庫システムの導入 API連携 バージョン２",
        dept=1,
        lang="ja",
    ),
    doc("phrase_a", "road", "the road maintenance contract was renewed", dept=20, lang="en"),
    doc("phrase_b", "road", "a contract for maintenance of the road", dept=20, lang="en"),
    doc(
        "secret_granted",
        "調査報告",
        "極秘の調査報告 大阪市 契約",
        dept=21,
        security_level=SecurityLevel.SECRET,
        grant_users=(7,),
    ),
    doc(
        "granted_dept",
        "予算査定資料",
        "予算 査定 内部資料",
        dept=21,
        security_level=SecurityLevel.CONFIDENTIAL,
        grant_departments=(10,),
    ),
    doc(
        "parent_internal",
        "建設局 方針",
        "建設局の内部方針",
        dept=20,
        security_level=SecurityLevel.INTERNAL,
    ),
    doc(
        "road_1",
        "道路清掃業務の委託",
        "大阪市 道路清掃業務 山田商事 委託 清掃 道路 歩道 清掃車 年間計画",
        doc_type="contract",
        document_date=date(2024, 4, 1),
    ),
    doc(
        "road_2",
        "道路清掃 年間計画",
        "道路清掃業務の年間計画 歩道 清掃車 山田商事 委託",
        doc_type="contract",
        document_date=date(2024, 4, 2),
    ),
]

COUNTERPARTIES = [
    "株式会社山田商事",
    "大阪建設株式会社",
    "Acme Corp",
    "ＡＢＣ商事",
    "Kansai Paper Ltd.",
    "合同会社みなと",
]
WORDS_JA = [
    "道路",
    "清掃",
    "学校",
    "図書館",
    "予算",
    "補助金",
    "下水道",
    "公園",
    "福祉",
    "保育所",
    "税務",
    "会議",
]
WORDS_EN = [
    "invoice",
    "payment",
    "library",
    "school",
    "budget",
    "park",
    "report",
    "meeting",
    "service",
    "water",
]


SUBTYPES_OF = {
    "invoice": ("invoice", "receipt", "credit_note"),
    "contract": ("contract", "memorandum"),
    "public": ("notice", "minutes"),
}
"""The subtypes generated documents take in turn (drawn without the random generator, so
the other values stay as they were)."""


def generated(count: int = 60, seed: int = 5) -> list[IndexedDocument]:
    """Invoices and contracts with varied metadata, for filters, sorts, facets and pages."""
    rng = random.Random(seed)
    docs = []
    for i in range(count):
        ja = rng.random() < 0.6
        words = rng.sample(WORDS_JA if ja else WORDS_EN, 4)
        kind = rng.choice(["invoice", "contract", "public"])
        dated = rng.random() < 0.9
        docs.append(
            doc(
                f"gen{i:03d}",
                ("請求書 " if ja else "Invoice ") + words[0],
                " ".join(words) + (" の件" if ja else " item"),
                dept=rng.choice(list(DEPARTMENTS)),
                doc_type=kind,
                security_level=rng.choice([SecurityLevel.PUBLIC, SecurityLevel.INTERNAL]),
                document_date=date(2022, 1, 1) + timedelta(days=rng.randrange(1200))
                if dated
                else None,
                amount=Decimal(rng.choice([0, 5000, 99999, 100000, 250000, 500000, 1200000]))
                if kind != "public"
                else None,
                counterparty=rng.choice(COUNTERPARTIES) if kind != "public" else None,
                registration_number=f"T{rng.randrange(10**12, 10**13)}"
                if kind == "invoice"
                else None,
                series=rng.choice(["FIN-01", "FIN-02", "CON-01", None]),
                lang="ja" if ja else "en",
                subtype=SUBTYPES_OF[kind][i % len(SUBTYPES_OF[kind])],
            )
        )
    return docs


def all_documents() -> list[IndexedDocument]:
    return NAMED + generated()


def by_id(doc_id: str) -> IndexedDocument:
    return next(d for d in all_documents() if d.id == doc_id)


# Callers, one per branch of the access rule.
CITY_WIDE = AccessScope(
    user_id=1,
    department_id=1,
    department_lineage=(1,),
    clearance=SecurityLevel.SECRET,
    city_wide=True,
)
ANONYMOUS = AccessScope()
OTHER_DEPT = AccessScope(
    user_id=2, department_id=20, department_lineage=(20, 1), clearance=SecurityLevel.CONFIDENTIAL
)
SAME_DEPT = AccessScope(
    user_id=3,
    department_id=11,
    department_lineage=(11, 10, 1),
    clearance=SecurityLevel.CONFIDENTIAL,
)
ANCESTOR = AccessScope(
    user_id=4, department_id=10, department_lineage=(10, 1), clearance=SecurityLevel.CONFIDENTIAL
)
LOW_CLEARANCE = AccessScope(
    user_id=5, department_id=11, department_lineage=(11, 10, 1), clearance=SecurityLevel.INTERNAL
)
CHILD_DEPT = AccessScope(
    user_id=6,
    department_id=21,
    department_lineage=(21, 20, 1),
    clearance=SecurityLevel.CONFIDENTIAL,
)
GRANTEE = AccessScope(
    user_id=7, department_id=20, department_lineage=(20, 1), clearance=SecurityLevel.PUBLIC
)
ALL_SCOPES = (
    CITY_WIDE,
    ANONYMOUS,
    OTHER_DEPT,
    SAME_DEPT,
    ANCESTOR,
    LOW_CLEARANCE,
    CHILD_DEPT,
    GRANTEE,
)


def readable(document: IndexedDocument, scope: AccessScope) -> bool:
    """``archive.access``'s rule, evaluated in Python: the oracle for the backends' trimming."""
    if document.security_level == SecurityLevel.PUBLIC:
        return True
    if scope.user_id is not None and scope.user_id in document.grant_users:
        return True
    if set(document.grant_departments) & set(scope.department_lineage):
        return True
    if document.security_level > scope.clearance:
        return False
    return scope.city_wide or (
        scope.department_id is not None and scope.department_id in document.owner_path
    )


def matches(node: Node, document: IndexedDocument) -> bool:
    """The query tree evaluated in Python over one document (substring semantics for words)."""
    match node:
        case Term(text) | Phrase(text):
            return fold(text) in fold(f"{document.title} {document.body}")
        case FieldMatch(field, value):
            actual = _value(field, document)
            if actual is None:
                return False
            if field.kind is FieldKind.CONTAINS:
                return str(value) in fold(str(actual))
            return bool(actual == value)
        case Range(field, low, high, include_low, include_high):
            actual = _value(field, document)
            if actual is None:
                return False
            above: Callable[[Any, Any], bool] = (
                (lambda a, b: a >= b) if include_low else (lambda a, b: a > b)
            )
            below: Callable[[Any, Any], bool] = (
                (lambda a, b: a <= b) if include_high else (lambda a, b: a < b)
            )
            return (low is None or above(actual, low)) and (high is None or below(actual, high))
        case And(children):
            return all(matches(c, document) for c in children)
        case Or(children):
            return any(matches(c, document) for c in children)
        case Not(child):
            return not matches(child, document)
    raise TypeError(node)


def _value(field: Field, document: IndexedDocument) -> Any:
    return {
        Field.TYPE: fold(document.doc_type),
        Field.SUBTYPE: document.subtype,
        Field.DEPT: document.department_code,
        Field.SERIES: document.series,
        Field.COUNTERPARTY: document.counterparty,
        Field.REGNO: document.registration_number and normalize(document.registration_number),
        Field.LANG: document.lang,
        Field.LEVEL: int(document.security_level),
        Field.DATE: document.document_date,
        Field.AMOUNT: document.amount,
        Field.FY: document.fiscal_year,
    }[field]
