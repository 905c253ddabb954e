"""A worker killed mid-OCR: its document is taken up again by the next worker and indexed.

The lease is shortened for the test (``BUNKO_PROCESSING_LEASE_S``); with the default of
60 s the sweep takes the document up again within 90 s of the crash.
"""

from __future__ import annotations

import time
from pathlib import Path

from PIL import Image

from tests.conftest import CORPUS
from tests.factories import key_for, org
from tests.ingest.running import Running, command_of, kill_all, running
from web.services import Services

PAGES = [
    CORPUS / "scans" / "ja_yasslab_gyomu-itaku-kihon-keiyaku_p1.jpg",
    CORPUS / "scans" / "ja_yasslab_nda_members_p1.jpg",
]


def _scan_pdf(path: Path) -> Path:
    """An image-only PDF of a few scanned pages: long enough to be killed while OCRed."""
    images = [Image.open(page).convert("RGB") for page in PAGES]
    images[0].save(path, save_all=True, append_images=images[1:], resolution=200)
    return path


def _wait_for_ocr(bunko: Running, timeout: float = 120) -> set[int]:
    """The worker's processes once one of them runs tesseract."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = bunko.worker_pids()
        if any("tesseract" in command_of(pid) for pid in pids):
            return pids
        time.sleep(0.1)
    raise AssertionError(f"no tesseract ran within {timeout} s")


def test_a_worker_killed_mid_ocr_leaves_its_document_to_the_next_worker(
    services: Services, stack: str, tmp_path: Path
) -> None:
    """GIVEN a scan being OCRed WHEN every process of the worker is killed with SIGKILL
    THEN the restarted worker takes the document up again and indexes it."""
    org(services)
    key = key_for(services, "somu")
    settings = services.settings.model_copy(update={"processing_lease_s": 6})
    with running(settings, stack) as bunko:
        document_id = bunko.upload(key, _scan_pdf(tmp_path / "contracts.pdf"))
        killed = _wait_for_ocr(bunko)
        kill_all(killed)
        if stack == "scale":
            bunko.worker.wait()  # type: ignore[union-attr]
            bunko.start_worker()
        # else: bunko serve restarts its embedded worker
        body = bunko.wait(key, document_id, timeout=120)
        assert body["status"] == "indexed", body["status_reason"]
        assert {step["step"]: step["status"] for step in body["steps"]}["ocr"] == "done"
