"""Japanese scans: character accuracy, phrase recall and pages/s of Bunko's OCR beside raw
``tesseract`` on the same generated pages, page by page in the same run.

    .venv/bin/python -m bench.scans [--pages 40] [--baseline DIR] [--show-misses]

Pages come from ``tests.generated``: a contract, a notice, an invoice or minutes
(``scan_page``) printed and scanned in a varied style (``varied_style``: seven Japanese
faces, 9-14 pt, 200 or 300 dpi, skew up to 3°, blur, speckle, grey paper, JPEG
artefacts). Raw tesseract reads each image file as it is (``tesseract IMG OUT -l
jpn+eng``); Bunko reads it through ``ingest.ocr.apply_ocr`` in a long-lived process (so
its imports are not timed) of this checkout and, with ``--baseline DIR``, of another
checkout (e.g. main). The three run one after another on each page.

Character accuracy = 1 - edit distance / truth length (NFKC, whitespace removed), over all
pages. Phrase recall: each phrase printed on the page (3-20 characters) counts when it is
in the OCR text as the index holds it (``search.index_form``), as a quoted search would
find it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ocr import edit_distance, normalised
from search import index_form
from tests.generated import ScanStyle, scan_image, scan_page, varied_style

ROOT = Path(__file__).resolve().parents[1]
# Reads the image files named on stdin, one per line; answers {"text", "seconds"} per line.
_READER = """
import json, sys, time
from pathlib import Path
from ingest.extract import extract
from ingest.ocr import apply_ocr
for line in sys.stdin:
    path = Path(line.strip())
    start = time.perf_counter()
    text = apply_ocr(path, extract(path)).text
    print(json.dumps({"text": text, "seconds": time.perf_counter() - start}), flush=True)
"""


@dataclass
class Tally:
    errors: int = 0
    length: int = 0
    found: int = 0
    phrases: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)

    def add(self, text: str, truth: str, phrases: list[str], seconds: float) -> None:
        self.errors += edit_distance(normalised(text), normalised(truth))
        self.length += len(normalised(truth))
        indexed = index_form(text)
        for phrase in phrases:
            self.phrases += 1
            if index_form(phrase) in indexed:
                self.found += 1
            else:
                self.misses.append(phrase)
        self.seconds += seconds

    def row(self, pages: int) -> str:
        accuracy = max(0.0, 1 - self.errors / self.length) if self.length else float("nan")
        recall = self.found / self.phrases if self.phrases else float("nan")
        return (
            f"{accuracy:.3f} | {recall:.1%} ({self.found}/{self.phrases}) | "
            f"{pages / self.seconds:.3f}"
        )


class Reader:
    """A Python process of checkout ``code`` that OCRs image files with Bunko's pipeline."""

    def __init__(self, code: Path) -> None:
        self.code = code
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _READER],
            cwd=code,
            env={**os.environ, "PYTHONPATH": str(code)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def read(self, image: Path) -> tuple[str, float]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(f"{image}\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        return answer["text"], answer["seconds"]

    def close(self) -> None:
        assert self.proc.stdin
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def raw_tesseract(image: Path) -> tuple[str, float]:
    base = image.with_name(image.stem + "-raw")
    start = time.perf_counter()
    subprocess.run(
        ["tesseract", str(image), str(base), "-l", "jpn+eng"], check=True, capture_output=True
    )
    seconds = time.perf_counter() - start
    return base.with_suffix(".txt").read_text(encoding="utf-8"), seconds


def group_of(style: ScanStyle) -> str:
    small = "9-10 pt" if style.size_pt <= 10 else "10.5-14 pt"
    return f"{style.dpi} dpi, {small}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--first", type=int, default=0, help="seed of the first page")
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    readers = {"Bunko": Reader(ROOT)}
    if args.baseline:
        readers["baseline"] = Reader(args.baseline.resolve())
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    counts: dict[str, int] = defaultdict(int)
    with tempfile.TemporaryDirectory(prefix="bunko-scans-") as tmp:
        for seed in range(args.first, args.first + args.pages):
            lines, phrases = scan_page(seed)
            style = varied_style(seed)
            image = Path(tmp) / f"scan-{seed}{style.suffix}"
            image.write_bytes(scan_image(lines, style, seed=seed))
            truth = "\n".join(lines)
            results = {"raw tesseract": raw_tesseract(image)}
            results |= {name: reader.read(image) for name, reader in readers.items()}
            for group in ("all pages", group_of(style)):
                counts[group] += 1
                for name, (text, seconds) in results.items():
                    tallies[name, group].add(text, truth, phrases, seconds)
            print(f"page {seed}: {style}", file=sys.stderr, flush=True)
    for reader in readers.values():
        reader.close()
    names = ["raw tesseract", *readers]
    print(
        f"\n{args.pages} generated Japanese scans (seeds {args.first}-{args.first + args.pages - 1})"
    )
    print("\n| pages | reader | character accuracy | phrase recall | pages/s |")
    print("|---|---|---|---|---|")
    for group in sorted(counts, key=lambda g: (g != "all pages", g)):
        for name in names:
            print(
                f"| {group} ({counts[group]}) | {name} | {tallies[name, group].row(counts[group])} |"
            )
    if args.show_misses:
        for name in names:
            print(f"{name} missed: {', '.join(tallies[name, 'all pages'].misses)}")


if __name__ == "__main__":
    main()
