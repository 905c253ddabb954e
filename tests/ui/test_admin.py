"""Administrators manage people, departments and API keys; forms keep what was typed."""

from __future__ import annotations

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


def _shots(site: Site, page: Page, name: str) -> None:
    """Screenshots of this page in Japanese and in English, switching with the page's own links."""
    site.shot(page, f"{name}-ja")
    page.click(".langs a[hreflang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    site.shot(page, f"{name}-en")
    page.click(".langs a[hreflang=ja]")
    expect(page.locator("html")).to_have_attribute("lang", "ja")


def test_an_administrator_reorganises_departments_edits_a_person_and_revokes_a_key(
    site: Site,
) -> None:
    """From the browser only: the yearly 組織改正, a person moved, a key revoked, in Japanese."""
    page = site.signed_in("admin")
    page.click("nav.mainnav a[href='/admin/users']")

    page.click(".tabs a[href='/admin/departments']")
    _fill(page, "/admin/departments", code="doboku kyoku", name="土木局")
    expect(page.locator("#code-error")).to_contain_text("空白を含めずに")
    expect(page.locator("#name")).to_have_value("土木局")
    _fill(page, "/admin/departments", code="doboku", name_en="Civil Engineering Bureau")
    expect(page.locator(".notice")).to_have_text("土木局 を追加しました。")
    expect(page.locator(".tree li[data-code=doboku]")).to_contain_text("土木局")

    page.click(".tree li[data-code=jinji] a")
    _fill(page, "/admin/departments/jinji/rename", name="職員課", name_en="Staff Section")
    expect(page.locator(".notice")).to_have_text("職員課 の名称を変更しました。")
    page.click(".tree li[data-code=jinji] a")
    page.select_option("#parent", "doboku")
    page.click("form[action='/admin/departments/jinji/move'] button[type=submit]")
    expect(page.locator(".notice")).to_have_text("職員課 を移動しました。")
    history = page.locator("#department-history")
    expect(history).to_contain_text("総務局")  # moved from
    expect(history).to_contain_text("土木局")  # moved to
    expect(history).to_contain_text("人事課")  # the old name
    expect(history).to_contain_text("JST")
    expect(history).not_to_contain_text("user:admin")
    _shots(site, page, "admin-departments")

    page.click(".tabs a[href='/admin/users']")
    page.click("tr[data-login=sato] a")
    page.select_option("#department", "jinji")
    page.check("input[name=roles][value=records_officer]")
    page.select_option("#clearance", "secret")
    page.click("form[action='/admin/users/sato'] button[type=submit]")
    expect(page.locator(".notice")).to_have_text("sato の変更を保存しました。")
    expect(page.locator("#department")).to_have_value("jinji")
    _shots(site, page, "admin-person")
    page.fill("#password", "short")
    page.click("form[action='/admin/users/sato/password'] button[type=submit]")
    expect(page.locator("#password-error")).to_have_text("パスワードが短すぎます。")

    page.click(".tabs a[href='/admin/departments']")
    page.click(".tree li[data-code=jinji] a")
    page.click("form[action='/admin/departments/jinji/retire'] button")
    expect(page.locator("#question")).to_contain_text("職員課 を廃止しますか")
    page.click("form[action='/admin/departments/jinji/retire'] button")
    expect(page.locator("#department-error")).to_contain_text("他へ移してください")
    page.click(".tabs a[href='/admin/users']")
    page.click("tr[data-login=sato] a")
    page.select_option("#department", "doboku")
    page.click("form[action='/admin/users/sato'] button[type=submit]")
    page.click(".tabs a[href='/admin/departments']")
    page.click(".tree li[data-code=jinji] a")
    page.click("form[action='/admin/departments/jinji/retire'] button")
    page.click("form[action='/admin/departments/jinji/retire'] button")
    expect(page.locator(".notice")).to_have_text("職員課 を廃止しました。")
    expect(page.locator(".tree li[data-code=jinji]")).to_contain_text("廃止")
    _shots(site, page, "admin-reorganised")

    page.click(".tabs a[href='/admin/keys']")
    page.fill("#name", "budget-system")
    page.fill("#expires", "2999-03-31")
    page.select_option("#department", "somu")
    page.click("form[action='/admin/keys'] button[type=submit]")
    expect(page.locator("#new-key")).to_contain_text("bk_")
    row = page.locator("tr[data-key=budget-system]")
    expect(row).to_contain_text("2999-03-31")
    expect(row).to_contain_text("未使用")
    page.reload()  # shown once: a reload (a GET) never shows it again
    expect(page.locator("#new-key")).to_have_count(0)
    page.click("tr[data-key=budget-system] button")
    expect(page.locator("#question")).to_contain_text("budget-system を失効させますか")
    site.shot(page, "admin-revoke-confirm-ja")  # a POST's answer: no language switch here
    page.click("form[action='/admin/keys/budget-system/revoke'] button")
    expect(page.locator(".notice")).to_have_text("budget-system を失効させました。")
    expect(page.locator("tr[data-key=budget-system]")).to_contain_text("失効")
    _shots(site, page, "admin-keys")
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
