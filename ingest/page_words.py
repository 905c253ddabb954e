"""The words on a page of a stored version under a box an officer draws on its preview.

Read from the version's text layer: the searchable PDF that OCR made of a scan, else the
original PDF's own text (``ingest.words.pdf_words``); a version with neither has no words.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import BlobNotFound, BlobStore, Derivative, DocumentVersion, Sha256
from ingest.fields.templates import Place, value_in, value_type_of, words_in
from ingest.words import Box, Word, pdf_words

SEARCHABLE_PDF = "searchable_pdf"


def _text_layer(session: Session, version: DocumentVersion) -> Sha256 | None:
    """The blob key of the PDF whose text layer holds the version's words, if any."""
    searchable = session.scalar(
        select(Derivative.blob_key).where(
            Derivative.version_id == version.id, Derivative.kind == SEARCHABLE_PDF
        )
    )
    if searchable is not None:
        return Sha256(searchable)
    return version.blob_key if version.media_type == "application/pdf" else None


def words_at(
    store: BlobStore, session: Session, version: DocumentVersion, place: Place
) -> list[Word]:
    """The words of ``place`` (on a line through the box and touching it), in reading order."""
    key = _text_layer(session, version)
    if key is None:
        return []
    with tempfile.TemporaryDirectory(prefix="bunko-words-") as tmp:
        path = Path(tmp) / "layer.pdf"
        try:
            with store.open(key) as stream, path.open("wb") as out:
                shutil.copyfileobj(stream, out)
        except BlobNotFound:
            return []
        return words_in(pdf_words(path, [place.page]), place)


def read_at(words: list[Word], name: str) -> tuple[str, str | None, Box | None]:
    """The text of ``words``, the value of field ``name`` in it (typed as the API gives it;
    None when the text holds none), and the box around the words."""
    text = " ".join(w.text for w in words)
    box = words[0].box if words else None
    for word in words[1:]:
        box = box.union(word.box) if box else word.box
    return text, value_in(text, value_type_of(name)), box.rounded() if box else None
