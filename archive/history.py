"""A document's change history: every metadata change with who, when, old, new and why."""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import DocumentChange


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def record_changes(
    session: Session,
    document_id: str,
    diff: Mapping[str, tuple[object, object]],
    *,
    actor: str,
    reason: str | None,
) -> None:
    """Keep ``{field: (old, new)}`` in the history, in the caller's transaction."""
    for name, (old, new) in diff.items():
        session.add(
            DocumentChange(
                document_id=document_id,
                actor=actor,
                field=name,
                old_value=_json(old),
                new_value=_json(new),
                reason=reason,
            )
        )
    session.flush()


def changes_of(session: Session, document_id: str) -> list[DocumentChange]:
    """The document's metadata changes, oldest first."""
    return list(
        session.scalars(
            select(DocumentChange)
            .where(DocumentChange.document_id == document_id)
            .order_by(DocumentChange.at, DocumentChange.id)
        )
    )
