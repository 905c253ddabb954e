"""What the administration pages share: reading a form, the unit of work, the page
frame with its department choices, asking first, and the notice after a change."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import (
    Department,
    InvalidInput,
    RecordNotFound,
    SecurityLevel,
    User,
    translate_db_errors,
    utcnow,
)
from web.i18n import translations
from web.pages._common import Viewer, check_csrf, department_label, page
from web.pages.messages import INPUT, shown
from web.services import Services

LEVELS = [level.label for level in SecurityLevel]
Errors = dict[str, str]


def error_message(exc: InvalidInput, t: Callable[[str], str]) -> str:
    return shown(str(exc), t, INPUT)


async def form_values(request: Request, viewer: Viewer) -> dict[str, Any]:
    form = await request.form()
    check_csrf(viewer, str(form.get("csrf_token", "")))
    values: dict[str, Any] = {
        key: str(value).strip() for key, value in form.items() if key != "password"
    }
    for many in ("roles", "scopes"):
        values[many] = [str(v) for v in form.getlist(many)]
    values["password"] = str(form.get("password", ""))
    values["confirmed"] = values.get("confirm") == "yes"
    return values


@contextmanager
def admin_work(services: Services) -> Iterator[Session]:
    with translate_db_errors(), services.sessions.begin() as session:
        yield session


def existing(session: Session, column: Any, value: str) -> Any:
    """The person, department or key named in the URL; an unknown one is a 404."""
    row = session.scalar(select(column.class_).where(column == value))
    if row is None:
        raise RecordNotFound("no such record")
    return row


def find_user(session: Session, login: str) -> User:
    user: User = existing(session, User.login, login)
    return user


def find_department(session: Session, code: str) -> Department:
    unit: Department = existing(session, Department.code, code)
    return unit


def required(values: dict[str, Any], t: Callable[[str], str], *names: str) -> Errors:
    return {name: t("Please fill this in.") for name in names if not values.get(name)}


def clearance_of(values: dict[str, Any], t: Callable[[str], str], errors: Errors) -> SecurityLevel:
    if values.get("clearance") not in LEVELS:
        errors["clearance"] = t("Choose a clearance from the list.")
        return SecurityLevel.INTERNAL
    return SecurityLevel.parse(values["clearance"])


def department_choices(session: Session, lang: str) -> list[tuple[str, str, int]]:
    rows = session.scalars(
        select(Department).where(Department.retired_at.is_(None)).order_by(Department.path)
    )
    return [(d.code, department_label(d, lang), d.path.count("/") - 2) for d in rows]


def admin_page(
    request: Request,
    services: Services,
    viewer: Viewer,
    section: str,
    listing: Callable[[Session], dict[str, Any]],
    *,
    template: str | None = None,
    values: dict[str, Any],
    errors: Errors | None,
    notice: str | None,
    **context: Any,
) -> HTMLResponse:
    """One administration page: its list, the department choices, and its form as typed."""
    with services.sessions() as session:
        return page(
            request,
            template or f"admin_{section}.html",
            viewer,
            nav="admin",
            section=section,
            departments=department_choices(session, viewer.lang),
            values=values,
            errors=errors or {},
            notice=notice,
            status_code=422 if errors else 200,
            now=utcnow(),
            **listing(session),
            **context,
        )


def ask_first(
    request: Request,
    viewer: Viewer,
    *,
    section: str,
    action: str,
    question: str,
    values: dict[str, Any],
    back: str,
) -> HTMLResponse:
    """Ask before doing: the same form again, with ``confirm=yes`` and a way back."""
    keep = {
        k: v
        for k, v in values.items()
        if k not in ("csrf_token", "password", "confirm", "confirmed")
    }
    return page(
        request,
        "admin_confirm.html",
        viewer,
        nav="admin",
        section=section,
        action=action,
        question=question,
        keep=keep,
        back=back,
        errors={},
        notice=None,
    )


def redirect_done(url: str, **notice: str) -> RedirectResponse:
    return RedirectResponse(f"{url}?{urlencode(notice)}" if notice else url, status_code=303)


def notice_of(viewer: Viewer, params: dict[str, str], messages: dict[str, str]) -> str | None:
    t = translations(viewer.lang).gettext
    for key, msgid in messages.items():
        if params.get(key):
            return t(msgid).format(name=params[key])
    return None
