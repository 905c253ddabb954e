"""Taking in many documents: a one-off bulk import, a watched folder, the type model."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import click

from archive import DocumentMetadata, record
from archive.access import SecurityLevel
from ingest.classifier_store import train_from_corrections
from ingest.classify.training import TrainingUnavailable
from web.cli._common import CLI_ACTOR
from web.cli._common import services as _services
from web.cli._common import unit_of_work as _unit_of_work
from web.folders import StableFiles, files_in, folder_principal, move_aside, take_file

LEVELS = click.Choice([lvl.label for lvl in SecurityLevel])


@click.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--dept", "department", required=True, help="department code the documents belong to")
@click.option("--level", default="internal", type=LEVELS, help="security level of the documents")
@click.option("--source-system", help="source system to record")
def import_directory(
    directory: Path, department: str, level: str, source_system: str | None
) -> None:
    """Store every file below DIRECTORY (once; files stay where they are) and queue them."""
    services = _services()
    principal = folder_principal(
        services,
        name=f"import:{directory.name}",
        department_code=department,
        clearance=SecurityLevel.parse(level),
    )
    batch = f"import-{uuid.uuid4().hex[:12]}"
    meta = DocumentMetadata(
        department=department,
        security_level=SecurityLevel.parse(level),
        source_system=source_system,
        batch_id=batch,
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
