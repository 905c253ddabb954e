"""A disclosure officer takes a request from receipt to release in the browser alone, drawing a
box over a seal with the mouse; every page is photographed in Japanese and in English."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from archive.access import SecurityLevel
from tests.disclosure.conftest import text_pdf
from tests.factories import person
from tests.ui.conftest import Site

LINES = [
    "道路工事契約書 令和7年度",
    "申請者 山田太郎様 電話 06-1234-5678",
    "Contact PINEAPPLE at the north office",
    "予算額は総額三千万円である",
]


def _draw(page: Page, sheet: str, start: tuple[float, float], end: tuple[float, float]) -> None:
    """Drag with the mouse from ``start`` to ``end``, as fractions of the page's width and height."""
    area = page.locator(sheet).bounding_box()
    assert area is not None
    page.mouse.move(area["x"] + area["width"] * start[0], area["y"] + area["height"] * start[1])
    page.mouse.down()
    page.mouse.move(
        area["x"] + area["width"] * end[0], area["y"] + area["height"] * end[1], steps=8
    )
    page.mouse.up()


def _pages_shown(page: Page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('.sheet img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )


def _box(page: Page, selector: str) -> list[float]:
    return [float(v) for v in str(page.get_attribute(selector, "data-box")).split()]


def test_a_disclosure_officer_redacts_with_the_mouse_and_releases(
    site: Site, tmp_path: Path
) -> None:
    person(
        site.services,
        "kobayashi",
        "somu",
        roles=("disclosure_officer",),
        clearance=SecurityLevel.SECRET,
    )
    page = site.signed_in("kobayashi")
    contract = text_pdf(tmp_path / "road-contract.pdf", LINES)

    # The record arrives through the upload page.
    page.goto("/upload")
    page.set_input_files("#files", [str(contract)])
    page.click("#upload-button")
    expect(page.locator("#queue tr[data-status=indexed]")).to_have_count(1, timeout=150_000)

    # Receipt: the request is recorded with its department chosen from the list.
    page.goto("/disclosure/requests")
    page.fill("#requester_name", "市民 花子")
    page.fill("#requester_contact", "hanako@example.jp")
    page.fill("#records_sought", "令和7年度の道路工事契約に関する文書")
    page.select_option("#department", "somu")
    site.shot(page, "disclosure-intake")
    page.click("form[method=post][action='/disclosure/requests'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/disclosure/requests/[^/?#]+$"))
    request_url = page.url
    expect(page.locator("h1")).to_contain_text(re.compile(r"\d{4}-0001"))
    site.shot(page, "disclosure-request")

    # Search: see what the query attaches before attaching it.
    page.click("form[action$='/state'] button:has-text('文書の探索を開始')")
    page.fill("#attach_query", "PINEAPPLE")
    page.click("#attach-preview")
    expect(page.locator("#attach-preview-list li")).to_have_count(1)
    expect(page.locator("#attach-preview-list")).to_contain_text(contract.name)
    site.shot(page, "disclosure-attach-preview")
    page.click("#attach-confirm")
    page.wait_for_url(request_url)
    page.click(f"a:has-text('{contract.name}')")
    page.wait_for_url("**/records/*")
    sheet = "#page-1 .sheet"
    _pages_shown(page)

    # Redaction: a box drawn with the mouse over the applicant's line.
    _draw(page, sheet, (0.08, 0.12), (0.45, 0.16))
    expect(page.locator(f"{sheet} .mark-drawing")).to_have_count(1)
    assert float(page.input_value("#box-x1")) > float(page.input_value("#box-x0")) > 0
    page.select_option("#box-category", "personal")
    page.fill("#box-note", "申請者の氏名")
    page.click("#box-submit")
    drawn = page.locator(f"{sheet} .mark-accepted[data-kind=box]")
    expect(drawn).to_have_count(1)
    before = _box(page, f"{sheet} .mark-accepted[data-kind=box]")

    # …moved a little to the right by dragging it.
    area = drawn.bounding_box()
    assert area is not None
    page.mouse.move(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] / 2 + 30, area["y"] + area["height"] / 2, steps=6)
    page.mouse.up()
    page.wait_for_load_state()
    expect(page.locator(f"{sheet} .mark-accepted[data-kind=box]")).to_have_count(1)
    page.wait_for_function(
        "x => Number(document.querySelector('#page-1 .mark[data-kind=box]').dataset.box.split(' ')[0]) > x",
        arg=before[0] + 5,
    )

    # Search-and-redact: the hit is shown in place, then accepted.
    page.fill("#pattern", "PINEAPPLE")
    page.select_option("#category", "corporate")
    page.click("form[action$='/find'] button[type=submit]")
    expect(page.locator(f"{sheet} .mark-proposed")).to_have_count(1)
    expect(page.locator("#proposals mark")).to_have_text("PINEAPPLE")
    _pages_shown(page)
    site.shot(page, "disclosure-record")
    page.click("#proposals button[value=accepted]")
    expect(page.locator(f"{sheet} .mark-accepted")).to_have_count(2)
    expect(page.locator(f"{sheet} .mark-proposed")).to_have_count(0)

    # Decision and release, confirmed against its summary.
    page.goto(request_url)
    page.click("form[action$='/state'] button:has-text('審査を開始')")
    page.select_option("#decision", "partial")
    expect(page.locator("#decision option[value=partial]")).to_have_text("部分公開")
    page.fill("#decision_reason", "個人に関する情報及び法人等に関する情報を含むため")
    page.click("form[action$='/decide'] button[type=submit]")
    expect(page.locator("#release-records")).to_have_text("1")
    expect(page.locator("#release-pages")).to_have_text("1")
    expect(page.locator("#release-redactions")).to_have_text("2")
    expect(page.locator("#release-button")).to_have_text("公開（交付）の実施")
    assert "解除" not in page.inner_text("main")
    site.shot(page, "disclosure-release")
    page.click("#release-button")  # not confirmed yet: the browser keeps the form
    assert page.url == request_url
    page.check("#release-confirm")
    page.click("#release-button")
    expect(page.locator("a[href$='/package.zip']")).to_be_visible()
    site.shot(page, "disclosure-released")

    # The same pages in English.
    page.click("nav.langs a[hreflang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text("Released to the requester")
    site.shot(page, "disclosure-released-en")
    page.click(f"a:has-text('{contract.name}')")
    expect(page.locator(f"{sheet} .mark-accepted")).to_have_count(2)
    expect(page.locator("#pages-h")).to_have_text("Pages and redactions")
    _pages_shown(page)
    site.shot(page, "disclosure-record-en")
    page.goto("/disclosure/requests")
    site.shot(page, "disclosure-intake-en")
    page.context.close()
