"""OCR through the front door on both stacks: a scan uploaded over HTTP to a real ``bunko serve``
with a two-process worker is read page by page, its pages spread over the worker, and
hostile images end failed with a reason while the service keeps answering."""

from __future__ import annotations

import struct
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from pypdf import PdfReader

from ingest.errors import OcrFailed
from ingest.tesseract import in_parallel
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


def test_pages_are_read_side_by_side_in_order_and_an_error_stops_the_rest() -> None:
    """``in_parallel`` runs ``jobs`` pages at once (two pages meet at a barrier), keeps their
    order, takes at most one page ahead, and raises the first error without starting more."""
    meet = threading.Barrier(2, timeout=30)
    taken: list[int] = []

    def pages(count: int) -> Iterator[int]:
        for number in range(1, count + 1):
            taken.append(number)
            yield number

    def read(number: int) -> int:
        if number <= 2:
            meet.wait()  # BrokenBarrierError unless pages 1 and 2 run at the same time
        if number == 4:
            raise OcrFailed("page 4 is unreadable")
        return number * 10

    results = in_parallel(read, pages(8), jobs=2)
    assert [next(results), next(results), next(results)] == [10, 20, 30]
    with pytest.raises(OcrFailed, match="page 4"):
        next(results)
    assert max(taken) <= 6  # pages 5 and 6 at most were taken ahead; 7 and 8 never
