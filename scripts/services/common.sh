# shellcheck shell=bash
# Shared helpers for scripts/services/*.sh. Sourced, never executed.
#
# Layout (both outside the checkout, so a fresh clone reuses them):
#   ${BUNKO_CACHE_DIR:-/var/cache/bunko}        downloads and builds (kept)
#   ${BUNKO_RUN_DIR:-/var/tmp/bunko-services}   data, logs, pidfiles (throwaway)
set -euo pipefail
umask 022

BUNKO_CACHE_DIR="${BUNKO_CACHE_DIR:-/var/cache/bunko}"
BUNKO_RUN_DIR="${BUNKO_RUN_DIR:-/var/tmp/bunko-services}"
# PostgreSQL and OpenSearch refuse to run as root, so as root every server
# runs as this unprivileged system user (created on demand).
BUNKO_SERVICE_USER="${BUNKO_SERVICE_USER:-bunko}"
# Upper bound, in seconds, for each server to answer after start.
BUNKO_WAIT_TIMEOUT="${BUNKO_WAIT_TIMEOUT:-120}"
export BUNKO_CACHE_DIR BUNKO_RUN_DIR BUNKO_SERVICE_USER BUNKO_WAIT_TIMEOUT

log() { printf '[%s] %s\n' "${LOG_TAG:-services}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

ensure_service_user() {
  is_root || return 0
  id -u "$BUNKO_SERVICE_USER" >/dev/null 2>&1 && return 0
  log "creating system user $BUNKO_SERVICE_USER"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$BUNKO_SERVICE_USER"
}

# Run a command as the service user (or as ourselves when not root).
# setpriv and env exec, so the command keeps the pid they started with.
su_prefix() {
  SU_PREFIX=()
  if is_root; then
    SU_PREFIX=(setpriv --reuid="$BUNKO_SERVICE_USER" --regid="$BUNKO_SERVICE_USER" --init-groups
      env HOME="$BUNKO_RUN_DIR" USER="$BUNKO_SERVICE_USER" LOGNAME="$BUNKO_SERVICE_USER")
  fi
}
as_service_user() {
  local SU_PREFIX
  su_prefix
  "${SU_PREFIX[@]}" "$@"
}

# spawn_service LOGFILE PIDFILE CMD...: start a foreground server in the
# background as the service user, in its own session (setsid) so it outlives
# the caller, with no tie to the caller's stdin/stdout.
spawn_service() {
  local logfile=$1 pidfile=$2 SU_PREFIX
  shift 2
  su_prefix
  setsid "${SU_PREFIX[@]}" "$@" </dev/null >>"$logfile" 2>&1 &
  echo $! >"$pidfile"
}

# mkdir -p, owned by the service user.
service_dir() {
  mkdir -p "$@"
  if is_root; then chown "$BUNKO_SERVICE_USER:" "$@"; fi
}

# wait_until DESCRIPTION LOGFILE PID CMD...: retry CMD every second until it
# succeeds; fail after BUNKO_WAIT_TIMEOUT seconds, or at once if PID (when
# non-empty) has exited, showing the tail of LOGFILE.
wait_until() {
  local what=$1 logfile=$2 pid=$3
  shift 3
  local deadline=$((SECONDS + BUNKO_WAIT_TIMEOUT)) why=""
  until "$@" >/dev/null 2>&1; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      why="its process $pid exited"
    elif ((SECONDS >= deadline)); then
      why="it did not answer within ${BUNKO_WAIT_TIMEOUT}s"
    fi
    if [ -n "$why" ]; then
      log "ERROR: $what failed: $why"
      if [ -n "$logfile" ] && [ -f "$logfile" ]; then
        log "last lines of $logfile:"
        tail -n 40 "$logfile" >&2
      fi
      exit 1
    fi
    sleep 1
  done
}

# pid_of PIDFILE COMM: print the pid in PIDFILE if it is a live (not zombie)
# process named COMM. Guards against stale pidfiles whose pid was reused.
pid_of() {
  local pid
  pid=$(head -n 1 "$1" 2>/dev/null) && [[ $pid =~ ^[0-9]+$ ]] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] || return 1
  [ "$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" != Z ] || return 1
  echo "$pid"
}

# stop_pidfile NAME PIDFILE COMM: SIGTERM, wait up to 60 s, then SIGKILL.
stop_pidfile() {
  local name=$1 pidfile=$2 comm=$3 pid i
  if ! pid=$(pid_of "$pidfile" "$comm"); then
    log "$name not running"
    rm -f "$pidfile"
    return 0
  fi
  log "stopping $name (pid $pid)"
  kill "$pid"
  for ((i = 0; i < 60; i++)); do
    pid_of "$pidfile" "$comm" >/dev/null || { rm -f "$pidfile"; return 0; }
    sleep 1
  done
  log "$name did not stop in 60s, killing it"
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

# Each service script ends with: service_main "$@"
# and defines svc_up (install if needed, start if not running, wait),
# svc_down, and svc_env (prints its `export NAME=value` lines).
service_main() {
  case "${1:-up}" in
    up) svc_up ;;
    down) svc_down ;;
    env) svc_env ;;
    *) echo "usage: $0 [up|down|env]" >&2; exit 2 ;;
  esac
}
