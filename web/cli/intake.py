"""Taking in many documents: a one-off bulk import, a watched folder, the type model."""

from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path

import click

from archive import DocumentMetadata, InvalidInput, Principal, SecurityLevel, record, share_of
from ingest import TrainingUnavailable, train_from_corrections
from web.batch_sources import DirectorySource
from web.batches import BatchRejected, import_batch, manifest_digest
from web.cli._common import CLI_ACTOR
from web.cli._common import services as _services
from web.cli._common import unit_of_work as _unit_of_work
from web.folders import StableFiles, files_in, folder_principal, move_aside, take_file
from web.manifest import parse_manifest
from web.services import Services

LEVELS = click.Choice([lvl.label for lvl in SecurityLevel])


@click.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--dept", "department", required=True, help="department code the documents belong to")
@click.option("--level", default="internal", type=LEVELS, help="security level of the documents")
@click.option("--source-system", help="source system to record")
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV or JSON manifest naming the files (paths relative to DIRECTORY) and their metadata",
)
@click.option(
    "--partial",
    is_flag=True,
    help="with --manifest: store the valid rows of a manifest with bad ones",
)
def import_directory(
    directory: Path,
    department: str,
    level: str,
    source_system: str | None,
    manifest: Path | None,
    partial: bool,
) -> None:
    """Store every file below DIRECTORY (once; files stay where they are) and queue them
    behind interactive uploads, in turn with other bulk imports.

    With --manifest, only the files it names, with its metadata, checked whole first (as
    POST /api/v1/batches does); running it again resumes the batch."""
    services = _services()
    principal = folder_principal(
        services,
        name=f"import:{directory.name}",
        department_code=department,
        clearance=SecurityLevel.parse(level),
    )
    if manifest is not None:
        _import_manifest(services, directory, manifest, principal, partial)
        return
    batch = f"import-{uuid.uuid4().hex[:12]}"
    meta = DocumentMetadata(
        department=department,
        security_level=SecurityLevel.parse(level),
        source_system=source_system,
        batch_id=batch,
        bulk_share=share_of(principal),
    )
    paths = list(files_in(directory))
    counts: dict[str, int] = {}
    failures: list[str] = []
    with click.progressbar(paths, label=f"importing {len(paths)} files", show_pos=True) as bar:
        for path in bar:
            taken = take_file(services, path, meta, principal)
            outcome = taken.result.outcome.value if taken.result else "failed"
            counts[outcome] = counts.get(outcome, 0) + 1
            if taken.error:
                failures.append(f"{path}: {taken.error}")
    for line in failures:
        click.echo(f"failed {line}", err=True)
    click.echo(f"batch {batch}: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    click.echo(f"progress: GET /api/v1/batches/{batch}")


def _import_manifest(
    services: Services, directory: Path, manifest: Path, principal: Principal, partial: bool
) -> None:
    text = manifest.read_text(encoding="utf-8-sig")
    try:
        with tempfile.TemporaryDirectory(dir=services.settings.tmp_dir) as workdir:
            result = import_batch(
                services,
                parse_manifest(text),
                DirectorySource(directory),
                principal,
                manifest_sha256=manifest_digest(text),
                workdir=Path(workdir),
                partial=partial,
            )
    except BatchRejected as exc:
        for row in exc.rows:
            click.echo(f"row {row['row']}: {row['field'] or '-'}: {row['reason']}", err=True)
        raise click.ClickException(str(exc)) from None
    except InvalidInput as exc:
        raise click.ClickException(str(exc)) from None
    counts = ", ".join(f"{n} {k}" for k, n in sorted(result.counts.items()))
    click.echo(f"batch {result.batch_id}{' (resumed)' if result.resumed else ''}: {counts}")
    click.echo(f"progress: GET /api/v1/batches/{result.batch_id} (report.csv for every row)")


@click.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--dept", "department", required=True, help="department code the documents belong to")
@click.option("--level", default="internal", type=LEVELS)
@click.option("--interval", default=2.0, show_default=True, help="seconds between looks")
@click.option("--once", is_flag=True, help="take what is ready now (two looks) and stop")
def watch(directory: Path, department: str, level: str, interval: float, once: bool) -> None:
    """Take in files dropped into DIRECTORY (scanners): each is moved to .bunko-done/ only once stored."""
    services = _services()
    principal = folder_principal(
        services,
        name=f"watch:{directory.name}",
        department_code=department,
        clearance=SecurityLevel.parse(level),
    )
    meta = DocumentMetadata(department=department, security_level=SecurityLevel.parse(level))
    stable = StableFiles()
    looks = 0
    while True:
        for path in stable.ready(directory):
            taken = take_file(services, path, meta, principal)
            if taken.retry:
                click.echo(f"will retry {path.name}: {taken.error}", err=True)
                continue
            moved = move_aside(directory, taken)
            click.echo(
                f"{'stored' if taken.error is None else 'failed'} {path.name} -> {moved.relative_to(directory)}"
            )
        looks += 1
        if once and looks >= 2:
            return
        time.sleep(interval)


@click.group()
def classifier() -> None:
    """The document-type model."""


@classifier.command("train")
def classifier_train() -> None:
    """Train on the built-in examples plus every type a records officer corrected; keep it as a new version."""
    services = _services()
    with _unit_of_work(services) as session:
        try:
            row = train_from_corrections(session, services.store, created_by=CLI_ACTOR.name)
        except TrainingUnavailable as missing:
            raise click.ClickException(str(missing)) from None
        record(
            session,
            actor=CLI_ACTOR,
            action="classifier.train",
            detail={"version": row.version, "corrections": row.corrections},
        )
    click.echo(
        f"model version {row.version}: {row.examples} examples, {row.corrections} corrections"
    )
