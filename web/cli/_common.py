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
    """The command's backends, closed when the command ends (not only when its process does:
    a command run inside another process leaves no database connection open)."""
    try:
        built = build_services(Settings())
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.get_current_context().call_on_close(built.close)
    return built


CLI_ACTOR = Actor(f"cli:{getpass.getuser()}")


@contextmanager
def unit_of_work(services: Services) -> Iterator[Session]:
    """One transaction; archive errors become a clean CLI error message."""
    try:
        with services.sessions.begin() as session:
            yield session
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
