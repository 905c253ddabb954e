"""Administration pages: people, departments, API keys.

Every change goes through the same use-case functions as the ``bunko`` CLI
(``web/administration.py``), audited in the same transaction, with the administrator
as the actor. A form that fails validation is shown again with what was typed; changing
one's own account and revoking a key ask for a confirmation first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import InvalidInput, RecordNotFound, translate_db_errors
from archive.access import SecurityLevel
from archive.departments import department_history
from archive.models import ApiKey, Department, DepartmentChange, User, utcnow
from archive.policy import API_SCOPES, ROLES
from archive.users import MIN_PASSWORD_LENGTH, display_names
from retention.dates import JST, end_of_day_utc
from web import administration as admin
from web.deps import ServicesDep
from web.i18n import N_, translations
from web.pages._common import (
    Viewer,
    ViewerDep,
    check_csrf,
    department_label,
    page,
    require_permission,
)
from web.pages.messages import INPUT, shown
from web.services import Services

router = APIRouter(prefix="/admin", tags=["pages"], include_in_schema=False)

LEVELS = [level.label for level in SecurityLevel]
Errors = dict[str, str]


def _message(exc: InvalidInput, t: Callable[[str], str]) -> str:
    return shown(str(exc), t, INPUT)


async def _form(request: Request, viewer: Viewer) -> dict[str, Any]:
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
def _admin_work(services: Services) -> Iterator[Session]:
    with translate_db_errors(), services.sessions.begin() as session:
        yield session


def _existing(session: Session, column: Any, value: str) -> Any:
    """The person, department or key named in the URL; an unknown one is a 404."""
    row = session.scalar(select(column.class_).where(column == value))
    if row is None:
        raise RecordNotFound("no such record")
    return row


def find_user(session: Session, login: str) -> User:
    user: User = _existing(session, User.login, login)
    return user


def find_department(session: Session, code: str) -> Department:
    unit: Department = _existing(session, Department.code, code)
    return unit


def _required(values: dict[str, Any], t: Callable[[str], str], *names: str) -> Errors:
    return {name: t("Please fill this in.") for name in names if not values.get(name)}


def _level(values: dict[str, Any], t: Callable[[str], str], errors: Errors) -> SecurityLevel:
    if values.get("clearance") not in LEVELS:
        errors["clearance"] = t("Choose a clearance from the list.")
        return SecurityLevel.INTERNAL
    return SecurityLevel.parse(values["clearance"])


def _departments(session: Session, lang: str) -> list[tuple[str, str, int]]:
    rows = session.scalars(
        select(Department).where(Department.retired_at.is_(None)).order_by(Department.path)
    )
    return [(d.code, department_label(d, lang), d.path.count("/") - 2) for d in rows]


def _history(session: Session, lang: str, rows: list[DepartmentChange]) -> list[dict[str, Any]]:
    """Department changes with names instead of codes and of ``user:`` actors."""
    names = display_names(session, (r.actor for r in rows))
    codes = {r.old_value for r in rows} | {r.new_value for r in rows}
    labels = {
        d.code: department_label(d, lang)
        for d in session.scalars(select(Department).where(Department.code.in_(codes - {None})))
    }

    def shown(row: DepartmentChange, value: str | None) -> str | None:
        return labels.get(value or "", value) if row.field == "parent" else value

    return [
        {
            "at": r.at,
            "who": names.get(r.actor, r.actor),
            "department": department_label(r.department, lang),
            "field": r.field,
            "old": shown(r, r.old_value),
            "new": shown(r, r.new_value),
        }
        for r in rows
    ]


def _admin_page(
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
            departments=_departments(session, viewer.lang),
            values=values,
            errors=errors or {},
            notice=notice,
            status_code=422 if errors else 200,
            now=utcnow(),
            **listing(session),
            **context,
        )


def _confirm(
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


def _done(url: str, **notice: str) -> RedirectResponse:
    return RedirectResponse(f"{url}?{urlencode(notice)}" if notice else url, status_code=303)


def _notice(viewer: Viewer, params: dict[str, str], messages: dict[str, str]) -> str | None:
    t = translations(viewer.lang).gettext
    for key, msgid in messages.items():
        if params.get(key):
            return t(msgid).format(name=params[key])
    return None


# --- people ---------------------------------------------------------------------------

_PEOPLE_NOTICES = {
    "added": N_("Added {name}."),
    "disabled": N_("Disabled {name}."),
    "enabled": N_("Enabled {name}."),
    "unlocked": N_("Unlocked {name}."),
    "changed": N_("Saved the changes to {name}."),
    "password": N_("Set a new password for {name}."),
}


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
def users(request: Request, services: ServicesDep, viewer: ViewerDep) -> HTMLResponse:
    require_permission(request, services, viewer, "admin")
    notice = _notice(viewer, dict(request.query_params), _PEOPLE_NOTICES)
    return _users_page(request, services, viewer, notice=notice)


@router.post("/users", response_class=HTMLResponse)
async def add_person(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_permission(request, services, viewer, "admin")
    values = await _form(request, viewer)
    t = translations(viewer.lang).gettext
    errors = _required(values, t, "login", "display_name", "password")
    clearance = _level(values, t, errors)
    if not errors:
        try:
            with _admin_work(services) as session:
                admin.add_person(
                    session,
                    viewer.principal.actor,
                    login=values["login"],
                    display_name=values["display_name"],
                    department=values.get("department") or None,
                    roles=values["roles"],
                    clearance=clearance,
                    password=values["password"],
                )
        except InvalidInput as exc:
            errors[exc.field or "login"] = _message(exc, t)
    if errors:
        values["password"] = ""  # never sent back to the browser
        return _users_page(request, services, viewer, values=values, errors=errors)
    return _done("/admin/users", added=values["login"])


def _person_page(
    request: Request,
    services: Services,
    viewer: Viewer,
    login: str,
    *,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    def listing(session: Session) -> dict[str, Any]:
        person = find_user(session, login)
        return {"person": person}

    with services.sessions() as session:
        person = find_user(session, login)
        current = {
            "roles": person.roles.split(),
            "department": person.department.code if person.department else "",
            "clearance": SecurityLevel(person.clearance).label,
        }
    return _admin_page(
        request,
        services,
        viewer,
        "users",
        listing,
        template="admin_user.html",
        values=values or current,
        errors=errors,
        notice=notice,
        roles=ROLES,
        levels=LEVELS,
        min_password=MIN_PASSWORD_LENGTH,
        oneself=viewer.principal.name == login,
    )


@router.get("/users/{login}", response_class=HTMLResponse)
def person(login: str, request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_permission(request, services, viewer, "admin")
    notice = _notice(viewer, dict(request.query_params), _PEOPLE_NOTICES)
    return _person_page(request, services, viewer, login, notice=notice)


def _person_url(login: str) -> str:
    return "/admin/users/" + quote(login, safe="")


async def _person_action(
    request: Request,
    services: Services,
    viewer: Viewer,
    login: str,
    work: Callable[[Session, dict[str, Any], Callable[[str], str], Errors], None],
    *,
    done: str,
    question: str,
    back_to_list: bool = False,
) -> Response:
    """Run ``work`` on the person; errors show the person's page again, a confirmation asks."""
    require_permission(request, services, viewer, "admin")
    values = await _form(request, viewer)
    t = translations(viewer.lang).gettext
    errors: Errors = {}
    try:
        with _admin_work(services) as session:
            find_user(session, login)
            work(session, values, t, errors)
            if errors:
                raise _Invalid
    except admin.ConfirmationNeeded:
        return _confirm(
            request,
            viewer,
            section="users",
            action=str(request.url.path),
            question=t(question).format(name=login),
            values=values,
            back=_person_url(login),
        )
    except InvalidInput as exc:
        errors[exc.field or "login"] = _message(exc, t)
    except _Invalid:
        pass
    if errors:
        values["password"] = ""
        return _person_page(request, services, viewer, login, values=values, errors=errors)
    return _done("/admin/users" if back_to_list else _person_url(login), **{done: login})


