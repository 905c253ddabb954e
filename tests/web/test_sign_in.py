"""Password sign-in, sessions, lock-out and CSRF, through the real pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from archive.models import AuditEvent, UserSession, utcnow
from archive.users import MAX_FAILED_LOGINS, disable_user, find_user
from tests.factories import PASSWORD, csrf_from, org, person, sign_in
from web.app import create_app
from web.security import SESSION_COOKIE
from web.services import Services


@pytest.fixture
def browser(services: Services) -> Iterator[TestClient]:
    org(services)
    person(services, "sato", "somu")
    with TestClient(create_app(services=services)) as client:
        yield client


def attempt(browser: TestClient, login: str, password: str) -> int:
    form = browser.get("/login")
    response = browser.post(
        "/login",
        data={"login": login, "password": password, "csrf_token": csrf_from(form.text)},
        follow_redirects=False,
    )
    return response.status_code


def denials(services: Services) -> list[str]:
    with services.sessions() as session:
        rows = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "auth.login", AuditEvent.outcome == "denied"
            )
        )
        return [row.detail for row in rows]


def test_sign_in_opens_a_session_with_safe_cookie_flags(browser: TestClient) -> None:
    form = browser.get("/login")
    response = browser.post(
        "/login",
        data={"login": "sato", "password": PASSWORD, "csrf_token": csrf_from(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert browser.get("/api/v1/documents").status_code == 200
    home = browser.get("/")
    assert "Sato" in home.text


@pytest.mark.parametrize(
    ("login", "password", "reason"),
    [("sato", "wrong password!", "wrong password"), ("nobody", PASSWORD, "unknown user")],
)
def test_wrong_password_and_unknown_user_are_refused_alike(
    browser: TestClient, services: Services, login: str, password: str, reason: str
) -> None:
    assert attempt(browser, login, password) == 401
    assert browser.get("/api/v1/documents").status_code == 401
    assert any(reason in detail for detail in denials(services))


def test_disabled_user_cannot_sign_in_and_loses_sessions(
    browser: TestClient, services: Services
) -> None:
    sign_in(browser, "sato")
    with services.sessions.begin() as session:
        disable_user(session, find_user(session, "sato"))
    assert browser.get("/api/v1/documents").status_code == 401
    browser.cookies.clear()
    assert attempt(browser, "sato", PASSWORD) == 401


def test_lock_out_after_repeated_failures(browser: TestClient, services: Services) -> None:
    for _ in range(MAX_FAILED_LOGINS):
        assert attempt(browser, "sato", "not the password") == 401
    assert attempt(browser, "sato", PASSWORD) == 401
    assert any("locked" in detail for detail in denials(services))


def test_expired_session_is_refused(browser: TestClient, services: Services) -> None:
    sign_in(browser, "sato")
    with services.sessions.begin() as session:
        session.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert browser.get("/api/v1/documents").status_code == 401
    assert browser.get("/", follow_redirects=False).headers["location"] == "/login"


def test_forged_and_altered_cookies_are_not_recognised(browser: TestClient) -> None:
    sign_in(browser, "sato")
    genuine = browser.cookies[SESSION_COOKIE]
    browser.cookies.clear()
    browser.cookies.set(SESSION_COOKIE, genuine)
    assert browser.get("/api/v1/documents").status_code == 200
    for forged in (
        "forged",
        genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"),
        genuine.split(".")[0],
    ):
        browser.cookies.clear()
        browser.cookies.set(SESSION_COOKIE, forged)
        assert browser.get("/api/v1/documents").status_code == 401


def test_cookie_replayed_after_logout_is_refused(browser: TestClient) -> None:
    sign_in(browser, "sato")
    stolen = browser.cookies[SESSION_COOKIE]
    home = browser.get("/")
    assert (
        browser.post(
            "/logout", data={"csrf_token": csrf_from(home.text)}, follow_redirects=False
        ).status_code
        == 303
    )
    browser.cookies.clear()
    browser.cookies.set(SESSION_COOKIE, stolen)
    assert browser.get("/api/v1/documents").status_code == 401


def test_forms_without_csrf_token_are_refused(browser: TestClient) -> None:
    browser.get("/login")
    assert browser.post("/login", data={"login": "sato", "password": PASSWORD}).status_code == 403
    assert (
        browser.post(
            "/login", data={"login": "sato", "password": PASSWORD, "csrf_token": "guess"}
        ).status_code
        == 403
    )
    sign_in(browser, "sato")
    assert browser.post("/logout", data={}).status_code == 403
    assert browser.get("/api/v1/documents").status_code == 200  # still signed in


def test_cookie_authenticated_api_writes_need_the_csrf_header(browser: TestClient) -> None:
    sign_in(browser, "sato")
    files = {"file": ("a.txt", b"from the browser", "text/plain")}
    assert browser.post("/api/v1/documents", files=files).status_code == 403
    token = csrf_from(browser.get("/").text)
    assert (
        browser.post("/api/v1/documents", files=files, headers={"X-CSRF-Token": token}).status_code
        == 202
    )


def test_next_parameter_cannot_redirect_off_site(browser: TestClient) -> None:
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        form = browser.get("/login")
        response = browser.post(
            "/login",
            data={
                "login": "sato",
                "password": PASSWORD,
                "csrf_token": csrf_from(form.text),
                "next": target,
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == "/"
        browser.cookies.clear()


def test_login_page_speaks_the_browsers_language(browser: TestClient) -> None:
    assert "ログイン" in browser.get("/login", headers={"Accept-Language": "ja,en;q=0.5"}).text
    english = browser.get("/login", headers={"Accept-Language": "en-GB,ja;q=0.3"}).text
    assert "Sign in" in english and "ログイン" not in english
