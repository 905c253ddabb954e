"""Errors of the search layer.

    SearchError
    ├── QuerySyntaxError    the query text cannot be parsed (message + position)
    ├── InvalidCursor       a pagination cursor that this index did not issue for this sort
    └── SearchUnavailable   the engine cannot be reached or is not ready

Backends translate their vendor's errors into these; ``web`` maps them to HTTP once
(QuerySyntaxError and InvalidCursor to 400, SearchUnavailable to 503).
"""

from __future__ import annotations


class SearchError(Exception):
    """Base of every error the search layer raises on purpose."""


class QuerySyntaxError(SearchError):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at position {position})")
        self.message = message
        self.position = position

    def __repr__(self) -> str:
        return f"QuerySyntaxError({self.message!r}, position={self.position})"


class InvalidCursor(SearchError):
    pass


class SearchUnavailable(SearchError):
    def __init__(self, backend: str, detail: str) -> None:
        super().__init__(f"{backend} unavailable: {detail}")
        self.backend = backend
        self.detail = detail
