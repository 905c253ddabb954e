"""Scans through the pipeline in process against ``tesseract`` alone, and with 1 and 2
Celery worker processes."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from archive import DocumentMetadata
from archive.access import SecurityLevel
from archive.departments import add_department
from archive.models import Document
from archive.processing import reset_for_reprocessing
from bench.extract import page_image_files, tesseract_cli
from bench.pipeline_http import ROOT
from bench.pipeline_service import raw_rate
from ingest.pipeline import Outcome, process_document
from web.folders import folder_principal
from web.intake import store_file
from web.services import Services, build_services, prepare_backends
from web.settings import Settings


def embedded(workdir: Path, **overrides: object) -> Services:
    services = build_services(Settings(data_dir=workdir, tmp_dir=workdir, **overrides))
    prepare_backends(services)
    with services.sessions.begin() as session:
        add_department(session, code="bench", name="ベンチ")
    return services


def take_all(services: Services, paths: list[Path]) -> list[str]:
    principal = folder_principal(
        services, name="bench", department_code="bench", clearance=SecurityLevel.SECRET
    )
    return [
        store_file(services, p, DocumentMetadata(department="bench"), principal).document.id
        for p in paths
    ]


def pipeline_rate(services: Services, ids: list[str], repeat: int = 3) -> float:
    """Documents/s through the pipeline: the best of ``repeat`` passes (state reset between)."""
    best = float("inf")
    for _ in range(repeat):
        with services.sessions.begin() as session:
            for doc_id in ids:
                document = session.get(Document, doc_id)
                assert document is not None
                reset_for_reprocessing(session, document)
        started = time.perf_counter()
        for doc_id in ids:
            assert process_document(services.pipeline(), doc_id) is not Outcome.SKIPPED
        best = min(best, time.perf_counter() - started)
    return len(ids) / best


def wall_time_with_workers(services: Services, ids: list[str], concurrency: int) -> float:
    """Wall time for ``concurrency`` Celery worker processes to process ``ids`` (queued beforehand)."""
    from ingest.tasks import enqueue

    with services.sessions.begin() as session:
        for doc_id in ids:
            document = session.get(Document, doc_id)
            assert document is not None
            reset_for_reprocessing(session, document)
    for doc_id in ids:
        enqueue(services.queue, doc_id)
    env = {**os.environ, **services.settings.env, "OMP_THREAD_LIMIT": "1"}
    started = time.perf_counter()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from web.cli import main; main()",
            "worker",
            f"--concurrency={concurrency}",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            with services.sessions() as session:
                pending = (
                    session.query(Document)
                    .filter(Document.id.in_(ids), Document.status.in_(["received", "processing"]))
                    .count()
                )
            if pending == 0:
                return time.perf_counter() - started
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def scans(rows: list, workdir: Path) -> None:  # type: ignore[type-arg]
    images = [
        r.path for r in rows if r.has_text_layer == "no" and r.path.suffix in (".png", ".jpg")
    ]
    services = embedded(workdir / "scans")
    ids = take_all(services, images)
    with tempfile.TemporaryDirectory() as scratch:
        page_files = page_image_files(images, Path(scratch))
        ours = pipeline_rate(services, ids, repeat=1) * len(page_files) / len(images)
        base = raw_rate(page_files, tesseract_cli, repeat=1)
    print(
        f"scans             {len(page_files):3} pages  pipeline {ours:.3f} pages/s  tesseract {base:.3f} pages/s  ratio {ours / base:.2f}"
    )
    one = wall_time_with_workers(services, ids, 1)
    two = wall_time_with_workers(services, ids, 2)
    print(
        f"scans with Celery workers: 1 process {len(page_files) / one:.3f} pages/s, "
        f"2 processes {len(page_files) / two:.3f} pages/s, speed-up {one / two:.2f}x"
    )
