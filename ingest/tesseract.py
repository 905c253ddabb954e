"""The ``tesseract`` command: one process reads all the pages of a document it is given.

A process is started once per document (not once per page: loading ``jpn+eng`` costs
0.18 s of CPU, ~15% of a page) and reads the page images named on its standard input
(``stream_filelist``), so the next page is prepared in Python while Tesseract reads the
current one. Each page is deleted once Tesseract has read the page after it, so at most
``AHEAD + 1`` page images per process wait on disk, however long the scan.

A long scan is spread over ``jobs`` processes (the worker concurrency setting), so a
second core helps one document too; a page goes to the process with the fewest pages
waiting, and a second process is started only when the first already has a page waiting.

Every process runs Tesseract on one thread (``OMP_THREAD_LIMIT=1`` unless the worker's
environment sets it): its OpenMP threads spin while they wait, so on a shared 2-core
machine one page took 3.5-4x the CPU and 3-5x the wall time of a single-threaded read,
and cores are put to better use by reading pages side by side (OCRmyPDF does the same).
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import ContentTooLarge, OcrFailed

AHEAD = 2
"""Pages handed to one process and not yet read: the one it reads and the next."""
_STARTED = re.compile(r"^Page (\d+) : ")
_TAIL = 3
"""Lines of Tesseract's error output quoted when it fails."""


@dataclass(frozen=True, slots=True)
class PageFile:
    """A page image written for Tesseract (a TIFF that carries its resolution)."""

    number: int
    path: Path
    dpi: int
    angle: float = 0.0
    """Degrees the page was straightened by before it was written."""


@dataclass(frozen=True, slots=True)
class Reading:
    """How Tesseract is run on the pages of one document."""

    languages: str
    text_only: bool
    """The PDF holds only the invisible text (laid over a PDF's own page), not the image."""
    page_timeout: float


@dataclass(frozen=True, slots=True)
class PageRead:
    page: PageFile
    text: str
    tsv: str
    """Tesseract's TSV (words and their boxes) for this page, with its header line."""
    pdf: Path
    index: int
    """The page's place in ``pdf`` (one PDF per process, its pages in the order read)."""


