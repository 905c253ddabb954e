"""Server-rendered pages: Jinja2 with autoescaping, translated per request."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from archive.policy import Principal
from retention.dates import JST
from web.i18n import negotiate, translations
from web.pages.snippets import safe_snippet
from web.security import CSRF_COOKIE

_env = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


def format_amount(amount: Decimal | None, currency: str | None) -> str:
    """``¥1,234,567`` for yen (the usual currency), ``USD 1,234.50`` for others."""
    if amount is None:
        return ""
    if currency in (None, "JPY"):
        return f"¥{amount:,.0f}" if amount == amount.to_integral_value() else f"¥{amount:,}"
    return f"{currency} {amount:,.2f}"


def format_bytes(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


def format_jst(moment: datetime | None) -> str:
    """A moment in Japan time, labelled: ``2026-11-30 09:15 JST``."""
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M JST") if moment else "—"


_env.filters["snippet"] = safe_snippet
_env.filters["jst"] = format_jst
_env.filters["amount"] = format_amount
_env.filters["bytes"] = format_bytes


LANG_COOKIE = "bunko_lang"


def page_locale(request: Request) -> str:
    return negotiate(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


def csrf_binding(request: Request, session_token: str | None) -> str:
    """What the page's CSRF token is bound to: the session, or before sign-in the CSRF cookie."""
    return session_token or request.cookies.get(CSRF_COOKIE) or ""


def render(
    request: Request,
    template: str,
    *,
    user: Principal | None,
    csrf_token: str,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    lang = page_locale(request)
    t = translations(lang).gettext
    html = _env.get_template(template).render(
        request=request, user=user, lang=lang, t=t, csrf_token=csrf_token, **context
    )
    return HTMLResponse(html, status_code=status_code)
