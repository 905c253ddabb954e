#!/usr/bin/env bash
# PostgreSQL 15 (Debian package) as a private cluster in the run dir,
# on 127.0.0.1:55432. Role bunko/bunko (LOGIN CREATEDB, not superuser) owns
# database bunko; tests create one database per worker.
# Usage: postgres.sh [up|down|env]
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
LOG_TAG=postgres

PG_MAJOR=15
PG_PORT=55432
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
PG_DIR=$BUNKO_RUN_DIR/postgres
PG_DATA=$PG_DIR/data
PG_SOCK=$PG_DIR/socket # private socket dir; trust auth there, password on TCP
PG_LOG=$PG_DIR/postgres.log

svc_env() {
  echo "export BUNKO_TEST_POSTGRES_URL=postgresql+psycopg://bunko:bunko@127.0.0.1:$PG_PORT/bunko"
}

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

init_cluster() {
  log "initdb in $PG_DATA"
  rm -rf "$PG_DATA" # leftovers of an interrupted initdb
  service_dir "$PG_DIR"
  as_service_user "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 ||
    { tail -n 20 "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
  echo "include 'bunko.conf'" >>"$PG_DATA/postgresql.conf"
}

svc_up() {
  [ -x "$PG_BIN/postgres" ] || die "PostgreSQL $PG_MAJOR not found in $PG_BIN (apt-get install postgresql-$PG_MAJOR)"
  ensure_service_user
  if pg_ready; then
    log "already running on 127.0.0.1:$PG_PORT"
  else
    [ -s "$PG_DATA/PG_VERSION" ] || init_cluster
    # Lock files left by a killed server (or naming a reused pid after a
    # reboot) would block the start; the socket dir is ours alone.
    if ! pid_of "$PG_DATA/postmaster.pid" postgres >/dev/null; then
      rm -f "$PG_DATA/postmaster.pid" "$PG_SOCK/.s.PGSQL.$PG_PORT" "$PG_SOCK/.s.PGSQL.$PG_PORT.lock"
    fi
    service_dir "$PG_SOCK"
    # Rewritten on every start so changes here apply to an existing cluster.
    # Durability is off: the data is throwaway and tests run faster without it.
    as_service_user tee "$PG_DATA/bunko.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCK'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
log_timezone = 'UTC'
EOF
    log "starting on 127.0.0.1:$PG_PORT"
    as_service_user "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$BUNKO_WAIT_TIMEOUT" start \
      </dev/null >/dev/null 2>&1 || { tail -n 40 "$PG_LOG" >&2 || true; die "pg_ctl start failed"; }
  fi
  # Idempotent: (re)assert the role and database on every run.
  as_service_user "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d postgres >/dev/null <<'SQL' ||
SELECT format('CREATE ROLE bunko LOGIN CREATEDB PASSWORD %L', 'bunko')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bunko') \gexec
ALTER ROLE bunko LOGIN CREATEDB PASSWORD 'bunko';
-- DROP DATABASE ... WITH (FORCE) ends an autovacuum worker busy in that database too,
-- which a role may only signal with pg_signal_backend (tests drop their databases so).
SELECT 'GRANT pg_signal_backend TO bunko'
  WHERE NOT pg_has_role('bunko', 'pg_signal_backend', 'MEMBER') \gexec
SELECT 'CREATE DATABASE bunko OWNER bunko'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'bunko') \gexec
SQL
    die "cannot set up role/database via $PG_SOCK (is another server on port $PG_PORT?)"
  wait_until "PostgreSQL login as bunko" "$PG_LOG" "" \
    "$PG_BIN/psql" -X -q -d "postgresql://bunko:bunko@127.0.0.1:$PG_PORT/bunko" -c 'SELECT 1'
  log "ready"
}

svc_down() {
  if [ -s "$PG_DATA/postmaster.pid" ] && as_service_user "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    log "stopping"
    as_service_user "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop </dev/null >/dev/null
  else
    log "not running"
  fi
}

service_main "$@"
