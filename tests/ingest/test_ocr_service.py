"""OCR through the front door on both stacks: a scan uploaded over HTTP to a real ``bunko serve``
with a two-process worker is read page by page, its pages spread over the worker, and
hostile images end failed with a reason while the service keeps answering."""

from __future__ import annotations

import struct
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from pypdf import PdfReader

from ingest.errors import ContentTooLarge, OcrFailed
from ingest.ocr import clean_ocr_text, ocr_result, write_page_image
from ingest.render import PageImage
from ingest.tesseract import PageFile, Reading, Tesseract, read_pages
from tests.conftest import serving
from tests.factories import key_for, org
from tests.ingest.test_ocr_resolution import LINE, text_scan, write_image_pdf
from tests.ingest.test_pipeline import wait_for
from web.services import Services
from web.settings import Settings

PAGES = ["Page one alpha 111", "Page two bravo 222", "Page three charlie 333"]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The stack's settings with two worker processes (so two pages of a scan at once)."""
    return settings.model_copy(update={"worker_concurrency": 2})


@pytest.fixture
def running(services: Services, stack: str) -> Iterator[tuple[str, str]]:
    """A real ``bunko serve`` and its worker; yields the base URL and an upload key."""
    org(services)
    key = key_for(services, "somu")
    with serving(services, stack) as server:
        yield server.base, key


