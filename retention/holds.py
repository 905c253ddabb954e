"""Holds (legal, audit, disclosure): named, with a reason and a scope; they freeze disposition.

A document is frozen while any unreleased item of any unreleased hold names it, so a
document under two holds stays frozen until both are released. A hold's scope is a list
of documents (or files, expanded to their documents) and/or a saved search query; the
query is resolved when the hold is placed and again by the daily run, so documents
that match later are held too (one released by hand is not added back).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import (
    AccessScope,
    BlobStore,
    Conflict,
    Document,
    EventType,
    InvalidInput,
    NotCleared,
    NotReadable,
    RecordNotFound,
    SecurityLevel,
    emit,
    readable,
    utcnow,
)
from retention.backends import Backends
from retention.models import DocumentRetention, Hold, HoldItem, RecordFile
from retention.visibility import readable_subset
from retention.worm import sync_legal_holds
from search import SearchIndex, SearchRequest

MAX_BULK = 10_000
"""The most documents one query may hold or release at once."""
SYSTEM_SCOPE = AccessScope(city_wide=True, clearance=SecurityLevel.SECRET)


def held_documents(session: Session, document_ids: Iterable[str]) -> dict[str, list[str]]:
    """``{document id: [names of the holds on it]}`` for those of ``document_ids`` that are held."""
    ids = list(set(document_ids))
    found: dict[str, list[str]] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(HoldItem.document_id, Hold.name)
            .join(Hold, Hold.id == HoldItem.hold_id)
            .where(
                HoldItem.document_id.in_(ids[start : start + 500]),
                HoldItem.released_at.is_(None),
                Hold.released_at.is_(None),
            )
            .order_by(Hold.name)
        )
        for document_id, name in rows:
            found.setdefault(document_id, []).append(name)
    return found


def holds_on(session: Session, document_id: str) -> list[str]:
    return held_documents(session, [document_id]).get(document_id, [])


def get_hold(session: Session, hold_id: int) -> Hold:
    hold = session.get(Hold, hold_id)
    if hold is None:
        raise RecordNotFound(f"no hold {hold_id}")
    return hold


def list_holds(session: Session, *, active_only: bool = False) -> list[Hold]:
    query = select(Hold).order_by(Hold.created_at.desc(), Hold.id.desc())
    if active_only:
        query = query.where(Hold.released_at.is_(None))
    return list(session.scalars(query))


def hold_items(session: Session, hold_id: int) -> list[HoldItem]:
    return list(
        session.scalars(select(HoldItem).where(HoldItem.hold_id == hold_id).order_by(HoldItem.id))
    )


def _known_documents(
    session: Session, document_ids: Sequence[str], scope: AccessScope
) -> list[str]:
    wanted = list(dict.fromkeys(document_ids))
    found = (
        set(session.scalars(select(Document.id).where(Document.id.in_(wanted), readable(scope))))
        if wanted
        else set()
    )
    unknown = [d for d in wanted if d not in found]
    if unknown:
        exists = session.scalar(select(Document.id).where(Document.id.in_(unknown)).limit(1))
        error = NotReadable if exists is not None else RecordNotFound
        raise error(f"no such documents: {', '.join(unknown[:10])}")
    return wanted


def _require_all_readable(document_ids: Sequence[str], readable_ids: set[str], what: str) -> None:
    """Refuse (``NotCleared``) to act on a whole that holds documents the caller may not read."""
    hidden = len(set(document_ids) - readable_ids)
    if hidden:
        raise NotCleared(
            f"{hidden} document(s) of {what} are above your clearance: "
            "an officer cleared for them must do this"
        )


def _file_documents(session: Session, file_ids: Sequence[str], scope: AccessScope) -> list[str]:
    ids: list[str] = []
    for file_id in file_ids:
        if session.get(RecordFile, file_id) is None:
            raise RecordNotFound(f"no file {file_id}")
        ids += list(
            session.scalars(
                select(DocumentRetention.document_id).where(DocumentRetention.file_id == file_id)
            )
        )
    _require_all_readable(ids, readable_subset(session, ids, scope), "these files")
    return ids


def resolve_query(index: SearchIndex | None, query: str, scope: AccessScope) -> list[str]:
    """Every document id the query finds for ``scope`` (all pages), at most ``MAX_BULK``."""
    if index is None:
        raise InvalidInput("holding or releasing by query needs the search index", field="query")
    if not query.strip():
        raise InvalidInput("the query is empty", field="query")
    ids: list[str] = []
    cursor: str | None = None
    while True:
        result = index.search(SearchRequest(scope=scope, query=query, size=100, cursor=cursor))
        ids += [str(hit.id) for hit in result.hits]
        if len(ids) > MAX_BULK:
            raise InvalidInput(
                f"the query finds more than {MAX_BULK} documents: narrow it", field="query"
            )
        if result.next_cursor is None or not result.hits:
            return ids
        cursor = result.next_cursor


def _add_items(
    session: Session, hold: Hold, document_ids: Iterable[str], actor: str, *, readd: bool
) -> list[str]:
    existing = {item.document_id: item for item in hold_items(session, hold.id)}
    added: list[str] = []
    for document_id in dict.fromkeys(document_ids):
        item = existing.get(document_id)
        if item is None:
            session.add(HoldItem(hold_id=hold.id, document_id=document_id, added_by=actor))
            added.append(document_id)
        elif item.released_at is not None and readd:
            item.released_at, item.released_by = None, None
            added.append(document_id)
    session.flush()
    return added


def place_hold(
    backends: Backends,
    *,
    name: str,
    reason: str,
    actor: str,
    scope: AccessScope,
    document_ids: Sequence[str] = (),
    file_ids: Sequence[str] = (),
    query: str | None = None,
) -> tuple[Hold, list[str]]:
    """Create a hold over documents, files and/or a saved query; return it and the documents held."""
    session, store, index = backends.session, backends.store, backends.index
    if not name.strip() or not reason.strip():
        raise InvalidInput(
            "a hold needs a name and a reason", field="name" if not name.strip() else "reason"
        )
    if not (document_ids or file_ids or (query and query.strip())):
        raise InvalidInput("a hold needs documents, files or a query", field="document_ids")
    if session.scalar(select(Hold.id).where(Hold.name == name.strip())) is not None:
        raise Conflict(f"a hold named {name.strip()!r} exists already")
    ids = _known_documents(session, document_ids, scope) + _file_documents(session, file_ids, scope)
    if query and query.strip():
        ids += resolve_query(index, query, scope)
    hold = Hold(
        name=name.strip(),
        reason=reason.strip(),
        query=query.strip() if query else None,
        created_by=actor,
    )
    session.add(hold)
    session.flush()
    added = _add_items(session, hold, ids, actor, readd=True)
    sync_legal_holds(session, store, added)
    emit(session, EventType.HOLD_PLACED, hold_id=hold.id, documents=len(added))
    return hold, added


def add_to_hold(
    backends: Backends,
    hold: Hold,
    *,
    actor: str,
    scope: AccessScope,
    document_ids: Sequence[str] = (),
    query: str | None = None,
) -> list[str]:
    session, store, index = backends.session, backends.store, backends.index
    if hold.released_at is not None:
        raise Conflict("the hold was released")
    ids = _known_documents(session, document_ids, scope)
    if query:
        ids += resolve_query(index, query, scope)
    if not ids:
        raise InvalidInput(
            "nothing to add: give document_ids or a query that finds documents",
            field="document_ids",
        )
    added = _add_items(session, hold, ids, actor, readd=True)
    sync_legal_holds(session, store, added)
    return added


def release(
    backends: Backends,
    hold: Hold,
    *,
    actor: str,
    reason: str,
    scope: AccessScope,
    document_ids: Sequence[str] = (),
    query: str | None = None,
    everything: bool = False,
    now: datetime | None = None,
) -> list[str]:
    """Release some documents from a hold, or (``everything``) the whole hold; return those released."""
    session, store, index = backends.session, backends.store, backends.index
    if not reason.strip():
        raise InvalidInput("a release needs a reason", field="reason")
    if hold.released_at is not None:
        raise Conflict("the hold was released already")
    now = now or utcnow()
    items = {
        item.document_id: item for item in hold_items(session, hold.id) if item.released_at is None
    }
    if everything:
        targets = list(items)
        _require_all_readable(targets, readable_subset(session, targets, scope), "this hold")
        hold.released_at, hold.released_by, hold.release_reason = now, actor, reason.strip()
    else:
        targets = list(document_ids)
        if query:
            targets += resolve_query(index, query, scope)
        if not targets:
            raise InvalidInput(
                "nothing to release: give document_ids, a query, or all", field="document_ids"
            )
        _known_documents(session, document_ids, scope)
        unknown = [d for d in document_ids if d not in items]
        if unknown:
            raise RecordNotFound(f"not held by this hold: {', '.join(unknown[:10])}")
    released = []
    for document_id in dict.fromkeys(targets):
        item = items.get(document_id)
        if item is not None:
            item.released_at, item.released_by = now, actor
            released.append(document_id)
    session.flush()
    sync_legal_holds(session, store, released)
    emit(
        session,
        EventType.HOLD_RELEASED,
        hold_id=hold.id,
        documents=len(released),
        whole_hold=everything,
    )
    return released


def refresh_query_holds(
    session: Session, store: BlobStore, index: SearchIndex, *, actor: str
) -> int:
    """Hold documents that now match an active hold's saved query; return how many were added."""
    total = 0
    for hold in list_holds(session, active_only=True):
        if hold.query:
            added = _add_items(
                session, hold, resolve_query(index, hold.query, SYSTEM_SCOPE), actor, readd=False
            )
            sync_legal_holds(session, store, added)
            total += len(added)
    return total
