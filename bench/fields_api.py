"""Field precision and recall per field, through the API of a real embedded ``bunko serve``.

    .venv/bin/python -m bench.understanding --fields 48 [--corpus DIR] [--code MAIN_CHECKOUT]

Documents are uploaded, processed by the server's worker (type, OCR, fields) and read back
with ``GET /api/v1/documents/{id}``. Two sets: the field development set of
``tests.layouts`` (invoices, receipts, quotations and contracts in Japanese and English,
many layouts, a share of them scanned; exact truth) and, with ``--corpus``, the corpus
files whose manifest truth has fields of their class (judged as ``bench.fields`` judges
them). With ``--code``, the same documents also go to a server running that checkout
("before") in the same run. Values are compared as ``bench.fields`` compares them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx

from bench._servers import Server
from bench.extract import corpus_rows
from bench.fields import _AMOUNTS, _NAMES, _known, matches, normalize
from tests.layouts import field_documents
from tests.layouts_hard import DEV

AMOUNTS = {*_AMOUNTS, "value"}
Truth = dict[str, list[str]]


@dataclass
class Tally:
    expected: Counter[str] = field(default_factory=Counter)
    extracted: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    boxed: int = 0
    given: int = 0
    misses: list[str] = field(default_factory=list)


DEV_SEED, HELDOUT_SEED, NEW_HELDOUT_SEED = 14, 15, 16
"""The development set's seed (tuned on), the held-out set's (measured only), and the new
held-out set's (measured only; its hard papers drawn from the pools' held-out half)."""


def dev_set(count: int, seed: int = DEV_SEED, half: int = DEV) -> list[tuple[str, bytes, Truth]]:
    """(file name, content, truth) of the development set: PDFs, and scans as PNG."""
    docs = []
    for n, doc in enumerate(field_documents(count, seed=seed, half=half)):
        content = doc.scan_png(seed=n) if doc.scanned else doc.pdf()
        name = f"{doc.name}{'-scan.png' if doc.scanned else '.pdf'}"
        docs.append((name, content, {k: v for k, v in doc.truth.items() if v}))
    return docs


def corpus_set(root: Path) -> list[tuple[str, bytes, Truth]]:
    """The corpus documents of a class with fields, with the truth of their class's fields."""
    docs = []
    for row in corpus_rows(root):
        if row.doc_type not in ("invoice", "contract", "public") or not row.expected:
            continue
        truth: Truth = {}
        for key, raw in row.expected.items():
            name = _NAMES.get(key, key)
            if not key.startswith("_") and name in _known(row.doc_type):
                truth[name] = [str(v) for v in (raw if isinstance(raw, list) else [raw])]
        if truth:
            docs.append((row.path.name, row.path.read_bytes(), truth))
    return docs


def _norm(name: str, value: object) -> object:
    if name in AMOUNTS and name not in _AMOUNTS:
        return normalize("total_amount", value)
    return normalize(name, value)


def judge(body: dict[str, object], truth: Truth, tally: Tally, label: str) -> None:
    fields = body.get("fields") or []
    assert isinstance(fields, list)
    tally.given += len(fields)
    tally.boxed += sum(1 for f in fields if f.get("box"))
    for name, wanted_raw in truth.items():
        wanted = [_norm(name, v) for v in wanted_raw]
        got = [_norm(name, f["value"]) for f in fields if f["name"] == name]
        tally.expected[name] += len(wanted)
        tally.extracted[name] += min(len(got), len(wanted))
        hits = sum(any(matches(name, g, w) for g in got) for w in wanted)
        # one value may match two truths ("A", "A and B"): never more right than returned
        tally.correct[name] += min(hits, len(got))
        if hits < len(wanted):
            tally.misses.append(f"{label[:40]:40} {name:18} want {wanted} got {got[:2]}")


def measure(server: Server, ids: Iterable[tuple[str, Truth, str]]) -> Tally:
    tally = Tally()
    for doc_id, truth, label in ids:
        body = httpx.get(
            f"{server.base}/api/v1/documents/{doc_id}",
            headers={"X-API-Key": server.key},
            timeout=30,
        ).json()
        judge(body, truth, tally, label)
    return tally


def print_table(title: str, tallies: dict[str, Tally], verbose: bool = False) -> None:
    """Per-field precision and recall, one column pair per server ("before", "after")."""
    print(f"-- fields, {title}")
    heads = "".join(f" {label + ' P':>10} {label + ' R':>10}" for label in tallies)
    print(f"  {'field':20} {'expected':>8}{heads}")
    names = sorted(set().union(*(t.expected for t in tallies.values())))
    for name in [*names, "all"]:
        cells = ""
        expected = 0
        for tally in tallies.values():
            if name == "all":
                right, given = sum(tally.correct.values()), sum(tally.extracted.values())
                expected = sum(tally.expected.values())
            else:
                right, given, expected = (
                    tally.correct[name],
                    tally.extracted[name],
                    tally.expected[name],
                )
            precision = right / given if given else 0.0
            cells += f" {precision:10.1%} {right / expected if expected else 0.0:10.1%}"
        print(f"  {name:20} {expected:8}{cells}")
    for label, tally in tallies.items():
        print(f"  {label}: {tally.boxed} of {tally.given} fields returned carry a box")
        if verbose:
            for miss in tally.misses:
                print(f"    miss {miss}")