class _Invalid(Exception):
    """The form had errors found before any change: roll back and show them."""


@router.post("/users/{login}", response_class=HTMLResponse)
async def change_person(
    login: str, request: Request, services: ServicesDep, viewer: ViewerDep
) -> Response:
    def work(
        session: Session, values: dict[str, Any], t: Callable[[str], str], errors: Errors
    ) -> None:
        clearance = _level(values, t, errors)
        if not values["roles"]:
            errors["roles"] = t("Choose at least one role.")
        if errors:
            return
        admin.change_person(
            session,
            viewer.principal.actor,
            login,
            roles=values["roles"],
            department=values.get("department") or None,
            clearance=clearance,
            confirmed=values["confirmed"],
        )

    return await _person_action(
        request,
        services,
        viewer,
        login,
        work,
        done="changed",
        question=N_("You are giving up your own administrator role. Continue?"),
    )


@router.post("/users/{login}/password", response_class=HTMLResponse)
async def reset_password(
    login: str, request: Request, services: ServicesDep, viewer: ViewerDep
) -> Response:
    def work(
        session: Session, values: dict[str, Any], t: Callable[[str], str], errors: Errors
    ) -> None:
        errors.update(_required(values, t, "password"))
        if not errors:
            admin.reset_password(session, viewer.principal.actor, login, values["password"])

    return await _person_action(
        request, services, viewer, login, work, done="password", question=""
    )


