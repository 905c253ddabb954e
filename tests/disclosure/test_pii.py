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
