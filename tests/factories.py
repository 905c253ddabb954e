"""Builders for test data: departments, people, keys and documents through the real services."""

from __future__ import annotations

import json
import re
import uuid

from fastapi.testclient import TestClient

from archive import create_api_key
from archive.access import SecurityLevel
from archive.departments import add_department
from archive.users import add_user
from web.services import Services

PASSWORD = "correct horse battery"


def org(services: Services) -> None:
    """総務局 with 人事課 below it, and 健康局 beside them."""
    with services.sessions.begin() as session:
        add_department(session, code="somu", name="総務局", name_en="General Affairs Bureau")
        add_department(
            session, code="jinji", name="人事課", parent_code="somu", name_en="Personnel Section"
        )
        add_department(session, code="kenko", name="健康局", name_en="Health Bureau")


def key_for(
    services: Services,
    department: str | None,
    *,
    scopes: tuple[str, ...] = ("upload", "read", "search"),
    clearance: SecurityLevel = SecurityLevel.INTERNAL,
) -> str:
    with services.sessions.begin() as session:
        _row, key = create_api_key(
            session,
            name=f"k-{uuid.uuid4().hex[:8]}",
            department_code=department,
            scopes=scopes,
            clearance=clearance,
        )
    return key


def person(
    services: Services,
    login: str,
    department: str | None,
    *,
    roles: tuple[str, ...] = ("staff",),
    clearance: SecurityLevel = SecurityLevel.INTERNAL,
) -> str:
    with services.sessions.begin() as session:
        add_user(
            session,
            login=login,
            display_name=login.title(),
            department_code=department,
            roles=list(roles),
            clearance=clearance,
            password=PASSWORD,
        )
    return login


def upload_as(client: TestClient, key: str, content: bytes, **metadata: object) -> str:
    response = client.post(
        "/api/v1/documents",
        files={"file": ("doc.txt", content, "text/plain")},
        data={"metadata": json.dumps(metadata)},
        headers={"X-API-Key": key},
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def sign_in(client: TestClient, login: str, password: str = PASSWORD) -> TestClient:
    """Sign in through the login form, as a browser would; the client keeps the cookies."""
    form = client.get("/login")
    response = client.post(
        "/login",
        data={
            "login": login,
            "password": password,
            "csrf_token": csrf_from(form.text),
            "next": "/",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client
