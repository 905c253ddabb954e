"""Which columns name a blob and which tables a backup counts, as each model module marks them.

The archive keeps the blobs, but rows of the packages above it name blobs too (a disclosure
request's release package, a responsive record's copy). Each model module marks its own
columns (``info=BLOB_REF``) and tables (``info=counted_as(name)``); the archive-wide checks
(orphans, upload claims, backups) read the marks from ``Base.metadata``. A mark counts once
its module is imported: ``web.services`` (every process) and Alembic's env import them all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Table

from archive.db import Base

BLOB_REF: dict[Any, Any] = {"blob_ref": True}
"""``info`` of a column whose value is a blob key."""
_COUNTED = "backup_count"


def counted_as(name: str) -> dict[Any, Any]:
    """``info`` of a table whose row count a backup records under ``name``."""
    return {_COUNTED: name}


def blob_columns() -> list[Column[Any]]:
    """Every column marked as naming a blob: a blob none of them names is an orphan."""
    return [
        column
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if column.info.get("blob_ref")
    ]


def counted_tables() -> dict[str, Table]:
    """The tables whose row counts a backup records, by the name it records them under."""
    return {
        table.info[_COUNTED]: table
        for table in Base.metadata.sorted_tables
        if _COUNTED in table.info
    }
