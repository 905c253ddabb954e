"""The language switch: the person's choice is kept in a cookie and wins over the browser's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse

from web.deps import ServicesDep
from web.i18n import LOCALES
from web.pages.auth import safe_next
from web.templating import DATES_COOKIE, LANG_COOKIE

router = APIRouter(tags=["pages"], include_in_schema=False)

ONE_YEAR_S = 365 * 24 * 3600


@router.get("/lang/{code}")
def choose_language(
    code: str, services: ServicesDep, next: Annotated[str, Query(max_length=4000)] = "/"
) -> RedirectResponse:
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in LOCALES:
        response.set_cookie(
            LANG_COOKIE,
            code,
            max_age=ONE_YEAR_S,
            samesite="lax",
            secure=services.settings.cookie_secure,
        )
    return response


@router.get("/dates/{style}")
def choose_dates(
    style: str, services: ServicesDep, next: Annotated[str, Query(max_length=4000)] = "/"
) -> RedirectResponse:
    """Dates in the Western calendar (``western``) or the Japanese one (``wareki``, 和暦)."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if style in ("western", "wareki"):
        response.set_cookie(
            DATES_COOKIE,
            style,
            max_age=ONE_YEAR_S,
            samesite="lax",
            secure=services.settings.cookie_secure,
        )
    return response
