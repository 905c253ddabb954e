"""``bunko`` commands run in the test's own process, through click's runner.

The same command group the ``bunko`` script runs (``web.cli.main``), with the settings given
as ``BUNKO_*`` variables as a process gets them, but without a Python start and the imports
(classifier included) per command: ~4 s each on a slow machine. The process front door
itself stays tested by the tests that start ``bunko`` as a process
(tests/web/test_cli_uninitialised.py, tests/disclosure/test_holds.py, tests/web/test_disk_full.py,
tests/web/test_search_api.py).
"""

from __future__ import annotations

import subprocess

from click.testing import CliRunner

from web.cli import main
from web.settings import Settings


def bunko(
    settings: Settings, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``bunko ARGS`` with ``settings``; an error the command does not turn into a
    message (a traceback in a process) fails the test."""
    result = CliRunner().invoke(
        main, list(args), input=stdin, env=settings.env, catch_exceptions=False
    )
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, result.stderr)
