"""A document's metadata changed by hand, a document read again, a correction linked.

What a change asks for after the commit (queue the document, refresh its index entry) is
in the answer: the caller does it once the change is committed, so a worker sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from archive import (
    Actor,
    BlobStore,
    Document,
    InvalidInput,
    Principal,
    find_corrected,
    link_correction,
    record,
    reset_for_reprocessing,
)
from ingest.classify import class_of
from ingest.fields.templates import value_type_of
from ingest.vendor_templates import learn_from_corrections
from retention import edit_metadata

UPDATE = "document.update"
REPROCESS = "document.reprocess"
CORRECTION = "document.correction"


@dataclass(frozen=True)
class Updated:
    """What a change did: ``{name: (old, new)}`` of what changed."""

    document: Document
    diff: Mapping[str, tuple[object, object]]

    @property
    def reprocess(self) -> bool:
        """A corrected type: the fields are read again for it (queue the document)."""
        return "doc_type" in self.diff

    @property
    def reindex(self) -> bool:
        """Anything else changed: the search entry follows now."""
        return bool(self.diff.keys() - {"doc_type"})


def update(
    session: Session,
    store: BlobStore,
    document: Document,
    changes: Mapping[str, object],
    principal: Principal,
    *,
    reason: str | None = None,
) -> Updated:
    """Change a writable document's metadata (``retention.edit_metadata``: the dates follow).

    A ``subtype`` sets the class it rolls up to (``InvalidInput`` when another is given with
    it); a corrected type resets the document for reading again; a corrected field of an
    invoice from a known issuer teaches that vendor's template (``learned`` in the audit entry),
    with the place an officer showed in ``boxes``; a field that was not read is added.
    """
    given = _with_class(dict(changes))
    fields = given.get("fields")
    if isinstance(fields, Mapping) and fields:
        given["field_types"] = {name: value_type_of(name) for name in fields}
    diff = edit_metadata(session, store, document, given, principal, reason=reason)
    if "doc_type" in diff:
        reset_for_reprocessing(session, document)
    learned = learn_from_corrections(
        session,
        store,
        document,
        fields if isinstance(fields, Mapping) else {},
        actor=principal.actor.name,
    )
    detail = {"changes": diff, "reason": reason, **({"learned": learned} if learned else {})}
    record(session, actor=principal.actor, action=UPDATE, target=document.id, detail=detail)
    return Updated(document, diff)


def _with_class(changes: dict[str, object]) -> dict[str, object]:
    subtype = changes.get("subtype")
    if subtype is None:
        return changes
    doc_class = class_of(str(subtype))
    if changes.setdefault("doc_type", doc_class) != doc_class:
        raise InvalidInput(f"subtype {subtype} is a kind of {doc_class}", field="subtype")
    return changes


def reprocess(session: Session, document: Document, *, actor: Actor) -> None:
    """Read the document again from its unchanged original (queue it after the commit)."""
    reset_for_reprocessing(session, document)
    record(session, actor=actor, action=REPROCESS, target=document.id)


@dataclass(frozen=True)
class Corrected:
    """The document a correction names: by id, or by its integration key (an invoice number)."""

    document_id: str | None = None
    source_system: str | None = None
    external_id: str | None = None


def link(
    session: Session,
    document: Document,
    corrected: Corrected,
    principal: Principal,
    *,
    version: int | None = None,
    reason: str | None = None,
) -> None:
    """Mark a writable ``document`` (or its ``version``) as correcting another it may read (a
    修正請求書 its invoice, a 変更契約 its contract); both histories record it."""
    other = find_corrected(
        session,
        principal.scope,
        document_id=corrected.document_id,
        source_system=corrected.source_system,
        external_id=corrected.external_id,
    )
    link_correction(session, document, other, principal, version=version, reason=reason)
    detail = {"corrects": other.id, "version": version, "reason": reason}
    record(session, actor=principal.actor, action=CORRECTION, target=document.id, detail=detail)
