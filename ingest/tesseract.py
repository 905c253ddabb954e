"""The ``tesseract`` command, and reading several pages of one document at once.

A long scan is spread over ``jobs`` Tesseract processes (the worker concurrency setting), so
a second core helps one document too. Pages are handed out in order and their results come
back in order; at most ``jobs`` pages are in flight, so memory does not grow with the page
count.
"""

from __future__ import annotations

import os
import subprocess
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from ingest.errors import ContentTooLarge, OcrFailed

T = TypeVar("T")
R = TypeVar("R")


def run_tesseract(
    image: Path,
    base: Path,
    *,
    number: int,
    languages: str,
    dpi: int,
    text_only: bool,
    timeout: float,
    single_threaded: bool,
) -> None:
    """Write ``base``.txt, ``base``.pdf and ``base``.tsv (the words and their boxes) for
    page ``number`` read from ``image``.

    ``single_threaded`` when pages run side by side: Tesseract's OpenMP threads then only
    compete with the other pages (on a busy 2-core machine one page took 2.6 s of CPU with
    one thread against 10.6 s of CPU, most of it spinning, with its default threads).
    """
    args = ["tesseract", str(image), str(base), "-l", languages, "--dpi", str(dpi)]
    args += ["-c", "preserve_interword_spaces=1"]
    if text_only:
        args += ["-c", "textonly_pdf=1"]
    args += ["txt", "pdf", "tsv"]
    env = dict(os.environ)
    if single_threaded:
        env.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        done = subprocess.run(args, env=env, capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError:
        raise OcrFailed("Tesseract is not installed (apt-get install tesseract-ocr)") from None
    except subprocess.TimeoutExpired:
        raise ContentTooLarge(f"OCR of page {number} took longer than {timeout:g} s") from None
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise OcrFailed(
            f"Tesseract failed on page {number} (exit {done.returncode}): {' '.join(detail)}"
        )


def in_parallel(work: Callable[[T], R], items: Iterable[T], jobs: int) -> Iterator[R]:
    """``map(work, items)`` on ``jobs`` threads, in order, with at most ``jobs + 1`` items taken.

    ``items`` is consumed in the calling thread (so it may use libraries that are not
    thread-safe), one item ahead so the next page is ready when a thread frees up. On an
    error nothing new starts and the error is raised at once.
    """
    if jobs <= 1:
        yield from map(work, items)
        return
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="bunko-ocr")
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(work, item))
            if len(pending) > jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        # After an error (or a time limit) do not wait for pages still queued.
        pool.shutdown(wait=not pending, cancel_futures=True)
