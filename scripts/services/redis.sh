#!/usr/bin/env bash
# Redis (Debian's redis-server) as our own daemon on 127.0.0.1:56379 with its
# own dir and pidfile; the distro's service is never used. No persistence.
# Usage: redis.sh [up|down|env]
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
LOG_TAG=redis

REDIS_PORT=56379
REDIS_DIR=$BUNKO_RUN_DIR/redis
REDIS_PID=$REDIS_DIR/redis.pid
REDIS_LOG=$REDIS_DIR/redis.log

svc_env() { echo "export BUNKO_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"; }

redis_ping() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

svc_up() {
  command -v redis-server >/dev/null || die "redis-server not installed (run system-packages.sh)"
  if redis_ping; then
    log "already running on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  ensure_service_user
  service_dir "$REDIS_DIR"
  cat >"$REDIS_DIR/redis.conf" <<EOF
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize yes
pidfile $REDIS_PID
logfile $REDIS_LOG
dir $REDIS_DIR
save ""
appendonly no
EOF
  log "starting on 127.0.0.1:$REDIS_PORT"
  as_service_user redis-server "$REDIS_DIR/redis.conf" </dev/null >/dev/null 2>&1 ||
    { tail -n 20 "$REDIS_LOG" >&2 || true; die "redis-server failed to start"; }
  wait_until "Redis" "$REDIS_LOG" "" redis_ping
  log "ready"
}

svc_down() { stop_pidfile redis "$REDIS_PID" redis-server; }

service_main "$@"
