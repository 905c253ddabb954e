"""The ``bunko`` command group loads a command's module only when that command runs.

Every command ``bunko --help`` lists loads, is the command of that name and shows its own
help; the listing says what the commands themselves say; an entry naming a missing module
or something that is not a command fails loudly; and the imports a process is spared stay
spared (``bunko --help`` imports no command, the embedded worker no web app or Alembic).
"""

from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from web.cli import COMMANDS, LazyCommand, main


def listed(width: int = 80, group: click.Group = main) -> str:
    """The "Commands" section of ``bunko --help`` at a terminal ``width``."""
    result = CliRunner().invoke(
        group, ["--help"], terminal_width=width, max_content_width=width, prog_name="bunko"
    )
    assert result.exit_code == 0, result.output
    return result.output.split("Commands:\n", 1)[1]


def test_every_listed_command_loads_and_shows_its_own_help() -> None:
    names = [line.split()[0] for line in listed().splitlines() if line.strip()]
    assert names == sorted(COMMANDS)
    ctx = click.Context(main)
    for name in names:
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name
        result = CliRunner().invoke(main, [name, "--help"], prog_name="bunko")
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"Usage: bunko {name} [OPTIONS]")


@pytest.mark.parametrize("width", [80, 200])
def test_the_listing_says_what_the_commands_say(width: int) -> None:
    ctx = click.Context(main)
    loaded = [main.get_command(ctx, name) for name in COMMANDS]
    eager = click.Group("bunko", commands=[c for c in loaded if c is not None])
    assert listed(width) == listed(width, eager)


@pytest.mark.parametrize(
    ("target", "error"),
    [
        ("web.cli.no_such_module:gone", ModuleNotFoundError),
        ("web.cli._common:CLI_ACTOR", TypeError),
    ],
)
def test_an_entry_that_names_no_command_fails_loudly(
    monkeypatch: pytest.MonkeyPatch, target: str, error: type[Exception]
) -> None:
    monkeypatch.setitem(COMMANDS, "ghost", LazyCommand(target, "Not a command."))
    result = CliRunner().invoke(main, ["ghost"])
    assert isinstance(result.exception, error)


@pytest.mark.parametrize("name", ["", "nosuch", "SERVE", "serve;ls", "x" * 10_000])
def test_an_unknown_command_is_refused(name: str) -> None:
    result = CliRunner().invoke(main, [name])
    assert result.exit_code == 2
    assert "No such command" in result.output


def imported_by(code: str, prefixes: tuple[str, ...]) -> list[str]:
    """The modules starting with ``prefixes`` that a fresh interpreter has after ``code``."""
    found = f"sorted(m for m in sys.modules if m.startswith({prefixes!r}))"
    probe = f"import sys\n{code}\nprint(*{found}, file=sys.stderr)"  # stdout is the code's
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stderr.split()


def test_help_imports_no_command() -> None:
    code = "from web.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    assert imported_by(code, ("web.cli.", "archive", "sqlalchemy")) == []


def test_the_embedded_worker_imports_no_web_app_nor_alembic() -> None:
    """Its process runs ``web.worker.run_embedded``: the server migrated the database."""
    modules = imported_by("import web.worker", ("web.app", "fastapi", "alembic", "web.pages"))
    assert modules == []
