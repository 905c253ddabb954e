"""A worker's CPU per born-digital PDF, in process: ``process_document`` on the corpus PDFs
with a text layer, beside raw pypdf and raw PDFium over the same files in the same process,
for this checkout and a baseline checkout by turns.

    .venv/bin/python -m bench.pipeline_cpu [CORPUS] --baseline ../main [--rounds 3] [--profile]

Each round runs each checkout in its own process (embedded services in a temporary folder,
the files taken once, one warm pass, one measured pass) and prints CPU documents/s (CPU time
counts the work, which the machine's load inflates less than wall time), the ratios to the
raw tools and the load average. ``--profile`` prints this checkout's cProfile of the
measured pass instead.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import logging
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import select

from archive.models import Document
from archive.processing import reset_for_reprocessing
from bench.extract import corpus_root, corpus_rows, raw_pypdf
from bench.pipeline_scans import embedded, take_all
from bench.pipeline_service import raw_pdfium
from ingest.pipeline import process_document
from web.services import Services


def cpu_rate(paths: list[Path], work: Callable[[Path], object]) -> float:
    """Documents per CPU second of ``work`` over ``paths``."""
    started = time.process_time()
    for path in paths:
        work(path)
    return len(paths) / (time.process_time() - started)


def pipeline_pass(services: Services, ids: list[str]) -> None:
    with services.sessions.begin() as session:
        for document in session.scalars(select(Document).where(Document.id.in_(ids))):
            reset_for_reprocessing(session, document)
    for doc_id in ids:
        process_document(services.pipeline(), doc_id)


def measure(paths: list[Path], profile: bool) -> dict[str, float]:
    """This process's code: the pipeline's and the raw tools' CPU documents/s on ``paths``."""
    with tempfile.TemporaryDirectory() as folder:
        services = embedded(Path(folder))
        ids = take_all(services, paths)
        pipeline_pass(services, ids)
        if profile:
            profiler = cProfile.Profile()
            profiler.runcall(pipeline_pass, services, ids)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        started = time.process_time()
        pipeline_pass(services, ids)
        pipeline = len(ids) / (time.process_time() - started)
    return {
        "pipeline": pipeline,
        "pypdf": cpu_rate(paths, raw_pypdf),
        "pdfium": cpu_rate(paths, raw_pdfium),
    }


def run_checkout(checkout: Path, corpus: Path) -> dict[str, float]:
    """``measure`` in a process that imports ``checkout``'s code."""
    env = {**os.environ, "PYTHONPATH": str(checkout.resolve())}
    script = "import sys, runpy; runpy.run_path(sys.argv[1], run_name='child')"
    out = subprocess.run(
        [sys.executable, "-c", script, __file__, str(corpus)],
        env=env,
        cwd=checkout,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return figures


def born_digital(corpus: Path) -> list[Path]:
    """The corpus PDFs with a text layer that raw pypdf reads (not the encrypted one)."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    rows = corpus_rows(corpus)
    pdfs = [r.path for r in rows if r.path.suffix == ".pdf" and r.has_text_layer == "yes"]
    return [path for path in pdfs if _readable(path)]


def _readable(path: Path) -> bool:
    try:
        raw_pypdf(path)
    except Exception:
        return False
    return True


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench.pipeline_cpu")
    parser.add_argument("corpus", nargs="?", default=None)
    parser.add_argument("--baseline", type=Path, help="a checkout, e.g. ../main")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv[1:])
    corpus = corpus_root(["", args.corpus] if args.corpus else [""])
    if args.profile:
        measure(born_digital(corpus), profile=True)
        return
    here = Path(__file__).resolve().parent.parent
    checkouts = {"this": here, **({"baseline": args.baseline} if args.baseline else {})}
    print(f"{len(born_digital(corpus))} born-digital corpus PDFs; CPU documents/s")
    print("| round | checkout | pipeline | raw pypdf | ÷ pypdf | raw PDFium | ÷ PDFium | load |")
    print("|---|---|---|---|---|---|---|---|")
    for round_ in range(args.rounds):
        for name, checkout in checkouts.items():
            f = run_checkout(checkout, corpus)
            print(
                f"| {round_ + 1} | {name} | {f['pipeline']:.2f} | {f['pypdf']:.2f} | "
                f"{f['pipeline'] / f['pypdf']:.2f}× | {f['pdfium']:.1f} | "
                f"{f['pipeline'] / f['pdfium']:.3f}× | {os.getloadavg()[0]:.1f} |",
                flush=True,
            )


if __name__ == "child":
    print(json.dumps(measure(born_digital(Path(sys.argv[-1])), profile=False)))
elif __name__ == "__main__":
    main(sys.argv)