class Tesseract:
    """One ``tesseract`` process reading the page images named on its standard input."""

    def __init__(self, base: Path, reading: Reading, progress: threading.Condition) -> None:
        self.base, self.reading, self.progress = base, reading, progress
        self.pages: list[PageFile] = []
        self.started: list[float] = []
        """When Tesseract began each page (the first: when it was handed over)."""
        self.errors: list[str] = []
        args = ["tesseract", "-", str(base), "-l", reading.languages]
        args += ["-c", "stream_filelist=1", "-c", "preserve_interword_spaces=1"]
        if reading.text_only:
            args += ["-c", "textonly_pdf=1"]
        env = {"OMP_THREAD_LIMIT": "1", **os.environ}
        try:
            self.proc = subprocess.Popen(
                [*args, "txt", "pdf", "tsv"],
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                errors="replace",
            )
        except FileNotFoundError:
            raise OcrFailed("Tesseract is not installed (apt-get install tesseract-ocr)") from None
        self._listener = threading.Thread(target=self._listen, daemon=True)
        self._listener.start()

    @property
    def waiting(self) -> int:
        """Pages handed over and not read yet (the one being read included)."""
        if self.proc.poll() is not None and not self._listener.is_alive():
            return 0
        return len(self.pages) - max(0, len(self.started) - 1)

    def add(self, page: PageFile) -> None:
        if not self.pages:
            self.started.append(time.monotonic())
        self.pages.append(page)
        assert self.proc.stdin
        try:
            self.proc.stdin.write(f"{page.path}\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            self.check()

    def check(self) -> None:
        """Raise when the page being read is over its time or the process failed."""
        if self.waiting and time.monotonic() - self.started[-1] > self.reading.page_timeout:
            self.proc.kill()
            number = self.pages[len(self.started) - 1].number
            raise ContentTooLarge(
                f"OCR of page {number} took longer than {self.reading.page_timeout:g} s"
            )
        code = self.proc.poll()
        if code not in (None, 0):
            # A page it cannot open is named in its errors; else it failed on the page it read.
            named = [p.number for p in self.pages if any(str(p.path) in e for e in self.errors)]
            failed = named[-1] if named else self.pages[len(self.started) - 1].number
            detail = " ".join(self.errors[-_TAIL:])
            raise OcrFailed(f"Tesseract failed on page {failed} (exit {code}): {detail}")

    def finish(self) -> list[PageRead]:
        """Wait for the last page; the pages' text, words and place in the PDF, in order."""
        assert self.proc.stdin
        self.proc.stdin.close()
        with self.progress:
            while self.waiting:
                self.check()
                self.progress.wait(timeout=1.0)
        self.check()
        for page in self.pages:
            page.path.unlink(missing_ok=True)
        return self._results()

    def stop(self) -> None:
        """End the process (killed if still running) and close its pipes."""
        if self.proc.poll() is None:
            self.proc.kill()
        with contextlib.suppress(OSError):
            self.proc.stdin.close()  # type: ignore[union-attr]
        self.proc.wait()
        self._listener.join()
        self.proc.stderr.close()  # type: ignore[union-attr]

    def _listen(self) -> None:
        assert self.proc.stderr
        for line in self.proc.stderr:
            started = _STARTED.match(line)
            with self.progress:
                if started and int(started[1]) > 0:
                    # The page before is read: its image is no longer needed.
                    self.started.append(time.monotonic())
                    self.pages[int(started[1]) - 1].path.unlink(missing_ok=True)
                elif not started:
                    self.errors.append(line.strip())
                self.progress.notify_all()
        self.proc.wait()
        with self.progress:
            self.progress.notify_all()

    def _results(self) -> list[PageRead]:
        txt, tsv = self.base.with_suffix(".txt"), self.base.with_suffix(".tsv")
        texts = txt.read_text(encoding="utf-8").split("\f")
        header, *rows = tsv.read_text(encoding="utf-8").splitlines()
        txt.unlink()
        tsv.unlink()
        if len(texts) != len(self.pages):
            raise OcrFailed(f"Tesseract wrote {len(texts)} pages of text for {len(self.pages)}")
        by_page: dict[str, list[str]] = {}
        for row in rows:
            by_page.setdefault(row.split("\t", 2)[1], []).append(row)
        return [
            PageRead(
                page,
                texts[index],
                "\n".join([header, *by_page.get(str(index + 1), [])]),
                self.base.with_suffix(".pdf"),
                index,
            )
            for index, page in enumerate(self.pages)
        ]


def read_pages(
    files: Iterable[PageFile], scratch: Path, reading: Reading, jobs: int
) -> list[PageRead]:
    """Read the page images ``files`` (taken one at a time, in the calling thread, as a
    process has room) with up to ``jobs`` Tesseract processes; their results in page order.

    Raises ``OcrFailed`` when Tesseract is missing or fails, ``ContentTooLarge`` when a page
    takes longer than ``reading.page_timeout``.
    """
    progress = threading.Condition()
    processes: list[Tesseract] = []
    try:
        for page in files:
            with progress:
                target = _room(processes, jobs, progress)
                if target is None:
                    target = Tesseract(scratch / f"tesseract-{len(processes)}", reading, progress)
                    processes.append(target)
                target.add(page)
        results = [read for process in processes for read in process.finish()]
    finally:
        for process in processes:
            process.stop()
    return sorted(results, key=lambda read: read.page.number)


def _room(processes: list[Tesseract], jobs: int, progress: threading.Condition) -> Tesseract | None:
    """The process the next page goes to; None: start another one. Waits while all are full."""
    while True:
        for process in processes:
            process.check()
        least = min(processes, key=lambda process: process.waiting, default=None)
        if least is not None and least.waiting == 0:
            return least
        if len(processes) < jobs:
            return None
        if least is not None and least.waiting < AHEAD:
            return least
        progress.wait(timeout=1.0)
