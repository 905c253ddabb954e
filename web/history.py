"""A document's history as one timeline: its versions and its metadata changes."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from archive import Document, changes_of
from web.schemas import HistoryEntry


def history_entries(session: Session, document: Document) -> list[HistoryEntry]:
    """Versions and metadata changes merged, oldest first."""
    entries = [
        HistoryEntry(
            at=v.created_at,
            actor=v.uploaded_by,
            kind="version",
            version=v.number,
            sha256=v.blob_key,
            reason=v.reason,
        )
        for v in document.versions
    ]
    entries += [
        HistoryEntry(
            at=c.at,
            actor=c.actor,
            kind="change",
            field=c.field,
            old_value=json.loads(c.old_value) if c.old_value else None,
            new_value=json.loads(c.new_value) if c.new_value else None,
            reason=c.reason,
        )
        for c in changes_of(session, document.id)
    ]
    return sorted(entries, key=lambda e: e.at)
