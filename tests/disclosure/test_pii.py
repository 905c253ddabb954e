"""Personal-information proposals: each kind found, look-alikes left alone."""

from __future__ import annotations

import pytest

from disclosure.pii import detect, my_number_valid


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("申請者山田太郎様からの依頼", "name", "山田太郎"),
        ("担当鈴木一郎殿", "name", "鈴木一郎"),
        ("電話06-1234-5678", "phone", "06-1234-5678"),
        ("FAX：03-5555-0101", "phone", "03-5555-0101"),
        ("連絡先taro.yamada@example.co.jp", "email", "taro.yamada@example.co.jp"),
        ("個人番号123456789018", "my_number", "123456789018"),
        ("普通預金口座番号1234567", "bank_account", "1234567"),
        ("生年月日昭和55年4月1日", "birth_date", "昭和55年4月1日"),
        ("住所大阪市北区中之島1丁目3番20号", "address", "大阪市北区中之島1丁目3番20号"),
    ],
)
def test_each_kind_is_found(text: str, kind: str, value: str) -> None:
    assert [(f.kind, f.text) for f in detect(text)] == [(kind, value)]


def test_my_number_needs_its_check_digit() -> None:
    assert my_number_valid("123456789018")
    assert not my_number_valid("123456789012")
    assert [f.kind for f in detect("番号123456789012")] != ["my_number"]


def test_amounts_and_dates_are_not_personal() -> None:
    assert detect("契約金額1,234,567円、令和7年4月1日締結") == []


@pytest.mark.parametrize(
    "text",
    [
        "宛先大阪市市民局総務部市民情報課様",  # 「情報課」 inside 市民情報課
        "申出人様へ回答済み",  # the label 申出人
        "申出人氏名",
        "（あて先）大阪市長様",
        "北区役所様",
        "ご担当者様",
        "関係者各位様",
        "受付大阪市建設局道路課（電話06-6208-7321）",  # the office's own number
        "工事番号2025-0101-0003の件",
        "敬具",
    ],
)
def test_labels_roles_and_offices_are_not_proposed(text: str) -> None:
    assert detect(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("大阪市北区天満2丁目1番15号", [("address", "大阪市北区天満2丁目1番15号")]),
        ("申出人住所：大阪市北区天満2丁目1番15号", [("address", "大阪市北区天満2丁目1番15号")]),
        ("私は大阪市北区天満2-1-15に住む", [("address", "大阪市北区天満2-1-15")]),
        ("堺市堺区南瓦町3番1号", [("address", "堺市堺区南瓦町3番1号")]),
        ("大阪府豊中市本町二丁目5番8号", [("address", "大阪府豊中市本町二丁目5番8号")]),
        (
            "氏名山田太郎住所大阪市北区天満2丁目1番15号",
            [("name", "山田太郎"), ("address", "大阪市北区天満2丁目1番15号")],
        ),
        ("申出人氏名山田太郎様", [("name", "山田太郎")]),
        ("市長横山英幸氏の挨拶", [("name", "横山英幸")]),
        ("佐藤花子と申します", [("name", "佐藤花子")]),
        ("母の鈴木陽子（生年月日", [("name", "鈴木陽子")]),
        ("高橋一郎", [("name", "高橋一郎")]),  # a letter's signature line
        ("中村さんの家の前", [("name", "中村")]),
    ],
)
def test_names_and_addresses_in_request_documents(text: str, found: list[tuple[str, str]]) -> None:
    assert [(f.kind, f.text) for f in detect(text)] == found
