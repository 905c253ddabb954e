"""Personal information Bunko proposes to withhold; the officer accepts or rejects each proposal.

Patterns for Japanese documents: names with honorifics (様・殿・氏・さん) or after 氏名 (not
labels, roles or organisations: 申出人様, 市民情報課様, 大阪市長様), phone and fax numbers,
e-mail addresses, 12-digit My Number (個人番号) that pass their check digit, bank account
numbers, dates of birth and street addresses (丁目・番・号, 1-2-3 and 番地 forms). Matching
runs on text with spaces removed (the way ``disclosure.locate`` matches), so a finding can be
located on the page. ``bench/pii.py`` measures precision and recall per kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KANJI = r"\u4e00-\u9fff\u3005"
_KANA = r"ぁ-んァ-ヶー"
_LABELS = "申出人|申請者|申請人|請求者|請求人|代理人|代表者|契約者|担当者|氏名|宛先|担当"
_NEXT_FIELD = r"住所|所在地|電話|連絡先|生年月日|年齢|職業|〒|TEL|FAX|メール|E-?mail"
_NAME = re.compile(
    rf"(?:{_LABELS})?(?:氏名|名前)?[:：]?([{_KANJI}]{{1,3}}[{_KANJI}{_KANA}]{{1,3}})(?=様|殿|氏(?!名)|さん)"
)
_LABELLED_NAME = re.compile(
    rf"(?:氏名|お名前|フリガナ|ふりがな)[:：]?((?:[{_KANJI}]{{1,4}}?[{_KANJI}{_KANA}]{{1,4}}?|[ァ-ヶー]{{2,12}}?))"
    rf"(?=$|{_NEXT_FIELD}|[、。,（(「]|印|様|殿|さん)"
)
_SELF_NAME = re.compile(rf"([{_KANJI}]{{1,3}}[{_KANJI}{_KANA}]{{1,3}}?)と申します")
_KIN_NAME = re.compile(
    rf"(?:父|母|妻|夫|長男|長女|次男|次女|祖父|祖母|息子|娘|兄|姉|弟|妹)の"
    rf"([{_KANJI}]{{1,3}}[{_KANJI}{_KANA}]{{1,3}}?)(?=[（(])"
)
_SIGNATURE = re.compile(rf"^([{_KANJI}]{{3,5}})$")
"""A line that is only a name, as a letter is signed (拝啓, 敬具 and words that end a label are not)."""
_NOT_A_NAME = re.compile(
    rf"(?:{_LABELS}|各位|御中|皆様|関係者|市民|住民|本人|家族|職員|委員|議員|敬具|拝啓|以上)$"
    r"|[課局部室係所庁院会館校園社団組長市区都道府県者書欄票表日月年等類法様殿]$"
)
"""Labels, roles and organisations that stand where a name would (市民情報課様, 申出人様, 大阪市長様)."""
_TITLE = re.compile(
    r"^(?:市長|区長|町長|村長|知事|局長|部長|課長|係長|室長|所長|議長|委員長|会長|社長|理事長)"
)
"""A title before a name (市長横山英幸氏): the name is what follows it."""
_NUMERAL = r"[0-9０-９一二三四五六七八九十〇]+"
_PLACE = rf"(?:(?!住所|所在地|氏名)[{_KANJI}{_KANA}])"
_CITY = rf"(?:(?!住所|所在地|氏名)[{_KANJI}])"
_ADDRESS = re.compile(
    rf"(?:住所|所在地|現住所)?[:：]?((?:{_CITY}{{2,3}}[都道府県])?{_CITY}{{1,6}}?[市区町村]"
    rf"(?:{_PLACE}{{1,6}}?[区町村])?{_PLACE}{{0,8}}?"
    rf"(?:{_NUMERAL}丁目{_NUMERAL}(?:番地?|[-‐－ー]){_NUMERAL}号?"
    rf"|{_NUMERAL}[-‐－ー]{_NUMERAL}(?:[-‐－ー]{_NUMERAL})?|{_NUMERAL}番{_NUMERAL}号"
    rf"|{_NUMERAL}番地(?:{_NUMERAL})?))"
)
_OFFICE_BEFORE = re.compile(r"(?:課|局|部|室|係|所|センター)[（(]?(?:電話|TEL|℡)?[:：]?$")
"""A number right after a department's name is the office's, not a person's."""
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
    for pattern in (_LABELLED_NAME, _NAME, _SELF_NAME, _KIN_NAME, _SIGNATURE):
        for m in pattern.finditer(text):
            title = _TITLE.match(m.group(1))
            start = m.start(1) + (title.end() if title else 0)
            if m.end(1) - start >= 2 and not _NOT_A_NAME.search(m.group(1)):
                found.append(Finding("name", text[start : m.end(1)], start, m.end(1)))
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if 10 <= len(digits) <= 12 and not _OFFICE_BEFORE.search(text[: match.start()]):
            found.append(Finding("phone", match.group(0), match.start(), match.end()))
    return _without_overlaps(found)


def _without_overlaps(found: list[Finding]) -> list[Finding]:
    # Earlier kinds in ``detect`` win (a valid My Number is not also a phone number).
    kept: list[Finding] = []
    for finding in found:
        if not any(finding.start < k.end and k.start < finding.end for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)
