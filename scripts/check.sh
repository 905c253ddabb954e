#!/usr/bin/env bash
# The quality gates, run by CI before the tests and before every commit:
# formatting, lint (incl. complexity and argument count), strict types, layer contract,
# each audit action written once.
# Usage: scripts/check.sh            (installs the dev tools into .venv when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
if ! "$py" -c 'import ruff, mypy, importlinter' 2>/dev/null; then
  bash scripts/bootstrap.sh --test >/dev/null
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
status=0
run() { echo "== $*"; "$@" || status=1; }
run .venv/bin/ruff format --check --quiet .
run .venv/bin/ruff check --quiet .
run .venv/bin/mypy archive ingest search retention disclosure web tests
run .venv/bin/lint-imports --no-cache
run "$py" scripts/audit_actions.py
exit $status
