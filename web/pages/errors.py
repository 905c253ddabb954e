"""Friendly HTML error pages for page routes; the API keeps its JSON errors.

Each handler installed by ``web.errors`` is wrapped, not replaced: the original still
decides the status (and logs 5xx), and only its body is swapped for a page, so the two
never disagree about what an error means.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from web.i18n import translations
from web.pages._common import PageForbidden, SignInRequired, sign_in_url
from web.templating import page_locale, render

Handler = Callable[[Request, Exception], Response | Awaitable[Response]]

NOT_PAGES = (
    "/api/",
    "/healthz",
    "/readyz",
    "/metrics",
    "/docs",
    "/redoc",
    "/openapi.json",
    "/static/",
)


def _explain(status: int, t: Callable[[str], str]) -> tuple[str, str]:
    if status == 403:
        return t("You may not see this page"), t(
            "Your role or clearance does not allow this. Ask an administrator if you need it."
        )
    if status == 404:
        return t("Not found"), t("This page or document does not exist, or you may not read it.")
    if status in (400, 405, 422):
        return t("The request was not understood"), t("Please go back and try again.")
    if status == 503:
        return t("A service is unavailable"), t(
            "Part of Bunko is not answering. Please try again in a minute."
        )
    return t("Something went wrong"), t(
        "The error was recorded. Please try again; if it happens again, tell the help desk."
    )


def error_page(request: Request, status: int) -> Response:
    t = translations(page_locale(request)).gettext
    title, message = _explain(status, t)
    return render(
        request,
        "error.html",
        user=None,
        csrf_token="",
        status_code=status,
        status=status,
        title=title,
        message=message,
    )


def _html_or(original: Handler) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        response = original(request, exc)
        if inspect.isawaitable(response):
            response = await response
        if request.url.path.startswith(NOT_PAGES) or response.status_code < 400:
            return response
        page = error_page(request, response.status_code)
        if "retry-after" in response.headers:
            page.headers["Retry-After"] = response.headers["retry-after"]
        return page

    return handle


def _sign_in(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    return RedirectResponse(sign_in_url(exc.next_url), status_code=303)


def _forbidden(request: Request, _exc: Exception) -> Response:
    return error_page(request, 403)


def install_page_errors(app: FastAPI) -> None:
    """Call after ``web.errors.install_error_handlers``."""
    for kind, original in list(app.exception_handlers.items()):
        if isinstance(kind, type) and kind.__name__.startswith("WebSocket"):
            continue
        app.add_exception_handler(kind, _html_or(original))
    app.add_exception_handler(SignInRequired, _sign_in)
    app.add_exception_handler(PageForbidden, _forbidden)
