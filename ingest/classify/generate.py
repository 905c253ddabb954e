"""Generated documents of every subtype, in thirteen languages, with their exact type.

    documents("train", 300, seed=0)    # the training set (with the hand-written seeds)
    documents("heldout", 40, seed=1)   # the development set: never trained on
    documents("test", 40)              # the test set: never trained or tuned on
    documents_in("pl", "train", 12)     # every subtype written in Polish

Japanese and English by turns, every third document in German, French, Spanish, Italian
or Dutch where the subtype has them (commercial papers, contracts, public records,
letters); Portuguese, Polish, Swedish, Czech, Chinese and Korean (small pools, for most
commercial papers, contracts, minutes, reports, court filings, gazettes and letters) only
through ``documents_in``. Each is a title, a header block (number, date, addressee, sender) in one of
several orders or a short slip of three lines, a body of phrases drawn from its subtype's
pools, and for commercial papers a table of items with totals. A subtype may have several
varieties in a language, one drawn per document: ``other`` is also a bank or card statement,
the other public records also a tax return or statutory form a government issues and a
register or list it publishes, gazettes also ministerial and regional bulletins.
Quotations, delivery notes, purchase orders and bank statements carry amounts, tax, IBANs
and T-numbers like invoices do (the hard negatives). Some get page margins (page numbers, URLs, phone numbers), blocks of bare
figures, OCR noise (misread and dropped characters, Japanese spaced out, broken lines)
or capitals throughout. The held-out split is more than other random seeds: about one
item in four of every pool of two or more (phrases, titles, names) is reserved to it, so
it measures phrasings the model has never seen; those reserved items are split again
between the development set (``heldout``) and a test set (``test``) read only to report.

The pools (names, phrases, the specification of each subtype in each language) are data:
``data/phrases.json``, read once; their order is part of the generated sets (the model and the
held-out split are reproducible byte for byte).

Lives in ``ingest`` because retraining (``bunko classifier train``) needs the training set.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib.resources import files
from typing import Any, Literal

from ingest.classify.subtypes import SUBTYPES

Split = Literal["train", "heldout", "test"]
Pools = dict[str, Sequence[str]]


def _held_out(item: str) -> bool:
    return hashlib.sha256(item.encode()).digest()[0] % 4 == 0


@cache
def _sides(pool: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``pool`` split into its training and held-out items: about one in four held out,
    at least one of a pool of two or more; a pool of one item is on both sides."""
    if len(pool) < 2:
        return pool, pool
    held = [p for p in pool if _held_out(p)]
    if not held:
        held = [min(pool, key=lambda p: hashlib.sha256(p.encode()).digest())]
    if len(held) == len(pool):
        held = held[:-1]
    return tuple(p for p in pool if p not in held), tuple(held)


