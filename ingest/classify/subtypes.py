"""The finer document types records officers think in, each rolling up to one of four classes.

The comments give the Japanese names the UI shows (from web/locale/ja).

Each class also has a subtype of its own name for what fits none of its finer types (and
for an officer's correction, which names a class only).
"""

from __future__ import annotations

from typing import NamedTuple

CLASSES = ("contract", "invoice", "public", "other")


class Subtype(NamedTuple):
    doc_class: str
    en: str
    """The English name; the UI translates it through its catalog (web/locale)."""


SUBTYPES: dict[str, Subtype] = {
    "invoice": Subtype("invoice", "Invoice"),  # 請求書
    "receipt": Subtype("invoice", "Receipt"),  # 領収書
    "credit_note": Subtype("invoice", "Credit note"),  # 返金・減額請求書
    "contract": Subtype("contract", "Contract"),  # 契約書
    "memorandum": Subtype("contract", "Memorandum"),  # 覚書
    "amendment": Subtype("contract", "Amendment"),  # 変更契約書
    "nda": Subtype("contract", "Non-disclosure agreement"),  # 秘密保持契約書
    "notice": Subtype("public", "Notice"),  # 通知
    "announcement": Subtype("public", "Public announcement"),  # 告示・公告
    "draft_decision": Subtype("public", "Draft for decision"),  # 起案
    "minutes": Subtype("public", "Minutes"),  # 議事録
    "report": Subtype("public", "Report"),  # 報告書
    "statistics": Subtype("public", "Statistics"),  # 統計
    "court_filing": Subtype("public", "Court filing"),  # 裁判文書
    "gazette": Subtype("public", "Gazette"),  # 官報・公報
    "public": Subtype("public", "Other public record"),  # その他の公文書
    "quotation": Subtype("other", "Quotation"),  # 見積書
    "delivery_note": Subtype("other", "Delivery note"),  # 納品書
    "purchase_order": Subtype("other", "Purchase order"),  # 発注書
    "letter": Subtype("other", "Letter"),  # 書簡
    "form": Subtype("other", "Form"),  # 様式・申込書
    "other": Subtype("other", "Other"),  # その他
}


def class_of(subtype: str) -> str:
    """The class a subtype rolls up to (``KeyError`` for an unknown subtype)."""
    return SUBTYPES[subtype].doc_class
