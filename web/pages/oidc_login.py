"""Sign-in through the city's OpenID Connect directory."""

from __future__ import annotations

import hmac
import json

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from archive import Actor, LoginFailed, refuse_sign_in, translate_db_errors, user_for_oidc
from web.deps import ServicesDep, client_ip
from web.i18n import translations
from web.oidc import OidcError
from web.pages.auth import login_page, safe_next, start_session
from web.templating import page_locale

router = APIRouter(prefix="/auth/oidc", tags=["pages"], include_in_schema=False)

STATE_COOKIE = "bunko_oidc"
STATE_MAX_AGE_S = 600


@router.get("/login")
def oidc_login(request: Request, services: ServicesDep, next: str = "/") -> Response:
    if services.oidc is None:
        raise HTTPException(404, "OpenID Connect is not configured")
    challenge = services.oidc.challenge(str(request.url_for("oidc_callback")))
    state = json.dumps(
        {
            "state": challenge.state,
            "nonce": challenge.nonce,
            "verifier": challenge.verifier,
            "next": safe_next(next),
        }
    )
    response = RedirectResponse(challenge.url, status_code=303)
    # Lax, not Strict: the provider sends the browser back with a cross-site top-level GET.
    response.set_cookie(
        STATE_COOKIE,
        services.signer.sign(state, purpose="oidc"),
        max_age=STATE_MAX_AGE_S,
        httponly=True,
        samesite="lax",
        secure=services.settings.cookie_secure,
    )
    return response


@router.get("/callback", name="oidc_callback")
def oidc_callback(
    request: Request, services: ServicesDep, code: str = "", state: str = ""
) -> Response:
    if services.oidc is None:
        raise HTTPException(404, "OpenID Connect is not configured")
    t = translations(page_locale(request)).gettext
    cookie = request.cookies.get(STATE_COOKIE)
    saved = (
        services.signer.unsign(cookie, purpose="oidc", max_age_s=STATE_MAX_AGE_S)
        if cookie
        else None
    )
    expected = json.loads(saved) if saved else None
    reason = None
    if expected is None or not state or not hmac.compare_digest(expected["state"], state):
        reason = "state mismatch or expired"
    elif not code:
        reason = f"provider returned no code: {request.query_params.get('error', 'unknown error')}"
    user_id = None
    if reason is None and expected is not None:
        try:
            claims = services.oidc.claims(
                str(request.url_for("oidc_callback")),
                code=code,
                verifier=expected["verifier"],
                nonce=expected["nonce"],
            )
            with translate_db_errors(), services.sessions.begin() as session:
                user_id = user_for_oidc(
                    session,
                    subject=str(claims["sub"]),
                    claims=claims,
                    default_department=services.settings.oidc_default_department,
                ).id
        except (OidcError, LoginFailed) as exc:
            reason = getattr(exc, "reason", None) or str(exc)
    if user_id is None:
        with translate_db_errors(), services.sessions.begin() as session:
            refuse_sign_in(
                session, Actor("oidc:unknown", client_ip(request)), method="oidc", reason=reason
            )
        response: Response = login_page(
            request,
            services,
            next_url="/",
            error=t("Sign-in through the city directory failed."),
            status=401,
        )
    else:
        target = safe_next(expected["next"]) if expected else "/"
        response = start_session(
            request, services, RedirectResponse(target, status_code=303), user_id, method="oidc"
        )
    response.delete_cookie(STATE_COOKIE)
    return response
