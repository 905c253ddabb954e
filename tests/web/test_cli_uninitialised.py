"""``bunko`` commands on a database without Bunko's tables say what to do, not a SQL traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.conftest import scratch_database
from web.settings import Settings


@pytest.fixture
def uninitialised(settings: Settings, stack: str) -> Iterator[Settings]:
    """The test's settings over an empty database: a new SQLite file, or a new PostgreSQL database."""
    if stack == "embedded":
        yield settings
        return
    with scratch_database("bunko_empty") as database_url:
        yield settings.model_copy(update={"database_url": database_url})


def bunko(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from web.cli import main; main()", *args],
        env={**os.environ, **settings.env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "command",
    [
        ("audit", "verify"),
        ("verify", "--orphans"),
        ("dept", "add", "somu", "総務局"),
    ],
)
def test_commands_on_an_uninitialised_database_say_run_db_upgrade(
    uninitialised: Settings, command: tuple[str, ...]
) -> None:
    """GIVEN a database nobody migrated WHEN a command needs its tables
    THEN it exits non-zero with one line naming ``bunko db upgrade``, and no traceback."""
    result = bunko(uninitialised, *command)
    assert result.returncode != 0
    assert "run `bunko db upgrade` first" in result.stderr
    assert "Traceback" not in result.stderr and "SELECT" not in result.stderr


def test_after_db_upgrade_the_same_command_works(uninitialised: Settings) -> None:
    assert bunko(uninitialised, "audit", "verify").returncode != 0
    upgraded = bunko(uninitialised, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    verified = bunko(uninitialised, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
