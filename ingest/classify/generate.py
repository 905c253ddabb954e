"""Generated documents of every subtype, in Japanese and English, with their exact type.

    documents("train", 150, seed=0)    # the training set (with the hand-written seeds)
    documents("heldout", 40, seed=1)   # the development set: never trained on

Each document is a title, a header block (number, date, addressee, sender) in one of
several orders, a body of phrases drawn from its subtype's pools, and for commercial
papers a table of items with totals. Quotations, delivery notes and purchase orders carry
amounts, tax and T-numbers like invoices do (the hard negatives). The held-out split is
more than other random seeds: one phrase in four of every pool (and one name in four) is
reserved to it, so it measures phrasings the model has never seen.

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
from importlib.resources import files
from typing import Any, Literal

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
_SPECS: dict[str, dict[str, _Spec]] = {
    subtype: {lang: _spec(raw, _DATA["shared"]) for lang, raw in langs.items()}
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
    c1, c2 = _sample(rng, _POOLS["ja_companies"], 2, split)
    e1, e2 = _sample(rng, _POOLS["en_companies"], 2, split)
    return {
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
