"""What a page shows is what its viewer may read, and text stays text."""

from __future__ import annotations

from playwright.sync_api import Dialog, expect

from tests.ui.conftest import Site

SCRIPT_TITLE = "<script>alert(1)</script>"


def test_a_script_title_is_text_and_another_departments_secret_never_shows(site: Site) -> None:
    ours = site.upload(
        site.keys["somu"],
        "budget.txt",
        "令和6年度 予算要求書 道路補修".encode(),
        title=SCRIPT_TITLE,
    )
    theirs = site.upload(
        site.keys["kenko"],
        "checkup.txt",
        "予算要求書 健康診断 機密 zebrafinch".encode(),
        title="健康局の機密予算",
        security_level="confidential",
    )
    site.wait_processed(site.keys["somu"], ours)
    site.wait_processed(site.keys["kenko"], theirs)

    page = site.signed_in("sato")
    dialogs: list[Dialog] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.goto("/search?q=予算要求書")
    hits = page.locator("ol.hits > li")
    expect(hits).to_have_count(1)
    expect(hits.first.locator("h2 a")).to_have_text(SCRIPT_TITLE)
    assert "&lt;script&gt;" in hits.first.locator("h2 a").inner_html()
    expect(page.locator("#result-count")).to_have_text("1 件")
    facets = page.locator(".facets a").evaluate_all(
        "links => links.map(a => a.dataset.facet + ':' + a.dataset.value)"
    )
    assert "department:kenko" not in facets and "security_level:confidential" not in facets
    assert facets.count("department:somu") == 1
    site.shot(page, "search-script-title")

    page.goto("/search?q=zebrafinch")
    expect(page.locator("ol.hits > li")).to_have_count(0)
    expect(page.locator(".empty h2")).to_have_text("該当する文書はありません")
    page.goto("/search?dept=kenko")
    expect(page.locator("ol.hits > li")).to_have_count(0)

    response = page.goto(f"/documents/{theirs}")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("見つかりません")
    assert "zebrafinch" not in page.content() and "健康局の機密予算" not in page.content()
    preview = page.request.get(f"/documents/{theirs}/pages/1.png")
    assert preview.status == 404
    status = page.request.get(f"/upload/status?ids={theirs},{ours}").json()
    assert [d["id"] for d in status["documents"]] == [ours]
    site.shot(page, "not-found")

    page.goto(f"/documents/{ours}")
    expect(page.locator("#doc-title")).to_have_text(SCRIPT_TITLE)
    expect(page.locator("#audit-h")).to_have_count(0)  # staff see no audit trail
    expect(page.locator("form.correct")).to_have_count(0)
    assert dialogs == []
    page.context.close()


def test_a_records_officer_corrects_the_type_and_sees_the_audit_trail(site: Site) -> None:
    text = "業務委託契約書 甲と乙は次のとおり契約を締結する。契約期間 令和6年4月1日から。委託料 金1,234,000円。"
    document_id = site.upload(
        site.keys["somu"], "keiyaku.txt", text.encode(), title="庁舎清掃の契約"
    )
    site.wait_processed(site.keys["somu"], document_id)

    page = site.signed_in("kimura", lang="en")
    page.goto(f"/documents/{document_id}")
    expect(page.locator("#audit-h")).to_have_text("Audit trail")
    expect(page.locator("table.audit")).to_contain_text("Uploaded")  # action codes are named
    field = page.locator(".field-link").first
    if field.count():
        field.click()
        expect(page.locator("mark.span-highlight")).to_be_visible()
    page.select_option("#doc_type", "invoice")
    page.click("form.correct button[type=submit]")
    expect(page.locator(".notice")).to_contain_text("The type was changed")
    expect(page.locator("#doc-status")).to_have_attribute("data-status", "indexed", timeout=60_000)
    expect(page.locator(".facts")).to_contain_text("set by a records officer")
    expect(page.locator("table.audit")).to_contain_text("Changed the metadata")
    site.shot(page, "document-officer")
    page.context.close()
