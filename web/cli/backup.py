"""Backup and restore: ``bunko backup DEST`` and ``bunko restore SRC``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from archive import ArchiveError, S3BlobStore, create_backup, find_snapshot, record, restore_backup
from web.cli._common import CLI_ACTOR, unit_of_work
from web.cli._common import services as _services
from web.cli.records import reindex
from web.services import prepare_backends
from web.settings import Settings

SECRET_FILE = "secret_key"
"""The embedded stack's secret (it keys the audit chain and signs sessions), kept beside a
snapshot, readable by its owner only: without it a restored audit log cannot be verified."""


def _keep_secret(settings: Settings, snapshot: Path) -> None:
    kept = settings.data_dir / SECRET_FILE
    if settings.embedded and settings.secret_key is None and kept.is_file():
        _copy_private(kept, snapshot / SECRET_FILE)


def _restore_secret(settings: Settings, src: Path) -> None:
    """Before anything makes a new secret: put the backup's in place in an empty data directory."""
    if not settings.embedded or settings.secret_key is not None:
        return  # at scale the secret is a setting: give the restore the source's BUNKO_SECRET_KEY
    try:
        snapshot, _blobs = find_snapshot(src)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    kept, target = snapshot / SECRET_FILE, settings.data_dir / SECRET_FILE
    if kept.is_file() and not target.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        _copy_private(kept, target)


def _copy_private(source: Path, target: Path) -> None:
    """Copy a secret so that only its owner may read the copy, from its first byte."""
    target.touch(mode=0o600)
    target.write_bytes(source.read_bytes())


@click.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def backup(dest: Path) -> None:
    """Back up the database and its blobs into DEST while the service runs (incremental)."""
    services = _services()
    try:
        with click.progressbar(length=0, label="backing up", file=sys.stderr) as bar:
            report = create_backup(
                services.engine, services.store, dest, on_progress=lambda n: bar.update(n)
            )
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    _keep_secret(services.settings, report.snapshot)
    manifest, tally = report.manifest, report.tally
    with unit_of_work(services) as session:
        record(
            session,
            actor=CLI_ACTOR,
            action="archive.backup",
            target=str(report.snapshot),
            detail={
                "documents": manifest.counts["documents"],
                "blobs": len(manifest.blobs),
                "copied": tally.copied,
                "audit_seq": manifest.audit_head.seq,
            },
        )
    click.echo(
        f"backup {report.snapshot.name}: {manifest.counts['documents']} documents, "
        f"{len(manifest.blobs)} blobs ({tally.copied} copied, {tally.reused} already there, "
        f"{tally.bytes_copied} bytes), audit log up to entry {manifest.audit_head.seq}"
    )


@click.command()
@click.argument("src", type=click.Path(path_type=Path))
@click.option("--no-reindex", is_flag=True, help="leave the search index to a later bunko reindex")
@click.pass_context
def restore(ctx: click.Context, src: Path, no_reindex: bool) -> None:
    """Restore the backup SRC into an empty database and blob store, checking every file first."""
    _restore_secret(Settings(), src)
    services = _services()
    total = 0
    try:
        if isinstance(services.store, S3BlobStore):
            services.store.ensure_bucket()
        with click.progressbar(length=0, label="restoring", file=sys.stderr) as bar:
            manifest = restore_backup(
                services.sessions, services.store, src, on_progress=lambda n: bar.update(n)
            )
            total = manifest.total_bytes
        prepare_backends(services)  # the search index, empty until the reindex below
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    with unit_of_work(services) as session:
        record(
            session,
            actor=CLI_ACTOR,
            action="archive.restore",
            target=str(src),
            detail={"documents": manifest.counts["documents"], "created_at": manifest.created_at},
        )
    click.echo(
        f"restored {manifest.counts['documents']} documents, {len(manifest.blobs)} blobs "
        f"({total} bytes), audit log up to entry {manifest.audit_head.seq} (backup of "
        f"{manifest.created_at.isoformat()})"
    )
    if not no_reindex:
        ctx.invoke(reindex)
