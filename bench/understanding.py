"""Does search find what documents say? Through the API of a real embedded ``bunko serve``.

    .venv/bin/python -m bench.understanding [--scans 12] [--dates 20] [--corpus DIR] [--code DIR]

On a generated development set with exact truth (``tests.generated``):

1. Phrase recall on Japanese scans: contract pages rendered with a CJK font, skewed,
   blurred and speckled, uploaded as PNG and OCRed by the pipeline; every phrase printed on
   a page is searched in quotes and counts if that page is among the hits.
2. Date-form recall: each document prints one date in one form (2024-04-01, 2024/4/1,
   2024年4月1日, 令和6年4月1日, R6.4.1, full-width, English, day-first…) and is searched
   for in every other form.
3. Amount-form recall: the same for 3,300,000 / 3300000 / ¥3,300,000 / 3,300,000円….
4. Type accuracy: ``--types N`` documents of every subtype from the held-out split of
   ``ingest.classify.generate`` (never trained on), uploaded as text; the type and subtype
   the API reports, per subtype and per class.
5. E-invoices (``--einvoices N``): N invoices and credit notes of varied sellers, buyers,
   currencies and lines (``tests.einvoices``), each as a UBL file (Peppol BIS 3 or JP PINT),
   a CII file (drafthorse) and a Factur-X PDF (factur-x): type and field precision/recall
   against the truth they were written from.

``--fields N`` measures field precision and recall instead (``bench.fields_api``): on N
documents of the field development set (``tests.layouts``), with ``--heldout``/``--heldout-new``
on held-out sets (seed 15; seed 16 with the generator's held-out pools) and, with ``--corpus``,
on the corpus; with ``--code DIR`` it runs that checkout as "before" beside this one in the same run.

With ``--corpus``, also date- and amount-form recall on the corpus documents whose truth
has a ``date`` or ``total_amount``, the e-invoice figures on its Factur-X/ZUGFeRD PDFs, and
type accuracy (class only: the manifest has no subtypes) on every corpus file, and on those
outside ``malformed/``. ``--code DIR`` runs the server from another checkout (e.g. the main
branch, for a before/after comparison).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import httpx2 as httpx

from bench import fields_api
from bench._servers import ROOT, Server, serve, stack
from ingest.classify import class_of
from ingest.classify.generate import documents
from tests.einvoices import JP_PINT, PEPPOL_BIS, Truth, cii_xml, facturx_pdf, ubl_xml, varied_truth
from tests.generated import amount_forms, date_forms, scan_page, scan_png
from tests.layouts_hard import HELD_OUT

_TIMEOUT_S = 1800
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def upload(server: Server, name: str, content: bytes) -> str:
    response = httpx.post(
        f"{server.base}/api/v1/documents",
        files={"file": (name, content)},
        headers={"X-API-Key": server.key},
        timeout=60,
    )
    if response.status_code not in (200, 202):
        raise RuntimeError(f"upload of {name} failed: {response.status_code} {response.text}")
    return str(response.json()["id"])


def wait_all(server: Server, ids: list[str]) -> dict[str, str]:
    """Wait until every document is indexed or failed; their final statuses."""
    deadline = time.monotonic() + _TIMEOUT_S
    final: dict[str, str] = {}
    pending = set(ids)  # a corpus file sent twice is one document
    while len(final) < len(pending) and time.monotonic() < deadline:
        for doc_id in pending:
            if doc_id not in final:
                body = httpx.get(
                    f"{server.base}/api/v1/documents/{doc_id}",
                    headers={"X-API-Key": server.key},
                    timeout=30,
                ).json()
                if body["status"] in ("indexed", "failed"):
                    final[doc_id] = body["status"]
        time.sleep(1)
    return final


def found(server: Server, query: str, doc_id: str) -> bool:
    """Whether ``doc_id`` is among the hits of ``query`` (walking every page)."""
    cursor = None
    while True:
        params: dict[str, str | int] = {"q": query, "size": 100}
        if cursor:
            params["cursor"] = cursor
        response = httpx.get(
            f"{server.base}/api/v1/search",
            params=params,
            headers={"X-API-Key": server.key},
            timeout=60,
        )
        response.raise_for_status()
        body = response.json()
        if any(hit["id"] == doc_id for hit in body["hits"]):
            return True
        cursor = body.get("next_cursor")
        if not cursor:
            return False


def quoted(text: str) -> str:
    return f'"{text}"'


def recall(hits: int, total: int) -> str:
    return f"{hits / total:6.1%} ({hits}/{total})" if total else "   n/a"


def phrase_recall(server: Server, pages: list[tuple[str, list[str]]]) -> None:
    hits = total = 0
    misses: list[str] = []
    for doc_id, phrases in pages:
        for phrase in phrases:
            total += 1
            if found(server, quoted(phrase), doc_id):
                hits += 1
            else:
                misses.append(phrase)
    print(f"phrase recall on Japanese scans (quoted search) {recall(hits, total)}")
    if misses:
        print(f"  missed e.g.: {', '.join(misses[:8])}")


def form_recall(server: Server, label: str, docs: list[tuple[str, str, dict[str, str]]]) -> None:
    """Each (doc id, printed form, all forms): the document searched in every other form."""
    by_form: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for doc_id, printed, forms in docs:
        for form, text in forms.items():
            if form == printed:
                continue
            ok = found(server, quoted(text) if " " in text else text, doc_id)
            by_form[form][0] += ok
            by_form[form][1] += 1
    hits = sum(h for h, _ in by_form.values())
    total = sum(t for _, t in by_form.values())
    print(f"{label} {recall(hits, total)}")
    for form, (h, t) in sorted(by_form.items()):
        print(f"  query as {form:<18} {recall(h, t)}")


def generated_dates(
    server: Server, count: int, rng: random.Random
) -> list[tuple[str, str, dict[str, str]]]:
    docs = []
    for i in range(count):
        day = date(2016, 1, 1) + timedelta(days=rng.randrange(365 * 12))
        forms = date_forms(day)
        printed = rng.choice(sorted(forms))
        body = f"契約書 第{i}号\n契約日 {forms[printed]}\n本契約の締結を証するため本書を作成する。"
        docs.append((upload(server, f"date-{i}.txt", body.encode()), printed, forms))
    return docs


def generated_amounts(
    server: Server, count: int, rng: random.Random
) -> list[tuple[str, str, dict[str, str]]]:
    docs = []
    for i in range(count):
        forms = amount_forms(rng.randrange(1000, 99_000) * 110)
        printed = rng.choice(sorted(forms))
        body = f"請求書 第{i}号\nご請求金額 {forms[printed]}\nお支払期限までにお振込みください。"
        docs.append((upload(server, f"amount-{i}.txt", body.encode()), printed, forms))
    return docs


def generated_types(server: Server, per_subtype: int) -> list[tuple[str, str]]:
    """Held-out generated documents of every subtype, uploaded: (document id, true subtype)."""
    return [
        (upload(server, f"type-{i}.txt", text.encode()), subtype)
        for i, (text, subtype) in enumerate(documents("heldout", per_subtype))
    ]


class Corpus:
    """The corpus uploaded: every file with its true class, and the documents with a truth
    date or total, with every form of each."""

    def __init__(self) -> None:
        self.typed: list[tuple[str, str, bool]] = []
        """(document id, true class, well-formed)"""
        self.dated: list[tuple[str, str, dict[str, str]]] = []
        self.priced: list[tuple[str, str, dict[str, str]]] = []
        self.refused: list[str] = []


def corpus_docs(server: Server, corpus: Path) -> Corpus:
    found = Corpus()
    with (corpus / "MANIFEST.csv").open(encoding="utf-8") as manifest:
        for row in csv.DictReader(manifest):
            truth = json.loads(row["expected_fields"] or "{}")
            day, total = truth.get("date"), truth.get("total_amount")
            try:
                doc_id = upload(server, Path(row["file"]).name, (corpus / row["file"]).read_bytes())
            except RuntimeError as refused:  # e.g. an empty file: a 400, no document
                found.refused.append(str(refused))
                continue
            well_formed = not row["file"].startswith("malformed/")
            found.typed.append((doc_id, row["doc_type"], well_formed))
            if not well_formed or not (day or total):
                continue
            if day and _ISO.fullmatch(str(day)):
                found.dated.append((doc_id, "", date_forms(date.fromisoformat(str(day)))))
            amount = Decimal(str(total)) if isinstance(total, (int, float)) else None
            if amount is not None and amount == amount.to_integral_value() and amount >= 100:
                found.priced.append((doc_id, "", amount_forms(int(amount))))
    return found


def typed_as(server: Server, doc_id: str) -> tuple[str, str]:
    """(class, subtype) the API reports for a document ("" for none)."""
    body = httpx.get(
        f"{server.base}/api/v1/documents/{doc_id}",
        headers={"X-API-Key": server.key},
        timeout=30,
    ).json()
    return body.get("doc_type") or "", body.get("subtype") or ""


def accuracy_table(label: str, rows: list[tuple[str, bool]]) -> None:
    """Accuracy of every group and of all: ``rows`` are (group, correct)."""
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for group, ok in rows:
        groups[group][0] += ok
        groups[group][1] += 1
    hits = sum(h for h, _ in groups.values())
    print(f"{label} {recall(hits, len(rows))}")
    for group, (h, t) in sorted(groups.items()):
        print(f"  {group:<18} {recall(h, t)}")


def type_accuracy(server: Server, generated: list[tuple[str, str]], corpus: Corpus) -> None:
    errors: dict[tuple[str, str], int] = defaultdict(int)
    by_subtype, by_class = [], []
    for doc_id, subtype in generated:
        got_class, got_subtype = typed_as(server, doc_id)
        by_subtype.append((subtype, got_subtype == subtype))
        by_class.append((class_of(subtype), got_class == class_of(subtype)))
        if got_subtype != subtype:
            errors[subtype, got_subtype or got_class] += 1
    if generated:
        print("-- type accuracy, generated held-out set")
        accuracy_table("class accuracy", by_class)
        accuracy_table("subtype accuracy", by_subtype)
        worst = sorted(errors.items(), key=lambda item: -item[1])[:8]
        print("  most frequent errors: " + ", ".join(f"{t}→{g} {n}" for (t, g), n in worst))
    if corpus.typed:
        print("-- type accuracy, corpus (class)")
        rows = [(truth, typed_as(server, d)[0] == truth, ok) for d, truth, ok in corpus.typed]
        accuracy_table("well-formed files", [(t, hit) for t, hit, ok in rows if ok])
        accuracy_table("all files incl. malformed/", [(t, hit) for t, hit, _ in rows])
        for refusal in corpus.refused:
            print(f"  not counted: {refusal[:100]}")


EINVOICE_FIELDS = (
    "invoice_number",
    "document_type_code",
    "date",
    "date_due",
    "issuer",
    "recipient",
    "currency",
    "amount_untaxed",
    "tax_amount",
    "total_amount",
    "amount_due",
)
Expected = dict[str, str]


def _truth_fields(truth: Truth) -> Expected:
    return {
        "invoice_number": truth.number,
        "document_type_code": truth.type_code,
        "date": truth.issued.isoformat(),
        "date_due": truth.due.isoformat(),
        "issuer": truth.seller,
        "recipient": truth.buyer,
        "currency": truth.currency,
        "amount_untaxed": str(truth.net),
        "tax_amount": str(truth.tax),
        "total_amount": str(truth.total),
        "amount_due": str(truth.total),
    }


def generated_einvoices(server: Server, count: int) -> list[tuple[str, str, Expected]]:
    """(id, format, truth) of each generated e-invoice, uploaded in three forms."""
    docs = []
    for n in range(count):
        truth = varied_truth(n)
        spec = JP_PINT if truth.currency == "JPY" else PEPPOL_BIS
        ubl = ubl_xml(truth, spec, credit_note=truth.type_code == "381")
        cii = cii_xml(truth)
        for label, name, content in (
            ("UBL XML", f"ubl-{n}.xml", ubl),
            ("CII XML", f"cii-{n}.xml", cii),
            ("Factur-X PDF", f"facturx-{n}.pdf", facturx_pdf(cii, f"Invoice {truth.number}")),
        ):
            docs.append((upload(server, name, content), label, _truth_fields(truth)))
    return docs


def corpus_einvoices(server: Server, corpus: Path) -> list[tuple[str, str, Expected]]:
    """The corpus invoices whose truth was taken from their embedded XML."""
    docs = []
    with (corpus / "MANIFEST.csv").open(encoding="utf-8") as manifest:
        for row in csv.DictReader(manifest):
            truth = json.loads(row["expected_fields"] or "{}")
            if "embedded" not in str(truth.get("_gt_source", "")):
                continue
            expected = {
                k: str(Decimal(str(v))) if isinstance(v, float) else str(v)
                for k, v in truth.items()
                if k in EINVOICE_FIELDS
            }
            content = (corpus / row["file"]).read_bytes()
            docs.append((upload(server, Path(row["file"]).name, content), "corpus PDF", expected))
    return docs


def einvoice_figures(server: Server, docs: list[tuple[str, str, Expected]]) -> None:
    """Type accuracy (invoice; how many decided by the XML) and exact-match field precision
    and recall, whatever the field's source (so that code without XML reading compares)."""
    typed: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # invoice, by XML, all
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # right, given, expected
    for doc_id, label, expected in docs:
        body = httpx.get(
            f"{server.base}/api/v1/documents/{doc_id}",
            headers={"X-API-Key": server.key},
            timeout=30,
        ).json()
        typed[label][0] += body["doc_type"] == "invoice"
        typed[label][1] += body["type_source"] == "xml"
        typed[label][2] += 1
        given: dict[str, str] = {}
        for found in body.get("fields", []):
            given.setdefault(found["name"], found["value"])
        for name in EINVOICE_FIELDS:
            value, truth = given.get(name), expected.get(name)
            counts[name][2] += truth is not None
            if value is not None and truth is not None:
                counts[name][1] += 1
                counts[name][0] += _same(value, truth)
    for label, (invoice, by_xml, total) in typed.items():
        print(
            f"  {label:<13} typed invoice {recall(invoice, total)}, by its XML {recall(by_xml, total)}"
        )
    right = sum(c[0] for c in counts.values())
    print(
        f"  fields exact: precision {recall(right, sum(c[1] for c in counts.values()))}"
        f"  recall {recall(right, sum(c[2] for c in counts.values()))}"
    )
    for name, (ok, given_n, expected_n) in counts.items():
        print(f"    {name:<20} precision {recall(ok, given_n)}  recall {recall(ok, expected_n)}")


