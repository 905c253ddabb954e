#!/usr/bin/env bash
# Stop the test servers started by up.sh (all, or those named).
# Usage: scripts/services/down.sh [--purge] [postgres] [redis] [s3] [opensearch]
#   --purge  also delete their runtime data (${BUNKO_RUN_DIR}); the cache stays.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$here/common.sh"
LOG_TAG=down

purge=0
if [ "${1:-}" = --purge ]; then purge=1; shift; fi
all=(opensearch s3 redis postgres)
services=("$@")
[ ${#services[@]} -gt 0 ] || services=("${all[@]}")

for s in "${services[@]}"; do
  [[ " ${all[*]} " == *" $s "* ]] || die "unknown service '$s' (known: ${all[*]})"
  bash "$here/$s.sh" down
  if [ $purge = 1 ]; then rm -rf "${BUNKO_RUN_DIR:?}/$s"; fi
done
if [ $purge = 1 ] && [ $# -eq 0 ]; then rm -rf "${BUNKO_RUN_DIR:?}"; fi