def upload(base: str, key: str, name: str, body: bytes) -> str:
    response = httpx.post(
        f"{base}/api/v1/documents",
        files={"file": (name, body)},
        headers={"X-API-Key": key},
        timeout=30,
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def png(width: int, height: int) -> bytes:
    """A grey PNG as declared by its header; its pixels are only there when it is small."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    rows = min(height, 16)
    pixels = zlib.compress(b"".join(b"\0" + b"\xff" * min(width, 16) for _ in range(rows)))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_a_multi_page_scan_is_read_in_order_through_the_queue(
    running: tuple[str, str], tmp_path: Path
) -> None:
    """GIVEN a 3-page scan PDF uploaded over HTTP WHEN the 2-process worker reads it
    THEN it is indexed with every page's OCR text, in page order, and a searchable PDF."""
    base, key = running
    scan = tmp_path / "scan.pdf"
    pages = [text_scan(200, line) for line in PAGES]
    pages[0].save(scan, save_all=True, append_images=pages[1:], resolution=200)

    document_id = upload(base, key, "scan.pdf", scan.read_bytes())
    body = wait_for(base, key, document_id, {"indexed", "failed"}, timeout=300)
    assert body["status"] == "indexed", body.get("status_reason")
    text = httpx.get(
        f"{base}/api/v1/documents/{document_id}/derivatives/text",
        headers={"X-API-Key": key},
        timeout=10,
    ).json()
    assert [(p["number"], p["method"]) for p in text["pages"]] == [
        (1, "ocr"),
        (2, "ocr"),
        (3, "ocr"),
    ]
    assert [p["text"] for p in text["pages"]] == PAGES
    searchable = httpx.get(
        f"{base}/api/v1/documents/{document_id}/derivatives/searchable_pdf",
        headers={"X-API-Key": key},
        timeout=10,
    )
    (tmp_path / "searchable.pdf").write_bytes(searchable.content)
    layers = [p.extract_text() for p in PdfReader(tmp_path / "searchable.pdf").pages]
    assert [line in layer for line, layer in zip(PAGES, layers, strict=True)] == [True] * 3


def test_hostile_page_images_fail_with_a_reason_and_the_service_stays_up(
    running: tuple[str, str], tmp_path: Path
) -> None:
    base, key = running
    absurd = tmp_path / "absurd.png"
    text_scan(200).save(absurd, dpi=(1e6, 1e6))
    bomb_pdf = write_image_pdf(
        tmp_path / "bomb.pdf", page=(612, 792), image=(10_000, 10_000), placed=(612, 792)
    )
    empty_pdf = write_image_pdf(
        tmp_path / "empty.pdf", page=(612, 792), image=(0, 0), placed=(612, 792)
    )
    cases = {
        "zero.png": (png(0, 0), "failed", "not a readable image"),
        "bomb.png": (png(100_000, 100_000), "failed", "decompression bomb"),
        "bomb.pdf": (bomb_pdf.read_bytes(), "failed", "10000x10000 pixels"),
        # A page whose only image has no pixels is a blank page, not an error.
        "empty.pdf": (empty_pdf.read_bytes(), "indexed", None),
        # A resolution that would make the page 0.003 inches long is ignored; the text is read.
        "absurd.png": (absurd.read_bytes(), "indexed", None),
    }
    ids: dict[str, str] = {}
    for name, (content, status, reason) in cases.items():
        # One at a time: two first documents filed at once on PostgreSQL race to create the
        # same record series (uq_record_series_code), which is not what this test is about.
        ids[name] = upload(base, key, name, content)
        body = wait_for(base, key, ids[name], {"indexed", "failed"}, timeout=180)
        assert body["status"] == status, (name, body.get("status_reason"))
        if reason is not None:
            assert reason in str(body["status_reason"]), (name, body["status_reason"])
    text = httpx.get(
        f"{base}/api/v1/documents/{ids['absurd.png']}/derivatives/text",
        headers={"X-API-Key": key},
        timeout=10,
    ).json()
    assert text["pages"][0]["text"] == LINE
    assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200


def page_files(tmp_path: Path, lines: list[str], taken: list[int]) -> Iterator[PageFile]:
    """Pages written for Tesseract as the OCR step writes them; ``taken`` records each."""
    for number, line in enumerate(lines, start=1):
        taken.append(number)
        yield write_page_image(PageImage(number, text_scan(200, line), 200), tmp_path)


READING = Reading("eng", text_only=True, page_timeout=60)


def test_a_long_scan_is_spread_over_processes_and_read_in_order(tmp_path: Path) -> None:
    """GIVEN 4 pages and 2 jobs THEN two Tesseract processes read them (one PDF each), the
    results come back in page order with their text and words, and no page image is left."""
    lines = [*PAGES, "Page four delta 444"]
    reads = read_pages(page_files(tmp_path, lines, []), tmp_path, READING, jobs=2)
    assert [read.page.number for read in reads] == [1, 2, 3, 4]
    assert [clean_ocr_text(read.text) for read in reads] == lines
    assert len({read.pdf for read in reads}) == 2
    words = ocr_result(reads[3]).words
    assert words is not None and "delta" in [word.text for word in words.words]
    assert not list(tmp_path.glob("*.tif"))


def test_a_page_tesseract_cannot_read_stops_the_document_with_its_number(tmp_path: Path) -> None:
    """GIVEN page 2 of a scan is not an image THEN reading fails naming page 2, and no page
    beyond the one being prepared when it failed is taken."""
    taken: list[int] = []

    def files() -> Iterator[PageFile]:
        for page in page_files(tmp_path, PAGES * 3, taken):
            if page.number == 2:
                page.path.write_bytes(b"not an image")
            yield page

    with pytest.raises(OcrFailed, match="page 2"):
        read_pages(files(), tmp_path, READING, jobs=1)
    assert max(taken) <= 3


def test_a_page_over_its_time_is_named_and_no_pages_read_nothing(tmp_path: Path) -> None:
    """A page still being read after ``page_timeout`` stops the document naming that page
    (its process is killed); an empty list of pages starts no process and reads nothing."""
    hasty = Reading("eng", text_only=True, page_timeout=0)
    with pytest.raises(ContentTooLarge, match="OCR of page 1 took longer than 0 s"):
        read_pages(page_files(tmp_path, PAGES, []), tmp_path, hasty, jobs=1)
    assert read_pages(iter([]), tmp_path, READING, jobs=2) == []


def test_tesseract_runs_on_one_thread_unless_the_worker_is_told_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages are read side by side in processes, so each gets ``OMP_THREAD_LIMIT=1``; an
    operator's own ``OMP_THREAD_LIMIT`` in the worker's environment is kept."""

    def thread_limit() -> list[bytes]:
        process = Tesseract(tmp_path / "tesseract", READING, threading.Condition())
        proc = Path(f"/proc/{process.proc.pid}")
        try:
            # Until the child has exec'd tesseract, /proc shows the parent's environment.
            deadline = time.monotonic() + 30
            while proc.joinpath("exe").readlink().name != "tesseract":
                assert time.monotonic() < deadline, "tesseract did not start"
                time.sleep(0.01)
            environ = proc.joinpath("environ").read_bytes().split(b"\0")
        finally:
            process.stop()
        return [entry for entry in environ if entry.startswith(b"OMP_THREAD_LIMIT=")]

    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    assert thread_limit() == [b"OMP_THREAD_LIMIT=1"]
    monkeypatch.setenv("OMP_THREAD_LIMIT", "2")
    assert thread_limit() == [b"OMP_THREAD_LIMIT=2"]
