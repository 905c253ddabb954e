"""The text layer the pipeline reads: pypdf's ``extract_text`` against PDFium's, same files.

    .venv/bin/python -m bench.pipeline_text [CORPUS] [--generated 40]

1. Every corpus PDF with a text layer (MANIFEST.csv): how alike the two texts are — the
   characters in reading order (whitespace aside) and the words (split at whitespace, so
   a missing or extra space between words counts) —, ligature code points, hyphens at line
   ends, Japanese characters, and the time each takes; the transcript with a ``.gt.txt``
   against its truth.
2. Generated born-digital papers with exact truth (``tests.layouts``: invoices, receipts,
   contracts and notices in Japanese, English and five European languages): the share of
   the strings placed on the page that each text holds verbatim, and the share of
   consecutive lines (top to bottom) that come in that order.
3. Pages made here with exact truth: two columns, words hyphenated at line ends,
   ligatures (ﬁ ﬂ as their own code points), Japanese lines.
"""

from __future__ import annotations

import argparse
import difflib
import io
import itertools
import logging
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from bench.extract import corpus_root, corpus_rows
from bench.pipeline_http import load
from ingest.extract.pdf_text import pdfium_text
from tests.generated import TRUETYPE_FONT
from tests.layouts import field_documents

Reader = Callable[[Path | bytes], list[str]]
_LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def pypdf_pages(source: Path | bytes) -> list[str]:
    reader = PdfReader(source if isinstance(source, Path) else io.BytesIO(source))
    return [page.extract_text() for page in reader.pages]


def pdfium_pages(source: Path | bytes) -> list[str]:
    document = pdfium.PdfDocument(source)
    try:
        return [pdfium_text(document[i].get_textpage()) for i in range(len(document))]
    finally:
        document.close()


READERS: dict[str, Reader] = {"pypdf": pypdf_pages, "pdfium": pdfium_pages}


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def chars_alike(a: str, b: str) -> float:
    """Characters in reading order, whitespace aside."""
    return similarity(re.sub(r"\s+", "", a), re.sub(r"\s+", "", b))


def words_alike(a: str, b: str) -> float:
    """F1 of the two texts' words as multisets (a glued or split word counts twice)."""
    left, right = Counter(a.split()), Counter(b.split())
    common = sum((left & right).values())
    return 2 * common / (sum(left.values()) + sum(right.values()) or 1)


def features(text: str) -> str:
    ligatures = sum(1 for c in text if "\ufb00" <= c <= "\ufb06")
    hyphens = len(re.findall(r"\w-\n", text))
    japanese = sum(1 for c in text if "\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff")
    return f"lig {ligatures:3} hyph {hyphens:3} ja {japanese:5}"


def corpus(root: Path) -> None:
    rows = [r for r in corpus_rows(root) if r.path.suffix == ".pdf" and r.has_text_layer == "yes"]
    rows = [r for r in rows if "encrypted" not in r.path.name]
    spent = dict.fromkeys(READERS, 0.0)
    alike: list[tuple[float, float, int]] = []
    print(f"{'file':52} {'chars':>6} {'words':>6}  pypdf / pdfium features")
    for row in rows:
        texts = {}
        for name, read in READERS.items():
            started = time.perf_counter()
            texts[name] = "\f".join(read(row.path))
            spent[name] += time.perf_counter() - started
        a, b = texts["pypdf"], texts["pdfium"]
        alike.append((chars_alike(a, b), words_alike(a, b), len(a)))
        print(
            f"{row.path.name[:52]:52} {alike[-1][0]:6.3f} {alike[-1][1]:6.3f}  "
            f"{features(a)} / {features(b)}"
        )
        truth = row.path.with_suffix(".gt.txt")
        if truth.exists():
            gt = truth.read_text(encoding="utf-8")
            print(
                f"  against {truth.name}: chars pypdf {chars_alike(a, gt):.3f} pdfium "
                f"{chars_alike(b, gt):.3f}; words pypdf {words_alike(a, gt):.3f} pdfium "
                f"{words_alike(b, gt):.3f}"
            )
    total = sum(n for *_, n in alike)
    print(
        f"{len(rows)} PDFs, weighted by length: chars {sum(c * n for c, _, n in alike) / total:.3f}, "
        f"words {sum(w * n for _, w, n in alike) / total:.3f}; time pypdf {spent['pypdf']:.2f} s, "
        f"pdfium {spent['pdfium']:.2f} s ({spent['pypdf'] / spent['pdfium']:.1f}x)  {load()}"
    )


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def generated(count: int) -> None:
    """Placed strings found verbatim, and consecutive lines in top-to-bottom order."""
    docs = field_documents(count, seed=0, scans=0.0)
    found = dict.fromkeys(READERS, 0)
    ordered = dict.fromkeys(READERS, 0)
    placed = pairs = 0
    for doc in docs:
        pdf = doc.pdf()
        lines = sorted(doc.texts, key=lambda t: (round(t.y), t.x))
        placed += len(lines)
        pairs += len(lines) - 1
        for name, read in READERS.items():
            text = _flat("\n".join(read(pdf)))
            where = [text.find(_flat(t.text)) for t in lines]
            found[name] += sum(1 for w in where if w >= 0)
            ordered[name] += sum(1 for x, y in itertools.pairwise(where) if 0 <= x <= y)
    for name in READERS:
        print(
            f"generated papers ({len(docs)}, {placed} placed strings): {name:6} verbatim "
            f"{found[name] / placed:.3f}, lines in order {ordered[name] / pairs:.3f}"
        )


