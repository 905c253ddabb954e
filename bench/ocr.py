"""OCR pages/s and character accuracy: Bunko through its HTTP API and queue, beside raw
``tesseract`` and OCRmyPDF on the same pages, measured in the same run, rounds interleaved.

Bunko: one scan PDF is uploaded to a real ``bunko serve`` (embedded stack) with a ``bunko
worker --concurrency N`` beside it, and the clock stops when the document's status was set
to ``indexed`` (its own ``updated_at``, read by a poll every 0.2 s, the long scan's every
second, so the poll's interval does not add to the time); its time is then split, from the
document's processing record, into the OCR step, the other steps and the rest (upload,
queue, indexing). Raw tesseract reads the same page images as files (``tesseract IMG OUT -l
jpn+eng``, one process per page, N processes side by side for N workers), measured twice
with one worker: at Tesseract's own default threads (OpenMP, ``OMP_THREAD_LIMIT`` unset) and
single-threaded (``OMP_THREAD_LIMIT=1``, as Bunko's worker runs it); with 2 processes
single-threaded only.
OCRmyPDF (MPL-2.0; install it into its own venv:
``python3 -m venv /var/tmp/ocr-peer-venv && /var/tmp/ocr-peer-venv/bin/pip install ocrmypdf``)
reads the same PDF with ``--output-type pdf --sidecar --rasterizer pypdfium -j N``.

Pages: the first ``--corpus`` scans of shared/corpus/scans, embedded at their own
resolution, and ``--generated`` pages of Japanese and English text drawn at 300 and 200
dpi, whose text is known. Character accuracy = 1 - edit distance / length of the truth,
after NFKC and with all whitespace removed, over the pages with a known text.

Then a ``--long``-page scan of generated pages of ``--long-lines`` lines with 1 and 2 worker
processes, their order alternating by round (the speed-up of spreading one document's
pages; with the CPU seconds the worker's Python processes, its Tesseract processes and the
server spent meanwhile, and the cores they kept busy), each followed by raw single-threaded
tesseract on the same page images with as many processes side by side (raw tesseract's own
speed-up from one process to two is what this machine allows), and the peak RSS of a worker
and of the server while an ``--rss``-page scan is read, beside a tenth of it (memory must not
grow with the page count).

    .venv/bin/python -m bench.ocr [--rounds 2] [--corpus 10] [--generated 4] [--long 100]
        [--long-lines 6] [--rss 300]

Every row prints the 1-minute load average when it was measured (the machine is shared).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx2 as httpx
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._servers import (
    ROOT,
    Server,
    cpu_seconds,
    descendants,
    peak_rss_mib,
    reset_peak_rss,
    serve,
    stack,
)
from ingest.resolution import effective_dpi
from tests.conftest import CORPUS

SCANS = CORPUS / "scans"
OCRMYPDF = Path("/var/tmp/ocr-peer-venv/bin/ocrmypdf")
LANGUAGES = "jpn+eng"
JA_FONT = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 0)
EN_FONT = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0)
JA_LINES = [
    "令和6年4月1日付けで業務委託契約を締結する。",
    "請求書番号 2024-0815 合計金額 1,234,567円",
    "適格請求書発行事業者登録番号 T1234567890123",
    "本契約の有効期間は契約締結日から3年間とする。",
    "文書管理規程に基づき保存期間は10年とする。",
    "情報公開請求に対する開示決定を通知します。",
]
EN_LINES = [
    "Records retention schedule for fiscal year 2024",
    "Invoice 4711 total amount due 98,765.43 USD",
    "The parties agree to keep this information confidential.",
]


@dataclass
class Page:
    image: Path
    dpi: float
    truth: str | None


def generated_page(path: Path, dpi: int, lines: list[str]) -> Page:
    """A page of 11 pt lines (Japanese and English) drawn at ``dpi``; its text is known."""
    width, height = round(8.27 * dpi), round((1.2 + 0.3 * len(lines)) * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    size = round(11 / 72 * dpi)
    ja = ImageFont.truetype(JA_FONT[0], size, index=JA_FONT[1])
    en = ImageFont.truetype(EN_FONT[0], size, index=EN_FONT[1])
    for row, line in enumerate(lines):
        font = en if line.isascii() else ja
        draw.text((0.8 * dpi, (0.6 + 0.3 * row) * dpi), line, font=font, fill=0)
    image.save(path, dpi=(dpi, dpi))
    return Page(path, dpi, "\n".join(lines))


def pages_of(work: Path, corpus: int, generated: int, *, lines: int = 12) -> list[Page]:
    pages: list[Page] = []
    for source in sorted(p for p in SCANS.iterdir() if p.suffix in (".png", ".jpg"))[:corpus]:
        with Image.open(source) as image:
            declared = float(image.info.get("dpi", (0,))[0] or 0)
            target = work / f"{source.stem}.png"
            (image.convert("RGB") if image.mode not in ("1", "L", "RGB") else image).save(target)
            dpi = effective_dpi(image.width, image.height, declared)
        truth_file = source.with_suffix(".gt.txt")
        truth = truth_file.read_text(encoding="utf-8") if truth_file.exists() else None
        pages.append(Page(target, dpi, truth))
    texts = JA_LINES + EN_LINES
    for number in range(generated):
        chosen = [texts[(number + row) % len(texts)] for row in range(lines)]
        dpi = 300 if number % 2 == 0 else 200
        pages.append(generated_page(work / f"generated-{number}.png", dpi, chosen))
    return pages


def scan_pdf(pages: list[Page], path: Path) -> Path:
    """One image-only PDF, each page at its image's own resolution (as a scanner writes it)."""
    writer = PdfWriter()
    for page in pages:
        single = io.BytesIO()
        with Image.open(page.image) as image:
            image.save(single, "PDF", resolution=page.dpi)
        writer.append(PdfReader(single))
    writer.write(path)
    return path


