"""Every format the README lists goes the whole way: HTTP upload → queue → worker → ``indexed``.

And whatever a step raises, the document ends ``indexed`` or ``failed`` with a reason after
its attempts: never ``processing`` for good.
"""

from __future__ import annotations

from pathlib import Path

import httpx2 as httpx
import openpyxl
import pytest
from docx import Document as WordDocument
from PIL import Image

from archive import DocumentStatus
from archive.processing import MAX_ATTEMPTS
from ingest import pipeline
from ingest.pipeline import Outcome, TransientFailure, process_document
from tests.conftest import CORPUS
from tests.einvoices import Truth, ubl_xml
from tests.factories import key_for, org
from tests.ingest.conftest import write_text_pdf
from tests.ingest.formats import office_samples
from tests.ingest.running import running
from tests.ingest.test_pipeline import filed, status_of, take  # noqa: F401 - fixture
from web.services import Services

TEXT_JA = "東京都大阪市の会議録です。議事は以下のとおり。{marker}について審議した。"
SCAN = CORPUS / "scans" / "en_tesseractjs_testocr.png"


def _samples(folder: Path) -> dict[str, tuple[Path, str]]:
    """One small file of every listed format: {label: (file, a word its text must contain)}."""
    samples: dict[str, tuple[Path, str]] = {
        "pdf": (
            write_text_pdf(folder / "notice.pdf", ["Procurement notice pdfmarker"]),
            "pdfmarker",
        )
    }
    word = WordDocument()
    word.add_paragraph("業務委託契約書 docxmarker")
    word.save(str(folder / "contract.docx"))
    samples["docx"] = (folder / "contract.docx", "docxmarker")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "予算"
    sheet.append(["費目", "金額"])
    sheet.append(["xlsxmarker", 1234567])
    book.save(folder / "budget.xlsx")
    samples["xlsx"] = (folder / "budget.xlsx", "xlsxmarker")
    image = Image.open(SCAN).convert("RGB")
    for kind in ("png", "jpeg", "tiff", "bmp", "gif", "webp"):
        image.save(folder / f"scan.{kind}", format=kind.upper())
        samples[kind] = (folder / f"scan.{kind}", "point")
    samples.update(office_samples(folder))
    for label, encoding, marker in (
        ("text-utf8", "utf-8", "議事録甲"),
        ("text-sjis", "shift_jis", "議事録乙"),
        ("text-eucjp", "euc_jp", "議事録丙"),
    ):
        path = folder / f"{label}.txt"
        path.write_bytes(TEXT_JA.format(marker=marker).encode(encoding))
        samples[label] = (path, marker)
    for label, encoding, marker in (
        ("csv-utf8", "utf-8", "株式会社甲"),
        ("csv-sjis", "cp932", "株式会社乙"),
        ("csv-eucjp", "euc_jp", "株式会社丙"),
    ):
        path = folder / f"{label}.csv"
        path.write_bytes(f"支払先,金額,摘要\n{marker},110000,委託料\n".encode(encoding))
        samples[label] = (path, marker)
    (folder / "invoice.xml").write_bytes(ubl_xml(Truth(number="xmlmarker-7")))
    samples["einvoice-xml"] = (folder / "invoice.xml", "xmlmarker-7")
    return samples


def test_every_listed_format_is_indexed_through_the_real_service(
    services: Services, stack: str, tmp_path: Path
) -> None:
    """GIVEN a running Bunko WHEN one file of each listed format is uploaded over HTTP
    THEN each ends ``indexed`` and its text holds what the file says."""
    org(services)
    key = key_for(services, "somu")
    samples = _samples(tmp_path)
    with running(services.settings, stack) as bunko:
        ids = {label: bunko.upload(key, path) for label, (path, _word) in samples.items()}
        for label, document_id in ids.items():
            body = bunko.wait(key, document_id)
            assert body["status"] == "indexed", (label, body["status_reason"])
            text = httpx.get(
                f"{bunko.base}/api/v1/documents/{document_id}/derivatives/text",
                headers={"X-API-Key": key},
                timeout=10,
            ).json()
            words = samples[label][1]
            assert words in " ".join(page["text"] for page in text["pages"]), label


def test_an_unexpected_error_in_a_step_is_retried_then_fails_the_document(
    filed,  # noqa: F811 - fixture
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GIVEN a step that raises something no one foresaw WHEN the document is processed
    THEN it is handed back for each retry and failed with the error on its last attempt."""
    services, principal = filed
    document_id = take(services, principal, CORPUS / "docx" / "en_commonpaper_one-way-nda.docx")

    def broken(*_: object) -> None:
        raise ZeroDivisionError("a defect in the classifier")

    monkeypatch.setitem(pipeline._STEP_FUNCTIONS, "classify", broken)
    for _attempt in range(MAX_ATTEMPTS - 1):
        with pytest.raises(TransientFailure, match="classify"):
            process_document(services.pipeline(), document_id)
        document = status_of(services, document_id)
        assert document.status is DocumentStatus.RECEIVED
        assert "ZeroDivisionError" in (document.status_reason or "")
    assert process_document(services.pipeline(), document_id) is Outcome.FAILED
    document = status_of(services, document_id)
    assert document.status is DocumentStatus.FAILED
    assert document.status_reason == (
        "unexpected error in step classify: ZeroDivisionError: a defect in the classifier"
    )
    monkeypatch.undo()
    other = take(services, principal, CORPUS / "invoices" / "en_invoice2data_aws_2014-08.pdf")
    assert process_document(services.pipeline(), other) is Outcome.PROCESSED
