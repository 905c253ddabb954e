"""What every signed-in page shares: who is looking, CSRF, permission checks, rendering."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import (
    Department,
    NotCleared,
    NotReadable,
    Permission,
    Principal,
    PrincipalKind,
    User,
    translate_db_errors,
)
from web.access import deny, refuse_permission
from web.deps import OptionalUserDep, ServicesDep, session_token
from web.i18n import translations
from web.services import Services
from web.templating import page_locale, render


class SignInRequired(Exception):
    """A page was asked for without a session: the browser is sent to the sign-in page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class PageForbidden(Exception):
    """The signed-in person may not use this page (or the form's CSRF token is wrong)."""


@dataclass(frozen=True)
class Viewer:
    """The signed-in person looking at a page."""

    principal: Principal
    display_name: str
    csrf_token: str
    lang: str

    def may(self, permission: Permission) -> bool:
        return self.principal.may(permission)


def current_viewer(request: Request, services: ServicesDep, user: OptionalUserDep) -> Viewer:
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target)
    with translate_db_errors(), services.sessions() as session:
        row = session.get(User, user.id)
        display_name = row.display_name if row is not None else user.name
    token = session_token(request, services) or ""
    return Viewer(user, display_name, services.signer.csrf_token(token), page_locale(request))


ViewerDep = Annotated[Viewer, Depends(current_viewer)]
CsrfField = Annotated[str, Form(max_length=200)]
"""A form's CSRF token, for a form that carries nothing else."""


def sign_in_url(next_url: str) -> str:
    return "/login" if next_url == "/" else f"/login?next={quote(next_url, safe='/')}"


def page(
    request: Request, template: str, viewer: Viewer, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render ``template`` for ``viewer`` (navigation, CSRF token and language included)."""
    return render(
        request,
        template,
        user=viewer.principal,
        csrf_token=viewer.csrf_token,
        display_name=viewer.display_name,
        status_code=status_code,
        **context,
    )


def check_csrf(viewer: Viewer, presented: str) -> None:
    if presented != viewer.csrf_token:
        raise PageForbidden("missing or wrong CSRF token")


def require_permission(
    request: Request, services: Services, viewer: Viewer, permission: Permission
) -> None:
    """Let only people with ``permission`` through; a refusal is audited as the API's are."""
    if viewer.may(permission):
        return
    with translate_db_errors(), services.sessions.begin() as session:
        refuse_permission(session, viewer.principal, permission, request.url.path)
    raise PageForbidden(f"this page needs the '{permission}' permission")


@contextmanager
def form_work(
    services: Services, viewer: Viewer, action: str, target: str | None
) -> Iterator[Session]:
    """A form's unit of work, committed when the block ends. A refusal to read inside
    (``NotReadable``, ``NotCleared``) is rolled back, recorded as ``action`` denied in a
    transaction of its own, and raised again."""
    try:
        with translate_db_errors(), services.sessions.begin() as session:
            yield session
    except (NotReadable, NotCleared):
        with translate_db_errors(), services.sessions() as session:
            deny(session, viewer.principal, action, target)
        raise


def department_label(department: Department | None, lang: str) -> str:
    if department is None:
        return "—"
    if lang == "en" and department.name_en:
        return department.name_en
    return department.name


def person_names(session: Session) -> Callable[[str], str | None]:
    """A login's display name (None for no such person), looked up when first asked for: a
    page names a few people, not every person of the city."""

    @cache
    def name(login: str) -> str | None:
        return session.scalar(select(User.display_name).where(User.login == login))

    return name


def department_names(session: Session, lang: str) -> dict[str, str]:
    """``{code: name}`` of every department, in the page's language."""
    return {d.code: department_label(d, lang) for d in session.scalars(select(Department))}


def actor_names(session: Session, lang: str) -> Callable[[str | None], str]:
    """``user:tanaka`` → the person's name, ``apikey:budget`` → the key's name."""
    person = person_names(session)
    system = translations(lang).gettext("the system")

    def name(actor: str | None) -> str:
        kind, _, who = (actor or "").partition(":")
        if kind == PrincipalKind.USER and (found := person(who)) is not None:
            return found
        if kind in ("cli", "system", "worker"):
            return f"{system} ({who})" if who else system
        return who or actor or "—"

    return name
