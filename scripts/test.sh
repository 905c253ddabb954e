#!/usr/bin/env bash
# Run the whole test suite on both stacks: starts PostgreSQL, Redis, S3 (versitygw) and
# OpenSearch first, and fails if any test of the scale stack was skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --test
bash scripts/services/up.sh >/dev/null
# The OpenID Connect provider the sign-in tests talk to (npm's cache lives outside the checkout).
if [ ! -d tests/oidc/node_modules ] || [ tests/oidc/package-lock.json -nt tests/oidc/node_modules ]; then
  (cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error)
fi
# shellcheck disable=SC1091
. "${BUNKO_RUN_DIR:-/var/tmp/bunko-services}/services.env"
export BUNKO_REQUIRE_LIVE=1
# Every `bunko` process a test starts imports the project: compiled once here rather than in
# each process (where PYTHONDONTWRITEBYTECODE is set, no process ever writes them itself).
.venv/bin/python -m compileall -q -j 0 archive ingest search retention disclosure web tests bench >/dev/null
if [ $# -gt 0 ]; then
  exec .venv/bin/python -m pytest "$@"
fi
# The whole suite runs in BUNKO_TEST_PROCESSES processes (pytest-xdist, default 2; a test
# file in one process), lists its 25 slowest steps, and also measures branch
# coverage (in-process, pytest-cov) and fails below the floor set in pyproject.toml; the
# table per module goes to test-artifacts/coverage.txt.
status=0
.venv/bin/python -m pytest -n "${BUNKO_TEST_PROCESSES:-2}" --dist loadfile --durations=25 --cov --cov-report= ||
  status=$?
mkdir -p test-artifacts
if ! .venv/bin/python -m coverage report > test-artifacts/coverage.txt; then
  echo "coverage fell below the floor in pyproject.toml" >&2
  [ "$status" -ne 0 ] || status=1
fi
echo "coverage: $(grep "^TOTAL" test-artifacts/coverage.txt)"
exit "$status"
