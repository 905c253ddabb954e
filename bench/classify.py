"""Classifier accuracy on the shared corpus, by type and by language, with a confusion matrix.

    python -m bench.classify [CORPUS]

The model is ``ingest.classify.default_model()``: trained on the built-in seed examples
only, so the corpus is a true test set. Files that cannot be read count as ``other``.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence

from bench.extract import corpus_root, corpus_rows, read_document
from ingest.classify import CLASSES, default_model
from ingest.errors import IngestError


def main(argv: Sequence[str]) -> None:
    logging.disable(logging.WARNING)
    model = default_model()
    confusion: Counter[tuple[str, str]] = Counter()
    by_group: dict[str, list[bool]] = defaultdict(list)
    for row in corpus_rows(corpus_root(argv)):
        document = read_document(row.path)
        text = "" if isinstance(document, IngestError) else document.text
        prediction = model.predict(text)
        confusion[row.doc_type, prediction.label] += 1
        hit = prediction.label == row.doc_type
        for group in (f"type={row.doc_type}", f"lang={row.language}", "all"):
            by_group[group].append(hit)
        mark = "ok " if hit else "BAD"
        print(
            f"{mark} {row.doc_type:8} -> {prediction.label:8} {prediction.confidence:.2f}  "
            f"{row.path.name[:55]:55} {[f for f, _ in prediction.top_features[:3]]}"
        )
    print(f"\nmodel {model.version} trained on {model.examples} seed examples\n")
    for group in sorted(by_group):
        hits = by_group[group]
        print(f"{group:14} {sum(hits):3}/{len(hits):3}  accuracy {sum(hits) / len(hits):6.1%}")
    print("\nconfusion (rows: expected, columns: predicted)")
    print(" " * 10 + "".join(f"{label:>10}" for label in CLASSES))
    for expected in CLASSES:
        print(f"{expected:10}" + "".join(f"{confusion[expected, got]:10}" for got in CLASSES))


if __name__ == "__main__":
    main(sys.argv)
