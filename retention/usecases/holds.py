"""Legal holds as operations: place one, hold more documents, release."""

from __future__ import annotations

from collections.abc import Sequence

from archive import AccessScope, Actor, record
from retention import holds
from retention.backends import Backends
from retention.models import Hold

PLACE = "retention.hold.place"
ADD = "retention.hold.add"
RELEASE = "retention.hold.release"


def place_hold(
    backends: Backends,
    *,
    actor: Actor,
    scope: AccessScope,
    name: str,
    reason: str,
    document_ids: Sequence[str] = (),
    file_ids: Sequence[str] = (),
    query: str | None = None,
) -> tuple[Hold, list[str]]:
    """Hold documents, files and/or what a saved query finds; return the hold and the documents held.

    The audit entry carries the hold's name, reason and query and the documents held.
    """
    session = backends.session
    hold, added = holds.place_hold(
        backends,
        name=name,
        reason=reason,
        actor=actor.name,
        scope=scope,
        document_ids=document_ids,
        file_ids=file_ids,
        query=query,
    )
    record(
        session,
        actor=actor,
        action=PLACE,
        target=str(hold.id),
        detail={"name": hold.name, "reason": hold.reason, "query": hold.query, "documents": added},
    )
    return hold, added


def add_to_hold(
    backends: Backends,
    hold_id: int,
    *,
    actor: Actor,
    scope: AccessScope,
    document_ids: Sequence[str] = (),
    query: str | None = None,
) -> tuple[Hold, list[str]]:
    """Hold more documents, singly or by query; return the hold and the documents added."""
    session = backends.session
    hold = holds.get_hold(session, hold_id)
    added = holds.add_to_hold(
        backends,
        hold,
        actor=actor.name,
        scope=scope,
        document_ids=document_ids,
        query=query,
    )
    record(session, actor=actor, action=ADD, target=str(hold_id), detail={"documents": added})
    return hold, added


def release_hold(
    backends: Backends,
    hold_id: int,
    *,
    actor: Actor,
    scope: AccessScope,
    reason: str,
    document_ids: Sequence[str] = (),
    query: str | None = None,
    everything: bool = False,
) -> tuple[Hold, list[str]]:
    """Release documents (singly, by query) or the whole hold, with a reason."""
    session = backends.session
    hold = holds.get_hold(session, hold_id)
    released = holds.release(
        backends,
        hold,
        actor=actor.name,
        reason=reason,
        scope=scope,
        document_ids=document_ids,
        query=query,
        everything=everything,
    )
    record(
        session,
        actor=actor,
        action=RELEASE,
        target=str(hold_id),
        detail={"documents": released, "reason": reason, "all": everything},
    )
    return hold, released
