"""What every ``bunko`` command shares: settings, backends, one transaction, the CLI actor."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from archive import Actor, ArchiveError
from web.services import Services, build_services
from web.settings import Settings


def services() -> Services:
    try:
        return build_services(Settings())
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


CLI_ACTOR = Actor(f"cli:{getpass.getuser()}")


@contextmanager
def unit_of_work(services: Services) -> Iterator[Session]:
    """One transaction; archive errors become a clean CLI error message."""
    try:
        with services.sessions.begin() as session:
            yield session
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
