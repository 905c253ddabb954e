"""The records themselves: integrity, the audit chain."""

from __future__ import annotations

import sys

import click
from sqlalchemy import func, select, update

from archive import Document, DocumentStatus, record
from archive.audit import verify_chain
from archive.blob_claims import in_flight_keys
from archive.integrity import find_orphans, referenced_keys, verify_blobs
from ingest.indexing import INDEXABLE, indexable_documents
from web.cli._common import CLI_ACTOR
from web.cli._common import services as _services


@click.group()
def audit() -> None:
    """The hash-chained audit log."""


@audit.command("verify")
def audit_verify() -> None:
    """Prove the audit chain intact, or name the first altered or missing entry (exit 1)."""
    services = _services()
    with services.sessions() as session:
        report = verify_chain(session)
    if report.ok:
        click.echo(f"audit log intact: {report.checked} entries")
        return
    click.echo(
        f"audit log broken at entry {report.first_bad_seq}: {report.problem} ({report.checked} entries verified before it)"
    )
    sys.exit(1)


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
        session.execute(
            update(Document)
            .where(Document.status == DocumentStatus.PROCESSED)
            .values(status=DocumentStatus.INDEXED)
        )
        record(session, actor=CLI_ACTOR, action="search.reindex", detail={"documents": written})
    click.echo(f"indexed {written} documents")
