"""Through the front door on both stacks: an invoice laid out in cells is uploaded over HTTP,
the worker reads its fields from the layout, and the API and the document page give each
field with its box on the page."""

from __future__ import annotations

import httpx2 as httpx

from tests.factories import person, sign_in
from tests.ingest.test_understanding_front_door import Site, site  # noqa: F401 - the fixture
from tests.layouts import field_documents
from web.services import Services


def test_an_uploaded_invoice_shows_its_fields_with_their_boxes(
    site: Site,  # noqa: F811 - the fixture imported above
    services: Services,
) -> None:
    """GIVEN a Japanese invoice with its totals in a table at the bottom right and its issuer
    block at the top right WHEN uploaded and processed THEN GET gives the total, tax and
    issuer with boxes where they are printed, and the document page carries the boxes."""
    doc = next(d for d in field_documents(8, seed=7, scans=0) if d.name.startswith("ja-invoice"))
    document_id = site.upload("invoice.pdf", doc.pdf())
    body = httpx.get(
        f"{site.base}/api/v1/documents/{document_id}",
        headers={"X-API-Key": site.key},
        timeout=30,
    ).json()
    fields = {f["name"]: f for f in body["fields"]}
    assert fields["total_amount"]["value"] == doc.truth["total_amount"][0]
    assert fields["tax_amount"]["value"] == doc.truth["tax_amount"][0]
    assert fields["issuer"]["value"] == doc.truth["issuer"][0]
    issuer = fields["issuer"]["box"]
    assert issuer["x0"] > 0.5 and issuer["y1"] < 0.4  # the issuer block, top right
    tax = fields["tax_amount"]["box"]
    assert tax["x0"] > 0.6 and tax["y0"] > issuer["y1"]  # the totals table, lower right
    assert all(0 <= f["box"]["x0"] < f["box"]["x1"] <= 1 for f in body["fields"])
    person(services, "kiroku", "somu")
    with httpx.Client(base_url=site.base, timeout=30) as browser:
        sign_in(browser, "kiroku")  # type: ignore[arg-type]
        page = browser.get(f"/documents/{document_id}")
    assert page.status_code == 200
    box = fields["total_amount"]["box"]
    assert f'data-box="{box["x0"]},{box["y0"]},{box["x1"]},{box["y1"]}"' in page.text
    assert 'id="preview-1"' in page.text
