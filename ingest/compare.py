"""What changed between two versions of a document: its extracted text and its fields."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import BlobStore, Document, DocumentField, DocumentVersion, version_of
from ingest.indexing import version_pages

MAX_LINES = 5000
"""Lines of each text compared: a diff of longer texts stops there (and says so)."""


@dataclass(frozen=True)
class Comparison:
    from_version: int
    to_version: int
    lines: list[tuple[str, str]]
    """(kind, text): ``hunk`` (@@ position), ``context``, ``removed`` or ``added``."""
    truncated: bool
    fields: list[tuple[str, list[str], list[str]]]
    """(name, old values, new values) of every field whose values differ."""


_KINDS = {" ": "context", "-": "removed", "+": "added"}


def _lines(store: BlobStore, session: Session, version: DocumentVersion) -> list[str]:
    return "\n".join(version_pages(store, session, version)).splitlines()


def _values(session: Session, version: DocumentVersion) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for found in session.scalars(
        select(DocumentField)
        .where(DocumentField.version_id == version.id, DocumentField.valid.is_(True))
        .order_by(DocumentField.name, DocumentField.page, DocumentField.start)
    ):
        values.setdefault(found.name, []).append(found.value)
    return values


def compare_versions(
    session: Session, store: BlobStore, document: Document, old: int, new: int
) -> Comparison:
    """The unified diff of versions ``old`` and ``new``'s text, and their changed fields.

    ``RecordNotFound`` if the document has no such version. A version not read yet has no
    text: its side of the diff is empty.
    """
    before, after = version_of(document, old), version_of(document, new)
    a, b = _lines(store, session, before), _lines(store, session, after)
    truncated = len(a) > MAX_LINES or len(b) > MAX_LINES
    diff = list(difflib.unified_diff(a[:MAX_LINES], b[:MAX_LINES], lineterm="", n=2))[2:]
    lines = [
        ("hunk", line) if line.startswith("@@") else (_KINDS[line[0]], line[1:]) for line in diff
    ]
    was, now = _values(session, before), _values(session, after)
    fields = [
        (name, was.get(name, []), now.get(name, []))
        for name in sorted(was.keys() | now.keys())
        if was.get(name) != now.get(name)
    ]
    return Comparison(old, new, lines, truncated, fields)
