"""API keys for integrating systems: shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.access import SecurityLevel
from archive.departments import find_current_department
from archive.errors import ArchiveError, InvalidInput
from archive.models import ApiKey, utcnow
from archive.policy import API_SCOPES

_PREFIX_BYTES = 6
_SECRET_BYTES = 32
_LAST_USE_STEP = timedelta(minutes=1)
"""Last use is kept to the minute, so a busy key does not write on every request."""


class InvalidApiKey(ArchiveError):
    pass


def _hash(secret: str) -> str:
    # Keys carry 256 random bits, so a fast hash cannot be brute-forced;
    # a slow password hash would only slow every API call.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_key(
    session: Session,
    *,
    name: str,
    source_system: str | None = None,
    department_code: str | None = None,
    scopes: tuple[str, ...] = ("upload", "read", "search"),
    clearance: SecurityLevel = SecurityLevel.INTERNAL,
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """Create a key named ``name``; return the row and the key, which is never stored."""
    if expires_at is not None and expires_at <= utcnow():
        raise InvalidInput("The expiry must lie in the future.", field="expires")
    if session.scalar(select(ApiKey).where(ApiKey.name == name)) is not None:
        raise InvalidInput(f"an API key named {name!r} exists already", field="name")
    if not scopes or set(scopes) - set(API_SCOPES):
        raise InvalidInput(f"scopes must be among {', '.join(API_SCOPES)}", field="scopes")
    prefix = secrets.token_hex(_PREFIX_BYTES)
    secret = secrets.token_urlsafe(_SECRET_BYTES)
    row = ApiKey(
        name=name,
        prefix=prefix,
        secret_hash=_hash(secret),
        source_system=source_system,
        department=find_current_department(session, department_code) if department_code else None,
        scopes=" ".join(s for s in API_SCOPES if s in scopes),
        clearance=int(clearance),
        expires_at=expires_at,
    )
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
    now = utcnow()
    if row is None or not valid or row.revoked_at is not None:
        raise InvalidApiKey("invalid API key")
    if row.expires_at is not None and row.expires_at <= now:
        raise InvalidApiKey("expired API key")
    if row.last_used_at is None or now - row.last_used_at >= _LAST_USE_STEP:
        row.last_used_at = now
    return row


def revoke_api_key(session: Session, name: str) -> ApiKey:
    row = session.scalar(select(ApiKey).where(ApiKey.name == name))
    if row is None:
        raise InvalidInput(f"no API key named {name!r}", field="name")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row
