"""Sign-in and sign-out with a password (the signed-in home page is the search page)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from archive import (
    Actor,
    LoginFailed,
    User,
    authenticate,
    has_active_admin,
    refuse_sign_in,
    sign_in,
    sign_out,
    translate_db_errors,
)
from web.deps import OptionalUserDep, ServicesDep, client_ip, session_token
from web.i18n import translations
from web.security import CSRF_COOKIE, SESSION_COOKIE
from web.services import Services
from web.templating import page_locale, render

router = APIRouter(tags=["pages"], include_in_schema=False)


FIRST_ADMIN = ".venv/bin/bunko user add admin --name 管理者 --role admin --clearance secret"
"""How to create the first administrator: shown by ``bunko serve`` and on the sign-in page
while there is none (a setup page is not offered: behind a proxy every request is local)."""


def safe_next(target: str | None) -> str:
    """Only paths on this site: never ``//host`` or ``https://host`` (no open redirects)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def login_page(
    request: Request,
    services: Services,
    *,
    next_url: str,
    login: str = "",
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    nonce = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(16)
    with translate_db_errors(), services.sessions() as session:
        first_run = not has_active_admin(session)
    response = render(
        request,
        "login.html",
        user=None,
        csrf_token=services.signer.csrf_token(nonce),
        next=next_url,
        login=login,
        error=error,
        oidc=services.settings.oidc_issuer is not None,
        first_run=first_run,
        first_admin=FIRST_ADMIN,
        status_code=status,
    )
    response.set_cookie(
        CSRF_COOKIE, nonce, httponly=True, samesite="strict", secure=services.settings.cookie_secure
    )
    return response


def start_session(
    request: Request, services: Services, response: Response, user_id: int, *, method: str
) -> Response:
    """Open a session for a user who just proved who they are, and set its cookie."""
    with translate_db_errors(), services.sessions.begin() as session:
        user = session.get(User, user_id)
        assert user is not None
        opened = sign_in(
            session,
            user,
            lifetime=timedelta(hours=services.settings.session_hours),
            client_ip=client_ip(request),
            method=method,
        )
    response.set_cookie(
        SESSION_COOKIE,
        services.signer.sign(opened.token),
        max_age=services.signer.max_age_s,
        httponly=True,
        samesite="lax",
        secure=services.settings.cookie_secure,
    )
    response.delete_cookie(CSRF_COOKIE)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request, services: ServicesDep, user: OptionalUserDep, next: str = "/"
) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return login_page(request, services, next_url=safe_next(next))


class LoginForm(BaseModel):
    login: str = Field(max_length=100)
    password: str = Field(max_length=1000)
    csrf_token: str = Field(default="", max_length=200)
    next: str = Field(default="/", max_length=2000)
    """Where to go once signed in (this site only: ``safe_next``)."""


@router.post("/login")
def login(
    request: Request,
    services: ServicesDep,
    form: Annotated[LoginForm, Form()],
) -> Response:
    t = translations(page_locale(request)).gettext
    nonce = request.cookies.get(CSRF_COOKIE) or ""
    if not services.signer.csrf_valid(nonce, form.csrf_token):
        return login_page(
            request,
            services,
            next_url=safe_next(form.next),
            login=form.login,
            error=t("Your form expired. Please try again."),
            status=403,
        )
    with translate_db_errors(), services.sessions.begin() as session:
        try:
            user_id = authenticate(session, form.login, form.password).id
        except LoginFailed as failed:
            refuse_sign_in(
                session,
                Actor(f"user:{form.login}", client_ip(request)),
                method="password",
                reason=failed.reason,
            )
            user_id = None
    if user_id is None:
        return login_page(
            request,
            services,
            next_url=safe_next(form.next),
            login=form.login,
            error=t("The login name or password is wrong, or the account is locked or disabled."),
            status=401,
        )
    return start_session(
        request,
        services,
        RedirectResponse(safe_next(form.next), status_code=303),
        user_id,
        method="password",
    )


@router.post("/logout")
def logout(
    request: Request,
    services: ServicesDep,
    user: OptionalUserDep,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    token = session_token(request, services)
    if user is None or token is None:
        return RedirectResponse("/login", status_code=303)
    if not services.signer.csrf_valid(token, csrf_token):
        return Response("missing or wrong CSRF token", status_code=403)
    with translate_db_errors(), services.sessions.begin() as session:
        sign_out(session, token, actor=user.actor)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
