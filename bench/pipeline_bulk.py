"""A bulk import: ``bunko import --manifest`` of generated one-page PDFs into a serve with
its embedded worker, documents/s until the last one is indexed, beside the raw tools."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench._servers import serve, stack
from bench.extract import raw_pypdf
from bench.pipeline_http import ROOT, load, upload, wait_indexed
from bench.pipeline_service import raw_pdfium, raw_rate
from tests.ingest.conftest import write_text_pdf


def text_pdfs(folder: Path, count: int) -> list[Path]:
    """``count`` distinct one-page born-digital PDFs (a Helvetica text layer), and their manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    paths, lines = [], ["file,title,external_id"]
    for n in range(count):
        path = folder / f"permit-{n:06d}.pdf"
        text = (
            f"Road occupancy permit {n}: Minato ward, works on the road surface, fee {n * 37} yen."
        )
        write_text_pdf(path, [text])
        paths.append(path)
        lines.append(f"{path.name},Permit {n},PERMIT-{n}")
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def bulk_import(workdir: Path, count: int, code: Path | None = None, workers: int = 1) -> None:
    """``bunko import --manifest`` of ``count`` born-digital PDFs into a ``bunko serve`` with its
    embedded worker of ``workers`` processes: documents/s stored, and from the start until the
    last one is indexed (and per thousand indexed, to show whether the rate holds), against
    raw pypdf and raw PDFium on the same files."""
    folder = workdir / "bulk"
    paths = text_pdfs(folder, count) if not folder.exists() else sorted(folder.glob("permit-*"))
    bases = {tool: raw_rate(paths[:500], work, repeat=1) for tool, work in RAWS.items()}
    run = f"bulk-{code.name if code else 'this'}-{workers}"
    with stack("embedded", workdir / run) as bulk_stack:
        env = {
            **bulk_stack.env,
            "BUNKO_EMBEDDED_WORKER": "true",
            "BUNKO_WORKER_CONCURRENCY": str(workers),
        }
        if code is not None:
            env["PYTHONPATH"] = str(code)
        with serve(env) as server:
            wait_indexed(server, upload(server, "warm-up.txt", b"warm-up"))
            started = time.perf_counter()
            subprocess.run(
                [
                    *(sys.executable, "-c", "from web.cli import main; main()", "import"),
                    *(str(folder), "--dept", "bench", "--manifest", str(folder / "manifest.csv")),
                ],
                env={**os.environ, **env},
                cwd=code or ROOT,
                check=True,
                capture_output=True,
            )
            stored = time.perf_counter() - started
            database = Path(env["BUNKO_DATA_DIR"]) / "bunko.db"
            while_storing = _count(database, "status IN ('indexed', 'failed')")
            done = _indexed(database, count, started)
            failed = _count(database, "status = 'failed'")
    rate = count / done
    print(
        f"bulk import {count} PDFs from {code or ROOT}, {workers} worker(s): stored {count / stored:.1f} docs/s "
        f"(meanwhile {while_storing} indexed, {while_storing / stored:.1f} docs/s), "
        f"indexed {rate:.1f} docs/s ({done:.0f} s, {failed} failed; "
        f"100,000 at this rate: {100_000 / rate / 3600:.1f} h); "
        + ", ".join(f"raw {tool} {b:.1f} docs/s ({rate / b:.2f}x)" for tool, b in bases.items())
        + f"  {load()}"
    )


RAWS = {"pypdf": raw_pypdf, "PDFium": raw_pdfium}
STEP = 1000
"""Documents per line of the progress report."""


def _indexed(database: Path, count: int, started: float) -> float:
    """Wait until no document of the import waits; print the rate of each ``STEP`` indexed
    (with the load then). Seconds from ``started`` until the last was indexed."""
    mark, last, last_done = STEP, started, 0
    while (waiting := _waiting(database)) > 0:
        done = count - waiting
        if done >= mark and count > STEP:
            now = time.perf_counter()
            rate = (done - last_done) / (now - last)
            print(f"  {done:7,} indexed: {rate:5.1f} docs/s since {last_done:,}  {load()}")
            mark, last, last_done = mark + STEP, now, done
        time.sleep(1)
    return time.perf_counter() - started


def _waiting(database: Path) -> int:
    return _count(database, "status NOT IN ('indexed', 'failed')")


def _count(database: Path, where: str) -> int:
    with sqlite3.connect(database) as conn:
        return int(conn.execute(f"SELECT count(*) FROM documents WHERE {where}").fetchone()[0])
