"""Personal information Bunko proposes to withhold; the officer accepts or rejects each proposal.

Patterns for Japanese documents: names with honorifics (様・殿・氏), phone and fax numbers,
e-mail addresses, 12-digit My Number (個人番号) that pass their check digit, bank account
numbers, dates of birth and street addresses. Matching runs on text with spaces removed
(the way ``disclosure.locate`` matches), so a finding can be located on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KANJI = r"\u4e00-\u9fff\u3005"
_NAME = re.compile(
    rf"(?:申請者|請求者|氏名|宛先|担当者|担当|代表者|契約者)?[:：]?([{_KANJI}]{{1,3}}[{_KANJI}ぁ-んァ-ヶ]{{1,3}})(?=様|殿|氏)"
)
_PHONE = re.compile(r"(?<!\d)(?:\+81-?|0)\d{1,4}[-‐－(（]?\d{1,4}[-‐－)）]?\d{3,4}(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_MY_NUMBER = re.compile(r"(?<!\d)(\d{4})[-‐]?(\d{4})[-‐]?(\d{4})(?!\d)")
_ACCOUNT = re.compile(
    r"(?:普通|当座|貯蓄|口座番号|口座)[:：]?(?:預金)?[:：]?(?:口座)?[:：]?(?:番号)?[:：]?(\d{7,8})(?!\d)"
)
_BIRTH = re.compile(
    r"(?:生年月日|誕生日)[:：]?((?:明治|大正|昭和|平成|令和|[MTSHR]\.?)\d{1,2}(?:年|\.)\d{1,2}(?:月|\.)\d{1,2}日?"
    r"|\d{4}(?:年|/|-|\.)\d{1,2}(?:月|/|-|\.)\d{1,2}日?)"
)
_ADDRESS = re.compile(
    rf"(?:住所|所在地|現住所)?[:：]?((?:[{_KANJI}]{{2,3}}[都道府県])?[{_KANJI}ぁ-んァ-ヶ]{{1,6}}[市区町村](?:[{_KANJI}ぁ-んァ-ヶ]{{1,6}}[区町村])?"
    rf"[{_KANJI}ぁ-んァ-ヶ]{{0,8}}?[0-9０-９一二三四五六七八九十]+丁目[0-9０-９]+(?:番地?|[-‐－])[0-9０-９]+号?)"
)


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int


def my_number_valid(digits: str) -> bool:
    """The check digit of a 12-digit individual number (番号法施行令 §8)."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    body = [int(d) for d in digits[:11]]
    total = sum(p * (n + 1 if n <= 6 else n - 5) for n, p in enumerate(reversed(body), start=1))
    remainder = total % 11
    return int(digits[11]) == (0 if remainder <= 1 else 11 - remainder)


def detect(text: str) -> list[Finding]:
    """Personal information in ``text`` (spaces already removed), in order, without overlaps."""
    found: list[Finding] = []
    for match in _MY_NUMBER.finditer(text):
        if my_number_valid("".join(match.groups())):
            found.append(Finding("my_number", match.group(0), match.start(), match.end()))
    found += [Finding("email", m.group(0), m.start(), m.end()) for m in _EMAIL.finditer(text)]
    found += [
        Finding("bank_account", m.group(1), m.start(1), m.end(1)) for m in _ACCOUNT.finditer(text)
    ]
    found += [
        Finding("birth_date", m.group(1), m.start(1), m.end(1)) for m in _BIRTH.finditer(text)
    ]
    found += [Finding("address", m.group(1), m.start(1), m.end(1)) for m in _ADDRESS.finditer(text)]
    found += [Finding("name", m.group(1), m.start(1), m.end(1)) for m in _NAME.finditer(text)]
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if 10 <= len(digits) <= 12:
            found.append(Finding("phone", match.group(0), match.start(), match.end()))
    return _without_overlaps(found)


def _without_overlaps(found: list[Finding]) -> list[Finding]:
    # Earlier kinds in ``detect`` win (a valid My Number is not also a phone number).
    kept: list[Finding] = []
    for finding in found:
        if not any(finding.start < k.end and k.start < finding.end for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)
