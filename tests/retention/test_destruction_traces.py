"""Destruction leaves no trace of a record's content anywhere Bunko keeps bytes.

After a destroyed record's pages were viewed as previews, every file under the data
directory and every blob in the store (the S3 bucket on the scale stack) is read: none may
hold its text, and every picture among them is OCRed and must not show it either. (Its
title stays, by design, in the tombstone and the certificate.)
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

from PIL import Image, UnidentifiedImageError
from pytesseract import image_to_string
from reportlab.pdfgen import canvas

from ingest.pipeline import Outcome, process_document
from tests.factories import key_for
from tests.retention.conftest import Officer
from tests.retention.test_disposition import OLD, _approved_batch
from web.services import Services

SECRET_WORD = "QUOKKA"
BODY = f"{SECRET_WORD} HARBOUR TENDER 4711"


def _pdf(pages: int) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for n in range(1, pages + 1):
        pdf.setFont("Helvetica-Bold", 36)
        pdf.drawString(60, 700, BODY)
        pdf.drawString(60, 620, f"PAGE {n}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _everything(services: Services) -> Iterator[tuple[str, bytes]]:
    """Every file under the data directory and every blob in the store, with its bytes."""
    for path in sorted(services.settings.data_dir.rglob("*")):
        if path.is_file():
            yield str(path), path.read_bytes()
    for key in services.store.keys():  # noqa: SIM118 - a BlobStore, not a dict
        with services.store.open(key) as blob:
            yield f"blob {key}", blob.read()


def _shows(data: bytes, word: str) -> bool:
    try:
        picture: Image.Image = Image.open(io.BytesIO(data))
        picture.load()
    except (UnidentifiedImageError, OSError):
        return False
    if picture.width < 200:
        picture = picture.resize((picture.width * 3, picture.height * 3))
    return word in image_to_string(picture.convert("L"), lang="eng").upper()


def test_a_destroyed_record_leaves_no_preview_text_or_blob_behind(
    officer: Officer, second_officer: Officer, organisation: Services, staff_key: str
) -> None:
    officer.post("/api/v1/retention/series/defaults")
    uploaded = officer.client.post(
        "/api/v1/documents",
        files={"file": ("tender.pdf", _pdf(2), "application/pdf")},
        data={"metadata": json.dumps({"title": "入札記録 港湾", "document_date": OLD})},
        headers={"X-API-Key": staff_key},
    )
    assert uploaded.status_code == 202, uploaded.text
    doc = uploaded.json()["id"]
    assert process_document(organisation.pipeline(), doc) is Outcome.PROCESSED
    assert (
        officer.put(f"/api/v1/documents/{doc}/retention", json={"series": "KOBUN-01"}).status_code
        == 200
    )
    for page in (1, 2):
        preview = officer.get(f"/documents/{doc}/pages/{page}.png")
        assert preview.status_code == 200 and preview.headers["content-type"] == "image/png"
        assert _shows(preview.content, SECRET_WORD)  # the check below can see a preview
    assert any(SECRET_WORD.encode() in data for _, data in _everything(organisation))
    admin = {"X-API-Key": key_for(organisation, None, scopes=("read", "admin"))}
    reread = officer.client.post(f"/api/v1/documents/{doc}/reprocess", headers=admin)
    assert reread.status_code == 202, (
        reread.text
    )  # reading it again keeps its previews' blobs known
    assert process_document(organisation.pipeline(), doc) is Outcome.PROCESSED

    batch = _approved_batch(officer, second_officer)
    executed = officer.post(f"/api/v1/retention/batches/{batch['id']}/execute").json()
    assert executed["items"][0]["outcome"] == "destroyed", executed
    assert officer.get(f"/documents/{doc}/pages/1.png").status_code == 404

    for name, data in _everything(organisation):
        assert SECRET_WORD.encode() not in data, name
        assert not _shows(data, SECRET_WORD), name