@router.post("/users/{login}/{step}", response_class=HTMLResponse)
async def person_step(
    login: str, step: str, request: Request, services: ServicesDep, viewer: ViewerDep
) -> Response:
    """``unlock``, ``enable`` or ``disable`` a person (disabling oneself asks first)."""
    actor = viewer.principal.actor
    steps: dict[str, tuple[str, Callable[[Session, dict[str, Any]], None]]] = {
        "unlock": ("unlocked", lambda s, v: admin.unlock_person(s, actor, login)),
        "enable": ("enabled", lambda s, v: admin.enable_person(s, actor, login)),
        "disable": (
            "disabled",
            lambda s, v: admin.disable_person(s, actor, login, confirmed=v["confirmed"]),
        ),
    }
    if step not in steps:
        require_permission(request, services, viewer, "admin")
        raise InvalidInput("unknown step", field="step", status=404)
    done, run = steps[step]
    return await _person_action(
        request,
        services,
        viewer,
        login,
        lambda s, v, _t, _e: run(s, v),
        done=done,
        question=N_("You are disabling your own account and will be signed out. Continue?"),
        back_to_list=step == "disable",
    )


# --- departments ----------------------------------------------------------------------

_DEPARTMENT_NOTICES = {
    "added": N_("Added {name}."),
    "renamed": N_("Renamed {name}."),
    "moved": N_("Moved {name}."),
    "retired": N_("Retired {name}."),
}


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
        return {
            "rows": [(d, d.path.count("/") - 2) for d in rows],
            "history": _history(session, viewer.lang, department_history(session, 50)),
        }

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
def departments(request: Request, services: ServicesDep, viewer: ViewerDep) -> HTMLResponse:
    require_permission(request, services, viewer, "admin")
    params = dict(request.query_params)
    with services.sessions() as session:
        for key in _DEPARTMENT_NOTICES:
            unit = session.scalar(select(Department).where(Department.code == params.get(key)))
            params[key] = department_label(unit, viewer.lang) if unit else ""
    notice = _notice(viewer, params, _DEPARTMENT_NOTICES)
    return _departments_page(request, services, viewer, notice=notice)


@router.post("/departments", response_class=HTMLResponse)
async def add_unit(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_permission(request, services, viewer, "admin")
    values = await _form(request, viewer)
    t = translations(viewer.lang).gettext
    errors = _required(values, t, "code", "name")
    if not errors:
        try:
            with _admin_work(services) as session:
                admin.add_unit(
                    session,
                    viewer.principal.actor,
                    code=values["code"],
                    name=values["name"],
                    parent=values.get("parent") or None,
                    name_en=values.get("name_en") or None,
                )
        except InvalidInput as exc:
            errors["parent" if exc.field == "department" else exc.field or "code"] = _message(
                exc, t
            )
    if errors:
        return _departments_page(request, services, viewer, values=values, errors=errors)
    return _done("/admin/departments", added=values["code"])


def _unit_page(
    request: Request,
    services: Services,
    viewer: Viewer,
    code: str,
    *,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
) -> HTMLResponse:
    def listing(session: Session) -> dict[str, Any]:
        unit = find_department(session, code)
        changes = session.scalars(
            select(DepartmentChange)
            .where(DepartmentChange.department_id == unit.id)
            .order_by(DepartmentChange.at.desc(), DepartmentChange.id.desc())
        )
        parent = session.get(Department, unit.parent_id) if unit.parent_id else None
        below = [
            d.code
            for d in session.scalars(
                select(Department).where(Department.path.startswith(unit.path))
            )
        ]
        return {
            "unit": unit,
            "history": _history(session, viewer.lang, list(changes)),
            "parents": [d for d in _departments(session, viewer.lang) if d[0] not in below],
            "current": {
                "name": unit.name,
                "name_en": unit.name_en or "",
                "parent": parent.code if parent else "",
            },
        }

    return _admin_page(
        request,
        services,
        viewer,
        "departments",
        listing,
        template="admin_department.html",
        values=values or {},
        errors=errors,
        notice=None,
    )


@router.get("/departments/{code}", response_class=HTMLResponse)
def unit(code: str, request: Request, services: ServicesDep, viewer: ViewerDep) -> HTMLResponse:
    require_permission(request, services, viewer, "admin")
    return _unit_page(request, services, viewer, code)


@router.post("/departments/{code}/{step}", response_class=HTMLResponse)
async def unit_step(
    code: str, step: str, request: Request, services: ServicesDep, viewer: ViewerDep
) -> Response:
    """``rename``, ``move`` (under another parent, or to the top) or ``retire`` a department."""
    require_permission(request, services, viewer, "admin")
    if step not in ("rename", "move", "retire"):
        raise InvalidInput("unknown step", field="step", status=404)
    values = await _form(request, viewer)
    t = translations(viewer.lang).gettext
    actor = viewer.principal.actor
    errors = _required(values, t, "name") if step == "rename" else {}
    if step == "retire" and not values["confirmed"]:
        with services.sessions() as session:
            name = department_label(find_department(session, code), viewer.lang)
        return _confirm(
            request,
            viewer,
            section="departments",
            action=str(request.url.path),
            question=t("Retire {name}? It stays in the records, but nobody can join it.").format(
                name=name
            ),
            values=values,
            back="/admin/departments/" + quote(code, safe=""),
        )
    moved: list[str] = []
    if not errors:
        try:
            with _admin_work(services) as session:
                find_department(session, code)
                if step == "rename":
                    admin.rename_unit(
                        session, actor, code, name=values["name"], name_en=values.get("name_en")
                    )
                elif step == "move":
                    moved = admin.move_unit(
                        session, actor, code, parent=values.get("parent") or None
                    )
                else:
                    admin.retire_unit(session, actor, code)
        except InvalidInput as exc:
            errors[exc.field if exc.field in ("name", "parent") else "department"] = _message(
                exc, t
            )
    if errors:
        return _unit_page(request, services, viewer, code, values=values, errors=errors)
    admin.reindex_moved(services, moved)
    return _done("/admin/departments", **{step.removesuffix("e") + "ed": code})


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
        valid_until=_valid_until,
        scopes=API_SCOPES,
        levels=LEVELS,
    )


