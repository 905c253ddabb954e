"""Who may read what: the one access rule, used by every reader (list, get, download, search).

A caller may read a document when any of these holds:

1. the document is ``public``;
2. the caller is granted the document by name (``grant_users``);
3. the document is granted to the caller's department or one of its ancestors (``grant_departments``);
4. the document's level is at most the caller's clearance, and either the caller reads
   city-wide (records and disclosure officers, administrators) or the caller's own
   department owns the document or is an ancestor of its owner (the department subtree).

Every backend applies this rule inside its query, never by filtering results afterwards.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class SecurityLevel(enum.IntEnum):
    PUBLIC = 0
    INTERNAL = 1
    CONFIDENTIAL = 2
    SECRET = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> SecurityLevel:
        try:
            return cls[value.upper()]
        except KeyError:
            raise ValueError(f"security level must be one of {[m.label for m in cls]}") from None


@dataclass(frozen=True)
class AccessScope:
    """What one caller may read, in the terms of the rule above."""

    user_id: int | None = None
    department_id: int | None = None
    department_lineage: tuple[int, ...] = ()
    """The caller's own department and all its ancestors."""
    clearance: SecurityLevel = SecurityLevel.PUBLIC
    city_wide: bool = False
