"""Browser tests: a real ``bunko serve`` on each stack, driven by Debian's Chromium via Playwright.

Chromium comes from the Debian package (``/usr/bin/chromium``); Playwright's own browser
download does not work here. Screenshots go to ``test-artifacts/ui/<stack>/``.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from archive.access import SecurityLevel
from tests.conftest import serving
from tests.factories import PASSWORD, key_for, org, person
from web.services import Services

CHROMIUM = os.environ.get("BUNKO_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "ui"
FINAL = ("indexed", "failed")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@dataclass
class Site:
    """A running Bunko with three departments and people, and a way to open signed-in tabs."""

    base: str
    stack: str
    services: Services
    browser: Browser
    keys: dict[str, str]

    def context(self, lang: str = "ja") -> BrowserContext:
        context = self.browser.new_context(
            base_url=self.base,
            locale="ja-JP" if lang == "ja" else "en-US",
            accept_downloads=True,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(15_000)
        return context

    def signed_in(self, login: str, lang: str = "ja") -> Page:
        page = self.context(lang).new_page()
        page.goto("/search")
        assert "/login" in page.url
        page.fill("#login", login)
        page.fill("#password", PASSWORD)
        page.click("form[action='/login'] button[type=submit]")
        page.wait_for_url("**/search")
        return page

    def shot(self, page: Page, name: str) -> Path:
        path = ARTIFACTS / self.stack / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        return path

    def upload(self, key: str, name: str, content: bytes, **metadata: object) -> str:
        response = httpx.post(
            f"{self.base}/api/v1/documents",
            files={"file": (name, content)},
            data={"metadata": json.dumps(metadata)},
            headers={"X-API-Key": key},
            timeout=30,
        )
        assert response.status_code == 202, response.text
        return str(response.json()["id"])

    def wait_processed(self, key: str, *ids: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        pending = set(ids)
        while pending and time.monotonic() < deadline:
            for document_id in list(pending):
                body = httpx.get(
                    f"{self.base}/api/v1/documents/{document_id}",
                    headers={"X-API-Key": key},
                    timeout=10,
                ).json()
                if body["status"] in FINAL:
                    assert body["status"] == "indexed", body
                    pending.discard(document_id)
            time.sleep(0.3)
        assert not pending, f"still processing after {timeout} s: {pending}"


@pytest.fixture
def site(services: Services, stack: str, browser: Browser) -> Iterator[Site]:
    """総務局 (somu) with 人事課 (jinji) below it, and 健康局 (kenko); people of each role."""
    org(services)
    person(services, "sato", "somu", clearance=SecurityLevel.CONFIDENTIAL)
    person(services, "kimura", "somu", roles=("records_officer",), clearance=SecurityLevel.SECRET)
    person(services, "admin", None, roles=("admin",), clearance=SecurityLevel.SECRET)
    keys = {
        "somu": key_for(services, "somu", clearance=SecurityLevel.CONFIDENTIAL),
        "kenko": key_for(services, "kenko", clearance=SecurityLevel.SECRET),
    }
    with serving(services, stack) as server:
        yield Site(server.base, stack, services, browser, keys)
