"""Field extraction precision and recall per field against the corpus manifest.

    python -m bench.fields [CORPUS]

Fields are extracted with the manifest's document type (so classification errors do not
count here). A field is judged only on documents whose ground truth has it: precision is
correct / extracted, recall is correct / expected. Values are compared normalised: dates
as ISO dates, amounts as numbers, identifiers without spaces, ``#`` and case; names
(issuer, recipient, parties, title) match when one contains the other.
"""

from __future__ import annotations

import logging
import re
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from bench.extract import corpus_root, corpus_rows, read_document
from ingest.errors import IngestError
from ingest.fields import extract_fields, halfwidth, parse_date

# manifest key -> field name, where they differ
_NAMES = {"parties": "party", "effective_date": "term_start", "expiration_date": "term_end"}
_DATES = {"date", "date_due", "agreement_date", "term_start", "term_end"}
_AMOUNTS = {"total_amount", "tax_amount"}
_NAMES_FUZZY = {"issuer", "recipient", "party", "title"}
_TYPES = {"invoice", "contract", "public"}


def normalize(name: str, value: object) -> object:
    if name in _DATES:
        return value if isinstance(value, date) else parse_date(str(value))
    if name in _AMOUNTS:
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None
    text = halfwidth(str(value)).casefold()
    if name in _NAMES_FUZZY:
        text = re.sub(r"\s*[(“\"].*$", "", text)  # CUAD appends the defined name: Acme ("Acme")
    return re.sub(r"[\s#\-‐.,、。]", "", text)


def matches(name: str, got: object, expected: object) -> bool:
    if name in _NAMES_FUZZY and isinstance(got, str) and isinstance(expected, str):
        return bool(got and expected) and (got in expected or expected in got)
    return got is not None and got == expected


def main(argv: Sequence[str]) -> None:
    logging.disable(logging.WARNING)
    expected_n: Counter[str] = Counter()
    extracted_n: Counter[str] = Counter()
    correct_n: Counter[str] = Counter()
    for row in corpus_rows(corpus_root(argv)):
        if row.doc_type not in _TYPES or not row.expected:
            continue
        document = read_document(row.path)
        fields = (
            []
            if isinstance(document, IngestError)
            else extract_fields(document.pages, row.doc_type)
        )
        for key, raw in row.expected.items():
            name = _NAMES.get(key, key)
            if key.startswith("_") or name not in _known(row.doc_type):
                continue
            wanted = [normalize(name, v) for v in (raw if isinstance(raw, list) else [raw])]
            got = [normalize(name, f.value) for f in fields if f.name == name]
            expected_n[name] += len(wanted)
            extracted_n[name] += min(len(got), len(wanted))
            hits = sum(any(matches(name, g, w) for g in got) for w in wanted)
            correct_n[name] += hits
            if hits < len(wanted):
                print(f"miss {row.path.name[:45]:45} {name:20} want {wanted} got {got[:3]}")
    print(
        f"\n{'field':20} {'expected':>8} {'extracted':>9} {'correct':>7} {'precision':>9} {'recall':>7}"
    )
    for name in sorted(expected_n):
        precision = correct_n[name] / extracted_n[name] if extracted_n[name] else 0.0
        recall = correct_n[name] / expected_n[name]
        print(
            f"{name:20} {expected_n[name]:8} {extracted_n[name]:9} {correct_n[name]:7} "
            f"{precision:9.1%} {recall:7.1%}"
        )
    total_c, total_e, total_x = (sum(c.values()) for c in (correct_n, expected_n, extracted_n))
    print(
        f"{'all':20} {total_e:8} {total_x:9} {total_c:7} {total_c / total_x:9.1%} {total_c / total_e:7.1%}"
    )


def _known(doc_type: str) -> set[str]:
    return {
        "invoice": {
            "issuer",
            "registration_number",
            "invoice_number",
            "date",
            "date_due",
            "total_amount",
            "tax_amount",
            "currency",
        },
        "contract": {"title", "party", "agreement_date", "term_start", "term_end"},
        "public": {"doc_number", "date", "issuer", "recipient"},
    }[doc_type]


if __name__ == "__main__":
    main(sys.argv)