def normalised(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def accuracy(texts: list[str], pages: list[Page]) -> float:
    """Character accuracy over the pages with a known text (1.0 = every character right)."""
    errors = length = 0
    for text, page in zip(texts, pages, strict=True):
        if page.truth is None:
            continue
        truth = normalised(page.truth)
        errors += edit_distance(normalised(text), truth)
        length += len(truth)
    return max(0.0, 1 - errors / length) if length else float("nan")


@dataclass
class Run:
    seconds: float
    texts: list[str]
    steps: dict[str, float] = field(default_factory=dict)
    """Seconds per pipeline step, as the document's processing record has them."""


def tesseract_raw(pages: list[Page], work: Path, processes: int, *, threaded: bool) -> Run:
    """The pages read by ``processes`` tesseract processes side by side, each at Tesseract's
    default threads (``threaded``) or on one thread."""
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    if not threaded:
        env["OMP_THREAD_LIMIT"] = "1"

    def one(index: int) -> str:
        base = work / f"raw-{index}"
        subprocess.run(
            ["tesseract", str(pages[index].image), str(base), "-l", LANGUAGES],
            env=env,
            check=True,
            capture_output=True,
        )
        return base.with_suffix(".txt").read_text(encoding="utf-8")

    start = time.perf_counter()
    with ThreadPoolExecutor(processes) as pool:
        texts = list(pool.map(one, range(len(pages))))
    return Run(time.perf_counter() - start, texts)


def ocrmypdf(pdf: Path, work: Path, jobs: int) -> Run | None:
    if not OCRMYPDF.exists():
        return None
    sidecar = work / "ocrmypdf.txt"
    start = time.perf_counter()
    subprocess.run(
        [
            *(str(OCRMYPDF), "-l", LANGUAGES, "--output-type", "pdf", "--rasterizer", "pypdfium"),
            *("--sidecar", str(sidecar), "-j", str(jobs), "-q", str(pdf), str(work / "out.pdf")),
        ],
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - start
    return Run(seconds, sidecar.read_text(encoding="utf-8").split("\f"))


@contextmanager
def worker(
    server: Server, env: dict[str, str], concurrency: int, work: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """A ``bunko worker``, warmed up (a page read by each process) before it is timed."""
    warm_up = work / "warm-up.pdf"
    if not warm_up.exists():
        scan_pdf([generated_page(work / "warm-up.png", 200, EN_LINES[:1])], warm_up)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from web.cli import main; main()",
            "worker",
            f"--concurrency={concurrency}",
        ],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    try:
        for _ in range(concurrency):
            bunko(server, warm_up)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def bunko(server: Server, pdf: Path, poll_s: float = 0.2) -> Run:
    """Upload ``pdf`` and wait until it is indexed (asked every ``poll_s``); the pages' text
    in order. The time is the document's own: from the upload to its last change (its
    status set to indexed), not to the poll that saw it, which is up to ``poll_s`` later."""
    client = httpx.Client(base_url=server.base, headers={"X-API-Key": server.key}, timeout=60)
    start = datetime.now(UTC)
    # A comment after %%EOF makes every upload new content (uploads are deduplicated).
    body = pdf.read_bytes() + f"\n%{uuid.uuid4().hex}\n".encode()
    response = client.post("/api/v1/documents", files={"file": (pdf.name, body)})
    response.raise_for_status()
    document = response.json()["id"]
    while True:
        status = client.get(f"/api/v1/documents/{document}").json()
        if status["status"] in ("indexed", "failed"):
            break
        time.sleep(poll_s)
    seconds = (datetime.fromisoformat(status["updated_at"]) - start).total_seconds()
    if status["status"] != "indexed":
        raise RuntimeError(f"{pdf.name}: {status['status_reason']}")
    text = client.get(f"/api/v1/documents/{document}/derivatives/text").json()
    client.close()
    steps = {step["step"]: step["duration_ms"] / 1000 for step in status["steps"]}
    return Run(seconds, [page["text"] for page in text["pages"]], steps)


def watch_rss(root: int, stop: Callable[[], bool]) -> tuple[float, float]:
    """Sample until ``stop()``: peak VmHWM of the worker's Python processes, peak RSS of tesseract."""
    python_peak = tesseract_peak = 0.0
    while not stop():
        for pid in [root, *descendants(root)]:
            try:
                name = Path(f"/proc/{pid}/comm").read_text().strip()
                if name.startswith("tesseract"):
                    rss = next(
                        int(line.split()[1]) / 1024
                        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                        if line.startswith("VmRSS:")
                    )
                    tesseract_peak = max(tesseract_peak, rss)
                else:
                    python_peak = max(python_peak, peak_rss_mib(pid))
            except (FileNotFoundError, ProcessLookupError, StopIteration):
                continue
        time.sleep(0.2)
    return python_peak, tesseract_peak


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def compare(
    server: Server, env: dict[str, str], pages: list[Page], work: Path, args: argparse.Namespace
) -> None:
    pdf = scan_pdf(pages, work / "scan.pdf")
    n = len(pages)
    print(f"\n{n} pages ({args.corpus} corpus scans, {args.generated} generated)\n")
    print(
        "| workers | round | load | Bunko pages/s | raw default threads | raw 1 thread | OCRmyPDF "
        "| Bunko ÷ raw default | Bunko ÷ raw 1 thread | Bunko ÷ OCRmyPDF "
        "| accuracy Bunko / raw / OCRmyPDF |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    spent: list[tuple[int, int, Run]] = []
    for workers in (1, 2):
        with worker(server, env, workers, work):
            for round_ in range(1, args.rounds + 1):
                ours = bunko(server, pdf)
                spent.append((workers, round_, ours))
                threaded = (
                    tesseract_raw(pages, work, workers, threaded=True) if workers == 1 else None
                )
                raw = tesseract_raw(pages, work, workers, threaded=False)
                peer = ocrmypdf(pdf, work, workers)
                peer_acc = f"{accuracy(peer.texts[:n], pages):.3f}" if peer else "n/a"
                print(
                    f"| {workers} | {round_} | {load()} | {n / ours.seconds:.3f} | "
                    f"{f'{n / threaded.seconds:.3f}' if threaded else '—'} | {n / raw.seconds:.3f} | "
                    f"{f'{n / peer.seconds:.3f}' if peer else 'n/a'} | "
                    f"{ratio(threaded.seconds, ours.seconds) if threaded else '—'} | "
                    f"{ratio(raw.seconds, ours.seconds)} | "
                    f"{ratio(peer.seconds, ours.seconds) if peer else 'n/a'} | "
                    f"{accuracy(ours.texts, pages):.3f} / {accuracy(raw.texts, pages):.3f} / {peer_acc} |",
                    flush=True,
                )
    where_time_went(spent)


def where_time_went(runs: list[tuple[int, int, Run]]) -> None:
    """Bunko's seconds per document: the OCR step, the other steps, and the rest (upload,
    queue, indexing, status polling)."""
    print(
        "\n| workers | round | upload → indexed s | ocr step s | other steps s | outside the steps s |"
    )
    print("|---|---|---|---|---|---|")
    for workers, round_, run in runs:
        ocr = run.steps.get("ocr", 0.0)
        other = sum(run.steps.values()) - ocr
        outside = run.seconds - ocr - other
        print(
            f"| {workers} | {round_} | {run.seconds:.2f} | {ocr:.2f} | {other:.2f} | {outside:.2f} |"
        )


LONG_POLL_S = 1.0
"""How often the long scan's status is asked: each answer costs the server ~15 ms of CPU
(an audited read), which at 0.2 s took a tenth of a core from the two workers."""


def long_scan(server: Server, env: dict[str, str], work: Path, args: argparse.Namespace) -> None:
    """One ``--long``-page scan read with 1 and 2 worker processes, ``rounds`` times, the
    order of the two alternating by round; after each, raw single-threaded tesseract on the
    same page images with as many processes (its own speed-up is the machine's ceiling)."""
    count, lines = args.long, args.long_lines
    texts = JA_LINES + EN_LINES
    pages = [
        generated_page(
            work / f"long-{n}.png", 200, [texts[(n + row) % len(texts)] for row in range(lines)]
        )
        for n in range(count)
    ]
    pdf = scan_pdf(pages, work / "long.pdf")
    print(f"\n{count}-page scan, {lines} lines a page\n")
    print(
        "| round | workers | load | pages/s | ocr step s | other steps s | outside s | speed-up "
        "| raw tesseract pages/s | raw speed-up "
        "| worker Python / Tesseract / server CPU s | cores busy | accuracy |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for round_ in range(1, args.rounds + 1):
        seconds: dict[int, float] = {}
        raw_seconds: dict[int, float] = {}
        for workers in (1, 2) if round_ % 2 else (2, 1):
            with worker(server, env, workers, work) as proc:
                worker_before, server_before = cpu_seconds(proc.pid), cpu_seconds(server.proc.pid)
                run = bunko(server, pdf, LONG_POLL_S)
                used = cpu_seconds(proc.pid) - worker_before
                served = cpu_seconds(server.proc.pid) - server_before
            busy = (used.python + used.subprocesses + served.python) / run.seconds
            seconds[workers] = run.seconds
            raw_seconds[workers] = tesseract_raw(pages, work, workers, threaded=False).seconds
            ocr = run.steps.get("ocr", 0.0)
            other = sum(run.steps.values()) - ocr
            speed_up = f"{seconds[1] / seconds[2]:.2f}x" if len(seconds) == 2 else ""
            raw_up = f"{raw_seconds[1] / raw_seconds[2]:.2f}x" if len(raw_seconds) == 2 else ""
            print(
                f"| {round_} | {workers} | {load()} | {count / run.seconds:.3f} | {ocr:.1f} | "
                f"{other:.1f} | {run.seconds - ocr - other:.1f} | {speed_up} | "
                f"{count / raw_seconds[workers]:.3f} | {raw_up} | "
                f"{used.python:.1f} / {used.subprocesses:.1f} / {served.python:.1f} | {busy:.2f} | "
                f"{accuracy(run.texts, pages):.3f} |",
                flush=True,
            )


def memory(server: Server, env: dict[str, str], work: Path, count: int) -> None:
    page = generated_page(work / "rss.png", 200, [JA_LINES[0]])
    for pages in (max(1, count // 10), count):
        pdf = scan_pdf([page] * pages, work / f"rss-{pages}.pdf")
        with worker(server, env, 2, work) as proc:
            done = threading.Event()
            reset_peak_rss(server.proc.pid)
            with ThreadPoolExecutor(1) as pool:
                peaks = pool.submit(watch_rss, proc.pid, done.is_set)
                run = bunko(server, pdf)
                done.set()
                python_peak, tesseract_peak = peaks.result()
        print(
            f"{pages}-page scan, 2 workers, load {load()}: {pages / run.seconds:.2f} pages/s; "
            f"peak RSS of a worker process {python_peak:.0f} MiB, of one tesseract "
            f"{tesseract_peak:.0f} MiB, of the server {peak_rss_mib(server.proc.pid):.0f} MiB",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--corpus", type=int, default=10)
    parser.add_argument("--generated", type=int, default=4)
    parser.add_argument("--long", type=int, default=100)
    parser.add_argument("--long-lines", type=int, default=6)
    parser.add_argument("--rss", type=int, default=300)
    args = parser.parse_args()
    if not OCRMYPDF.exists():
        print(f"(OCRmyPDF not found at {OCRMYPDF}: its column is left out)")
    with (
        tempfile.TemporaryDirectory(dir="/var/tmp") as tmp,
        stack("embedded", Path(tmp)) as settings,
    ):
        work = Path(tmp)
        with serve(settings.env) as server:
            if args.corpus or args.generated:
                compare(
                    server, settings.env, pages_of(work, args.corpus, args.generated), work, args
                )
            if args.long:
                long_scan(server, settings.env, work, args)
            if args.rss:
                memory(server, settings.env, work, args.rss)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
