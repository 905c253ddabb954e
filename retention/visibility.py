"""What an officer may see of retention's lists: the read rule of ``archive.policy``, in SQL.

Disposition items, residual records and hold items name documents. An item whose document
still exists is seen exactly when the document may be read; once the document is gone,
its kept level decides (``archive.policy.readable_level``). Everything else is a count.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from archive import AccessScope, Document, NotCleared, readable, readable_level, readable_reference
from retention.models import DispositionBatch, DispositionItem, DispositionRecord


def readable_ids(scope: AccessScope) -> Select[str]:
    """The ids of the documents ``scope`` may read, as a subquery."""
    return select(Document.id).where(readable(scope))


def readable_subset(session: Session, document_ids: Iterable[str], scope: AccessScope) -> set[str]:
    """Those of ``document_ids`` that ``scope`` may read."""
    ids = list(dict.fromkeys(document_ids))
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        found.update(
            session.scalars(
                select(Document.id).where(
                    Document.id.in_(ids[start : start + 500]), readable(scope)
                )
            )
        )
    return found


def item_readable(scope: AccessScope) -> ColumnElement[bool]:
    """The disposition items ``scope`` may see, as a WHERE clause on ``DispositionItem``."""
    return readable_reference(DispositionItem.document_id, DispositionItem.security_level, scope)


def tombstone_readable(scope: AccessScope) -> ColumnElement[bool]:
    """The residual records ``scope`` may see, as a WHERE clause on ``DispositionRecord``."""
    return readable_level(DispositionRecord.security_level, scope)


def batch_items(
    session: Session, batch: DispositionBatch, scope: AccessScope
) -> list[DispositionItem]:
    """The items of ``batch`` that ``scope`` may see, in batch order."""
    return list(
        session.scalars(
            select(DispositionItem)
            .where(DispositionItem.batch_id == batch.id, item_readable(scope))
            .order_by(DispositionItem.id)
        )
    )


def withheld_items(session: Session, batch: DispositionBatch, scope: AccessScope) -> int:
    """How many items of ``batch`` ``scope`` may not see."""
    return (
        session.scalar(
            select(func.count())
            .select_from(DispositionItem)
            .where(DispositionItem.batch_id == batch.id, ~item_readable(scope))
        )
        or 0
    )


def require_whole_batch(session: Session, batch: DispositionBatch, scope: AccessScope) -> None:
    """Refuse (``NotCleared``) to act on or export a batch that holds items ``scope`` may not see."""
    hidden = withheld_items(session, batch, scope)
    if hidden:
        raise NotCleared(
            f"{hidden} item(s) of this batch are above your clearance: "
            "an officer cleared for them must review, approve, execute or export it"
        )