_LEFT = [
    "The committee met on the first of April to review",
    "the budget of the road maintenance office and the",
    "schedule of works for the coming fiscal year.",
]
_RIGHT = [
    "Members asked for the inspection records of the",
    "bridges on route nine and for a list of the firms",
    "that tendered for the resurfacing contract.",
]
_HYPHENATED = [
    ("The ward office received the adminis-", "tration's reply on the", "administration's")
]
_LIGATURES = "The \ufb01nal \ufb02oor plan of the o\ufb03ce was \ufb01led."
_JAPANESE = [
    "令和6年4月1日 大阪市総務局",
    "道路維持補修工事の委託契約を締結する。",
    "金12,345,000円(消費税を含む。)",
]


def made_pages() -> bytes:
    """Four pages: two columns, a hyphenated line end, ligatures, Japanese lines."""
    for name, path in (("Latin", _LATIN_FONT), ("IPAPGothic", TRUETYPE_FONT)):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    top = A4[1] - 80
    page.setFont("Latin", 10)
    for x, column in ((50, _LEFT), (310, _RIGHT)):
        for i, line in enumerate(column):
            page.drawString(x, top - 14 * i, line)
    page.showPage()
    page.setFont("Latin", 10)
    for first, second, _ in _HYPHENATED:
        page.drawString(50, top, first)
        page.drawString(50, top - 14, second)
    page.showPage()
    page.setFont("Latin", 10)
    page.drawString(50, top, _LIGATURES)
    page.showPage()
    page.setFont("IPAPGothic", 12)
    for i, line in enumerate(_JAPANESE):
        page.drawString(50, top - 20 * i, line)
    page.showPage()
    page.save()
    return out.getvalue()


def made() -> None:
    pdf = made_pages()
    for name, read in READERS.items():
        columns, hyphen, ligatures, japanese = (_flat(p) for p in read(pdf))
        left, right = columns.find(_flat(" ".join(_LEFT))), columns.find(_flat(" ".join(_RIGHT)))
        print(
            f"made pages, {name:6}: two columns {'in order' if 0 <= left < right else 'MIXED'}"
            f"; hyphenated line end {hyphen.strip()!r}; ligatures {ligatures.strip()!r}"
            f"; Japanese {'exact' if japanese.strip() == ' '.join(_JAPANESE) else repr(japanese)}"
        )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench.pipeline_text")
    parser.add_argument("corpus", nargs="?")
    parser.add_argument("--generated", type=int, default=40, help="generated papers")
    options = parser.parse_args(argv[1:])
    logging.disable(logging.WARNING)
    corpus(corpus_root([argv[0], *([options.corpus] if options.corpus else [])]))
    generated(options.generated)
    made()


if __name__ == "__main__":
    main(sys.argv)
