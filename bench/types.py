"""Type accuracy in-process: the shipped model and the training recipe, on generated sets
and the corpus, without a server (``bench.understanding`` measures through the API).

    .venv/bin/python -m bench.types [--per 40] [--lolo 10] [--corpus DIR --texts FILE]
        [--before MODEL_JSON]

Prints class and subtype accuracy of ``ingest.classify.default_model()`` on the
development set (``documents("heldout", per)``, read while tuning) and on the test set
(``documents("test", per)``: pool items never trained on nor tuned to); then, for every
language but Japanese and English, trains the recipe (``training.train``) on the seeds
and the training split without that language's documents and types ``--lolo`` held-out
documents of each subtype generated in it (a language never trained on). With
``--corpus``, class accuracy on its well-formed files (texts extracted once, with OCR,
and kept in ``--texts``; e-invoices count as invoices, as the pipeline types them by
their XML). Run it on two checkouts (``PYTHONPATH``) for before and after; ``--before``
also types the same development, test and corpus documents with another model file of
the same format (e.g. main's ``model.json``), for a before/after on identical documents.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import Counter
from pathlib import Path

from ingest.classify import Model, class_of, default_model
from ingest.classify.generate import ADDED, documents, documents_in, languages
from ingest.classify.subtypes import SUBTYPES
from ingest.classify.training import train, training_set

EINVOICE = "\x00einvoice"


def accuracy(model: Model, docs: list[tuple[str, str]], label: str) -> None:
    """Class and subtype accuracy, and the weakest subtypes."""
    predictions = [(model.predict(text), truth) for text, truth in docs]
    klass = sum(p.label == class_of(t) for p, t in predictions)
    sub = sum(p.subtype == t for p, t in predictions)
    per: dict[str, list[int]] = {}
    for p, t in predictions:
        per.setdefault(t, [0, 0])
        per[t][0] += p.subtype == t
        per[t][1] += 1
    weakest = sorted(per.items(), key=lambda kv: kv[1][0] / kv[1][1])[:5]
    n = len(docs)
    print(
        f"{label}: class {klass / n:.1%} ({klass}/{n}), subtype {sub / n:.1%} ({sub}/{n}); "
        "weakest " + ", ".join(f"{t} {h}/{c}" for t, (h, c) in weakest)
    )


def added_languages(model: Model, per: int, label: str) -> None:
    """Class accuracy on held-out documents of each language of ``generate.ADDED``
    (trained on with small pools, absent from the development and test sets)."""
    scores = []
    for lang in ADDED:
        docs = documents_in(lang, "heldout", per)
        hits = sum(model.predict(text).label == class_of(truth) for text, truth in docs)
        scores.append(f"{lang} {hits / len(docs):.0%} ({hits}/{len(docs)})")
    print(f"{label}: " + ", ".join(scores))


def left_out(per: int, only: list[str]) -> None:
    """Class accuracy on each language never trained on, and the mean."""
    others = sorted({lang for s in SUBTYPES for lang in languages(s)} - {"ja", "en"})
    scores = []
    for lang in only or others:
        model = train(training_set(exclude=(lang,)))
        docs = documents_in(lang, "heldout", per)
        hits = sum(model.predict(text).label == class_of(truth) for text, truth in docs)
        sub = sum(model.predict(text).subtype == truth for text, truth in docs)
        scores.append(hits / len(docs))
        print(
            f"left out {lang}: class {hits / len(docs):.1%} ({hits}/{len(docs)}), "
            f"subtype {sub / len(docs):.1%}",
            flush=True,
        )
    print(f"left-out languages, mean class accuracy {sum(scores) / len(scores):.1%}")


def corpus_texts(corpus: Path, cache: Path) -> dict[str, str]:
    """The text of every well-formed corpus file (``EINVOICE`` for an e-invoice)."""
    if cache.exists():
        texts: dict[str, str] = json.loads(cache.read_text(encoding="utf-8"))
        return texts
    from ingest.einvoice import read_embedded
    from ingest.extract import extract
    from ingest.ocr import apply_ocr
    from ingest.sniff import Kind

    texts = {}
    with (corpus / "MANIFEST.csv").open(encoding="utf-8") as manifest:
        for row in csv.DictReader(manifest):
            if row["file"].startswith("malformed/"):
                continue
            path = corpus / row["file"]
            extraction = extract(path)
            if extraction.kind == Kind.EINVOICE or (
                extraction.kind == Kind.PDF and read_embedded(path) is not None
            ):
                texts[row["file"]] = EINVOICE
                continue
            texts[row["file"]] = apply_ocr(path, extraction).text
    cache.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    return texts


def corpus_accuracy(model: Model, corpus: Path, cache: Path) -> None:
    texts = corpus_texts(corpus, cache)
    with (corpus / "MANIFEST.csv").open(encoding="utf-8") as manifest:
        truth = {row["file"]: row["doc_type"] for row in csv.DictReader(manifest)}
    wrong = Counter()
    hits = 0
    for name, text in texts.items():
        got = "invoice" if text == EINVOICE else model.predict(text).label
        hits += got == truth[name]
        if got != truth[name]:
            wrong[f"{name} ({truth[name]}→{got})"] += 1
    print(f"corpus well-formed files: class {hits / len(texts):.1%} ({hits}/{len(texts)})")
    for name in wrong:
        print(f"  wrong: {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--per", type=int, default=40, help="development/test documents per subtype"
    )
    parser.add_argument("--lolo", type=int, default=10, help="left-out documents per subtype")
    parser.add_argument("--langs", nargs="*", default=[], help="languages to leave out")
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--texts", type=Path, help="cache of the corpus texts (JSON)")
    parser.add_argument("--before", type=Path, help="another model file to type the same sets")
    args = parser.parse_args()
    started = time.monotonic()
    models = {"": default_model()}
    if args.before:
        models["before: "] = Model.from_json(args.before.read_bytes())
    for name, model in models.items():
        print(f"{name}model {model.version}: {len(model.idf)} features, {model.examples} examples")
        accuracy(model, documents("heldout", args.per), f"{name}development set")
        accuracy(model, documents("test", args.per), f"{name}test set")
        added_languages(model, args.per // 4, f"{name}added languages, held out")
        if args.corpus:
            corpus_accuracy(model, args.corpus, args.texts or Path("corpus-texts.json"))
    if args.lolo:
        left_out(args.lolo, args.langs)
    print(f"({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
