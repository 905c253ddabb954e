"""The ``bunko`` command: each group lives in its own module and is added here."""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy.exc import OperationalError, ProgrammingError

from archive import DatabaseUnavailable
from web.cli import backup, disclosure, intake, people, records, retention, running


def _missing_table(message: str) -> bool:
    """How SQLite and PostgreSQL say that a table is missing."""
    message = message.lower()
    return "no such table" in message or ("relation" in message and "does not exist" in message)


class _Bunko(click.Group):
    """The command group; a database without Bunko's tables gets advice, not a SQL traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (OperationalError, ProgrammingError, DatabaseUnavailable) as exc:
            message = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            if _missing_table(message):
                raise click.ClickException(
                    "the database has no Bunko tables yet: run `bunko db upgrade` first"
                ) from None
            raise click.ClickException(f"database unavailable: {message}") from None


@click.group(cls=_Bunko)
def main() -> None:
    """Bunko: document management and records archive."""


for command in (
    running.serve,
    running.worker,
    running.db,
    people.dept,
    people.user,
    people.apikey,
    records.verify,
    records.audit,
    records.reindex,
    backup.backup,
    backup.restore,
    intake.import_directory,
    intake.watch,
    intake.classifier,
    retention.retention,
    disclosure.disclosure,
):
    main.add_command(command)
