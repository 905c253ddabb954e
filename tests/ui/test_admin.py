"""Administrators manage people, departments and API keys; forms keep what was typed."""

from __future__ import annotations

import httpx2 as httpx
from playwright.sync_api import Page, expect

from tests.ui.conftest import Site


def _fill(page: Page, form: str, **fields: str) -> None:
    """Fill the form posting to ``form`` (inputs by id, selects by value) and submit it."""
    for name, value in fields.items():
        if page.locator(f"select#{name}").count():
            page.select_option(f"#{name}", value)
        else:
            page.fill(f"#{name}", value)
    page.click(f"form[action='{form}'] button[type=submit]")


def test_admin_adds_a_department_and_a_person_and_creates_and_revokes_a_key(site: Site) -> None:
    page = site.signed_in("admin", lang="en")
    page.click("nav.mainnav a[href='/admin/users']")

    page.click(".tabs a[href='/admin/departments']")
    _fill(page, "/admin/departments", code="doboku")
    expect(page.locator("#name-error")).to_be_visible()
    expect(page.locator("#code")).to_have_value("doboku")
    _fill(page, "/admin/departments", name="土木局", name_en="Civil Engineering Bureau")
    expect(page.locator(".notice")).to_have_text("Added doboku.")
    expect(page.locator(".tree li[data-code=doboku]")).to_contain_text("土木局")
    site.shot(page, "admin-departments")

    page.click(".tabs a[href='/admin/users']")
    _fill(
        page,
        "/admin/users",
        login="tanaka",
        display_name="田中 花子",
        department="doboku",
        password="short",
    )
    expect(page.locator("#password-error")).to_contain_text("at least")
    expect(page.locator("#login")).to_have_value("tanaka")
    expect(page.locator("#department")).to_have_value("doboku")
    _fill(page, "/admin/users", password="a long enough password")
    expect(page.locator(".notice")).to_have_text("Added tanaka.")
    page.click("tr[data-login=tanaka] button")
    expect(page.locator("tr[data-login=tanaka]")).to_contain_text("disabled")
    site.shot(page, "admin-users")

    page.click(".tabs a[href='/admin/keys']")
    _fill(page, "/admin/keys", name="budget-system", source_system="budget", department="somu")
    key = page.locator("#new-key").inner_text()
    assert key.startswith("bk_")
    assert (
        httpx.get(
            f"{site.base}/api/v1/documents", headers={"X-API-Key": key}, timeout=10
        ).status_code
        == 200
    )
    site.shot(page, "admin-keys")
    page.reload()  # shown once: a reload (a GET) never shows it again
    expect(page.locator("#new-key")).to_have_count(0)
    page.click("tr[data-key=budget-system] button")
    expect(page.locator("tr[data-key=budget-system]")).to_contain_text("revoked")
    assert (
        httpx.get(
            f"{site.base}/api/v1/documents", headers={"X-API-Key": key}, timeout=10
        ).status_code
        == 401
    )

    audit = httpx.get(
        f"{site.base}/api/v1/audit",
        params={"actor": "user:admin"},
        timeout=10,
        cookies=dict((c["name"], c["value"]) for c in page.context.cookies()),
    ).json()
    actions = {e["action"] for e in audit["items"]}
    assert {
        "department.add",
        "user.add",
        "user.disable",
        "apikey.create",
        "apikey.revoke",
    } <= actions
    page.context.close()


def test_staff_get_a_friendly_403_and_unknown_pages_a_friendly_404(site: Site) -> None:
    page = site.signed_in("sato")
    response = page.goto("/admin/users")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("このページは表示できません")
    site.shot(page, "forbidden")
    response = page.goto("/no/such/page")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("見つかりません")
    api = page.request.get("/api/v1/documents/nope")
    assert api.status == 404 and api.json()["error"]["code"] == "not_found"
    page.context.close()
