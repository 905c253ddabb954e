"""People: accounts, passwords (argon2), lock-out, and browser sessions."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.access import SecurityLevel
from archive.departments import find_current_department
from archive.errors import ArchiveError, InvalidInput
from archive.models import User, UserSession, utcnow
from archive.policy import ROLES

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the login is unknown, so a miss costs as much as a wrong
    password. Made on the first miss, not on import: a hash costs what a sign-in does,
    and every ``bunko`` process imports this module."""
    return _hasher.hash(secrets.token_hex(16))


class LoginFailed(ArchiveError):
    """Wrong login or password, a disabled account, or a locked one; ``reason`` is for the audit log only."""

    def __init__(self, reason: str) -> None:
        super().__init__("login failed")
        self.reason = reason


def _check_roles(roles: list[str]) -> str:
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise InvalidInput(f"roles must be among {', '.join(ROLES)}", field="roles")
    return " ".join(r for r in ROLES if r in roles)


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    return _hasher.hash(password)


def add_user(
    session: Session,
    *,
    login: str,
    display_name: str,
    department_code: str | None = None,
    roles: list[str] | None = None,
    clearance: SecurityLevel = SecurityLevel.INTERNAL,
    password: str | None = None,
    oidc_subject: str | None = None,
) -> User:
    for field, value, limit in (("login", login, 100), ("display_name", display_name, 200)):
        if not value.strip() or len(value) > limit:
            raise InvalidInput("This is empty or too long.", field=field)
    if session.scalar(select(User).where(User.login == login)) is not None:
        raise InvalidInput(f"user {login!r} exists already", field="login")
    user = User(
        login=login,
        display_name=display_name,
        department=find_current_department(session, department_code) if department_code else None,
        roles=_check_roles(roles or ["staff"]),
        clearance=int(clearance),
        password_hash=_check_password(password) if password is not None else None,
        oidc_subject=oidc_subject,
        active=True,
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, login: str) -> User:
    user = session.scalar(select(User).where(User.login == login))
    if user is None:
        raise InvalidInput(f"no user {login!r}", field="login")
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = _check_password(password)
    user.failed_logins = 0
    user.locked_until = None


def authenticate(
    session: Session, login: str, password: str, *, now: datetime | None = None
) -> User:
    """Return the active user whose password this is, or raise ``LoginFailed``.

    Five wrong passwords in a row lock the account for 15 minutes; the caller commits,
    so failed attempts count even though the login fails.
    """
    now = now or utcnow()
    user = session.scalar(select(User).where(User.login == login))
    if user is None or user.password_hash is None:
        _spend_time(password)
        raise LoginFailed("unknown user" if user is None else "no password set")
    if user.locked_until is not None and user.locked_until > now:
        _spend_time(password)
        raise LoginFailed("locked")
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
        raise LoginFailed("wrong password") from None
    if not user.active:
        raise LoginFailed("disabled")
    user.failed_logins = 0
    user.locked_until = None
    return user


def _spend_time(password: str) -> None:
    with contextlib.suppress(VerificationError):
        _hasher.verify(_dummy_hash(), password)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewSession:
    token: str
    """Goes into the (signed) cookie; only its hash is stored."""
    row: UserSession


def open_session(
    session: Session, user: User, *, lifetime: timedelta, client_ip: str | None
) -> NewSession:
    token = secrets.token_urlsafe(32)
    row = UserSession(
        id_hash=_hash_token(token), user=user, expires_at=utcnow() + lifetime, client_ip=client_ip
    )
    session.add(row)
    session.flush()
    return NewSession(token, row)


def resume_session(
    session: Session, token: str, *, now: datetime | None = None
) -> UserSession | None:
    """The live session for ``token``: not expired, not revoked, its user still active."""
    now = now or utcnow()
    row = session.get(UserSession, _hash_token(token))
    if row is None or row.revoked_at is not None or row.expires_at <= now or not row.user.active:
        return None
    return row


