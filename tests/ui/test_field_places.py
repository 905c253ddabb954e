"""In the browser (issue 14): an officer drags a box round a value on the page preview; the
value printed there fills the field form, once saved the field shows it, outlined, and the
vendor's next invoice is read at that place (upload → worker → page)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.ui.conftest import Site
from tests.vendors import VENDORS, unlabelled

VENDOR = unlabelled(VENDORS[1], ("total_amount",))


def test_a_box_dragged_on_the_preview_corrects_the_field_and_outlines_it(site: Site) -> None:
    key = site.keys["somu"]
    content, truth = VENDOR.invoice(seed=1)
    doc = site.upload(key, "invoice.pdf", content, title="請求書 Nordlicht")
    site.wait_processed(key, doc)
    page = site.signed_in("sato", lang="en")
    page.goto(f"/documents/{doc}")
    expect(page.locator("#field-value")).not_to_have_value(truth["total_amount"])
    page.locator("details.correct-field summary").click()
    page.select_option("#field-name", "total_amount")
    expect(page.locator("#locate-hint")).to_be_visible()

    image = page.locator("#preview-1 img")
    image.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('#preview-1 img').naturalWidth > 0")
    frame = image.bounding_box()
    assert frame is not None
    where = VENDOR.box("total_amount")
    page.mouse.move(
        frame["x"] + where["x0"] * frame["width"], frame["y"] + where["y0"] * frame["height"]
    )
    page.mouse.down()
    page.mouse.move(
        frame["x"] + where["x1"] * frame["width"],
        frame["y"] + where["y1"] * frame["height"],
        steps=5,
    )
    page.mouse.up()
    expect(page.locator("#field-value")).to_have_value(truth["total_amount"])
    expect(page.locator("#located")).to_contain_text("JPY")
    expect(page.locator("#preview-1 .field-box")).to_be_visible()
    assert page.locator("#field-page").input_value() == "1"

    page.click("#field-form button[type=submit]")
    page.wait_for_url(f"**/documents/{doc}?field_saved=1")
    expect(page.locator("#field-saved")).to_be_visible()
    field = page.locator(".field-link[data-name=total_amount]")
    expect(field).to_contain_text(truth["total_amount"])
    field.click()
    outline = page.locator("#preview-1 .field-box")
    expect(outline).to_be_visible()
    top = page.evaluate(
        """() => {
          const img = document.querySelector('#preview-1 img').getBoundingClientRect();
          const box = document.querySelector('#preview-1 .field-box').getBoundingClientRect();
          return (box.top - img.top) / img.height;
        }"""
    )
    assert abs(top - where["y0"]) < 0.005  # outlined where it was shown
    site.shot(page, "field-located")

    following, after = VENDOR.invoice(seed=2)  # the vendor's next invoice: read where shown
    again = site.upload(key, "next.pdf", following, title="請求書 Nordlicht 2")
    site.wait_processed(key, again)
    page.goto(f"/documents/{again}")
    expect(page.locator(".field-link[data-name=total_amount]")).to_contain_text(
        after["total_amount"]
    )
