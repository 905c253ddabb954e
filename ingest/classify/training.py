"""Fitting the model with scikit-learn (TF-IDF and multinomial logistic regression).

scikit-learn is needed here only, to train (``scripts/train_classifier.py`` at build time,
``bunko classifier train`` after officers' corrections), never to predict: the fitted
vocabulary, IDF and coefficients are written as JSON (``Model``), which the worker reads
with the standard library. It is installed with the ``train`` extra.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ingest.classify.features import skeleton, terms
from ingest.classify.generate import ADDED, documents, documents_in
from ingest.classify.model import Model
from ingest.classify.seed import SEED_EXAMPLES
from ingest.classify.subtypes import SUBTYPES

# Generated training documents per subtype (a third of them European, see generate).
TRAIN_PER_SUBTYPE = 400
# Generated training documents per subtype in each language of ``generate.ADDED``.
ADDED_PER_SUBTYPE = 20
# Every how many generated documents one is also trained on as its skeleton.
SKELETON_EVERY = 6
# Inverse regularisation strength, chosen on the held-out split (never on the corpus).
C = 10.0
MAX_FEATURES = 50_000
# Weights smaller than this change no prediction; dropping them keeps the JSON small.
PRUNE = 0.1


class TrainingUnavailable(RuntimeError):
    """scikit-learn is not installed."""


def training_set(exclude: Sequence[str] = ()) -> list[tuple[str, str]]:
    """The hand-written seeds and the generated training split, as ``(text, subtype)``,
    with the skeleton of every ``SKELETON_EVERY``-th generated document (its shapes
    only, when it has at least two: ``features.skeleton``). ``exclude`` leaves out the
    generated documents of those languages (to measure a language never trained on)."""
    generated = documents("train", TRAIN_PER_SUBTYPE, exclude=exclude)
    for lang in ADDED:
        if lang not in exclude:
            generated.extend(documents_in(lang, "train", ADDED_PER_SUBTYPE))
    bare = [(skeleton(text), subtype) for text, subtype in generated[::SKELETON_EVERY]]
    return [*SEED_EXAMPLES, *generated, *((t, s) for t, s in bare if t.count("\n") >= 1)]


def train(examples: Iterable[tuple[str, str]], *, c: float = C) -> Model:
    """Fit a model to ``(text, subtype)`` examples (a class name is its general subtype).

    Deterministic. Labels outside ``SUBTYPES`` raise ``ValueError``; so do examples of
    fewer than two labels.
    """
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise TrainingUnavailable(
            "training the model needs scikit-learn: install Bunko with its 'train' extra"
        ) from None
    data = list(examples)
    labels = sorted({label for _, label in data})
    unknown = [label for label in labels if label not in SUBTYPES]
    if unknown:
        raise ValueError(f"unknown labels: {unknown}")
    if len(labels) < 2:
        raise ValueError("training needs examples of at least two labels")
    vectorizer = TfidfVectorizer(
        analyzer=terms, sublinear_tf=True, min_df=2, max_features=MAX_FEATURES
    )
    matrix = vectorizer.fit_transform([text for text, _ in data])
    fit = LogisticRegression(C=c, max_iter=3000).fit(matrix, [label for _, label in data])
    classes = [str(label) for label in fit.classes_]
    coef, intercept = fit.coef_, fit.intercept_
    if len(classes) == 2:  # scikit-learn keeps one row for two classes: split it evenly
        coef, intercept = [-coef[0] / 2, coef[0] / 2], [-intercept[0] / 2, intercept[0] / 2]
    vocabulary = vectorizer.get_feature_names_out()
    weights: dict[str, dict[str, float]] = {}
    for row, label in zip(coef, classes, strict=True):
        for index in (abs(row) >= PRUNE).nonzero()[0]:
            weights.setdefault(str(vocabulary[index]), {})[label] = round(float(row[index]), 4)
    return Model(
        tuple(classes),
        {label: round(float(b), 4) for label, b in zip(classes, intercept, strict=True)},
        {str(f): round(float(v), 5) for f, v in zip(vocabulary, vectorizer.idf_, strict=True)},
        weights,
        len(data),
    )
