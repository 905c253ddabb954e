"""Departments as a tree: bureaus (部局) with sections (課) below them."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.errors import InvalidInput
from archive.models import ApiKey, Department, DepartmentChange, User, utcnow

CSV_COLUMNS = ("code", "name", "parent_code", "name_en")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
"""A code is ASCII letters, digits, ``.``, ``_`` and ``-`` (no spaces), up to 64 characters."""


def find_department(session: Session, code: str) -> Department:
    department = session.scalar(select(Department).where(Department.code == code))
    if department is None:
        raise InvalidInput(f"unknown department code {code!r}", field="department")
    return department


def find_current_department(session: Session, code: str) -> Department:
    """The department ``code`` that has not been retired: people, keys and children join only those."""
    department = find_department(session, code)
    if department.retired_at is not None:
        raise InvalidInput("This department has been retired.", field="department")
    return department


def add_department(
    session: Session,
    *,
    code: str,
    name: str,
    parent_code: str | None = None,
    name_en: str | None = None,
) -> Department:
    """Add a department below ``parent_code`` (or at the root)."""
    if not _CODE.fullmatch(code):
        raise InvalidInput(
            "A code is ASCII letters, digits, '.', '_' or '-', without spaces.", field="code"
        )
    _check_names(name, name_en)
    if session.scalar(select(Department).where(Department.code == code)) is not None:
        raise InvalidInput(f"department {code!r} exists already", field="code")
    parent = find_current_department(session, parent_code) if parent_code else None
    department = Department(
        code=code, name=name, name_en=name_en, parent_id=parent.id if parent else None
    )
    session.add(department)
    session.flush()
    department.path = (parent.path if parent else "/") + f"{department.id}/"
    session.flush()
    return department


def _check_names(name: str, name_en: str | None) -> None:
    for field, value in (("name", name), ("name_en", name_en or "-")):
        if not value.strip() or len(value) > 200:
            raise InvalidInput("This is empty or too long.", field=field)


def import_departments(session: Session, source: TextIO) -> list[Department]:
    """Add the departments of a CSV with columns ``code,name,parent_code[,name_en]``.

    Rows may come in any order; a parent is added before its children. Codes that exist
    already are skipped. An unknown parent or a cycle is an ``InvalidInput`` naming the row.
    """
    reader = csv.DictReader(source)
    missing = {"code", "name"} - set(reader.fieldnames or ())
    if missing:
        raise InvalidInput(
            f"CSV lacks the columns {sorted(missing)}; expected {', '.join(CSV_COLUMNS)}"
        )
    pending = [row for row in reader if (row.get("code") or "").strip()]
    known = set(session.scalars(select(Department.code)))
    added: list[Department] = []
    while pending:
        ready = [
            r
            for r in pending
            if not (r.get("parent_code") or "").strip() or r["parent_code"].strip() in known
        ]
        if not ready:
            raise InvalidInput(
                f"unknown parent or cycle for departments {sorted(r['code'] for r in pending)}"
            )
        for row in ready:
            code = row["code"].strip()
            if code not in known:
                added.append(
                    add_department(
                        session,
                        code=code,
                        name=row["name"].strip(),
                        parent_code=(row.get("parent_code") or "").strip() or None,
                        name_en=(row.get("name_en") or "").strip() or None,
                    )
                )
                known.add(code)
        pending = [r for r in pending if r not in ready]
    return added


def subtree_codes(departments: Iterable[Department], root: Department) -> list[str]:
    """Codes of ``root`` and every department below it."""
    return [d.code for d in departments if d.path.startswith(root.path)]


def _log(
    session: Session,
    department: Department,
    actor: str,
    field: str,
    old: str | None,
    new: str | None,
) -> None:
    session.add(
        DepartmentChange(
            department=department, actor=actor, field=field, old_value=old, new_value=new
        )
    )


def rename_department(
    session: Session, department: Department, *, name: str, name_en: str | None, actor: str
) -> list[str]:
    """Give ``department`` a new name (and English name); return the fields that changed."""
    _check_names(name, name_en)
    changed = []
    for field, new in (("name", name.strip()), ("name_en", (name_en or "").strip() or None)):
        old = getattr(department, field)
        if old != new:
            _log(session, department, actor, field, old, new)
            setattr(department, field, new)
            changed.append(field)
    session.flush()
    return changed


def move_department(
    session: Session, department: Department, parent_code: str | None, *, actor: str
) -> list[int]:
    """Move ``department`` (and everything below it) under ``parent_code``, or to the top.

    Returns the ids of the departments moved, whose documents' access data changed.
    """
    parent = find_current_department(session, parent_code) if parent_code else None
    if parent is not None and parent.path.startswith(department.path):
        raise InvalidInput(
            "A department cannot be moved under itself or one below it.", field="parent"
        )
    if department.parent_id == (parent.id if parent else None):
        return []
    old_parent = session.get(Department, department.parent_id) if department.parent_id else None
    _log(
        session,
        department,
        actor,
        "parent",
        old_parent.code if old_parent else None,
        parent.code if parent else None,
    )
    old_path = department.path
    new_path = (parent.path if parent else "/") + f"{department.id}/"
    subtree = list(session.scalars(select(Department).where(Department.path.startswith(old_path))))
    for row in subtree:
        row.path = new_path + row.path[len(old_path) :]
    department.parent_id = parent.id if parent else None
    session.flush()
    return [row.id for row in subtree]


def retire_department(session: Session, department: Department, *, actor: str) -> None:
    """End a department in a reorganisation; what it holds stays, and it keeps its code.

    Only an empty department retires: departments, people and API keys still in it move
    first, so nobody is left belonging to a department that no longer exists.
    """
    if department.retired_at is not None:
        raise InvalidInput("This department has been retired.", field="department")
    below = session.scalar(
        select(Department.id).where(
            Department.parent_id == department.id, Department.retired_at.is_(None)
        )
    )
    members = session.scalar(
        select(User.id).where(User.department_id == department.id, User.active.is_(True))
    ) or session.scalar(
        select(ApiKey.id).where(ApiKey.department_id == department.id, ApiKey.revoked_at.is_(None))
    )
    if below is not None or members is not None:
        raise InvalidInput(
            "Move the departments, people and API keys in it elsewhere first.",
            field="department",
        )
    department.retired_at = utcnow()
    _log(session, department, actor, "retired", None, "retired")
    session.flush()


def department_history(session: Session, limit: int = 100) -> list[DepartmentChange]:
    """The newest changes of every department, newest first."""
    return list(
        session.scalars(
            select(DepartmentChange)
            .order_by(DepartmentChange.at.desc(), DepartmentChange.id.desc())
            .limit(limit)
        )
    )
