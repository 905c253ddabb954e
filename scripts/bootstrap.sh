#!/usr/bin/env bash
# Make .venv with Bunko and its pinned dependencies (reused when nothing changed).
# Usage: scripts/bootstrap.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--test" ] && extras="[test]"

# python-magic needs libmagic from the system.
if ! ldconfig -p | grep -q 'libmagic.so.1'; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libmagic1
fi

if [ ! -x .venv/bin/python ]; then
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required" >&2; exit 1; }
  python3 -m venv .venv
fi
stamp=".venv/.bunko-installed$extras"
want=$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/pip install -q --disable-pip-version-check -c requirements.lock -e ".$extras"
  echo "$want" > "$stamp"
fi
