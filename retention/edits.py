"""Metadata changes seen from the records side: a date brought earlier is an officer's decision."""

from __future__ import annotations

from sqlalchemy.orm import Session

from archive import (
    BlobStore,
    Document,
    Forbidden,
    Permission,
    Principal,
    record_changes,
    update_metadata,
)
from retention.engine import recompute, retention_row
from retention.worm import protect_document


def edit_metadata(
    session: Session,
    store: BlobStore,
    document: Document,
    changes: dict[str, object],
    principal: Principal,
    *,
    reason: str | None = None,
) -> dict[str, tuple[object, object]]:
    """Apply a metadata change and follow it with the record's dates; return the diff.

    A change that brings the disposition date earlier (back-dating ``document_date``, or
    giving a date to a record that had none) needs a records officer; the moved date is
    kept in the history beside the change that moved it.
    """
    row = retention_row(session, document.id)
    before = row.disposition_date if row is not None else None
    diff = update_metadata(session, document, changes, principal, reason=reason)
    if row is None or not diff:
        return diff
    computed = recompute(session, document.id)
    after = row.disposition_date
    if after == before:
        return diff
    if (
        after is not None
        and (before is None or after < before)
        and not principal.may(Permission.RECORDS)
    ):
        raise Forbidden(
            f"this change brings the disposition date earlier ({before or 'none'} → {after}): "
            "that is a records officer's decision"
        )
    moved: dict[str, tuple[object, object]] = {"disposition_date": (before, after)}
    record_changes(session, document.id, moved, actor=principal.actor.name, reason=reason)
    protect_document(session, store, document.id, permanent=computed.permanent)
    return diff | moved