def _valid_until(key: ApiKey) -> str:
    """The last day a key works, in Japan time (it expires as that day ends)."""
    if key.expires_at is None:
        return "—"
    return (key.expires_at.astimezone(JST) - timedelta(microseconds=1)).date().isoformat()


@router.get("/keys", response_class=HTMLResponse)
def keys(request: Request, services: ServicesDep, viewer: ViewerDep) -> HTMLResponse:
    require_permission(request, services, viewer, "admin")
    notice = _notice(viewer, dict(request.query_params), {"revoked": N_("Revoked {name}.")})
    return _keys_page(request, services, viewer, notice=notice)


@router.post("/keys", response_class=HTMLResponse)
async def create_key(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_permission(request, services, viewer, "admin")
    values = await _form(request, viewer)
    t = translations(viewer.lang).gettext
    errors = _required(values, t, "name")
    if not values["scopes"]:
        errors["scopes"] = t("Choose at least one scope.")
    clearance = _level(values, t, errors)
    expires = None
    if values.get("expires"):
        try:
            expires = end_of_day_utc(date.fromisoformat(values["expires"]))
        except ValueError:
            errors["expires"] = t("Enter a date as YYYY-MM-DD.")
    key = None
    if not errors:
        try:
            with _admin_work(services) as session:
                key = admin.create_key(
                    session,
                    viewer.principal.actor,
                    name=values["name"],
                    source_system=values.get("source_system") or None,
                    department=values.get("department") or None,
                    scopes=tuple(values["scopes"]),
                    clearance=clearance,
                    expires_at=expires,
                )
        except InvalidInput as exc:
            errors[exc.field or "name"] = _message(exc, t)
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


@router.post("/keys/{name}/revoke", response_class=HTMLResponse)
async def revoke_key(
    name: str, request: Request, services: ServicesDep, viewer: ViewerDep
) -> Response:
    require_permission(request, services, viewer, "admin")
    values = await _form(request, viewer)
    t = translations(viewer.lang).gettext
    with services.sessions() as session:
        _existing(session, ApiKey.name, name)
    if not values["confirmed"]:
        return _confirm(
            request,
            viewer,
            section="keys",
            action=str(request.url.path),
            question=t("Revoke the key {name}? Systems using it stop working at once.").format(
                name=name
            ),
            values=values,
            back="/admin/keys",
        )
    with _admin_work(services) as session:
        _existing(session, ApiKey.name, name)
        admin.revoke_key(session, viewer.principal.actor, name)
    return _done("/admin/keys", revoked=name)
