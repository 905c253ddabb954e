"""A scanned record released through the API: every stroke of a redacted name is covered, and
the redaction log's cells are inert in a spreadsheet."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader

from tests.conftest import CORPUS
from tests.disclosure.conftest import text_pdf
from tests.disclosure.test_redaction import _dark_outside, _glyph_boxes
from tests.disclosure.test_workflow import BASE, _create, _step
from tests.retention.conftest import Officer

HOSTILE_NOTE = '=HYPERLINK("http://evil.example","x")'


def test_a_released_scan_shows_no_stroke_of_a_redacted_name(
    officer: Officer, ingest, tmp_path: Path, stack: str
) -> None:
    source = text_pdf(tmp_path / "text.pdf")
    scan = tmp_path / "scan.pdf"
    document = pdfium.PdfDocument(source)
    document[0].render(scale=300 / 72, grayscale=True).to_pil().save(
        scan, format="PDF", resolution=300
    )
    document.close()
    doc = ingest(scan.read_bytes(), name="scan.pdf", media="application/pdf", title="申請書")
    rid, url = _request_for(officer, doc)
    found = officer.post(
        f"{url}/redactions/find", json={"pattern": "山田太郎", "category": "personal"}
    )
    assert found.status_code == 201 and found.json()["found"] == 1, found.text
    manual = officer.post(
        f"{url}/redactions",
        json=[
            {"page": 1, "box": [60, 740, 120, 760], "category": "personal", "note": HOSTILE_NOTE}
        ],
    )
    assert manual.status_code == 201, manual.text
    redactions = officer.get(f"{url}/redactions").json()
    assert len(redactions) == 2 and {r["status"] for r in redactions} == {"accepted"}
    boxes = [r["box"] for r in redactions]
    package, record_bytes = _release(officer, rid, "個人情報", ocr=False)
    released = tmp_path / "released.pdf"
    released.write_bytes(record_bytes)
    word = _glyph_boxes(source, "山田太郎")
    assert _dark_outside(scan, word, []) > 500
    assert _dark_outside(released, word, boxes) == 0
    log = list(csv.reader(io.StringIO(package.read("redaction_log.csv").decode("utf-8-sig"))))
    assert ["'" + HOSTILE_NOTE] in [row[-1:] for row in log]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in log for cell in row)


def test_a_scan_written_by_others_is_released_without_the_name_it_was_asked_to_hide(
    officer: Officer, ingest, tmp_path: Path
) -> None:
    """GIVEN OCRmyPDF's skewed image-only brochure (a scan Bunko's tests did not make), read
    through the pipeline WHEN an officer finds a product name on it by OCR, redacts every
    place and releases it with a text layer THEN the released text has the rest of the page
    and not the name."""
    scan = CORPUS / "scans" / "en_ocrmypdf_linn-skewed_image-only.pdf"
    doc = ingest(scan.read_bytes(), name=scan.name, media="application/pdf", title="brochure")
    for word in ("LinnSequencer", "MIDI"):
        hits = officer.get("/api/v1/search", params={"q": word, "facets": ""}).json()["hits"]
        assert [hit["id"] for hit in hits] == [doc], word
    rid, url = _request_for(officer, doc)
    found = officer.post(
        f"{url}/redactions/find", json={"pattern": "LinnSequencer", "category": "corporate"}
    )
    assert found.status_code == 201 and found.json()["found"] >= 2, found.text
    _, record_bytes = _release(officer, rid, "商品名", ocr=True)
    released = PdfReader(io.BytesIO(record_bytes))
    text = " ".join(page.extract_text() for page in released.pages).lower()
    assert "midi" in text
    assert "linnsequencer" not in text and "linnseq" not in text


def _release(
    officer: Officer, rid: str, reason: str, *, ocr: bool
) -> tuple[zipfile.ZipFile, bytes]:
    """Request ``rid`` reviewed, decided as partial disclosure and released; its package and
    the one released record in it."""
    _step(officer, rid, "reviewing")
    decided = officer.post(
        f"{BASE}/{rid}/decision",
        json={"decision": "partial", "reason": reason, "decided_on": "2025-04-20"},
    )
    assert decided.status_code == 200, decided.text
    assert officer.post(f"{BASE}/{rid}/release", json={"ocr": ocr}).status_code == 200
    package = zipfile.ZipFile(io.BytesIO(officer.get(f"{BASE}/{rid}/package.zip").content))
    (name,) = [n for n in package.namelist() if n.startswith("records/")]
    return package, package.read(name)


def _request_for(officer: Officer, doc: str) -> tuple[str, str]:
    """A new request searching, with ``doc`` as its one record; its id and the record's URL."""
    rid = _create(officer)["id"]
    _step(officer, rid, "searching")
    (record,) = officer.post(f"{BASE}/{rid}/records", json={"document_ids": [doc]}).json()
    return rid, f"{BASE}/{rid}/records/{record['id']}"
