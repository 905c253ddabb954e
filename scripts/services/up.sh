#!/usr/bin/env bash
# Install (if needed) and start the servers the test suite needs, each on
# 127.0.0.1 only, then write ${BUNKO_RUN_DIR}/services.env and print it.
# Idempotent: a server that already answers is left alone.
#
# Usage: scripts/services/up.sh [postgres] [redis] [s3] [opensearch]  (default: all)
#        . "${BUNKO_RUN_DIR:-/var/tmp/bunko-services}/services.env"
# Env:   BUNKO_CACHE_DIR (default /var/cache/bunko), BUNKO_RUN_DIR (default
#        /var/tmp/bunko-services), BUNKO_WAIT_TIMEOUT (default 120 s per server),
#        BUNKO_S3_SELFCHECK=1 to also run the S3 object-lock self-check.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$here/common.sh"
LOG_TAG=up

all=(postgres redis s3 opensearch)
services=("$@")
[ ${#services[@]} -gt 0 ] || services=("${all[@]}")
for s in "${services[@]}"; do
  [[ " ${all[*]} " == *" $s "* ]] || die "unknown service '$s' (known: ${all[*]})"
done

"$here/system-packages.sh"
mkdir -p "$BUNKO_CACHE_DIR" "$BUNKO_RUN_DIR"
ensure_service_user # once here, not concurrently in each script below
for d in "$BUNKO_CACHE_DIR" "$BUNKO_RUN_DIR"; do
  as_service_user test -x "$d" || die "user $BUNKO_SERVICE_USER cannot reach $d (permissions of a parent dir?)"
done

# Start in parallel: the first-run versitygw build and OpenSearch's JVM start
# dominate, and they overlap well. Each script logs with its own prefix.
start=$SECONDS
declare -A pids=()
for s in "${services[@]}"; do
  bash "$here/$s.sh" up &
  pids[$s]=$!
done
failed=()
for s in "${services[@]}"; do
  wait "${pids[$s]}" || failed+=("$s")
done
[ ${#failed[@]} -eq 0 ] || die "failed to start: ${failed[*]} (logs under $BUNKO_RUN_DIR)"
log "all up in $((SECONDS - start))s: ${services[*]}"

if [ "${BUNKO_S3_SELFCHECK:-}" = 1 ] && [[ " ${services[*]} " == *" s3 "* ]]; then
  bash "$here/s3.sh" selfcheck >&2
fi

env_file=$BUNKO_RUN_DIR/services.env
{
  for s in "${services[@]}"; do bash "$here/$s.sh" env; done
  echo "export BUNKO_TEST_SERVICES=$(IFS=,; echo "${services[*]}")"
} >"$env_file.tmp"
mv "$env_file.tmp" "$env_file"
log "wrote $env_file"
cat "$env_file"
