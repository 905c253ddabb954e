"""``bunko disclosure``: the daily release of expired request holds, and the annual statistics."""

from __future__ import annotations

import sys

import click

from archive import AccessScope, SecurityLevel
from disclosure import record_cases
from disclosure import request_cases as cases
from retention import fiscal_year_of, today_in_japan
from web.cli._common import CLI_ACTOR, unit_of_work
from web.cli._common import services as _services


@click.group()
def disclosure() -> None:
    """Disclosure requests (情報公開請求)."""


@disclosure.command("release-holds")
def release_holds() -> None:
    """The daily job (cron it): end the holds of requests decided more than a year ago."""
    services = _services()
    with unit_of_work(services) as session:
        released = record_cases.release_expired_holds(
            services.backends(session),
            scope=AccessScope(city_wide=True, clearance=SecurityLevel.SECRET),
            actor=CLI_ACTOR,
        )
    click.echo(
        f"released the holds of {len(released)} requests: {' '.join(released)}"
        if released
        else "no hold expired"
    )


@disclosure.command("stats")
@click.option("--fiscal-year", type=int, default=None, help="default: the current fiscal year")
def stats(fiscal_year: int | None) -> None:
    """Print the annual statistics as CSV."""
    year = fiscal_year or fiscal_year_of(today_in_japan())
    services = _services()
    with unit_of_work(services) as session:
        body = cases.statistics(session, year, actor=CLI_ACTOR)
    sys.stdout.write(body)
