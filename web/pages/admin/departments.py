"""Administration of departments: add, rename, move under another parent and retire, with
the history of every change."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import (
    Department,
    DepartmentChange,
    InvalidInput,
    Permission,
    department_history,
    display_names,
)
from web import administration as admin
from web.deps import ServicesDep
from web.i18n import N_, translations
from web.pages._common import Viewer, ViewerDep, department_label, require_permission
from web.pages.admin.common import (
    Errors,
    admin_page,
    admin_work,
    ask_first,
    department_choices,
    error_message,
    find_department,
    form_values,
    notice_of,
    redirect_done,
    required,
)
from web.services import Services

router = APIRouter(prefix="/admin", tags=["pages"], include_in_schema=False)


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

    return admin_page(
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
    require_permission(request, services, viewer, Permission.ADMIN)
    params = dict(request.query_params)
    with services.sessions() as session:
        for key in _DEPARTMENT_NOTICES:
            unit = session.scalar(select(Department).where(Department.code == params.get(key)))
            params[key] = department_label(unit, viewer.lang) if unit else ""
    notice = notice_of(viewer, params, _DEPARTMENT_NOTICES)
    return _departments_page(request, services, viewer, notice=notice)


@router.post("/departments", response_class=HTMLResponse)
async def add_unit(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_permission(request, services, viewer, Permission.ADMIN)
    values = await form_values(request, viewer)
    t = translations(viewer.lang).gettext
    errors = required(values, t, "code", "name")
    if not errors:
        try:
            with admin_work(services) as session:
                admin.add_unit(
                    session,
                    viewer.principal.actor,
                    code=values["code"],
                    name=values["name"],
                    parent=values.get("parent") or None,
                    name_en=values.get("name_en") or None,
                )
        except InvalidInput as exc:
            errors["parent" if exc.field == "department" else exc.field or "code"] = error_message(
                exc, t
            )
    if errors:
        return _departments_page(request, services, viewer, values=values, errors=errors)
    return redirect_done("/admin/departments", added=values["code"])


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
            "parents": [d for d in department_choices(session, viewer.lang) if d[0] not in below],
            "current": {
                "name": unit.name,
                "name_en": unit.name_en or "",
                "parent": parent.code if parent else "",
            },
        }

    return admin_page(
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
    require_permission(request, services, viewer, Permission.ADMIN)
    return _unit_page(request, services, viewer, code)


@router.post("/departments/{code}/{step}", response_class=HTMLResponse)
async def unit_step(
    code: str, step: str, request: Request, services: ServicesDep, viewer: ViewerDep
) -> Response:
    """``rename``, ``move`` (under another parent, or to the top) or ``retire`` a department."""
    require_permission(request, services, viewer, Permission.ADMIN)
    if step not in ("rename", "move", "retire"):
        raise InvalidInput("unknown step", field="step", status=404)
    values = await form_values(request, viewer)
    t = translations(viewer.lang).gettext
    actor = viewer.principal.actor
    errors = required(values, t, "name") if step == "rename" else {}
    if step == "retire" and not values["confirmed"]:
        with services.sessions() as session:
            name = department_label(find_department(session, code), viewer.lang)
        return ask_first(
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
            with admin_work(services) as session:
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
            errors[exc.field if exc.field in ("name", "parent") else "department"] = error_message(
                exc, t
            )
    if errors:
        return _unit_page(request, services, viewer, code, values=values, errors=errors)
    admin.reindex_moved(services, moved)
    return redirect_done("/admin/departments", **{step.removesuffix("e") + "ed": code})
