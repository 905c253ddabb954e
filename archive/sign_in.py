"""Signing in and out as operations: a session opened or closed, and every attempt audited."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from archive.audit import Actor, record
from archive.models import User
from archive.users import NewSession, close_session, open_session

LOGIN = "auth.login"
LOGOUT = "auth.logout"


def sign_in(
    session: Session, user: User, *, lifetime: timedelta, client_ip: str | None, method: str
) -> NewSession:
    """Open a session for a user who just proved who they are (``method``: password, oidc)."""
    opened = open_session(session, user, lifetime=lifetime, client_ip=client_ip)
    actor = Actor(f"user:{user.login}", client_ip)
    record(session, actor=actor, action=LOGIN, detail={"method": method})
    return opened


def refuse_sign_in(session: Session, actor: Actor, *, method: str, reason: str | None) -> None:
    """Record a failed sign-in (wrong password, locked account, a provider's refusal)."""
    detail = {"reason": reason, "method": method}
    record(session, actor=actor, action=LOGIN, outcome="denied", detail=detail)


def sign_out(session: Session, token: str, *, actor: Actor) -> None:
    """Close the session of ``token``."""
    close_session(session, token)
    record(session, actor=actor, action=LOGOUT)
