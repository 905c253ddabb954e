"""Versions of the document-type model in the database, and retraining from corrections."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive import BlobStore, ClassifierModel, Derivative, Document, DocumentVersion, TypeSource
from ingest.classify import Model, default_model

TEXT_DERIVATIVE = "text"


@dataclass(frozen=True)
class ActiveModel:
    model: Model
    version: int
    """0 for the model shipped with Bunko (``ingest/classify/model.json``)."""


def active_model(session: Session) -> ActiveModel:
    """The latest version; its model parsed only when this process has not read it yet."""
    latest = session.execute(
        select(ClassifierModel.version, ClassifierModel.created_at)
        .order_by(ClassifierModel.version.desc())
        .limit(1)
    ).first()
    if latest is None:
        return ActiveModel(default_model(), 0)
    key = (latest.version, latest.created_at)  # a database restored or made anew reuses numbers
    model = _loaded.get(key)
    if model is None:
        model_json = session.scalar(
            select(ClassifierModel.model_json).where(ClassifierModel.version == latest.version)
        )
        assert model_json is not None
        model = Model.from_json(model_json)
        _loaded.clear()
        _loaded[key] = model
    return ActiveModel(model, latest.version)


_loaded: dict[tuple[int, datetime], Model] = {}
"""The model of the latest version this process read (a version's model never changes)."""


def read_text(store: BlobStore, key: str) -> str:
    """The whole text of a text derivative (a JSON list of pages)."""
    with store.open(key) as stream:  # type: ignore[arg-type]
        pages = json.loads(stream.read())["pages"]
    return "\f".join(page["text"] for page in pages)


def corrections(session: Session, store: BlobStore) -> list[tuple[str, str]]:
    """(text, subtype) of every document whose type a records officer set by hand (the
    class's general subtype where the officer set only the class)."""
    rows = session.execute(
        select(func.coalesce(Document.subtype, Document.doc_type), Derivative.blob_key)
        .join(DocumentVersion, DocumentVersion.document_id == Document.id)
        .join(Derivative, Derivative.version_id == DocumentVersion.id)
        .where(Document.type_source == TypeSource.OFFICER, Derivative.kind == TEXT_DERIVATIVE)
    ).all()
    return [(read_text(store, key), str(doc_type)) for doc_type, key in rows if doc_type]


def train_from_corrections(
    session: Session, store: BlobStore, *, created_by: str
) -> ClassifierModel:
    """Train on the built-in training set plus every correction; store the result as the
    next version. Needs scikit-learn (the ``train`` extra)."""
    from ingest.classify.training import train, training_set

    examples = corrections(session, store)
    base = training_set()
    model = train([*base, *examples])
    version = (session.scalar(select(func.max(ClassifierModel.version))) or 0) + 1
    row = ClassifierModel(
        version=version,
        examples=len(base) + len(examples),
        corrections=len(examples),
        model_json=model.to_json(),
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    return row
