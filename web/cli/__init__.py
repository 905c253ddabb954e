"""The ``bunko`` command: each group lives in its own module and is added here."""

from __future__ import annotations

import click

from web.cli import backup, disclosure, intake, people, records, retention, running


@click.group()
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
