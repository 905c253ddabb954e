"""The backends an operation works with, travelling as one value."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from archive import BlobStore
from search import SearchIndex


@dataclass(frozen=True)
class Backends:
    """The caller's unit of work (a session it commits), the blob store and the search index.

    Retention and disclosure operations take this instead of three arguments; ``index`` is
    ``None`` where no index is at hand (then holding or attaching by query is refused).
    """

    session: Session
    store: BlobStore
    index: SearchIndex | None = None
