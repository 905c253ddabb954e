"""API keys for integrating systems: shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.errors import ArchiveError
from archive.models import ApiKey

_PREFIX_BYTES = 6
_SECRET_BYTES = 32


class InvalidApiKey(ArchiveError):
    pass


def _hash(secret: str) -> str:
    # Keys carry 256 random bits, so a fast hash cannot be brute-forced;
    # a slow password hash would only slow every API call.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_key(session: Session, *, name: str) -> tuple[ApiKey, str]:
    """Create a key named ``name``; return the row and the key, which is never stored."""
    if session.scalar(select(ApiKey).where(ApiKey.name == name)) is not None:
        raise ArchiveError(f"an API key named {name!r} exists already")
    prefix = secrets.token_hex(_PREFIX_BYTES)
    secret = secrets.token_urlsafe(_SECRET_BYTES)
    row = ApiKey(name=name, prefix=prefix, secret_hash=_hash(secret))
    session.add(row)
    session.flush()
    return row, f"bk_{prefix}_{secret}"


def authenticate_api_key(session: Session, presented: str) -> ApiKey:
    """Return the live key row for ``presented`` or raise ``InvalidApiKey``."""
    _, _, rest = presented.partition("bk_")
    prefix, _, secret = rest.partition("_")
    row = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix)) if prefix else None
    expected = row.secret_hash if row is not None else _hash("")
    # Compare even when no row matched, so timing does not tell which prefixes exist.
    valid = hmac.compare_digest(expected, _hash(secret))
    if row is None or not valid or row.revoked_at is not None:
        raise InvalidApiKey("invalid API key")
    return row
