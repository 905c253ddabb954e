"""Who gave a record its series: nobody yet, an assignment rule, its file, or a caller.

Stored in ``DocumentRetention.assigned_by`` as ``unassigned``, ``rule:<id>``, ``file:<id>``
or the caller's actor name (``user:tanaka``, ``apikey:erp``); ``parse`` and ``str`` convert.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Assigner(enum.StrEnum):
    NOBODY = "unassigned"
    RULE = "rule"
    FILE = "file"
    CALLER = "caller"


@dataclass(frozen=True)
class AssignedBy:
    kind: Assigner
    ref: str = ""
    """The rule's id, the file's id, or the caller's actor name."""

    @classmethod
    def parse(cls, stored: str | None) -> AssignedBy:
        if stored is None or stored == Assigner.NOBODY:
            return UNASSIGNED
        prefix, colon, ref = stored.partition(":")
        if colon and prefix in (Assigner.RULE, Assigner.FILE):
            return cls(Assigner(prefix), ref)
        return cls(Assigner.CALLER, stored)

    @classmethod
    def rule(cls, rule_id: int) -> AssignedBy:
        return cls(Assigner.RULE, str(rule_id))

    @classmethod
    def file(cls, file_id: str) -> AssignedBy:
        return cls(Assigner.FILE, file_id)

    @classmethod
    def caller(cls, actor: str) -> AssignedBy:
        """A person or a system; a bare login is a user's."""
        return cls(Assigner.CALLER, actor if ":" in actor else f"user:{actor}")

    @property
    def by_a_rule(self) -> bool:
        """A rule's choice (or none yet) is made again at each processing; a caller's or a
        file's stays."""
        return self.kind in (Assigner.NOBODY, Assigner.RULE)

    def __str__(self) -> str:
        if self.kind in (Assigner.RULE, Assigner.FILE):
            return f"{self.kind}:{self.ref}"
        return self.ref if self.kind is Assigner.CALLER else str(Assigner.NOBODY)


UNASSIGNED = AssignedBy(Assigner.NOBODY)
