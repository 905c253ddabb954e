"""Opaque keyset cursors: the sort values of a page's last hit, bound to the sort they came from."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from search.base import Sort
from search.errors import InvalidCursor

MAX_CURSOR_CHARS = 2000


def encode_cursor(sort: Sort, values: list[Any]) -> str:
    payload = json.dumps(
        {"s": [sort.key.value, sort.descending], "v": values}, separators=(",", ":")
    )
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: Sort) -> list[Any]:
    """The sort values in ``cursor``; raises ``InvalidCursor`` unless it was issued for ``sort``."""
    if len(cursor) > MAX_CURSOR_CHARS:
        raise InvalidCursor("cursor is too long")
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        key, descending = payload["s"]
        values = payload["v"]
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise InvalidCursor("malformed cursor") from None
    if [key, descending] != [sort.key.value, sort.descending] or not isinstance(values, list):
        raise InvalidCursor("cursor belongs to another sort order")
    if not all(isinstance(v, (str, int, float)) or v is None for v in values):
        raise InvalidCursor("malformed cursor")
    return values