def _same(value: str, truth: str) -> bool:
    try:
        return Decimal(value) == Decimal(truth)
    except ArithmeticError:
        return value == truth


def field_figures(args: argparse.Namespace) -> None:
    """Field precision/recall on the development set and the corpus, before and after."""
    sets = {"development set (tests.layouts)": fields_api.dev_set(args.fields)}
    if args.heldout:
        sets["held-out set (tests.layouts, seed 15)"] = fields_api.dev_set(
            args.heldout, fields_api.HELDOUT_SEED
        )
    if args.heldout_new:
        sets["new held-out set (tests.layouts, seed 16, held-out pools)"] = fields_api.dev_set(
            args.heldout_new, fields_api.NEW_HELDOUT_SEED, HELD_OUT
        )
    if args.corpus:
        sets[str(args.corpus)] = fields_api.corpus_set(args.corpus)
    code = {"after": ROOT}
    if args.code.resolve() != ROOT:
        code = {"before": args.code.resolve(), **code}
    tallies: dict[str, dict[str, fields_api.Tally]] = {title: {} for title in sets}
    with tempfile.TemporaryDirectory(prefix="bunko-bench-", ignore_cleanup_errors=True) as tmp:
        for label, checkout in code.items():
            with stack("embedded", Path(tmp) / label) as s:
                env = s.env | {"BUNKO_EMBEDDED_WORKER": "true", "PYTHONPATH": str(checkout)}
                with serve(env, code=checkout) as server:
                    started = time.monotonic()
                    uploaded = {
                        title: [
                            (upload(server, name, content), truth, name)
                            for name, content, truth in docs
                        ]
                        for title, docs in sets.items()
                    }
                    ids = [d for docs in uploaded.values() for d, _, _ in docs]
                    final = wait_all(server, ids)
                    failed = sum(1 for d in ids if final.get(d) != "indexed")
                    print(
                        f"{label}: server code {checkout}; {len(ids)} documents in "
                        f"{time.monotonic() - started:.0f} s; not indexed: {failed}"
                    )
                    for title, docs in uploaded.items():
                        tallies[title][label] = fields_api.measure(server, docs)
    for title, by_code in tallies.items():
        fields_api.print_table(title, by_code, verbose=args.verbose and "held-out" not in title)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scans", type=int, default=12)
    parser.add_argument("--dates", type=int, default=20)
    parser.add_argument("--einvoices", type=int, default=20)
    parser.add_argument("--types", type=int, default=10, help="held-out documents per subtype")
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout the server runs")
    parser.add_argument("--fields", type=int, default=0, help="field development set size")
    parser.add_argument("--heldout", type=int, default=0, help="held-out field set size")
    parser.add_argument(
        "--heldout-new", type=int, default=0, help="new held-out field set size (held-out pools)"
    )
    parser.add_argument("--verbose", action="store_true", help="list the fields missed")
    args = parser.parse_args()
    if args.fields:
        field_figures(args)
        return
    rng = random.Random(14)
    with (
        tempfile.TemporaryDirectory(prefix="bunko-bench-") as tmp,
        stack("embedded", Path(tmp)) as s,
    ):
        env = s.env | {"BUNKO_EMBEDDED_WORKER": "true", "PYTHONPATH": str(args.code.resolve())}
        with serve(env, code=args.code.resolve()) as server:
            started = time.monotonic()
            pages = []
            for i in range(args.scans):
                lines, phrases = scan_page(i)
                png = scan_png(
                    lines,
                    seed=i,
                    size_pt=rng.choice((10.5, 12, 14)),
                    skew_deg=rng.uniform(-2, 2),
                    blur=rng.uniform(0.2, 0.9),
                    noise=rng.uniform(0.002, 0.02),
                    serif=i % 2 == 1,
                )
                pages.append((upload(server, f"scan-{i}.png", png), phrases))
            dated = generated_dates(server, args.dates, rng)
            priced = generated_amounts(server, args.dates, rng)
            typed = generated_types(server, args.types)
            corpus = corpus_docs(server, args.corpus) if args.corpus else Corpus()
            einvoices = generated_einvoices(server, args.einvoices)
            corpus_invoices = corpus_einvoices(server, args.corpus) if args.corpus else []
            ids = [d for d, _ in (*pages, *typed)] + [d for d, _, _ in corpus.typed]
            ids += [d for d, _, _ in (*dated, *priced, *einvoices, *corpus_invoices)]
            final = wait_all(server, ids)
            failed = [d for d in ids if final.get(d) != "indexed"]
            print(
                f"server code: {args.code.resolve()}; {len(ids)} documents processed in "
                f"{time.monotonic() - started:.0f} s; not indexed: {len(failed)}"
            )
            print("-- generated development set")
            phrase_recall(server, pages)
            form_recall(server, "date-form recall", dated)
            form_recall(server, "amount-form recall", priced)
            print("e-invoices (XML files and Factur-X PDFs)")
            einvoice_figures(server, einvoices)
            if args.corpus:
                print(f"-- {args.corpus}")
                form_recall(server, "date-form recall (truth date)", corpus.dated)
                form_recall(server, "amount-form recall (truth total)", corpus.priced)
                print("e-invoices (Factur-X/ZUGFeRD PDFs, truth from their XML)")
                einvoice_figures(server, corpus_invoices)
            type_accuracy(server, typed, corpus)


if __name__ == "__main__":
    main()
