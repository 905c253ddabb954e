"""Server-rendered pages: Jinja2 with autoescaping, translated per request."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from archive import Principal
from retention import JST
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
    """A stored (UTC) time in Japan time, labelled: ``2026-04-01 09:30 JST``."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M JST")


_ERAS = ((date(2019, 5, 1), "令和"), (date(1989, 1, 8), "平成"), (date(1926, 12, 25), "昭和"))


def format_day(day: date | None, *, wareki: bool = False) -> str:
    """``2024-04-01``, or in the Japanese calendar (和暦) ``令和6年4月1日`` (元年 for the first)."""
    if day is None:
        return "—"
    for start, era in _ERAS if wareki else ():
        if day >= start:
            year = day.year - start.year + 1
            return f"{era}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    return day.isoformat()


_env.filters["snippet"] = safe_snippet
_env.filters["amount"] = format_amount
_env.filters["bytes"] = format_bytes
_env.filters["jst"] = format_jst


LANG_COOKIE = "bunko_lang"
DATES_COOKIE = "bunko_dates"
"""``wareki`` shows dates in the Japanese calendar (a person's preference, like the language)."""


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
    wareki = request.cookies.get(DATES_COOKIE) == "wareki"
    html = _env.get_template(template).render(
        request=request,
        user=user,
        lang=lang,
        t=t,
        csrf_token=csrf_token,
        wareki=wareki,
        day=partial(format_day, wareki=wareki),
        **context,
    )
    return HTMLResponse(html, status_code=status_code)
