"""Document type classification: ``contract``, ``invoice``, ``public`` or ``other``.

model = default_model()            # trained on the built-in seed examples
prediction = model.predict(text)   # label, confidence, top_features
model = train([*SEED_EXAMPLES, *corrections]); blob = model.to_json()
"""

from __future__ import annotations

from functools import cache

from ingest.classify.model import LABELS, Model, Prediction, train
from ingest.classify.seed import SEED_EXAMPLES

__all__ = ["LABELS", "SEED_EXAMPLES", "Model", "Prediction", "default_model", "train"]


@cache
def default_model() -> Model:
    """The model trained on ``SEED_EXAMPLES`` alone (deterministic, so the same everywhere)."""
    return train(SEED_EXAMPLES)
