"""Extraction and OCR throughput against their raw baselines, on the shared corpus.

    python -m bench.extract [CORPUS]

Prints documents/s of ``ingest.extract`` against raw pypdf / python-docx on the same
born-digital files, and pages/s of ``ingest.ocr`` against the ``tesseract`` CLI alone on the
same page images. The helpers (``corpus_rows``, ``read_document``, ``rate``) are reused by
the other benchmarks.
"""

from __future__ import annotations

import csv
import json
import logging
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from pypdf import PdfReader

from ingest.errors import IngestError
from ingest.extract import Extraction, Limits, extract
from ingest.ocr import OcrOptions, apply_ocr
from ingest.render import page_images
from tests.conftest import CORPUS


@dataclass(frozen=True)
class Row:
    path: Path
    language: str
    doc_type: str
    has_text_layer: str
    expected: dict[str, Any]


def corpus_root(argv: Sequence[str]) -> Path:
    return Path(argv[1]) if len(argv) > 1 else CORPUS


def corpus_rows(root: Path) -> list[Row]:
    with (root / "MANIFEST.csv").open(encoding="utf-8") as manifest:
        return [
            Row(
                root / row["file"],
                row["language"],
                row["doc_type"],
                row["has_text_layer"],
                json.loads(row["expected_fields"] or "{}"),
            )
            for row in csv.DictReader(manifest)
        ]


def read_document(path: Path) -> Extraction | IngestError:
    """Text of ``path`` as the pipeline reads it: extraction, then OCR where needed."""
    try:
        extraction = extract(path)
        return apply_ocr(path, extraction) if extraction.pages_needing_ocr else extraction
    except IngestError as error:
        return error


def rate(items: Sequence[Any], work: Callable[[Any], object], repeat: int = 3) -> float:
    """Items per second for ``work`` over ``items``: the best of ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for item in items:
            work(item)
        best = min(best, time.perf_counter() - started)
    return len(items) / best


def raw_pypdf(path: Path) -> str:
    return "\f".join(page.extract_text() for page in PdfReader(path).pages)


def raw_docx(path: Path) -> str:
    document = docx.Document(str(path))
    cells = (cell.text for table in document.tables for row in table.rows for cell in row.cells)
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


def page_image_files(paths: Sequence[Path], directory: Path) -> list[Path]:
    """The page images OCR reads (rendered and scaled as ``ingest.render`` does), as PNGs."""
    files = []
    for path in paths:
        extraction = extract(path)
        for page in page_images(path, extraction.kind, extraction.pages_needing_ocr, Limits()):
            target = directory / f"{path.stem}-{page.number}.png"
            page.image.save(target, dpi=(page.dpi, page.dpi))
            files.append(target)
    return files


def tesseract_cli(image: Path, languages: str = OcrOptions().languages) -> None:
    subprocess.run(
        ["tesseract", str(image), "stdout", "-l", languages], check=True, capture_output=True
    )


def main(argv: Sequence[str]) -> None:
    logging.disable(logging.WARNING)  # pypdf's notes on odd files are not results
    rows = [r for r in corpus_rows(corpus_root(argv)) if "malformed" not in r.path.parts]
    pdfs = [r.path for r in rows if r.path.suffix == ".pdf" and r.has_text_layer == "yes"]
    docxs = [r.path for r in rows if r.path.suffix == ".docx"]
    for name, files, raw in (("born-digital PDF", pdfs, raw_pypdf), ("DOCX", docxs, raw_docx)):
        ours, base = rate(files, extract), rate(files, raw)
        print(
            f"{name:17} {len(files):3} files  ingest.extract {ours:7.1f} docs/s  "
            f"raw {base:7.1f} docs/s  overhead {base / ours - 1:+.1%}"
        )
    scans = [r.path for r in rows if r.has_text_layer == "no"]
    with tempfile.TemporaryDirectory() as scratch:
        images = page_image_files(scans, Path(scratch))
        ocr_rate = rate(scans, read_document, repeat=1) * len(images) / len(scans)
        cli_rate = rate(images, tesseract_cli, repeat=1)
    print(
        f"OCR scans         {len(images):3} pages  ingest.ocr {ocr_rate:.3f} pages/s  "
        f"tesseract CLI {cli_rate:.3f} pages/s  ratio {ocr_rate / cli_rate:.2f}"
    )


if __name__ == "__main__":
    main(sys.argv)
