"""Administration of people: add, change roles, department and clearance, reset the
password, unlock, enable and disable (disabling or demoting oneself asks first)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import MIN_PASSWORD_LENGTH, ROLES, InvalidInput, Permission, SecurityLevel, User
from web import administration as admin
from web.deps import ServicesDep
from web.i18n import N_, translations
from web.pages._common import Viewer, ViewerDep, require_permission
from web.pages.admin.common import (
    LEVELS,
    Errors,
    admin_page,
    admin_work,
    ask_first,
    clearance_of,
    error_message,
    find_user,
    form_values,
    notice_of,
    redirect_done,
    required,
)
from web.services import Services

router = APIRouter(prefix="/admin", tags=["pages"], include_in_schema=False)


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
    return admin_page(
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
    require_permission(request, services, viewer, Permission.ADMIN)
    notice = notice_of(viewer, dict(request.query_params), _PEOPLE_NOTICES)
    return _users_page(request, services, viewer, notice=notice)


@router.post("/users", response_class=HTMLResponse)
async def add_person(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_permission(request, services, viewer, Permission.ADMIN)
    values = await form_values(request, viewer)
    t = translations(viewer.lang).gettext
    errors = required(values, t, "login", "display_name", "password")
    clearance = clearance_of(values, t, errors)
    if not errors:
        try:
            with admin_work(services) as session:
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
            errors[exc.field or "login"] = error_message(exc, t)
    if errors:
        values["password"] = ""  # never sent back to the browser
        return _users_page(request, services, viewer, values=values, errors=errors)
    return redirect_done("/admin/users", added=values["login"])


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
    return admin_page(
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
    require_permission(request, services, viewer, Permission.ADMIN)
    notice = notice_of(viewer, dict(request.query_params), _PEOPLE_NOTICES)
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
    require_permission(request, services, viewer, Permission.ADMIN)
    values = await form_values(request, viewer)
    t = translations(viewer.lang).gettext
    errors: Errors = {}
    try:
        with admin_work(services) as session:
            find_user(session, login)
            work(session, values, t, errors)
            if errors:
                raise _Invalid
    except admin.ConfirmationNeeded:
        return ask_first(
            request,
            viewer,
            section="users",
            action=str(request.url.path),
            question=t(question).format(name=login),
            values=values,
            back=_person_url(login),
        )
    except InvalidInput as exc:
        errors[exc.field or "login"] = error_message(exc, t)
    except _Invalid:
        pass
    if errors:
        values["password"] = ""
        return _person_page(request, services, viewer, login, values=values, errors=errors)
    return redirect_done("/admin/users" if back_to_list else _person_url(login), **{done: login})


class _Invalid(Exception):
    """The form had errors found before any change: roll back and show them."""


@router.post("/users/{login}", response_class=HTMLResponse)
async def change_person(
    login: str, request: Request, services: ServicesDep, viewer: ViewerDep
) -> Response:
    def work(
        session: Session, values: dict[str, Any], t: Callable[[str], str], errors: Errors
    ) -> None:
        clearance = clearance_of(values, t, errors)
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
        errors.update(required(values, t, "password"))
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
        require_permission(request, services, viewer, Permission.ADMIN)
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
