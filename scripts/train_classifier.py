"""Train the document-type model and write it as data: ingest/classify/model.json.

    .venv/bin/python scripts/train_classifier.py [--check]

Trains on the hand-written seeds and the generated training split (never on the
held-out split, never on the shared corpus), prints accuracy on the held-out split and
writes the JSON the worker loads. ``--check`` writes nothing and fails if model.json is
not what training makes now (run it after changing the seeds, generator or features).
Needs scikit-learn (the ``train`` extra).
"""

from __future__ import annotations

import argparse
import sys
from importlib.resources import files

from ingest.classify import MODEL_FILE, class_of
from ingest.classify.generate import documents
from ingest.classify.training import train, training_set

HELD_OUT_PER_SUBTYPE = 40


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    model = train(training_set())
    heldout = documents("heldout", HELD_OUT_PER_SUBTYPE)
    predictions = [(model.predict(text), subtype) for text, subtype in heldout]
    subtype_hits = sum(p.subtype == truth for p, truth in predictions)
    class_hits = sum(p.label == class_of(truth) for p, truth in predictions)
    print(
        f"model {model.version}: {model.examples} examples, {len(model.idf)} features, "
        f"held-out subtype {subtype_hits / len(heldout):.1%}, class {class_hits / len(heldout):.1%}"
    )
    target = files("ingest.classify").joinpath(MODEL_FILE)
    text = model.to_json() + "\n"
    if args.check:
        if target.read_text(encoding="utf-8") != text:
            print(f"{target} is not what training makes now: run without --check")
            return 1
        return 0
    with open(str(target), "w", encoding="utf-8") as out:
        out.write(text)
    print(f"wrote {target} ({len(text.encode()):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
