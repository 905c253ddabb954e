"""Peak RSS of a process running the pipeline on a born-digital PDF of 50 and of N pages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from bench.pipeline_http import ROOT

PEAK_PROBE = """
import sys
from pathlib import Path
from bench.pipeline_scans import embedded, take_all
from ingest.pipeline import process_document
services = embedded(Path(sys.argv[1]))
[doc] = take_all(services, [Path(sys.argv[2])])
process_document(services.pipeline(), doc)
for line in Path("/proc/self/status").read_text().splitlines():
    if line.startswith("VmHWM"):
        print(int(line.split()[1]) // 1024)
"""


def many_pages(source: Path, pages: int, target: Path) -> Path:
    reader = PdfReader(source)
    writer = PdfWriter()
    while len(writer.pages) < pages:
        for page in reader.pages:
            if len(writer.pages) < pages:
                writer.add_page(page)
    with target.open("wb") as out:
        writer.write(out)
    return target


def peak_rss(rows: list, workdir: Path, pages: int) -> None:  # type: ignore[type-arg]
    source = next(r.path for r in rows if r.path.name == "en_federal-register_2020-17221.pdf")
    peaks = {}
    for count in (50, pages):
        pdf = many_pages(source, count, workdir / f"pages-{count}.pdf")
        probe = subprocess.run(
            [sys.executable, "-c", PEAK_PROBE, str(workdir / f"rss-{count}"), str(pdf)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        peaks[count] = int(probe.stdout.strip().splitlines()[-1])
    print(
        "peak RSS of the pipeline: " + ", ".join(f"{n} pages {mib} MiB" for n, mib in peaks.items())
    )
