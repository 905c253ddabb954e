"""``bunko retention``: the daily disposition run, the file plan as CSV, the registers."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from retention import SYSTEM_SCOPE, plan_cases
from retention import disposition_cases as batch_cases
from retention import register_cases as registers
from web.cli._common import CLI_ACTOR, unit_of_work
from web.cli._common import services as _services


@click.group()
def retention() -> None:
    """Retention and disposition (file plan, daily run, registers)."""


@retention.command("run")
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="find what was due by this date (default: today in Japan; never a future date)",
)
def run(as_of: object) -> None:
    """The daily job (cron it): propose a disposition batch of what is due. Nothing is removed."""
    day: date | None = as_of.date() if as_of is not None else None  # type: ignore[attr-defined]
    services = _services()
    with unit_of_work(services) as session:
        result = batch_cases.run(services.backends(session), actor=CLI_ACTOR, as_of=day)
    day = result.as_of
    if result.batch_id:
        click.echo(
            f"batch {result.batch_id}: {result.proposed} records proposed for disposition as of {day}"
        )
    else:
        click.echo(f"nothing due as of {day}")
    if result.held:
        click.echo(f"{len(result.held)} due records are under hold and wait")


@retention.group("plan")
def plan_group() -> None:
    """The file plan (record series)."""


@plan_group.command("seed")
def seed() -> None:
    """Add the default series and rules that are missing."""
    services = _services()
    with unit_of_work(services) as session:
        added = plan_cases.seed_defaults(session, actor=CLI_ACTOR)
    click.echo(
        f"added {len(added)} series: {' '.join(added)}" if added else "the default plan is in place"
    )


@plan_group.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), required=False)
def export(path: Path | None) -> None:
    """Write the file plan as CSV (to PATH, or standard output)."""
    services = _services()
    with unit_of_work(services) as session:
        text = plan_cases.export_plan(session, actor=CLI_ACTOR)
    if path is None:
        sys.stdout.write(text)
    else:
        path.write_text(text, encoding="utf-8")


@plan_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(path: Path) -> None:
    """Create or update series from a CSV file (checked whole before anything changes)."""
    services = _services()
    with unit_of_work(services) as session:
        changes = plan_cases.import_plan(session, path.read_bytes(), actor=CLI_ACTOR)
    moved = sum(n for _, n in changes)
    click.echo(f"imported {len(changes)} series; {moved} records got new dates")


@retention.command("register")
@click.option(
    "--disposed", is_flag=True, help="the transfer/destruction register (移管・廃棄簿) instead"
)
def register_(disposed: bool) -> None:
    """Print the file management register (行政文書ファイル管理簿) as CSV."""
    services = _services()
    with unit_of_work(services) as session:
        export = registers.disposed_register if disposed else registers.file_register
        body = export(session, actor=CLI_ACTOR, scope=SYSTEM_SCOPE)
    sys.stdout.buffer.write(body)
