"""Request dependencies: services, database session, and who the caller is."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from archive import (
    Actor,
    Forbidden,
    InvalidApiKey,
    Permission,
    Principal,
    api_key_principal,
    authenticate_api_key,
    record,
    resume_session,
    translate_db_errors,
    user_principal,
)
from web.access import refuse_permission
from web.security import CSRF_HEADER, SESSION_COOKIE
from web.services import Services

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    with translate_db_errors(), services.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def _presented_key(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return request.headers.get("x-api-key")


def session_token(request: Request, services: Services) -> str | None:
    """The session token from a validly signed cookie, if any."""
    cookie = request.cookies.get(SESSION_COOKIE)
    return services.signer.unsign(cookie) if cookie else None


def signed_in_user(request: Request, services: ServicesDep) -> Principal | None:
    """The person signed in through the browser, or None."""
    token = session_token(request, services)
    if token is None:
        return None
    with translate_db_errors(), services.sessions() as session:
        row = resume_session(session, token)
        return user_principal(row.user, client_ip(request)) if row is not None else None


OptionalUserDep = Annotated[Principal | None, Depends(signed_in_user)]


def current_principal(
    request: Request, services: ServicesDep, session: SessionDep, user: OptionalUserDep
) -> Principal:
    """The caller of an API endpoint: an API key, or a browser session (with a CSRF header to change things).

    The key is looked up in the request's own database session, which the endpoint then uses.
    """
    presented = _presented_key(request)
    if presented:
        try:
            principal = api_key_principal(
                authenticate_api_key(session, presented), client_ip(request)
            )
            # End the read at once: on SQLite a transaction holds the write lock, and an
            # upload may stream for minutes before the endpoint writes anything.
            session.commit()
            if services.limiter is not None:
                services.limiter.take(principal.id)
            return principal
        except InvalidApiKey:
            record(
                session,
                actor=Actor("anonymous", client_ip(request)),
                action="auth.api_key",
                target=request.url.path,
                outcome="denied",
            )
            session.commit()
    elif user is not None:
        token = session_token(request, services)
        if request.method not in SAFE_METHODS and not services.signer.csrf_valid(
            token or "", request.headers.get(CSRF_HEADER)
        ):
            raise HTTPException(403, "missing or wrong CSRF token")
        return user
    raise HTTPException(
        401, "a valid API key or session is required", headers={"WWW-Authenticate": "Bearer"}
    )


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require(permission: Permission) -> Callable[..., Principal]:
    """A dependency that lets only callers with ``permission`` through (403 otherwise, audited)."""

    def check(principal: PrincipalDep, session: SessionDep, request: Request) -> Principal:
        if principal.may(permission):
            return principal
        refuse_permission(session, principal, permission, request.url.path)
        session.commit()
        raise Forbidden(f"this needs the '{permission}' permission")

    return check


Uploader = Annotated[Principal, Depends(require(Permission.UPLOAD))]
Reader = Annotated[Principal, Depends(require(Permission.READ))]
Searcher = Annotated[Principal, Depends(require(Permission.SEARCH))]
Auditor = Annotated[Principal, Depends(require(Permission.AUDIT))]
Admin = Annotated[Principal, Depends(require(Permission.ADMIN))]
