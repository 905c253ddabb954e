"""Realistic request documents with exact truth, for measuring ``disclosure.pii``.

Three kinds a disclosure office receives: the request form (公文書公開請求書), a 市民の声
record and a citizen's own letter. Each is built from pieces, some of them personal
information of a private person (the truth), among the things that look like it and are
not: the city's departments (市民情報課 御中), labels (申出人, 請求者), the mayor as
addressee, dates, amounts, reference numbers and the office's own telephone number. A line
is scored as production sees it: spaces removed, one line at a time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SURNAMES = [
    "山田",
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山本",
    "松本",
    "井上",
    "木村",
    "林",
    "清水",
    "山崎",
    "森",
    "池田",
    "橋本",
    "阿部",
    "石川",
    "前田",
    "藤田",
    "岡田",
    "後藤",
    "長谷川",
    "村上",
    "近藤",
]
GIVEN = [
    "太郎",
    "花子",
    "一郎",
    "直樹",
    "美咲",
    "健太",
    "由美",
    "翔太",
    "さくら",
    "陽子",
    "誠",
    "恵子",
    "大輔",
    "真由美",
    "和也",
    "明美",
]
WARDS = [
    "北区",
    "中央区",
    "西区",
    "天王寺区",
    "淀川区",
    "住吉区",
    "東成区",
    "都島区",
    "阿倍野区",
    "鶴見区",
]
TOWNS = [
    "天満",
    "中之島",
    "梅田",
    "本町",
    "難波",
    "上本町",
    "十三東",
    "長居",
    "玉造",
    "南森町",
    "桜川",
    "昭和町",
]
KANJI_DIGITS = "〇一二三四五六七八九"
TOPICS = (
    "令和6年度の道路補修工事の契約",
    "市立保育所の入所選考基準",
    "区民まつりの補助金交付",
    "下水道工事の設計変更",
    "公園の樹木剪定の委託",
)
DEPARTMENTS = (
    "大阪市市民局総務部市民情報課",
    "大阪市建設局道路課",
    "北区役所総務課",
    "大阪市こども青少年局保育施策部",
)
OFFICE_PHONE = "06-6208-7321"
"""The city office's own number: printed on forms, not personal information."""


@dataclass(frozen=True)
class Piece:
    text: str
    kind: str | None = None


@dataclass(frozen=True)
class Line:
    """A line as production scores it (spaces removed) and the personal information in it."""

    text: str
    truth: tuple[tuple[str, str], ...]


def _line(*pieces: Piece | str) -> Line:
    parts = [p if isinstance(p, Piece) else Piece(p) for p in pieces]
    text = "".join("".join(p.text.split()) for p in parts)
    truth = tuple((p.kind, "".join(p.text.split())) for p in parts if p.kind)
    return Line(text, truth)


class People:
    """Random private persons and their details, reproducible from a seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def address(self) -> str:
        r = self.rng
        chome, ban, go = r.randint(1, 9), r.randint(1, 30), r.randint(1, 40)
        town = r.choice(TOWNS)
        forms = (
            f"{chome}丁目{ban}番{go}号",
            f"{chome}-{ban}-{go}",
            f"{chome}丁目{ban}-{go}",
            f"{KANJI_DIGITS[chome]}丁目{ban}番{go}号",
        )
        prefix = r.choice(("", "大阪府"))
        city = r.choice(("大阪市" + r.choice(WARDS), "堺市堺区", "豊中市"))
        return f"{prefix}{city}{town}{r.choice(forms)}"

    def phone(self) -> str:
        r = self.rng
        return r.choice(
            (
                f"06-{r.randint(6100, 6999)}-{r.randint(1000, 9999)}",
                f"090-{r.randint(1000, 9999)}-{r.randint(1000, 9999)}",
                f"080{r.randint(1000, 9999)}{r.randint(1000, 9999)}",
            )
        )

    def email(self) -> str:
        r = self.rng
        user = r.choice(("taro", "hanako", "k.suzuki", "yamada_m", "sato1975"))
        return f"{user}{r.randint(1, 99)}@{r.choice(('example.jp', 'example.ne.jp', 'mail.example.com'))}"

    def birth(self) -> str:
        r = self.rng
        return f"昭和{r.randint(20, 63)}年{r.randint(1, 12)}月{r.randint(1, 28)}日"

    def date(self) -> str:
        return f"令和7年{self.rng.randint(4, 12)}月{self.rng.randint(1, 28)}日"


def request_form(p: People) -> list[Line]:
    name = p.name()
    return [
        _line("公文書公開請求書"),
        _line(p.date()),
        _line("（あて先）大阪市長　様"),
        _line("請求者"),
        _line("氏名　", Piece(name, "name")),
        _line("住所　", Piece(p.address(), "address")),
        _line("電話番号　", Piece(p.phone(), "phone")),
        _line("メールアドレス　", Piece(p.email(), "email")),
        _line("請求する公文書の件名又は内容"),
        _line(f"{p.rng.choice(TOPICS)}に関する文書一式"),
        _line("公開の方法　閲覧・写しの交付（郵送）"),
        _line(f"受付　{p.rng.choice(DEPARTMENTS)}（電話{OFFICE_PHONE}）"),
    ]


def citizens_voice(p: People) -> list[Line]:
    name, neighbour = p.name(), p.rng.choice(SURNAMES)
    return [
        _line(f"市民の声　受付番号{p.rng.randint(20250000001, 20259999999)}"),
        _line("受付日　", p.date()),
        _line("申出人　", Piece(name, "name"), "　様"),
        _line("申出人住所　", Piece(p.address(), "address")),
        _line("連絡先　", Piece(p.phone(), "phone")),
        _line(
            f"内容：{p.rng.choice(TOWNS)}付近の道路が陥没しており、",
            Piece(neighbour, "name"),
            "さんの家の前が特に危険です。",
        ),
        _line(f"担当　{p.rng.choice(DEPARTMENTS)}"),
        _line("回答　所管課から申出人様へ回答済み"),
    ]


def letter(p: People) -> list[Line]:
    name, mother = p.name(), p.name()
    return [
        _line(f"{p.rng.choice(DEPARTMENTS)}　御中"),
        _line("拝啓　時下ますますご清祥のこととお喜び申し上げます。"),
        _line("私は", Piece(p.address(), "address"), "に住む", Piece(name, "name"), "と申します。"),
        _line(
            "母の",
            Piece(mother, "name"),
            "（生年月日",
            Piece(p.birth(), "birth_date"),
            "）の介護保険の記録について開示をお願いします。",
        ),
        _line(
            "ご連絡は",
            Piece(p.phone(), "phone"),
            "または",
            Piece(p.email(), "email"),
            "までお願いいたします。",
        ),
        _line(f"予算額は{p.rng.randint(1, 99) * 100}万円と伺っております。"),
        _line("敬具"),
        _line(p.date()),
        _line(Piece(name, "name")),
    ]


KINDS = {"request_form": request_form, "citizens_voice": citizens_voice, "letter": letter}


def documents(count: int, seed: int = 2026) -> list[tuple[str, list[Line]]]:
    """``count`` documents of each kind, the same for the same seed."""
    people = People(seed)
    return [(kind, make(people)) for _ in range(count) for kind, make in KINDS.items()]
