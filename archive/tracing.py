"""The id of the request being served, so that its audit entries and logs can name it.

The web layer sets it per HTTP request (``X-Request-ID``); workers and commands leave it unset.
"""

from __future__ import annotations

from contextvars import ContextVar

REQUEST_ID: ContextVar[str | None] = ContextVar("bunko_request_id", default=None)


def current_request_id() -> str | None:
    return REQUEST_ID.get()
