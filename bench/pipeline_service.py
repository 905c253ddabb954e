"""Born-digital PDFs and DOCX uploaded over HTTP to ``bunko serve`` with its embedded worker:
documents/s from the first upload until the last is ``indexed``, beside raw pypdf, raw
PDFium and raw python-docx on the same files in the same run."""

from __future__ import annotations

import time
from pathlib import Path

import pypdfium2 as pdfium

from bench._servers import Server, serve, stack
from bench.extract import raw_docx, raw_pypdf
from bench.pipeline_http import ROOT, load, upload, wait_indexed
from bench.pipeline_latency import report_latency


def raw_pdfium(path: Path) -> str:
    """Every page's text with PDFium alone (the library the pipeline reads text layers with)."""
    document = pdfium.PdfDocument(path)
    try:
        return "\f".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def raw_rate(paths: list[Path], work: object, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for path in paths:
            work(path)  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    return len(paths) / best


def service_rate(server: Server, files: list[Path]) -> float:
    """Documents/s from the first upload until the last document is indexed."""
    started = time.perf_counter()
    ids = [upload(server, path.name, path.read_bytes()) for path in files]
    for document_id in ids:
        wait_indexed(server, document_id, every_s=0.05)
    return len(files) / (time.perf_counter() - started)


def born_digital(
    rows: list,  # type: ignore[type-arg]
    workdir: Path,
    latency_count: int,
    code: Path | None = None,
    rounds: int = 1,
) -> None:
    """Upload → indexed through ``bunko serve`` and its embedded worker, beside the raw tools
    (each round: the service, then each raw tool on the same files).

    ``code``: run the server from another checkout (say, before a change) for a baseline.
    """
    pdfs = [r.path for r in rows if r.path.suffix == ".pdf" and r.has_text_layer == "yes"]
    docxs = [r.path for r in rows if r.path.suffix == ".docx"]
    with stack("embedded", workdir / (code.name if code else "this")) as embedded_stack:
        env = {**embedded_stack.env, "BUNKO_EMBEDDED_WORKER": "true"}
        if code is not None:
            env["PYTHONPATH"] = str(code)
        print(f"== bunko serve from {code or ROOT}")
        with serve(env) as server:
            wait_indexed(server, upload(server, "warm-up.txt", b"warm-up"))
            for _ in range(rounds):
                compare(
                    server, "born-digital PDF", pdfs, {"pypdf": raw_pypdf, "PDFium": raw_pdfium}
                )
                compare(server, "DOCX", docxs, {"python-docx": raw_docx})
            report_latency(server, latency_count)


def compare(server: Server, name: str, files: list[Path], raws: dict[str, object]) -> None:
    """One round: the service's documents/s, then each raw tool's, and the ratios."""
    ours = service_rate(server, files)
    bases = {tool: raw_rate(files, work) for tool, work in raws.items()}
    print(
        f"{name:17} {len(files):3} files  upload->indexed {ours:6.2f} docs/s  "
        + "  ".join(f"{tool} {b:6.1f} docs/s ({ours / b:.2f}x)" for tool, b in bases.items())
        + f"  {load()}"
    )