def close_session(session: Session, token: str) -> None:
    row = session.get(UserSession, _hash_token(token))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()


def has_active_admin(session: Session) -> bool:
    """Whether anyone can administer this Bunko yet (a fresh one has nobody)."""
    return any(
        "admin" in roles.split() for roles in session.scalars(select(User.roles).where(User.active))
    )


def _keep_an_administrator(session: Session, user: User) -> None:
    """Refuse when ``user`` is the last active administrator (about to stop being one)."""
    if not (user.active and "admin" in user.role_set):
        return
    others = session.scalars(select(User.roles).where(User.active.is_(True), User.id != user.id))
    if not any("admin" in roles.split() for roles in others):
        raise InvalidInput(
            "This is the last active administrator: add another one first.", field="roles"
        )


def update_user(
    session: Session,
    user: User,
    *,
    roles: list[str],
    department_code: str | None,
    clearance: SecurityLevel,
) -> dict[str, list[object]]:
    """Change a person's roles, department and clearance; return ``{field: [old, new]}``.

    Sessions read the person afresh on every request, so the change applies at once.
    """
    new_roles = _check_roles(roles)
    new: dict[str, str | None] = {
        "roles": new_roles,
        "department": department_code or None,
        "clearance": clearance.label,
    }
    old: dict[str, str | None] = {
        "roles": user.roles,
        "department": user.department.code if user.department else None,
        "clearance": SecurityLevel(user.clearance).label,
    }
    diff: dict[str, list[object]] = {k: [old[k], new[k]] for k in new if old[k] != new[k]}
    if "roles" in diff and "admin" not in new_roles.split():
        _keep_an_administrator(session, user)
    if "department" in diff:
        user.department = (
            find_current_department(session, department_code) if department_code else None
        )
    user.roles = new_roles
    user.clearance = int(clearance)
    session.flush()
    return diff


def unlock_user(user: User) -> None:
    """Lift a lock-out after too many wrong passwords."""
    user.failed_logins = 0
    user.locked_until = None


def enable_user(user: User) -> None:
    """Let a disabled person sign in again."""
    user.active = True
    unlock_user(user)


def disable_user(session: Session, user: User) -> None:
    """Disable the account and end all its sessions (never the last active administrator)."""
    _keep_an_administrator(session, user)
    user.active = False
    _end_sessions(session, user)


def _end_sessions(session: Session, user: User) -> None:
    for row in session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    ):
        row.revoked_at = utcnow()


def user_for_oidc(
    session: Session, *, subject: str, claims: dict[str, object], default_department: str | None
) -> User:
    """The user a verified OpenID Connect subject signs in as.

    A known subject is that user. An unknown one becomes a new ``staff`` user of the
    default department when one is configured; otherwise the sign-in is refused. Users are
    never matched by name or e-mail, which a directory may reuse.
    """
    user = session.scalar(select(User).where(User.oidc_subject == subject))
    if user is None:
        if default_department is None:
            raise LoginFailed("unknown directory user and no default department")
        wanted = str(claims.get("preferred_username") or subject)[:100]
        login = (
            wanted
            if session.scalar(select(User).where(User.login == wanted)) is None
            else f"{wanted}-{secrets.token_hex(3)}"
        )
        user = add_user(
            session,
            login=login,
            display_name=str(claims.get("name") or wanted)[:200],
            department_code=default_department,
            oidc_subject=subject,
        )
    if not user.active:
        raise LoginFailed("disabled")
    return user


def display_names(session: Session, actors: Iterable[str | None]) -> dict[str, str]:
    """People's names for the actors ``user:<login>`` among ``actors`` (keys and systems keep theirs)."""
    logins = {a.removeprefix("user:"): a for a in actors if a and a.startswith("user:")}
    rows = session.execute(select(User.login, User.display_name).where(User.login.in_(logins)))
    return {logins[login]: name for login, name in rows}
