"""The ``bunko`` command: each group lives in its own module, imported only when it runs.

A command's module pulls in the layers it works with (``bunko serve`` the whole web app,
``bunko worker`` the pipeline): seconds of imports that only that command needs. So the
group names its commands in ``COMMANDS`` (click's lazily loaded subcommands) and
``bunko --help`` lists them from there without importing any.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

import click


class LazyCommand(NamedTuple):
    """Where a command is (``module:attribute``) and the first sentence of its help."""

    target: str
    summary: str


COMMANDS = {
    "apikey": LazyCommand("web.cli.people:apikey", "API keys for integrating systems."),
    "audit": LazyCommand("web.cli.records:audit", "The hash-chained audit log."),
    "backup": LazyCommand(
        "web.cli.backup:backup",
        "Back up the database and its blobs into DEST while the service runs (incremental).",
    ),
    "classifier": LazyCommand("web.cli.intake:classifier", "The document-type model."),
    "db": LazyCommand("web.cli.running:db", "Database schema."),
    "dept": LazyCommand("web.cli.people:dept", "Departments (部局 and 課, as a tree)."),
    "disclosure": LazyCommand(
        "web.cli.disclosure:disclosure", "Disclosure requests (情報公開請求)."
    ),
    "import": LazyCommand(
        "web.cli.intake:import_directory",
        "Store every file below DIRECTORY (once; files stay where they are) and queue them"
        " behind interactive uploads, in turn with other bulk imports.",
    ),
    "reindex": LazyCommand(
        "web.cli.records:reindex",
        "Rebuild the search index from the database and the blob store (searches keep working).",
    ),
    "restore": LazyCommand(
        "web.cli.backup:restore",
        "Restore the backup SRC into an empty database and blob store, checking every file first.",
    ),
    "retention": LazyCommand(
        "web.cli.retention:retention",
        "Retention and disposition (file plan, daily run, registers).",
    ),
    "serve": LazyCommand(
        "web.cli.running:serve", "Run the web service (migrates the database first)."
    ),
    "user": LazyCommand("web.cli.people:user", "People who sign in to the web UI."),
    "verify": LazyCommand(
        "web.cli.records:verify",
        "Re-hash every blob; exit 1 if any is missing or corrupt (or, with --orphans, orphaned).",
    ),
    "watch": LazyCommand(
        "web.cli.intake:watch",
        "Take in files dropped into DIRECTORY (scanners): each is moved to .bunko-done/ only"
        " once stored.",
    ),
    "worker": LazyCommand(
        "web.cli.running:worker", "Process documents from the queue (Celery worker)."
    ),
}


def _missing_table(message: str) -> bool:
    """How SQLite and PostgreSQL say that a table is missing."""
    message = message.lower()
    return "no such table" in message or ("relation" in message and "does not exist" in message)


class _Bunko(click.Group):
    """The command group: commands loaded by name from ``COMMANDS``; a database without
    Bunko's tables gets advice, not a SQL traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        lazy = COMMANDS.get(cmd_name)
        if lazy is None:
            return None
        module, _, attribute = lazy.target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{lazy.target} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The listing click would print, from the summaries: click shortens each as it
        would the command's own help, and no command is imported."""
        limit = formatter.width - 6 - max(map(len, COMMANDS))
        rows = [
            (name, click.Command(name, help=lazy.summary).get_short_help_str(limit))
            for name, lazy in sorted(COMMANDS.items())
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        # Imported here, not above: ``bunko --help`` needs neither.
        from sqlalchemy.exc import OperationalError, ProgrammingError

        from archive import DatabaseUnavailable

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
