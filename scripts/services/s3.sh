#!/usr/bin/env bash
# S3: versitygw (Apache-2.0) built from the Go module proxy, posix backend,
# on 127.0.0.1:57070. --versioning-dir turns on bucket versioning, which
# object lock (retention, legal hold) needs.
# Usage: s3.sh [up|down|env|selfcheck]
#   selfcheck: run s3_selfcheck.py (object lock etc.) in a venv under the cache.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
LOG_TAG=s3

VGW_VERSION=v1.8.0 # go list -m -versions github.com/versity/versitygw
MINIO_PY_VERSION=7.2.20 # only for the self-check
S3_PORT=57070
S3_ACCESS_KEY=bunkoadmin
S3_SECRET_KEY=bunkosecret123

GO_DIR=$BUNKO_CACHE_DIR/go
VGW_BIN=$BUNKO_CACHE_DIR/versitygw/$VGW_VERSION/bin/versitygw
S3_DIR=$BUNKO_RUN_DIR/s3
S3_DATA=$S3_DIR/data       # one directory per bucket
S3_VERSIONS=$S3_DIR/versions # old object versions
S3_PID=$S3_DIR/versitygw.pid
S3_LOG=$S3_DIR/versitygw.log

svc_env() {
  cat <<EOF
export BUNKO_TEST_S3_URL=s3://$S3_ACCESS_KEY:$S3_SECRET_KEY@127.0.0.1:$S3_PORT/?secure=false
export BUNKO_TEST_S3_ENDPOINT=127.0.0.1:$S3_PORT
export BUNKO_TEST_S3_ACCESS_KEY=$S3_ACCESS_KEY
export BUNKO_TEST_S3_SECRET_KEY=$S3_SECRET_KEY
EOF
}

# Any HTTP answer from a server calling itself VERSITYGW (unsigned: 403).
vgw_answers() {
  curl -s -m 5 -o /dev/null -D - "http://127.0.0.1:$S3_PORT/" | grep -qi '^server: *versitygw'
}

vgw_install() {
  [ -x "$VGW_BIN" ] && return 0
  local go bindir log
  go=$(command -v go || echo /usr/local/go/bin/go)
  [ -x "$go" ] || die "Go toolchain not found (need go >= 1.25 for versitygw $VGW_VERSION)"
  bindir=$(dirname "$VGW_BIN")
  log=$GO_DIR/build-versitygw-$VGW_VERSION.log
  mkdir -p "$GO_DIR" "$bindir.tmp"
  log "building versitygw $VGW_VERSION with $("$go" env GOVERSION) (first run only; log: $log)"
  # Module and build caches live in the cache dir so a rebuild is quick;
  # GOTOOLCHAIN=local: never fetch another Go; -modcacherw: cache is rm-able.
  if ! GOBIN="$bindir.tmp" GOPATH="$GO_DIR/path" GOMODCACHE="$GO_DIR/mod" GOCACHE="$GO_DIR/build" \
    GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -modcacherw" \
    "$go" install -ldflags "-X main.Version=$VGW_VERSION" \
    "github.com/versity/versitygw/cmd/versitygw@$VGW_VERSION" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    die "go install versitygw failed"
  fi
  rm -rf "$bindir" && mv "$bindir.tmp" "$bindir"
}

# The posix backend keeps object metadata (etag, retention, legal hold,
# version ids) in user.* xattrs; fail early on a filesystem without them.
check_xattrs() {
  local dir=$1
  python3 - "$dir" <<'PY' || die "$dir does not support user xattrs (needed by versitygw's posix backend); set BUNKO_RUN_DIR to a dir on ext4/xfs/btrfs"
import os, sys, tempfile
with tempfile.NamedTemporaryFile(dir=sys.argv[1]) as f:
    os.setxattr(f.name, "user.bunko.test", b"1")
    assert os.getxattr(f.name, "user.bunko.test") == b"1"
PY
}

svc_up() {
  if vgw_answers; then
    log "already running on 127.0.0.1:$S3_PORT"
    return 0
  fi
  vgw_install
  ensure_service_user
  service_dir "$S3_DIR" "$S3_DATA" "$S3_VERSIONS"
  check_xattrs "$S3_DATA"
  check_xattrs "$S3_VERSIONS"
  log "starting versitygw $VGW_VERSION on 127.0.0.1:$S3_PORT"
  # Keys via the environment, not argv, to keep them out of ps.
  ROOT_ACCESS_KEY=$S3_ACCESS_KEY ROOT_SECRET_KEY=$S3_SECRET_KEY \
    spawn_service "$S3_LOG" "$S3_PID" "$VGW_BIN" --port "127.0.0.1:$S3_PORT" --quiet \
    posix --versioning-dir "$S3_VERSIONS" "$S3_DATA"
  wait_until "versitygw" "$S3_LOG" "$(cat "$S3_PID")" vgw_answers
  log "ready"
}

svc_down() { stop_pidfile versitygw "$S3_PID" versitygw; }

svc_selfcheck() {
  local venv=$BUNKO_CACHE_DIR/venv-s3check-minio-$MINIO_PY_VERSION
  if [ ! -e "$venv/.complete" ]; then
    log "creating $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "minio==$MINIO_PY_VERSION" >&2
    touch "$venv/.complete"
  fi
  eval "$(svc_env)"
  "$venv/bin/python" "$(dirname "${BASH_SOURCE[0]}")/s3_selfcheck.py"
}

if [ "${1:-}" = selfcheck ]; then svc_selfcheck; else service_main "$@"; fi
