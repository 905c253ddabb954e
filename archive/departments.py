"""Departments as a tree: bureaus (部局) with sections (課) below them."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.errors import InvalidInput
from archive.models import Department

CSV_COLUMNS = ("code", "name", "parent_code", "name_en")


def find_department(session: Session, code: str) -> Department:
    department = session.scalar(select(Department).where(Department.code == code))
    if department is None:
        raise InvalidInput(f"unknown department code {code!r}", field="department")
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
    if session.scalar(select(Department).where(Department.code == code)) is not None:
        raise InvalidInput(f"department {code!r} exists already", field="code")
    parent = find_department(session, parent_code) if parent_code else None
    department = Department(
        code=code, name=name, name_en=name_en, parent_id=parent.id if parent else None
    )
    session.add(department)
    session.flush()
    department.path = (parent.path if parent else "/") + f"{department.id}/"
    session.flush()
    return department


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
