"""Administration of API keys: create one (shown once) and revoke one (asks first)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import API_SCOPES, ApiKey, InvalidInput, Permission
from retention import JST, end_of_day_utc
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
    existing,
    form_values,
    notice_of,
    redirect_done,
    required,
)
from web.services import Services

router = APIRouter(prefix="/admin", tags=["pages"], include_in_schema=False)


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

    return admin_page(
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
    require_permission(request, services, viewer, Permission.ADMIN)
    notice = notice_of(viewer, dict(request.query_params), {"revoked": N_("Revoked {name}.")})
    return _keys_page(request, services, viewer, notice=notice)


@router.post("/keys", response_class=HTMLResponse)
async def create_key(request: Request, services: ServicesDep, viewer: ViewerDep) -> Response:
    require_permission(request, services, viewer, Permission.ADMIN)
    values = await form_values(request, viewer)
    t = translations(viewer.lang).gettext
    errors = required(values, t, "name")
    if not values["scopes"]:
        errors["scopes"] = t("Choose at least one scope.")
    clearance = clearance_of(values, t, errors)
    expires = None
    if values.get("expires"):
        try:
            expires = end_of_day_utc(date.fromisoformat(values["expires"]))
        except ValueError:
            errors["expires"] = t("Enter a date as YYYY-MM-DD.")
    key = None
    if not errors:
        try:
            with admin_work(services) as session:
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
            errors[exc.field or "name"] = error_message(exc, t)
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
    require_permission(request, services, viewer, Permission.ADMIN)
    values = await form_values(request, viewer)
    t = translations(viewer.lang).gettext
    with services.sessions() as session:
        existing(session, ApiKey.name, name)
    if not values["confirmed"]:
        return ask_first(
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
    with admin_work(services) as session:
        existing(session, ApiKey.name, name)
        admin.revoke_key(session, viewer.principal.actor, name)
    return redirect_done("/admin/keys", revoked=name)
