"""Multinomial logistic regression over text features, stored as JSON.

Each class has one weight per feature, so a prediction is explained by the features that
pushed it most (``Prediction.top_features``), and a records officer can read the model.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.classify.features import features

LABELS = ("contract", "invoice", "public", "other")
FORMAT = "bunko.classifier.logreg/1"
# Weights smaller than this change no prediction; dropping them keeps the JSON small.
_PRUNE = 1e-3


@dataclass(frozen=True, slots=True)
class Prediction:
    label: str
    confidence: float
    top_features: tuple[tuple[str, float], ...]
    scores: dict[str, float]


@dataclass(frozen=True, slots=True)
class Model:
    labels: tuple[str, ...]
    bias: dict[str, float]
    weights: dict[str, dict[str, float]]
    examples: int

    @property
    def version(self) -> str:
        """A content hash: equal models have equal versions."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()[:16]

    def predict(self, text: str, *, top: int = 5) -> Prediction:
        """The most likely label of ``text``, its probability and the features behind it.

        A text with no known feature (empty, or in an unseen script) is ``other``.
        """
        vector = {f: v for f, v in features(text).items() if f in self.weights}
        probabilities = _probabilities(self.labels, self.bias, self.weights, vector)
        label = max(probabilities, key=probabilities.__getitem__) if vector else "other"
        contributions = sorted(
            ((f, v * self.weights[f].get(label, 0.0)) for f, v in vector.items()),
            key=lambda item: item[1],
            reverse=True,
        )
        reasons = tuple((f, round(c, 4)) for f, c in contributions[:top] if c > 0)
        return Prediction(label, round(probabilities[label], 4), reasons, probabilities)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "labels": list(self.labels),
                "examples": self.examples,
                "bias": self.bias,
                "weights": self.weights,
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, data: str) -> Model:
        raw = json.loads(data)
        if raw.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model: {raw.get('format')!r}")
        return cls(tuple(raw["labels"]), raw["bias"], raw["weights"], raw["examples"])


def train(
    examples: Iterable[tuple[str, str]],
    *,
    epochs: int = 40,
    learning_rate: float = 1.0,
    l2: float = 1e-4,
    seed: int = 0,
) -> Model:
    """Fit a model to ``(text, label)`` examples by stochastic gradient descent.

    Deterministic for a given ``seed``. Labels outside ``LABELS`` raise ``ValueError``.
    """
    data = [(features(text), label) for text, label in examples]
    unknown = {label for _, label in data} - set(LABELS)
    if unknown:
        raise ValueError(f"unknown labels: {sorted(unknown)}")
    weights: dict[str, dict[str, float]] = {}
    bias = dict.fromkeys(LABELS, 0.0)
    order = list(range(len(data)))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for index in order:
            vector, target = data[index]
            probabilities = _probabilities(LABELS, bias, weights, vector)
            for label in LABELS:
                gradient = probabilities[label] - (label == target)
                bias[label] -= learning_rate * gradient * 0.1
                for feature, value in vector.items():
                    row = weights.setdefault(feature, {})
                    old = row.get(label, 0.0)
                    row[label] = old - learning_rate * (gradient * value + l2 * old)
    pruned = {
        feature: {label: round(w, 4) for label, w in row.items() if abs(w) >= _PRUNE}
        for feature, row in weights.items()
    }
    return Model(
        LABELS,
        {label: round(b, 4) for label, b in bias.items()},
        {feature: row for feature, row in pruned.items() if row},
        len(data),
    )


def _probabilities(
    labels: tuple[str, ...],
    bias: dict[str, float],
    weights: dict[str, dict[str, float]],
    vector: dict[str, float],
) -> dict[str, float]:
    logits = {label: bias[label] for label in labels}
    for feature, value in vector.items():
        for label, weight in weights.get(feature, {}).items():
            logits[label] += value * weight
    top = max(logits.values())
    exps = {label: math.exp(value - top) for label, value in logits.items()}
    total = sum(exps.values())
    return {label: value / total for label, value in exps.items()}
