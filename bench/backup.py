"""Backup and restore throughput (MB/s, documents/s) beside a plain copy of the same files.

Fills a fresh stack with documents through ``bunko import``, then measures in one run:
``create_backup`` into an empty directory, a second (incremental) backup into the same
one, and ``restore_backup`` into an empty target; beside them the plain copy of the same
data: on the embedded stack ``shutil.copytree`` of the data directory (backup) and of the
backup directory (restore); at scale the S3 objects fetched to files plus ``pg_dump``
(backup), and the files put into a new bucket plus ``pg_restore`` (restore).
"ratio" = plain MB/s ÷ Bunko MB/s.

    .venv/bin/python bench/backup.py [--stacks embedded,scale] [--quick]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from minio import Minio
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.backup import create_backup, restore_backup
from archive.blobs import S3BlobStore
from archive.blobs.s3 import s3_client_args
from bench._servers import bunko, stack
from web.services import Services, build_services
from web.settings import Settings


def fill(env: dict[str, str], workdir: Path, count: int, size: int) -> None:
    source = workdir / "source"
    source.mkdir()
    for n in range(count):
        (source / f"doc-{n:05d}.bin").write_bytes(os.urandom(size))
    bunko(env, "db", "upgrade")
    bunko(env, "dept", "add", "bench", "ベンチマーク課")
    bunko(env, "import", str(source), "--dept", "bench")
    shutil.rmtree(source)


@contextmanager
def services_for(env: dict[str, str]) -> Iterator[Services]:
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        built = build_services(Settings())
    finally:
        os.environ.clear()
        os.environ.update(saved)
    try:
        yield built
    finally:
        built.close()


@contextmanager
def empty_target(env: dict[str, str], workdir: Path) -> Iterator[dict[str, str]]:
    """Settings of an empty place to restore into (a new data dir; at scale a new database and bucket)."""
    target = {**env, "BUNKO_DATA_DIR": str(workdir / f"target-{uuid.uuid4().hex[:6]}")}
    if "BUNKO_DATABASE_URL" not in env:
        yield target
        return
    admin = create_engine(os.environ["BUNKO_TEST_POSTGRES_URL"], isolation_level="AUTOCOMMIT")
    db = f"bunko_bench_r_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db}"'))
    target["BUNKO_DATABASE_URL"] = env["BUNKO_DATABASE_URL"].rsplit("/", 1)[0] + f"/{db}"
    s3 = urlsplit(env["BUNKO_STORAGE_URL"])
    target["BUNKO_STORAGE_URL"] = urlunsplit(
        (s3.scheme, s3.netloc, f"/bunko-bench-r-{uuid.uuid4().hex[:8]}", s3.query, "")
    )
    try:
        yield target
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{db}" WITH (FORCE)'))
        admin.dispose()


def timed(task: Callable[[], object]) -> float:
    start = time.perf_counter()
    task()
    return time.perf_counter() - start


def _pg(url: str) -> tuple[str, dict[str, str]]:
    from sqlalchemy.engine import make_url

    parsed = make_url(url).set(drivername="postgresql")
    return parsed.set(password=None).render_as_string(hide_password=False), {
        **os.environ,
        "PGPASSWORD": parsed.password or "",
    }


def plain_backup(services: Services, out: Path) -> None:
    """What a plain copy does: the files (or objects) and the database, nothing checked."""
    settings = services.settings
    if settings.storage_url.startswith("file:"):
        shutil.copytree(settings.data_dir, out, ignore=shutil.ignore_patterns("tmp", "queue.db*"))
        return
    client, bucket = _minio(settings.storage_url)
    out.mkdir()
    for obj in client.list_objects(bucket, prefix="sha256/", recursive=True):
        name = obj.object_name or ""
        client.fget_object(bucket, name, str(out / name.rsplit("/", 1)[-1]))
    url, env = _pg(settings.database_url)
    subprocess.run(["pg_dump", "-Fc", f"--file={out / 'db.pgdump'}", url], env=env, check=True)


def plain_restore(copy: Path, target: Settings, out: Path) -> None:
    if target.storage_url.startswith("file:"):
        shutil.copytree(copy, out)
        return
    client, bucket = _minio(target.storage_url)
    client.make_bucket(bucket, object_lock=True)
    for path in copy.iterdir():
        if path.name != "db.pgdump":
            client.fput_object(bucket, f"sha256/{path.name}", str(path))
    url, env = _pg(target.database_url)
    subprocess.run(
        ["pg_restore", "--no-owner", "-d", url, str(copy / "db.pgdump")], env=env, check=True
    )


def _minio(storage_url: str) -> tuple[Minio, str]:
    return Minio(**s3_client_args(storage_url)), storage_url.split("?")[0].rsplit("/", 1)[-1]


def measure(name: str, workdir: Path, count: int, size: int) -> list[str]:
    rows = []
    with stack(name, workdir) as st:
        fill(st.env, workdir, count, size)
        with services_for(st.env) as services:
            dest = workdir / f"{name}-backup"
            backup_s = timed(lambda: create_backup(services.engine, services.store, dest))
            again_s = timed(lambda: create_backup(services.engine, services.store, dest))
            plain_s = timed(lambda: plain_backup(services, workdir / f"{name}-plain"))
        manifest_bytes = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file()) / 2**20
        with empty_target(st.env, workdir) as target_env, services_for(target_env) as target:
            if isinstance(target.store, S3BlobStore):
                target.store.ensure_bucket()  # as bunko restore does
            restore_s = timed(lambda: restore_backup(target.sessions, target.store, dest))
        with empty_target(st.env, workdir) as plain_env, services_for(plain_env) as plain:
            plain_restore_s = timed(
                lambda: plain_restore(
                    workdir / f"{name}-plain", plain.settings, workdir / f"{name}-plain-restored"
                )
            )
    mb = count * size / 2**20
    for label, ours, theirs in (
        ("backup", backup_s, plain_s),
        ("restore", restore_s, plain_restore_s),
    ):
        rows.append(
            f"| {name} | {label} | {count} | {mb:.0f} | {mb / ours:.1f} | {count / ours:.0f} | "
            f"{mb / theirs:.1f} | {count / theirs:.0f} | {ours / theirs:.2f} |"
        )
    rows.append(
        f"| {name} | backup again (nothing new) | {count} | {mb:.0f} | – | {count / again_s:.0f} | "
        f"– | – | – |  ({manifest_bytes:.0f} MiB in DEST)"
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stacks", default="embedded,scale")
    parser.add_argument("--quick", action="store_true", help="200 documents of 64 KiB")
    args = parser.parse_args()
    count, size = (200, 64 * 1024) if args.quick else (1000, 256 * 1024)
    print(
        "| stack | operation | documents | MiB | Bunko MB/s | Bunko docs/s "
        "| plain MB/s | plain docs/s | ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.stacks.split(","):
        with tempfile.TemporaryDirectory(prefix="bunko-bench-backup-") as tmp:
            for row in measure(name, Path(tmp), count, size):
                print(row, flush=True)


if __name__ == "__main__":
    main()
