"""Page words for layout fields (``ingest.words.pdf_words``): this checkout against another's,
same words and boxes, and the CPU each takes, rounds interleaved.

    .venv/bin/python -m bench.page_words [CORPUS] --baseline ../main [--generated 60] [--rounds 3]

The files: every corpus PDF (MANIFEST.csv), generated papers with exact truth
(``tests.layouts``, ``tests.layouts_world``) each also turned 90, 180 and 270 degrees, and a
page with more words than ``MAX_WORDS_PER_PAGE``. Words must be the same text in the same
order with boxes equal to 4 decimals (the figures printed say how many are exactly equal).
Raw PDFium's text of the same files is timed alongside, as the ratio's yardstick.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

import pypdfium2 as pdfium
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

import ingest.words
from bench.extract import corpus_root, corpus_rows
from ingest.words import MAX_WORDS_PER_PAGE, Box, PageWords
from tests.layouts import field_documents
from tests.layouts_world import brand_invoice, duration_contract, eu_invoice

Words = Callable[[Path, Sequence[int]], list[PageWords]]


def baseline_words(checkout: Path) -> Words:
    """``pdf_words`` of the checkout at ``checkout`` (loaded under its own module name)."""
    spec = importlib.util.spec_from_file_location("baseline_words", checkout / "ingest/words.py")
    assert spec is not None and spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    words: Words = module.pdf_words
    return words


def generated_pdfs(count: int, folder: Path) -> list[Path]:
    """``count`` generated papers, each also turned, and one page of too many words."""
    rng = random.Random("page_words")
    docs = field_documents(count, scans=0.0)
    docs += [eu_invoice(rng, n, lang) for n, lang in enumerate(("de", "fr", "nl", "es", "it"))]
    docs += [brand_invoice(rng, 0), duration_contract(rng, 0, ("Acme Inc.", "Beta LLC"))]
    paths = []
    for n, doc in enumerate(docs):
        for angle in (0, 90, 180, 270):
            writer = PdfWriter(clone_from=io.BytesIO(doc.pdf()))
            writer.pages[0].rotate(angle)
            paths.append(folder / f"{n}-{angle}.pdf")
            writer.write(paths[-1])
    paths.append(folder / "crowded.pdf")
    _crowded(paths[-1], MAX_WORDS_PER_PAGE + 500)
    return paths


def _crowded(path: Path, words: int) -> None:
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("Helvetica", 2)
    per_line = 120
    for line in range(words // per_line + 1):
        text = " ".join(f"w{line}x{n}" for n in range(per_line))
        page.drawString(4, A4[1] - 4 - 2.2 * (line % 370), text)
    page.showPage()
    page.save()


def page_count(path: Path) -> int:
    try:
        return len(PdfReader(path).pages)
    except Exception:
        return 0


def differences(a: list[PageWords], b: list[PageWords]) -> tuple[int, int, int]:
    """(words, words with boxes exactly equal, words differing in text or a box past 4 decimals)."""
    words = exact = differ = 0
    for page_a, page_b in zip(a, b, strict=True):
        differ += abs(len(page_a.words) - len(page_b.words)) + (page_a.aspect != page_b.aspect)
        for word_a, word_b in zip(page_a.words, page_b.words, strict=False):
            words += 1
            box_a, box_b = _sides(word_a.box), _sides(word_b.box)
            exact += word_a.text == word_b.text and box_a == box_b
            differ += word_a.text != word_b.text or _sides(word_a.box.rounded()) != _sides(
                word_b.box.rounded()
            )
    return words, exact, differ


def _sides(box: Box) -> tuple[float, float, float, float]:
    """The box as plain numbers (the two checkouts' ``Box`` are different classes)."""
    return box.x0, box.y0, box.x1, box.y1


def raw_pdfium(path: Path) -> int:
    """Raw PDFium's text of every page (the yardstick): characters read."""
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        return 0
    try:
        return sum(len(document[i].get_textpage().get_text_range()) for i in range(len(document)))
    finally:
        document.close()


def cpu(run: Callable[[], object]) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def compare(name: str, paths: list[Path], old: Words, new: Words, rounds: int) -> None:
    """Print how alike the two checkouts' words are on ``paths``, then ``rounds`` timings."""
    pages = {path: list(range(1, page_count(path) + 1)) for path in paths}
    counts = [differences(old(p, n), new(p, n)) for p, n in pages.items()]
    words, exact, differ = (sum(column) for column in zip(*counts, strict=True))
    print(
        f"{name}: {len(paths)} PDFs, {sum(map(len, pages.values()))} pages, {words} words: "
        f"{exact} exactly equal, {differ} differ (text or box to 4 decimals)"
    )
    for round_ in range(rounds):
        times = {
            "baseline": cpu(lambda: [old(p, n) for p, n in pages.items()]),
            "this": cpu(lambda: [new(p, n) for p, n in pages.items()]),
            "raw PDFium text": cpu(lambda: [raw_pdfium(p) for p in paths]),
        }
        print(
            f"  round {round_ + 1}: CPU s "
            + ", ".join(f"{k} {v:.2f}" for k, v in times.items())
            + f"; baseline/this {times['baseline'] / times['this']:.2f}×"
            + f"; load {os.getloadavg()[0]:.1f}"
        )


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench.page_words")
    parser.add_argument("corpus", nargs="?", default=None)
    parser.add_argument("--baseline", type=Path, required=True, help="a checkout, e.g. ../main")
    parser.add_argument("--generated", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv[1:])
    root = corpus_root(["", args.corpus] if args.corpus else [""])
    corpus = [row.path for row in corpus_rows(root) if row.path.suffix.lower() == ".pdf"]
    old = baseline_words(args.baseline)
    with tempfile.TemporaryDirectory() as folder:
        compare("corpus", corpus, old, ingest.words.pdf_words, args.rounds)
        generated = generated_pdfs(args.generated, Path(folder))
        compare("generated", generated, old, ingest.words.pdf_words, args.rounds)


if __name__ == "__main__":
    main(sys.argv)
