"""How many corrections does it take to learn a vendor? Through the API of a real embedded server.

    .venv/bin/python -m bench.vendor_learning [--vendors 10] [--rounds 4] [--scans] [--code DIR]
        [--unlabelled total_amount,invoice_number] [--show-place]

Vendors whose labels and layouts the generic field reader does not know (``tests.vendors``:
the five fixed ones, then generated ones) each send ``--rounds`` invoices, one after the
other. Each invoice is uploaded, read by the worker, and its fields compared with the
truth (invoice number, date, due date, total, tax); then an officer corrects, over
``PATCH /api/v1/documents/{id}``, every field that was wrong, and the next invoice comes.
Round 0 is the generic reader alone (the baseline, in the same run); round k is the
invoice read after k corrected invoices of its vendor. ``--scans`` sends the invoices as
scanned PNGs (OCR) instead of born-digital PDFs. ``--code DIR`` runs another checkout's
server (e.g. main, which has no templates: every round is then the baseline).
``--unlabelled`` makes every vendor print those fields with no label, each value alone on
its line at a fixed place; ``--show-place`` has the officer show, with each correction,
where the value is (the box an officer drags on the preview: ``boxes`` in the PATCH;
born-digital PDFs only, whose layout the bench knows).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx2 as httpx

from bench._servers import ROOT, Server, serve, stack
from bench.understanding import upload, wait_all
from tests.vendors import FIELDS, VENDORS, Vendor, generated_vendor, unlabelled


def vendors(count: int, bare: tuple[str, ...] = ()) -> list[Vendor]:
    fixed = list(VENDORS[:count])
    every = fixed + [generated_vendor(seed) for seed in range(count - len(fixed))]
    return [unlabelled(v, bare) for v in every]


def fields_of(server: Server, doc_id: str) -> dict[str, dict[str, Any]]:
    body = httpx.get(
        f"{server.base}/api/v1/documents/{doc_id}",
        headers={"X-API-Key": server.key},
        timeout=30,
    ).json()
    return {f["name"]: f for f in body["fields"]}


def correct(
    server: Server, doc_id: str, values: dict[str, str], boxes: dict[str, Any] | None = None
) -> None:
    response = httpx.patch(
        f"{server.base}/api/v1/documents/{doc_id}",
        json={"fields": values, **({"boxes": boxes} if boxes else {})},
        headers={"X-API-Key": server.key},
        timeout=60,
    )
    if response.status_code != 200:
        raise RuntimeError(f"correction refused: {response.status_code} {response.text}")


def run(
    server: Server, group: list[Vendor], rounds: int, *, scans: bool, show: bool = False
) -> list[list[int]]:
    """Per round, per vendor: how many of the fields were right (then corrected, with where
    each value is when ``show``)."""
    right: list[list[int]] = [[] for _ in range(rounds)]
    for k in range(rounds):
        sent = []
        for vendor in group:
            content, truth = (vendor.scan if scans else vendor.invoice)(seed=k + 1)
            name = f"{vendor.regno}-{k}.{'png' if scans else 'pdf'}"
            sent.append((upload(server, name, content), truth))
        wait_all(server, [doc_id for doc_id, _ in sent])
        for (doc_id, truth), vendor in zip(sent, group, strict=True):
            read = fields_of(server, doc_id)
            wrong = {n: truth[n] for n in FIELDS if read.get(n, {}).get("value") != truth[n]}
            right[k].append(len(FIELDS) - len(wrong))
            if k and wrong:  # after a correction: what was still missed, and what was read
                got = {
                    n: (read.get(n, {}).get("value"), read.get(n, {}).get("source")) for n in wrong
                }
                print(f"  round {k}: {doc_id} missed {wrong} read {got}")
            if wrong:
                correct(server, doc_id, wrong, {n: vendor.box(n) for n in wrong} if show else None)
    return right


def report(right: list[list[int]], group: list[Vendor]) -> None:
    total = len(FIELDS) * len(group)
    print(
        f"{'corrected invoices before':>26} {'fields right':>13} {'accuracy':>9} {'vendors all right':>18}"
    )
    for k, counts in enumerate(right):
        perfect = sum(c == len(FIELDS) for c in counts)
        print(
            f"{k:>26} {sum(counts):>6} / {total:<4} {sum(counts) / total:>9.1%} "
            f"{perfect:>10} / {len(group)}"
        )
    needed: dict[str, int] = defaultdict(int)
    for i, vendor in enumerate(group):
        first = next((k for k, counts in enumerate(right) if counts[i] == len(FIELDS)), None)
        needed["never" if first is None else str(first)] += 1
        print(f"  {vendor.name:<28} right per round: {[counts[i] for counts in right]}")
    print("corrected invoices needed until an invoice is all right:", dict(sorted(needed.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vendors", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--scans", action="store_true", help="scanned PNGs (OCR), not PDFs")
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout the server runs")
    parser.add_argument("--unlabelled", default="", help="fields printed with no label (a,b)")
    parser.add_argument("--show-place", action="store_true", help="corrections say where")
    args = parser.parse_args()
    if args.show_place and args.scans:
        parser.error("--show-place needs the PDFs' layout: not with --scans")
    group = vendors(args.vendors, tuple(n for n in args.unlabelled.split(",") if n))
    with (
        tempfile.TemporaryDirectory(prefix="bunko-bench-", ignore_cleanup_errors=True) as tmp,
        stack("embedded", Path(tmp)) as s,
    ):
        env = s.env | {"BUNKO_EMBEDDED_WORKER": "true", "PYTHONPATH": str(args.code.resolve())}
        with serve(env, code=args.code.resolve()) as server:
            started = time.monotonic()
            right = run(server, group, args.rounds, scans=args.scans, show=args.show_place)
            print(
                f"server code: {args.code.resolve()}; {len(group)} vendors x {args.rounds} "
                f"invoices ({'scans' if args.scans else 'PDFs'}) in {time.monotonic() - started:.0f} s"
                f"; unlabelled: {args.unlabelled or 'none'}; place shown: {args.show_place}"
            )
            report(right, group)


if __name__ == "__main__":
    main()
