"""Errors of disclosure: the archive's, so ``web`` maps them to HTTP in its one handler.

ArchiveError
├── Conflict        InvalidTransition (409): a step out of order, an extension past the maximum
└── InvalidInput    BadRedaction (422): a box outside the page, an unknown page
"""

from __future__ import annotations

from archive import Conflict, InvalidInput


class InvalidTransition(Conflict):
    pass


class BadRedaction(InvalidInput):
    pass
