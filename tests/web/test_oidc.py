"""Sign-in through a real OpenID Connect provider (panva/oidc-provider on Node.js)."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing
from html.parser import HTMLParser
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import select

from archive.models import AuditEvent, User
from tests.conftest import Server, free_port, start_server, stop_server
from tests.factories import org
from web.services import Services

PROVIDER = Path(__file__).resolve().parents[1] / "oidc"


class FormParser(HTMLParser):
    """The first form of a page: its action and the values of its inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attributes.get("action") or ""
        elif tag == "input" and attributes.get("name"):
            self.fields[str(attributes["name"])] = attributes.get("value") or ""


def submit_form(client: httpx.Client, page: httpx.Response, **values: str) -> httpx.Response:
    parser = FormParser()
    parser.feed(page.text)
    assert parser.action is not None, page.text[:500]
    return client.post(str(page.url.join(parser.action)), data={**parser.fields, **values})


@pytest.fixture
def directory(services: Services) -> Iterator[tuple[str, int]]:
    """A running provider; yields its issuer and the port Bunko must listen on for its callback."""
    if shutil.which("node") is None or not (PROVIDER / "node_modules").is_dir():
        pytest.fail(
            "Node.js and tests/oidc/node_modules are needed (scripts/test.sh installs them)"
        )
    bunko_port, provider_port = free_port(), free_port()
    proc = subprocess.Popen(
        [
            "node",
            "provider.mjs",
            str(provider_port),
            f"http://127.0.0.1:{bunko_port}/auth/oidc/callback",
        ],
        cwd=PROVIDER,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    issuer = f"http://127.0.0.1:{provider_port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if (
                httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=1).status_code
                == 200
            ):
                break
        except httpx.TransportError:
            time.sleep(0.2)
    yield issuer, bunko_port
    proc.terminate()
    proc.wait(timeout=10)


def bunko_with_directory(
    services: Services, issuer: str, port: int, default_department: str | None
) -> tuple[Server, str]:
    settings = services.settings.model_copy(
        update={
            "oidc_issuer": issuer,
            "oidc_client_id": "bunko",
            "oidc_client_secret": "bunko-test-client-secret",
            "oidc_default_department": default_department,
        }
    )
    return start_server(settings, port=port)


def sign_in_through_directory(base: str, login: str) -> httpx.Client:
    client = httpx.Client(follow_redirects=True, timeout=30)
    try:
        page = client.get(f"{base}/auth/oidc/login")
        page = submit_form(client, page, login=login, password="anything")
        if "/interaction/" in str(page.url):  # the consent prompt
            page = submit_form(client, page)
        assert str(page.url).startswith(base), page.url
    except BaseException:
        client.close()
        raise
    return client


def test_a_directory_user_signs_in_and_is_provisioned(
    services: Services, directory: tuple[str, int]
) -> None:
    """GIVEN a city directory WHEN a new member of staff signs in THEN a staff account of the default department exists."""
    org(services)
    server, base = bunko_with_directory(services, *directory, default_department="kenko")
    try:
        with closing(sign_in_through_directory(base, "alice")) as client:
            assert "alice (directory)" in client.get(f"{base}/").text
            assert client.get(f"{base}/api/v1/documents").status_code == 200
        with closing(
            sign_in_through_directory(base, "alice")
        ) as again:  # the same subject: the same account
            assert again.get(f"{base}/api/v1/documents").status_code == 200
    finally:
        stop_server(server)
    with services.sessions() as session:
        users = session.scalars(select(User).where(User.oidc_subject == "sub-alice")).all()
        assert [(u.login, u.roles, u.department.code if u.department else None) for u in users] == [
            ("alice", "staff", "kenko")
        ]
        methods = [
            e.detail
            for e in session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login"))
        ]
        assert sum('"oidc"' in d for d in methods) == 2


def test_unknown_directory_user_without_default_department_is_refused(
    services: Services, directory: tuple[str, int]
) -> None:
    server, base = bunko_with_directory(services, *directory, default_department=None)
    try:
        with httpx.Client(follow_redirects=True, timeout=30) as client:
            page = submit_form(
                client, client.get(f"{base}/auth/oidc/login"), login="mallory", password="x"
            )
            if "/interaction/" in str(page.url):
                page = submit_form(client, page)
            assert page.status_code == 401
            assert client.get(f"{base}/api/v1/documents").status_code == 401
    finally:
        stop_server(server)


def test_callback_with_a_forged_state_is_refused(
    services: Services, directory: tuple[str, int]
) -> None:
    server, base = bunko_with_directory(services, *directory, default_department="kenko")
    try:
        with httpx.Client(follow_redirects=False, timeout=30) as client:
            client.get(f"{base}/auth/oidc/login")
            forged = client.get(
                f"{base}/auth/oidc/callback", params={"code": "stolen", "state": "guessed"}
            )
            assert forged.status_code == 401
            assert client.get(f"{base}/api/v1/documents").status_code == 401
    finally:
        stop_server(server)
