"""The records themselves: integrity, the audit chain."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from sqlalchemy import func, select

from archive import (
    Document,
    DocumentStatus,
    InvalidInput,
    audit_key,
    compare,
    find_orphans,
    head_of,
    in_flight_keys,
    read_checkpoint,
    record,
    referenced_keys,
    set_status,
    verify_blobs,
    verify_chain,
)
from ingest import INDEXABLE, indexable_documents
from web.cli._common import CLI_ACTOR
from web.cli._common import services as _services


@click.group()
def audit() -> None:
    """The hash-chained audit log."""


@audit.command("verify")
@click.option(
    "--checkpoint",
    "checkpoint_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="compare with this checkpoint (default: the newest in the checkpoint directory)",
)
def audit_verify(checkpoint_file: Path | None) -> None:
    """Prove the audit chain intact and as long as its last checkpoint, or name the break (exit 1)."""
    services = _services()
    checkpoint_file = checkpoint_file or _newest_checkpoint(services.settings.checkpoint_dir)
    with services.sessions() as session:
        report = verify_chain(session)
        if not report.ok:
            click.echo(
                f"audit log broken at entry {report.first_bad_seq}: {report.problem} ({report.checked} entries verified before it)"
            )
            sys.exit(1)
        before = f", the first {report.unkeyed} from before the chain was keyed"
        click.echo(f"audit log intact: {report.checked} entries{before if report.unkeyed else ''}")
        if checkpoint_file is None:
            click.echo("no checkpoint to compare with: run `bunko audit checkpoint` regularly")
            return
        try:
            checkpoint = read_checkpoint(checkpoint_file.read_text(), audit_key(session))
        except InvalidInput as exc:
            click.echo(f"checkpoint {checkpoint_file}: {exc}")
            sys.exit(1)
        problem = compare(session, checkpoint)
    if problem is not None:
        click.echo(f"audit log does not match checkpoint {checkpoint_file}: {problem}")
        sys.exit(1)
    click.echo(f"matches checkpoint {checkpoint_file} (entry {checkpoint.seq})")


@audit.command("checkpoint")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="also write the checkpoint here (to keep a copy elsewhere)",
)
def audit_checkpoint(out: Path | None) -> None:
    """Sign the chain's head into a checkpoint file; run it regularly (cron, systemd timer)."""
    services = _services()
    with services.sessions.begin() as session:
        report = verify_chain(session)
        if not report.ok:
            click.echo(f"audit log broken at entry {report.first_bad_seq}: {report.problem}")
            sys.exit(1)
        checkpoint = head_of(report, datetime.now(UTC))
        signed = checkpoint.signed(audit_key(session))
        record(
            session,
            actor=CLI_ACTOR,
            action="audit.checkpoint",
            detail={"seq": checkpoint.seq, "hash": checkpoint.hash},
        )
    folder = services.settings.checkpoint_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"audit-{checkpoint.seq:012d}.json"
    for target in (path, out) if out else (path,):
        target.write_text(signed)
    click.echo(f"checkpoint of entry {checkpoint.seq} written to {path}")


def _newest_checkpoint(folder: Path) -> Path | None:
    found = sorted(folder.glob("audit-*.json")) if folder.is_dir() else []
    return found[-1] if found else None


@click.command()
@click.option("--orphans", is_flag=True, help="also list blobs that no document refers to")
def verify(orphans: bool) -> None:
    """Re-hash every blob; exit 1 if any is missing or corrupt (or, with --orphans, orphaned)."""
    services = _services()
    with services.sessions() as session:
        keys = referenced_keys(session)
        in_flight = in_flight_keys(session)
    with click.progressbar(length=len(keys), label="verifying", file=sys.stderr) as bar:
        report = verify_blobs(services.store, keys, on_progress=lambda _k: bar.update(1))
    if orphans:
        report.orphans = find_orphans(services.store, keys | in_flight)
    for label, found in (
        ("missing", report.missing),
        ("corrupt", report.corrupt),
        ("orphan", report.orphans),
    ):
        for key in found:
            click.echo(f"{label} {key}")
    click.echo(
        f"checked {report.checked} blobs: {len(report.missing)} missing, {len(report.corrupt)} corrupt"
        + (f", {len(report.orphans)} orphaned" if orphans else "")
    )
    sys.exit(0 if report.ok else 1)


@click.command()
def reindex() -> None:
    """Rebuild the search index from the database and the blob store (searches keep working)."""
    services = _services()
    with services.sessions() as session:
        total = (
            session.scalar(
                select(func.count()).select_from(Document).where(Document.status.in_(INDEXABLE))
            )
            or 0
        )
    with (
        services.sessions() as session,
        click.progressbar(length=total, label="indexing", file=sys.stderr) as bar,
    ):
        done = [0]

        def progress(count: int) -> None:
            bar.update(count - done[0])
            done[0] = count

        written = services.index.rebuild(
            indexable_documents(session, services.store), on_progress=progress
        )
    with services.sessions.begin() as session:
        waiting = select(Document).where(Document.status == DocumentStatus.PROCESSED)
        for document in session.scalars(waiting):
            set_status(session, document, DocumentStatus.INDEXED)
        record(session, actor=CLI_ACTOR, action="search.reindex", detail={"documents": written})
    click.echo(f"indexed {written} documents")
