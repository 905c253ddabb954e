"""What administrators do to people, departments and API keys: one function per use.

The administration pages (``web/pages/admin/``) and the ``bunko`` CLI
(``web/cli/people.py``) both call these inside their unit of work; each writes its one
audit entry in that transaction. After a department moved, the caller commits and then
re-indexes its documents (``reindex_moved``), whose access data changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import (
    Actor,
    Document,
    InvalidInput,
    SecurityLevel,
    User,
    add_department,
    add_user,
    create_api_key,
    disable_user,
    enable_user,
    find_department,
    find_user,
    move_department,
    record,
    rename_department,
    retire_department,
    revoke_api_key,
    set_password,
    unlock_user,
    update_user,
)
from web.services import Services


class ConfirmationNeeded(InvalidInput):
    """Disabling oneself or giving up one's own administrator role needs a confirmation."""

    def __init__(self) -> None:
        super().__init__("This changes your own account: please confirm.", field="confirm")


def _check_oneself(actor: Actor, user: User, confirmed: bool) -> None:
    if actor.name == f"user:{user.login}" and not confirmed:
        raise ConfirmationNeeded


# --- people ---------------------------------------------------------------------------


def add_person(
    session: Session,
    actor: Actor,
    *,
    login: str,
    display_name: str,
    department: str | None,
    roles: list[str],
    clearance: SecurityLevel,
    password: str | None,
    oidc_subject: str | None = None,
) -> None:
    add_user(
        session,
        login=login,
        display_name=display_name,
        department_code=department,
        roles=roles or ["staff"],
        clearance=clearance,
        password=password,
        oidc_subject=oidc_subject,
    )
    record(
        session,
        actor=actor,
        action="user.add",
        target=login,
        detail={"roles": roles or ["staff"], "clearance": clearance.label},
    )


def change_person(
    session: Session,
    actor: Actor,
    login: str,
    *,
    roles: list[str],
    department: str | None,
    clearance: SecurityLevel,
    confirmed: bool = False,
) -> dict[str, list[object]]:
    """Roles, department and clearance; giving up one's own admin role needs ``confirmed``."""
    user = find_user(session, login)
    if "admin" in user.role_set and "admin" not in roles:
        _check_oneself(actor, user, confirmed)
    diff = update_user(session, user, roles=roles, department_code=department, clearance=clearance)
    if diff:
        record(session, actor=actor, action="user.update", target=login, detail=diff)
    return diff


def reset_password(session: Session, actor: Actor, login: str, password: str) -> None:
    """A new password (which also lifts a lock-out)."""
    set_password(find_user(session, login), password)
    record(session, actor=actor, action="user.passwd", target=login)


def unlock_person(session: Session, actor: Actor, login: str) -> None:
    unlock_user(find_user(session, login))
    record(session, actor=actor, action="user.unlock", target=login)


def enable_person(session: Session, actor: Actor, login: str) -> None:
    enable_user(find_user(session, login))
    record(session, actor=actor, action="user.enable", target=login)


def disable_person(session: Session, actor: Actor, login: str, *, confirmed: bool = False) -> None:
    """Disable and sign out; never the last active administrator, oneself only confirmed."""
    user = find_user(session, login)
    _check_oneself(actor, user, confirmed)
    disable_user(session, user)
    record(session, actor=actor, action="user.disable", target=login)


# --- departments ----------------------------------------------------------------------


def add_unit(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str,
    parent: str | None,
    name_en: str | None,
) -> None:
    add_department(session, code=code, name=name, parent_code=parent, name_en=name_en)
    record(session, actor=actor, action="department.add", target=code)


def rename_unit(
    session: Session, actor: Actor, code: str, *, name: str, name_en: str | None
) -> list[str]:
    changed = rename_department(
        session, find_department(session, code), name=name, name_en=name_en, actor=actor.name
    )
    if changed:
        record(
            session,
            actor=actor,
            action="department.rename",
            target=code,
            detail={"name": name, "name_en": name_en},
        )
    return changed


def move_unit(session: Session, actor: Actor, code: str, *, parent: str | None) -> list[str]:
    """Move a department under ``parent`` (or to the top); the ids of the documents to re-index."""
    moved = move_department(session, find_department(session, code), parent, actor=actor.name)
    if not moved:
        return []
    record(session, actor=actor, action="department.move", target=code, detail={"parent": parent})
    return list(session.scalars(select(Document.id).where(Document.department_id.in_(moved))))


def retire_unit(session: Session, actor: Actor, code: str) -> None:
    retire_department(session, find_department(session, code), actor=actor.name)
    record(session, actor=actor, action="department.retire", target=code)


def reindex_moved(services: Services, document_ids: list[str]) -> None:
    """After the move is committed: the index filters by the owning department's lineage."""
    for document_id in document_ids:
        services.reindex(document_id)


# --- API keys -------------------------------------------------------------------------


def create_key(
    session: Session,
    actor: Actor,
    *,
    name: str,
    source_system: str | None,
    department: str | None,
    scopes: tuple[str, ...],
    clearance: SecurityLevel,
    expires_at: datetime | None,
) -> str:
    """Create a key; return it (shown once, never stored)."""
    _row, key = create_api_key(
        session,
        name=name,
        source_system=source_system,
        department_code=department,
        scopes=scopes,
        clearance=clearance,
        expires_at=expires_at,
    )
    detail: dict[str, Any] = {"scopes": list(scopes)}
    if expires_at is not None:
        detail["expires_at"] = expires_at.isoformat()
    record(session, actor=actor, action="apikey.create", target=name, detail=detail)
    return key


def revoke_key(session: Session, actor: Actor, name: str) -> None:
    revoke_api_key(session, name)
    record(session, actor=actor, action="apikey.revoke", target=name)
