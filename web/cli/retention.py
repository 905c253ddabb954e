"""``bunko retention``: the daily disposition run, the file plan as CSV, the registers."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from archive import record
from retention import plan, register
from retention.dates import today_in_japan
from retention.disposition import run_daily
from retention.holds import SYSTEM_SCOPE
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
    today = today_in_japan()
    day: date = as_of.date() if as_of is not None else today  # type: ignore[attr-defined]
    if day > today:
        raise click.ClickException(
            "--as-of cannot be in the future: records are never disposed of early"
        )
    services = _services()
    with unit_of_work(services) as session:
        result = run_daily(session, services.store, services.index, as_of=day, actor=CLI_ACTOR.name)
        record(
            session,
            actor=CLI_ACTOR,
            action="retention.run",
            target=result.batch_id,
            detail={"as_of": day, "proposed": result.proposed, "held": len(result.held)},
        )
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
        added = plan.seed_default_plan(session, created_by=CLI_ACTOR.name)
        record(
            session, actor=CLI_ACTOR, action="retention.series.defaults", detail={"added": added}
        )
    click.echo(
        f"added {len(added)} series: {' '.join(added)}" if added else "the default plan is in place"
    )


@plan_group.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), required=False)
def export(path: Path | None) -> None:
    """Write the file plan as CSV (to PATH, or standard output)."""
    services = _services()
    with unit_of_work(services) as session:
        text = plan.export_csv(plan.list_series(session))
    if path is None:
        sys.stdout.write(text)
    else:
        path.write_text(text, encoding="utf-8")


@plan_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(path: Path) -> None:
    """Create or update series from a CSV file (checked whole before anything changes)."""
    from retention.engine import recompute_series

    services = _services()
    with unit_of_work(services) as session:
        specs = plan.parse_csv(path.read_text(encoding="utf-8-sig"))
        moved = 0
        for spec in specs:
            series, diff = plan.upsert_series(session, spec)
            if plan.DATE_AFFECTING & diff.keys():
                moved += recompute_series(session, series.id)
        record(
            session, actor=CLI_ACTOR, action="retention.series.import", detail={"rows": len(specs)}
        )
    click.echo(f"imported {len(specs)} series; {moved} records got new dates")


@retention.command("register")
@click.option(
    "--disposed", is_flag=True, help="the transfer/destruction register (移管・廃棄簿) instead"
)
def register_(disposed: bool) -> None:
    """Print the file management register (行政文書ファイル管理簿) as CSV."""
    services = _services()
    with unit_of_work(services) as session:
        body = (
            register.disposed_register_csv(session, SYSTEM_SCOPE)
            if disposed
            else register.file_register_csv(session, SYSTEM_SCOPE)
        )
        record(
            session,
            actor=CLI_ACTOR,
            action="retention.register.export",
            detail={"disposed": disposed},
        )
    sys.stdout.buffer.write(body)
