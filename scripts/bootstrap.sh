#!/usr/bin/env bash
# Make .venv with Bunko and its pinned dependencies (reused when nothing changed).
# Usage: scripts/bootstrap.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--test" ] && extras="[test]"

# What Bunko itself needs from the system: libmagic (sniffing), Tesseract with Japanese
# and English (OCR), a CJK TrueType font that PDF certificates can embed.
runtime=(libmagic1 tesseract-ocr tesseract-ocr-jpn tesseract-ocr-eng fonts-ipafont-gothic)
missing=()
for p in "${runtime[@]}"; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required" >&2; exit 1; }
  python3 -c 'import sqlite3, sys; sys.exit(sqlite3.sqlite_version_info < (3, 35))' ||
    { echo "Python's sqlite3 must be built with SQLite 3.35+ (RETURNING)" >&2; exit 1; }
  python3 -m venv .venv
fi
stamp=".venv/.bunko-installed$extras"
want=$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/pip install -q --disable-pip-version-check -c requirements.lock -e ".$extras"
  echo "$want" > "$stamp"
fi
