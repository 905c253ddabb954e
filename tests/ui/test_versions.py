"""In the browser (issue 13): a file dropped on the document page becomes version 2, and the
page compares it with version 1."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.ui.conftest import Site

DROP = """() => {
  const data = new DataTransfer();
  data.items.add(new File(["請求書\\n請求金額 12,000円\\n<b>ひまわり</b>\\n"], "v2.txt", {type: "text/plain"}));
  const zone = document.getElementById("add-version");
  for (const name of ["dragenter", "dragover", "drop"]) {
    zone.dispatchEvent(new DragEvent(name, {dataTransfer: data, bubbles: true, cancelable: true}));
  }
  return document.getElementById("version-file").files[0].name;
}"""


def test_staff_drop_a_corrected_file_and_compare_the_versions(site: Site) -> None:
    key = site.keys["somu"]
    doc = site.upload(
        key, "v1.txt", "請求書\n請求金額 10,000円\nあじさい\n".encode(), title="請求書"
    )
    site.wait_processed(key, doc)
    page = site.signed_in("sato")
    page.goto(f"/documents/{doc}")
    assert page.evaluate(DROP) == "v2.txt"
    page.fill("#version-reason", "金額の訂正")
    page.click("#add-version button[type=submit]")
    page.wait_for_url(f"**/documents/{doc}?version_added=1")
    site.wait_processed(key, doc)
    page.goto(f"/documents/{doc}")
    expect(page.locator("#versions tbody tr")).to_have_count(2)
    expect(page.locator("#versions")).to_contain_text("金額の訂正")
    page.select_option("#compare-from", "1")
    page.select_option("#compare-to", "2")
    page.click(".compare-form button[type=submit]")
    page.wait_for_url(f"**/documents/{doc}/compare?from=1&to=2")
    expect(page.locator("#text-diff .diff-removed")).to_contain_text(
        ["請求金額 10,000円", "あじさい"]
    )
    expect(page.locator("#text-diff .diff-added").first).to_contain_text("請求金額 12,000円")
    expect(page.locator("#text-diff")).to_contain_text("<b>ひまわり</b>")
    expect(page.locator("#changed-fields")).to_contain_text("12000")
    site.shot(page, "compare-versions")
