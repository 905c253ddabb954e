"""Document type classification: a subtype (請求書, 覚書, 議事録, 見積書…) and its class,
``contract``, ``invoice``, ``public`` or ``other``.

model = default_model()            # the model shipped as data (ingest/classify/model.json)
prediction = model.predict(text)   # label (class), subtype, confidences, top_features
model = train([*training_set(), *corrections]); blob = model.to_json()  # needs scikit-learn

``scripts/train_classifier.py`` rewrites model.json from the seeds and the generated
training split; the worker only reads it.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from ingest.classify.model import Model, Prediction
from ingest.classify.subtypes import CLASSES, SUBTYPES, class_of

__all__ = ["CLASSES", "SUBTYPES", "Model", "Prediction", "class_of", "default_model"]

MODEL_FILE = "model.json"


@cache
def default_model() -> Model:
    """The model shipped with Bunko (trained at build time; the same everywhere)."""
    return Model.from_json(files(__package__).joinpath(MODEL_FILE).read_bytes())
