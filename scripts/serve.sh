#!/usr/bin/env bash
# Run Bunko on the embedded default (SQLite + local directory under ./bunko-data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/bunko serve "$@"
