"""Administration pages: people, departments, API keys.

Every change goes through the same archive functions as the ``bunko`` CLI
(``web/cli/people.py``) and is audited in the same transaction, with the administrator
as the actor. A form that fails validation is shown again with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import InvalidInput, create_api_key, record, translate_db_errors
from archive.access import SecurityLevel
from archive.apikeys import revoke_api_key
from archive.departments import add_department
from archive.models import ApiKey, Department, User
from archive.policy import API_SCOPES, ROLES
from archive.users import MIN_PASSWORD_LENGTH, add_user, disable_user, find_user
from web.deps import ServicesDep
from web.i18n import translations
from web.pages._common import (
    Viewer,
    ViewerDep,
    check_csrf,
    department_label,
    page,
    require_permission,
)
from web.services import Services

router = APIRouter(prefix="/admin", tags=["pages"], include_in_schema=False)

LEVELS = [level.label for level in SecurityLevel]
Errors = dict[str, str]


async def _form(request: Request, viewer: Viewer) -> dict[str, Any]:
    form = await request.form()
    check_csrf(viewer, str(form.get("csrf_token", "")))
    values: dict[str, Any] = {
        key: str(value).strip() for key, value in form.items() if key != "password"
    }
    for many in ("roles", "scopes"):
        values[many] = [str(v) for v in form.getlist(many)]
    values["password"] = str(form.get("password", ""))
    return values


@contextmanager
def _admin_work(services: Services) -> Iterator[Session]:
    with translate_db_errors(), services.sessions.begin() as session:
        yield session


def _required(values: dict[str, Any], t: Callable[[str], str], *names: str) -> Errors:
    return {name: t("Please fill this in.") for name in names if not values.get(name)}


def _departments(session: Session, lang: str) -> list[tuple[str, str, int]]:
    rows = session.scalars(select(Department).order_by(Department.path))
    return [(d.code, department_label(d, lang), d.path.count("/") - 2) for d in rows]


# --- people ---------------------------------------------------------------------------


def _admin_page(
    request: Request,
    services: Services,
    viewer: Viewer,
    section: str,
    listing: Callable[[Session], dict[str, Any]],
    *,
    values: dict[str, Any],
    errors: Errors | None,
    notice: str | None,
    **context: Any,
) -> HTMLResponse:
    """One administration page: its list, the department choices, and its form as typed."""
    with services.sessions() as session:
        return page(
            request,
            f"admin_{section}.html",
            viewer,
            nav="admin",
            section=section,
            departments=_departments(session, viewer.lang),
            values=values,
            errors=errors or {},
            notice=notice,
            status_code=422 if errors else 200,
            **listing(session),
            **context,
        )


def _users_page(
    request: Request,
    services: Services,
    viewer: Viewer,
    *,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    return _admin_page(
        request,
        services,
        viewer,
        "users",
        lambda s: {"users": list(s.scalars(select(User).order_by(User.login)))},
        values=values or {"roles": ["staff"], "clearance": "internal"},
        errors=errors,
        notice=notice,
        roles=ROLES,
        levels=LEVELS,
        min_password=MIN_PASSWORD_LENGTH,
    )


@router.get("/users", response_class=HTMLResponse)
def users(
    request: Request, services: ServicesDep, viewer: ViewerDep, added: str = "", disabled: str = ""
) -> HTMLResponse:
    require_permission(request, services, viewer, "admin")
    t = translations(viewer.lang).gettext
    notice = (
        t("Added {login}.").format(login=added)
        if added
        else t("Disabled {login}.").format(login=disabled)
        if disabled
        else None
    )
    return _users_page(request, services, viewer, notice=notice)


@router.post("/users", response_class=HTMLResponse)
async def add_person(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_permission(request, services, viewer, "admin")
    values = await _form(request, viewer)
    t = translations(viewer.lang).gettext
    errors = _required(values, t, "login", "display_name")
    if values["clearance"] not in LEVELS:
        errors["clearance"] = t("Choose a clearance from the list.")
    if not values["password"]:
        errors["password"] = t("Please fill this in.")
    if not errors:
        try:
            with _admin_work(services) as session:
                add_user(
                    session,
                    login=values["login"],
                    display_name=values["display_name"],
                    department_code=values.get("department") or None,
                    roles=values["roles"] or ["staff"],
                    clearance=SecurityLevel.parse(values["clearance"]),
                    password=values["password"],
                )
                record(
                    session,
                    actor=viewer.principal.actor,
                    action="user.add",
                    target=values["login"],
                    detail={"roles": values["roles"], "clearance": values["clearance"]},
                )
        except InvalidInput as exc:
            errors[exc.field or "login"] = str(exc)
    if errors:
        values["password"] = ""  # never sent back to the browser
        return _users_page(request, services, viewer, values=values, errors=errors)
    return RedirectResponse(
        "/admin/users?" + urlencode({"added": values["login"]}), status_code=303
    )


@router.post("/users/{login}/disable")
async def disable_person(
    login: str, request: Request, services: ServicesDep, viewer: ViewerDep
) -> Response:
    require_permission(request, services, viewer, "admin")
    await _form(request, viewer)
    with _admin_work(services) as session:
        disable_user(session, find_user(session, login))
        record(session, actor=viewer.principal.actor, action="user.disable", target=login)
    return RedirectResponse("/admin/users?" + urlencode({"disabled": login}), status_code=303)


# --- departments ----------------------------------------------------------------------


def _departments_page(
    request: Request,
    services: Services,
    viewer: Viewer,
    *,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    def listing(session: Session) -> dict[str, Any]:
        rows = session.scalars(select(Department).order_by(Department.path))
        return {"rows": [(d, d.path.count("/") - 2) for d in rows]}

    return _admin_page(
        request,
        services,
        viewer,
        "departments",
        listing,
        values=values or {},
        errors=errors,
        notice=notice,
    )


@router.get("/departments", response_class=HTMLResponse)
def departments(
    request: Request, services: ServicesDep, viewer: ViewerDep, added: str = ""
) -> HTMLResponse:
    require_permission(request, services, viewer, "admin")
    notice = (
        translations(viewer.lang).gettext("Added {code}.").format(code=added) if added else None
    )
    return _departments_page(request, services, viewer, notice=notice)


@router.post("/departments", response_class=HTMLResponse)
async def add_unit(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_permission(request, services, viewer, "admin")
    values = await _form(request, viewer)
    errors = _required(values, translations(viewer.lang).gettext, "code", "name")
    if not errors:
        try:
            with _admin_work(services) as session:
                add_department(
                    session,
                    code=values["code"],
                    name=values["name"],
                    parent_code=values.get("parent") or None,
                    name_en=values.get("name_en") or None,
                )
                record(
                    session,
                    actor=viewer.principal.actor,
                    action="department.add",
                    target=values["code"],
                )
        except InvalidInput as exc:
            errors["parent" if exc.field == "department" else exc.field or "code"] = str(exc)
    if errors:
        return _departments_page(request, services, viewer, values=values, errors=errors)
    return RedirectResponse(
        "/admin/departments?" + urlencode({"added": values["code"]}), status_code=303
    )


# --- API keys -------------------------------------------------------------------------


def _keys_page(
    request: Request,
    services: Services,
    viewer: Viewer,
    *,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
    new_key: str | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    def listing(session: Session) -> dict[str, Any]:
        return {
            "keys": list(
                session.scalars(
                    select(ApiKey).order_by(ApiKey.revoked_at.is_not(None), ApiKey.name)
                )
            )
        }

    return _admin_page(
        request,
        services,
        viewer,
        "keys",
        listing,
        values=values or {"scopes": ["upload", "read", "search"], "clearance": "internal"},
        errors=errors,
        notice=notice,
        new_key=new_key,
        scopes=API_SCOPES,
        levels=LEVELS,
    )


@router.get("/keys", response_class=HTMLResponse)
def keys(
    request: Request, services: ServicesDep, viewer: ViewerDep, revoked: str = ""
) -> HTMLResponse:
    require_permission(request, services, viewer, "admin")
    notice = (
        translations(viewer.lang).gettext("Revoked {name}.").format(name=revoked)
        if revoked
        else None
    )
    return _keys_page(request, services, viewer, notice=notice)


@router.post("/keys", response_class=HTMLResponse)
async def create_key(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_permission(request, services, viewer, "admin")
    values = await _form(request, viewer)
    t = translations(viewer.lang).gettext
    errors = _required(values, t, "name")
    if not values["scopes"]:
        errors["scopes"] = t("Choose at least one scope.")
    if values["clearance"] not in LEVELS:
        errors["clearance"] = t("Choose a clearance from the list.")
    key = None
    if not errors:
        try:
            with _admin_work(services) as session:
                _row, key = create_api_key(
                    session,
                    name=values["name"],
                    source_system=values.get("source_system") or None,
                    department_code=values.get("department") or None,
                    scopes=tuple(values["scopes"]),
                    clearance=SecurityLevel.parse(values["clearance"]),
                )
                record(
                    session,
                    actor=viewer.principal.actor,
                    action="apikey.create",
                    target=values["name"],
                    detail={"scopes": values["scopes"]},
                )
        except InvalidInput as exc:
            errors[exc.field or "name"] = str(exc)
    if errors:
        return _keys_page(request, services, viewer, values=values, errors=errors)
    # Shown once, in this response only: it is not stored, so a reload cannot show it again.
    response = _keys_page(
        request,
        services,
        viewer,
        new_key=key,
        notice=t("Created {name}.").format(name=values["name"]),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/keys/{name}/revoke")
async def revoke_key(
    name: str, request: Request, services: ServicesDep, viewer: ViewerDep
) -> Response:
    require_permission(request, services, viewer, "admin")
    await _form(request, viewer)
    with _admin_work(services) as session:
        revoke_api_key(session, name)
        record(session, actor=viewer.principal.actor, action="apikey.revoke", target=name)
    return RedirectResponse("/admin/keys?" + urlencode({"revoked": name}), status_code=303)
