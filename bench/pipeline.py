"""The whole pipeline against its raw tools, on the embedded stack.

    .venv/bin/python -m bench.pipeline [CORPUS] [--skip-ocr] [--skip-rss] [--pages 500] [--latency 40]
        [--rounds 1] [--baseline ../main] [--bulk 2000] [--bulk-workers 1,2] [--skip-born-digital]

1. Born-digital PDFs and DOCX through the real service (``bench.pipeline_service``): every
   file uploaded over HTTP to a ``bunko serve`` with its embedded worker and durable queue,
   documents/s from the first upload until the last is ``indexed``, against raw pypdf, raw
   PDFium and raw python-docx text extraction of the same files in the same run (issue 16
   goal: at least 0.5x raw pypdf). Then the time from upload to ``indexed`` of one small
   document on an idle server (``bench.pipeline_latency``; goal: p50 at most 150 ms).
2. With ``--bulk N``: N generated one-page born-digital PDFs through ``bunko import
   --manifest`` into a serve with its embedded worker (``bench.pipeline_bulk``), documents/s
   until the last is ``indexed`` and per thousand, against raw pypdf and PDFium on the same
   files (issue 16: 100,000 in under 2 hours).
3. Peak RSS of a process running the pipeline on a born-digital PDF of 50 and of N pages
   (``bench.pipeline_rss``).
4. Scans: pages/s through the pipeline against ``tesseract`` alone on the same page
   images, and with 1 and 2 Celery worker processes (``bench.pipeline_scans``).
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

from bench.extract import corpus_root, corpus_rows
from bench.pipeline_bulk import bulk_import
from bench.pipeline_rss import peak_rss
from bench.pipeline_scans import scans
from bench.pipeline_service import born_digital


def _options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.pipeline")
    parser.add_argument(
        "corpus",
        nargs="?",
        help="default: the tests' corpus (BUNKO_CORPUS or shared/corpus above the checkout)",
    )
    parser.add_argument("--pages", type=int, default=500, help="pages of the peak-RSS PDF")
    parser.add_argument("--latency", type=int, default=40, help="single-document runs")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of the corpus uploads")
    parser.add_argument(
        "--bulk", type=int, default=0, help="also bunko import --manifest this many PDFs"
    )
    parser.add_argument(
        "--bulk-workers", default="1", help="worker processes of the bulk import, e.g. 1,2"
    )
    parser.add_argument("--skip-born-digital", action="store_true")
    parser.add_argument("--skip-ocr", action="store_true")
    parser.add_argument("--skip-rss", action="store_true")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="also measure a server run from this checkout (e.g. ../main), in the same run",
    )
    return parser.parse_args(argv[1:])


def main(argv: list[str]) -> None:
    options = _options(argv)
    logging.disable(logging.WARNING)
    root = corpus_root([argv[0], *([options.corpus] if options.corpus else [])])
    rows = [r for r in corpus_rows(root) if "malformed" not in r.path.parts]
    with tempfile.TemporaryDirectory(dir="/var/tmp", ignore_cleanup_errors=True) as work:
        workdir = Path(work)
        codes = [None, *([options.baseline.resolve()] if options.baseline else [])]
        for code in codes if not options.skip_born_digital else []:
            born_digital(rows, workdir, options.latency, code=code, rounds=options.rounds)
        for workers in [int(n) for n in options.bulk_workers.split(",")] if options.bulk else []:
            for code in codes:
                bulk_import(workdir, options.bulk, code=code, workers=workers)
        if not options.skip_rss:
            peak_rss(rows, workdir, options.pages)
        if not options.skip_ocr:
            scans(rows, workdir)


if __name__ == "__main__":
    main(sys.argv)
