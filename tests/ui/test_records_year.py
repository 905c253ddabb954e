"""A records officer's year, in the browser only: the file plan, documents filed by rule,
their retention set and explained on the document page, an extension, a hold from search
results, a dry run, a disposition batch reviewed by one officer and approved and executed
by another with a typed confirmation, the certificate, and the destroyed document's
tombstone. Each page is photographed in Japanese and in English."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from archive.access import SecurityLevel
from tests.factories import person
from tests.ui.conftest import Site

TITLES = ("委託契約_A.txt", "委託契約_B.txt", "委託契約_C.txt")
ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){3,}\b")


def both(site: Site, page: Page, name: str) -> None:
    """Photograph the page in Japanese (checking it holds no English sentence), then in English."""
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    text = page.locator("main").inner_text()
    assert not ENGLISH_SENTENCE.search(text), ENGLISH_SENTENCE.search(text)
    site.shot(page, f"records-{name}-ja")
    page.click("nav.langs a[hreflang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    site.shot(page, f"records-{name}-en")
    page.click("nav.langs a[hreflang=ja]")
    expect(page.locator("html")).to_have_attribute("lang", "ja")


def open_document(page: Page, title: str) -> None:
    page.goto("/search?q=委託契約")
    page.locator("ol.hits > li h2 a", has_text=title).click()
    page.wait_for_url("**/documents/*")


def test_a_records_officer_runs_a_disposition_from_proposal_to_certificate(
    site: Site, tmp_path: Path
) -> None:
    person(
        site.services, "suzuki", "somu", roles=("records_officer",), clearance=SecurityLevel.SECRET
    )
    page = site.signed_in("kimura")

    # April: the file plan gets a series for one-year contracts and a rule that files them.
    page.click("nav.mainnav a[href='/retention']")
    page.fill("#s-code", "KEIYAKU-1")
    page.fill("#s-name", "短期委託契約")
    page.fill("#s-name-en", "Short service contracts")
    page.fill("#s-years", "1")
    page.select_option("#s-trigger", "event")
    page.select_option("#s-action", "destroy")
    page.fill("#s-basis", "文書管理規則 別表第1")
    page.click("#save-series")
    expect(page.locator("tr[data-series=KEIYAKU-1]")).to_contain_text("1年")
    page.select_option("#r-series", "KEIYAKU-1")
    page.fill("#r-title", "委託契約")
    page.fill("#r-priority", "1")
    page.click("#add-rule")
    expect(page.locator("#rules-table tbody tr")).to_have_count(1)
    with page.expect_download() as exported:
        page.click("#export-plan")
    assert "KEIYAKU-1" in Path(exported.value.path()).read_text(encoding="utf-8-sig")
    both(site, page, "file-plan")

    # The year's contracts arrive.
    files = []
    for title in TITLES:
        path = tmp_path / title
        path.write_text(f"業務委託契約書 {title} 委託料 120,000円 契約期間満了により終了", "utf-8")
        files.append(str(path))
    page.click("nav.mainnav a[href='/upload']")
    page.set_input_files("#files", files)
    page.click("#upload-button")
    expect(page.locator("#queue tr[data-status=indexed]")).to_have_count(3, timeout=120_000)

    # Each contract ended: the officer enters the end date on the document's page.
    for title, ended in zip(TITLES, ("2020-03-31", "2020-06-30", "2020-09-30"), strict=True):
        open_document(page, title)
        expect(page.locator("#retention-series")).to_contain_text("KEIYAKU-1")
        page.fill("#retention-event-date", ended)
        page.click("#retention-series-form button[type=submit]")
        expect(page.locator("#retention-start")).not_to_have_text("—")
    expect(page.locator("#retention-date")).to_contain_text("2021-09-30")
    expect(page.locator("#retention-explanation")).to_contain_text("起算日は 2020-10-01")
    both(site, page, "document-retention")

    # B goes to court: its retention is extended, with reason and legal basis.
    open_document(page, TITLES[1])
    page.fill("#extension-until", "2099-03-31")
    page.fill("#extension-reason", "損害賠償請求訴訟の証拠")
    page.fill("#extension-basis", "公文書管理条例施行規則 第8条")
    page.click("#retention-extension-form button[type=submit]")
    expect(page.locator("#retention-date")).to_contain_text("2099-03-31")
    expect(page.locator("#retention-extensions")).to_contain_text("損害賠償請求訴訟の証拠")

    # C is asked for by an audit: held from the search results.
    page.goto("/search?q=委託契約")
    expect(page.locator("ol.hits > li")).to_have_count(3)
    both(site, page, "search-hold")
    page.locator("ol.hits > li", has_text=TITLES[2]).locator("input[type=checkbox]").check()
    page.fill("#search-hold-name", "監査 令和8年度")
    page.fill("#search-hold-reason", "外部監査の対象")
    page.click("#hold-selected")
    page.wait_for_url("**/search?**held=*")
    expect(page.locator("#hold-placed")).to_be_visible()
    page.goto("/retention/holds")
    held = page.locator("article.hold", has_text="監査 令和8年度")
    expect(held.locator(".held-documents tbody tr")).to_have_count(1)
    expect(held).to_contain_text(TITLES[2])
    both(site, page, "holds")

    # Planning: what is due today, and what would be by 2100.
    page.click("nav.tabs a[href='/retention/forecast']")
    expect(page.locator("#forecast tbody tr")).to_have_count(2)
    expect(page.locator("#forecast")).to_contain_text("保留中（待機）")
    page.fill("#as_of", "2100-01-01")
    page.click("#forecast-form button[type=submit]")
    expect(page.locator("#forecast tbody tr")).to_have_count(3)
    both(site, page, "forecast")

    # March: the run proposes what is due; held C waits, extended B is not due.
    page.click("nav.tabs a[href='/retention/batches']")
    page.click("#run-button")
    page.wait_for_url("**/retention/batches/*")
    batch_url = page.url
    items = page.locator("#batch-items tbody tr")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text(TITLES[0])
    expect(items.first).to_contain_text("総務局")
    expect(items.first.locator(".badge.overdue")).to_be_visible()
    page.click("#review-button")
    expect(page.locator("#four-eyes")).to_be_visible()
    expect(page.locator("#approve-button")).to_have_count(0)
    expect(page.locator(".steps-done")).to_contain_text("審査：Kimura")
    both(site, page, "batch-reviewed")

    # A second officer approves and executes, typing the count.
    second = site.signed_in("suzuki")
    second.goto(batch_url)
    second.click("#approve-button")
    expect(second.locator("#execute-summary")).to_contain_text("1 件を廃棄し、0 件を移管します")
    both(site, second, "batch-approved")
    second.fill("#confirm", "1")
    second.click("#execute-button")
    expect(second.locator("#batch-state")).to_have_attribute("data-status", "executed")
    expect(second.locator("#batch-items .outcome")).to_have_text("廃棄済み")
    with second.expect_download() as certificate:
        second.click("#certificate-pdf")
    assert Path(certificate.value.path()).read_bytes().startswith(b"%PDF")
    both(site, second, "batch-executed")
    second.context.close()

    # The destroyed contract's page is now its tombstone.
    open_document(page, TITLES[1])  # B is still there
    page.goto(batch_url)
    page.locator("#batch-items a", has_text=TITLES[0]).click()
    expect(page.locator("#tombstone h1")).to_have_text("この文書は廃棄されました")
    expect(page.locator("#tombstone-when")).to_contain_text("JST")
    expect(page.locator("#tombstone-certificate")).to_be_visible()
    both(site, page, "tombstone")
    page.context.close()