@cache
def _held_halves(pool: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The held-out items of ``pool`` split again: the development half (``heldout``, read
    while tuning) and the test half (``test``, read only to report), by a second hash;
    when that hash puts every held-out item on one side (always for one item), the
    items are in both."""
    held = _sides(pool)[1]
    test = tuple(p for p in held if hashlib.sha256(p.encode()).digest()[1] % 2)
    if not test or len(test) == len(held):
        return held, held
    return tuple(p for p in held if p not in test), test


def _side(pool: Sequence[str], split: Split) -> tuple[str, ...]:
    if split == "train":
        return _sides(tuple(pool))[0]
    dev, test = _held_halves(tuple(pool))
    return test if split == "test" else dev


def _pick(rng: random.Random, pool: Sequence[str], split: Split) -> str:
    """An item of ``pool`` for ``split``."""
    return rng.choice(_side(pool, split))


def _sample(rng: random.Random, pool: Sequence[str], k: int, split: Split) -> list[str]:
    side = _side(pool, split)
    return rng.sample(side, min(k, len(side)))


def _pair(rng: random.Random, pool: Sequence[str], split: Split) -> list[str]:
    """Two items of ``pool`` for ``split``, the same one twice if its side has one."""
    side = _side(pool, split)
    return rng.sample(side, 2) if len(side) > 1 else [side[0], side[0]]


# -- the pools, from data/phrases.json ------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    """One subtype in one language: title pool, header lines (near the top), body pool,
    closing lines, and whether the body carries a priced item table."""

    titles: Sequence[str]
    heads: Sequence[str]
    body: Sequence[str]
    closing: Sequence[str] = ()
    table: bool = False
    min_body: int = 2
    max_body: int = 5


def _load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        files("ingest.classify").joinpath("data/phrases.json").read_text(encoding="utf-8")
    )
    return data


def _spec(raw: dict[str, Any], shared: dict[str, list[str]]) -> _Spec:
    """A spec from its JSON; a pool given as a string names one of the ``shared`` pools."""
    pools = {
        k: tuple(shared[v] if isinstance(v, str) else v)
        for k, v in raw.items()
        if k in ("titles", "heads", "body", "closing")
    }
    return _Spec(**{**raw, **pools})


_DATA = _load()
_POOLS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _DATA["values"].items()}
# Subtype -> language -> its varieties (a bank statement and a brochure are both
# ``other``; a tax return and an ordinance both other public records): one is drawn
# per document. A spec written as one object is the only variety.
_SPECS: dict[str, dict[str, tuple[_Spec, ...]]] = {
    subtype: {
        lang: tuple(_spec(r, _DATA["shared"]) for r in (raw if isinstance(raw, list) else [raw]))
        for lang, raw in langs.items()
    }
    for subtype, langs in _DATA["subtypes"].items()
}
_TABLE_HEADERS: dict[str, tuple[str, ...]] = {
    k: tuple(v) for k, v in _DATA["table_headers"].items()
}
_TOTALS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _DATA["totals"].items()}


def _values(rng: random.Random, split: Split) -> dict[str, str]:
    day = date(2015, 1, 1) + timedelta(days=rng.randrange(365 * 11))
    later = day + timedelta(days=rng.randrange(10, 400))
    reiwa = max(day.year - 2018, 1)
    amount = rng.randrange(10, 90_000) * 110
    c1, c2 = _pair(rng, _POOLS["ja_companies"], split)
    e1, e2 = _pair(rng, _POOLS["en_companies"], split)
    u1, u2 = _pair(rng, _POOLS["eu_companies"], split)
    return {
        "eucompany": u1,
        "eucompany2": u2,
        "eugov": _pick(rng, _POOLS["eu_gov"], split),
        "euperson": _pick(rng, _POOLS["eu_people"], split),
        "eudate": day.strftime(rng.choice(("%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"))),
        "eudate2": later.strftime("%d.%m.%Y"),
        "company": c1,
        "company2": c2,
        "ecompany": e1,
        "ecompany2": e2,
        "gov": _pick(rng, _POOLS["ja_gov"], split),
        "egov": _pick(rng, _POOLS["en_gov"], split),
        "person": _pick(rng, _POOLS["ja_people"], split),
        "eperson": _pick(rng, _POOLS["en_people"], split),
        "subject": _pick(rng, _POOLS["ja_subjects"], split),
        "esubject": _pick(rng, _POOLS["en_subjects"], split),
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


def _table(rng: random.Random, lang: str, split: Split, values: dict[str, str]) -> list[str]:
    items = _POOLS["ja_items" if lang == "ja" else "en_items"]
    rows = [rng.choice(_TABLE_HEADERS[lang])]
    for _ in range(rng.randint(1, 5)):
        qty, price = rng.randint(1, 20), rng.randrange(1, 500) * 100
        rows.append(f"{_pick(rng, items, split)} {qty} {price:,} {qty * price:,}")
    totals = _TOTALS[lang]
    rows.extend(t.format_map(values) for t in rng.sample(totals, rng.randint(1, len(totals))))
    return rows


def document(subtype: str, rng: random.Random, split: Split, lang: str) -> str:
    """One generated document of ``subtype`` in ``lang`` (``ja``, ``en``, and for most
    subtypes ``de``, ``fr``, ``es``, ``it``, ``nl``)."""
    varieties = _SPECS[subtype][lang]
    spec = varieties[0] if len(varieties) == 1 else rng.choice(varieties)
    values = _values(rng, split)
    title = _pick(rng, spec.titles, split).format_map(values)
    heads = [h.format_map(values) for h in _sample(rng, spec.heads, rng.randint(1, 4), split)]
    body_count = rng.randint(spec.min_body, spec.max_body)
    body = [b.format_map(values) for b in _sample(rng, spec.body, body_count, split)]
    if spec.table:
        table = _table(rng, lang, split, values)
        at = rng.randint(0, len(body))
        body[at:at] = table
    if rng.random() < 0.25:  # a block of bare figures, as tables and statements print
        body.insert(rng.randint(0, len(body)), _figures(rng))
    closing = [c.format_map(values) for c in spec.closing if rng.random() < 0.6]
    margins = [
        m.format_map(values) for m in _sample(rng, _POOLS["margins"], rng.randint(0, 2), split)
    ]
    layout = rng.randrange(4)
    if layout == 0:  # title first, then the header block
        lines = [title, *heads, *body, *closing]
    elif layout == 1:  # letterhead: number, date and addressee above the title
        lines = [*heads, title, *body, *closing]
    elif layout == 2:  # the title between two halves of the header block
        half = len(heads) // 2
        lines = [*heads[:half], title, *heads[half:], *body, *closing]
    else:  # a short slip: title, one header line, a line or two of body
        lines = [title, *heads[:1], *body[: rng.randint(1, 2)]]
    if margins:  # page headers and footers, above or below
        lines = [*margins, *lines] if rng.random() < 0.5 else [*lines, *margins]
    separator = rng.choice(("\n", "\n", " ", "  "))
    text = separator.join(lines)
    if rng.random() < 0.3:
        text = _ocr_noise(rng, text)
    if lang != "ja" and rng.random() < 0.08:
        text = text.upper()
    return text


def _figures(rng: random.Random) -> str:
    """A few rows of figures with no words."""
    rows = []
    for _ in range(rng.randint(2, 8)):
        cells = (f"{rng.randrange(1, 10 ** rng.randint(1, 7)):,}" for _ in range(rng.randint(2, 6)))
        rows.append(" ".join(cells))
    return "\n".join(rows)


# What OCR confuses: Latin look-alikes, and kanji read as their neighbours.
_CONFUSIONS = {
    "l": "1",
    "I": "l",
    "O": "0",
    "o": "0",
    "e": "c",
    "a": "o",
    "S": "5",
    "B": "8",
    "m": "rn",
    "n": "ri",
    "u": "ii",
    "é": "e",
    "ü": "u",
    "書": "昔",
    "請": "講",
    "約": "紂",
    "領": "頷",
    "納": "紬",
}


def _ocr_noise(rng: random.Random, text: str) -> str:
    """``text`` as a poor scan reads: characters misread or dropped, Japanese spaced out,
    line breaks where the page wrapped."""
    rate = rng.uniform(0.01, 0.06)
    spaced = rng.random() < 0.5
    out = []
    for char in text:
        roll = rng.random()
        if roll < rate:
            out.append(_CONFUSIONS.get(char, "" if roll < rate / 4 else char))
        elif roll < rate * 1.5 and char == " ":
            out.append("\n")
        else:
            out.append(char)
        if spaced and char > "\u3000" and rng.random() < 0.7:
            out.append(" ")
    return "".join(out)


# The languages ``documents`` writes besides Japanese and English, every third document.
ROTATION = ("de", "fr", "es", "it", "nl")
# Languages with a small vocabulary, generated apart (``documents_in``) for training only,
# so that the development and test sets keep the mix of languages they were made with.
ADDED = ("pt", "pl", "sv", "cs", "zh", "ko")


def language(subtype: str, i: int) -> str:
    """The language of the ``i``-th generated document of ``subtype``: Japanese and
    English by turns, every third in one of the ``ROTATION`` languages the subtype has."""
    others = [lang for lang in _SPECS[subtype] if lang in ROTATION]
    if others and i % 3 == 2:
        return others[i // 3 % len(others)]
    return ("ja", "en")[i % 2]


def languages(subtype: str) -> tuple[str, ...]:
    """The languages ``subtype`` is generated in."""
    return tuple(_SPECS[subtype])


def documents(
    split: Split,
    per_subtype: int,
    *,
    seed: int = 0,
    subtypes: Sequence[str] = tuple(SUBTYPES),
    exclude: Sequence[str] = (),
) -> list[tuple[str, str]]:
    """``per_subtype`` documents of each subtype, as ``(text, subtype)``, in the languages
    ``language`` assigns, less those in an ``exclude``d language (to measure a language
    never trained on). The same arguments give the same documents."""
    rng = random.Random(f"{split}/{seed}")
    out = []
    for subtype in subtypes:
        for i in range(per_subtype):
            lang = language(subtype, i)
            text = document(subtype, rng, split, lang)
            if lang not in exclude:
                out.append((text, subtype))
    return out


def documents_in(
    lang: str, split: Split, per_subtype: int, *, seed: int = 0
) -> list[tuple[str, str]]:
    """``per_subtype`` documents of every subtype generated in ``lang``."""
    rng = random.Random(f"{split}/{lang}/{seed}")
    return [
        (document(subtype, rng, split, lang), subtype)
        for subtype, specs in _SPECS.items()
        if lang in specs
        for _ in range(per_subtype)
    ]


def value_pool(name: str) -> tuple[str, ...]:
    """One pool of values (``ja_companies``, ``en_items``…), for other generators of test data."""
    return _POOLS[name]
