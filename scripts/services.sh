#!/usr/bin/env bash
# Installs (Debian packages, only when missing) and starts on loopback the services the tests
# need, and stops them. One function per service: to add one, write its install_/start_/stop_
# functions and list it in SERVICES.
#
#   scripts/services.sh start        install if missing, start (idempotent; fast when running)
#   scripts/services.sh stop         release this caller's lease; stop when no other caller holds one
#   scripts/services.sh stop --all   stop whatever is running, leases or not
#   scripts/services.sh status
#
# Nothing is exported: connection settings are written to .tmp/services.env (KEY=VALUE lines),
# which the tests read (an environment variable of the same name wins):
#   CARESIM_TEST_POSTGRES   Npgsql connection string of a superuser on the loopback server
#   CARESIM_TEST_CHROMIUM   path of the Chromium binary
#   CARESIM_TEST_REDIS      StackExchange.Redis configuration string of the loopback Redis server (host:port)
#
# Several test runs may share one working tree: `start` takes a lease for its caller (the
# process that ran this script, e.g. test.sh) and `stop` stops the services only when no live
# caller still holds a lease.
set -euo pipefail

SERVICES=(postgres chromium redis node)

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TMP="$ROOT/.tmp"
ENV_FILE="$TMP/services.env"
LEASES="$TMP/services.leases"
LOCK="$TMP/services.lock"

log() { echo "services: $*" >&2; }

apt_updated=0
apt_install() {
  # apt_install PACKAGE...: installs Debian packages (apt-get update once first).
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ "$apt_updated" -eq 0 ]; then
    $sudo apt-get update -qq >/dev/null
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

set_env() {
  # set_env KEY VALUE: writes or replaces KEY=VALUE in .tmp/services.env.
  local key="$1" value="$2" tmp
  touch "$ENV_FILE"
  tmp="$(mktemp "$TMP/services.env.XXXXXX")"
  grep -v "^$key=" "$ENV_FILE" >"$tmp" || true
  printf '%s=%s\n' "$key" "$value" >>"$tmp"
  mv "$tmp" "$ENV_FILE"
}

get_env() { [ -f "$ENV_FILE" ] && sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1; }

unset_env() {
  local tmp
  [ -f "$ENV_FILE" ] || return 0
  tmp="$(mktemp "$TMP/services.env.XXXXXX")"
  grep -v "^$1=" "$ENV_FILE" >"$tmp" || true
  mv "$tmp" "$ENV_FILE"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  # free_port PREFERRED: the preferred port when free, else the next free one above it.
  local port="$1"
  while ! port_free "$port"; do port=$((port + 1)); done
  echo "$port"
}

# ---------------------------------------------------------------- PostgreSQL 15
PG_VERSION=15
PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"
PG_USER_NAME="caresim"

# The data folder is .tmp/postgres in the working tree, unless the server's user (postgres, when
# this runs as root) cannot reach it (e.g. a clone inside a private temporary folder): then a
# folder of its own under /var/tmp, named after the working tree.
pg_dir() {
  if [ "$(id -u)" -ne 0 ] || su postgres -s /bin/sh -c "test -x '$TMP'" 2>/dev/null; then
    echo "$TMP/postgres"
  else
    echo "/var/tmp/caresim-postgres-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)"
  fi
}
PG_DIR="$(mkdir -p "$TMP" && pg_dir)"
PG_DATA="$PG_DIR/data"

# initdb and the server refuse to run as root: run them as the 'postgres' system user then.
pg_as() {
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/sh -c "cd / && $(printf '%q ' "$@")"
  else
    "$@"
  fi
} 9>&- # the server must not inherit (and so hold forever) the lock of this script

install_postgres() {
  [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] && return 0
  log "installing postgresql-$PG_VERSION"
  apt_install "postgresql-$PG_VERSION"
}

start_postgres() {
  install_postgres
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    rm -rf "$PG_DIR"
    mkdir -p "$PG_DIR"
    local password
    password="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)"
    printf '%s\n' "$password" >"$PG_DIR/password"
    chmod 600 "$PG_DIR/password"
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$PG_DIR"; fi
    pg_as "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_USER_NAME" --pwfile="$PG_DIR/password" \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
      || { cat "$PG_DIR/initdb.log" >&2; return 1; }
    {
      echo "listen_addresses = '127.0.0.1'"
      echo "unix_socket_directories = '$PG_DIR'"
      echo "max_connections = 200"
      echo "fsync = off"                # test data: durability is not needed, speed is
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    } | pg_as tee -a "$PG_DATA/postgresql.conf" >/dev/null
  fi

  local port
  port="$(get_env CARESIM_TEST_POSTGRES_PORT || true)"
  if pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    [ -n "$port" ] || { log "postgres is running but its port is unknown: run 'scripts/services.sh stop --all'"; return 1; }
  else
    port="$(free_port "${port:-54329}")"
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/server.log" -w -t 60 -o "-p $port" start >/dev/null \
      || { tail -n 20 "$PG_DIR/server.log" >&2; return 1; }
    log "postgres $PG_VERSION listening on 127.0.0.1:$port"
  fi
  local password
  password="$(cat "$PG_DIR/password")"
  set_env CARESIM_TEST_POSTGRES_PORT "$port"
  set_env CARESIM_TEST_POSTGRES "Host=127.0.0.1;Port=$port;Username=$PG_USER_NAME;Password=$password;Database=postgres"
}

stop_postgres() {
  if [ -f "$PG_DATA/PG_VERSION" ] && pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    log "postgres stopped"
  fi
}

status_postgres() {
  if [ -f "$PG_DATA/PG_VERSION" ] && pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    echo "postgres: running on 127.0.0.1:$(get_env CARESIM_TEST_POSTGRES_PORT)"
  else
    echo "postgres: stopped"
  fi
}

# ---------------------------------------------------------------- Chromium (headless, for the dashboard test)
chromium_path() { command -v chromium || true; }

install_chromium() {
  [ -n "$(chromium_path)" ] && return 0
  log "installing chromium"
  apt_install chromium fonts-dejavu-core
}

start_chromium() {
  # Nothing runs: each test starts its own headless browser. Only the binary is needed.
  install_chromium
  set_env CARESIM_TEST_CHROMIUM "$(chromium_path)"
}

stop_chromium() { :; }

status_chromium() {
  local path
  path="$(chromium_path)"
  echo "chromium: ${path:-not installed}"
}

# ---------------------------------------------------------------- Node and npm (the API contract test's generated TypeScript client)
install_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return 0
  log "installing nodejs and npm"
  apt_install nodejs npm
}

start_node() { install_node; }

stop_node() { :; }

status_node() { echo "node: $(command -v node || echo 'not installed') $(node --version 2>/dev/null || true)"; }

# ---------------------------------------------------------------- Redis (cluster membership and grain state, for the cluster tests)
REDIS_DIR="$TMP/redis"

install_redis() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  log "installing redis-server"
  apt_install redis-server
}

redis_running() {
  local port
  port="$(get_env CARESIM_TEST_REDIS_PORT || true)"
  [ -n "$port" ] && [ -f "$REDIS_DIR/redis.pid" ] && kill -0 "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null \
    && redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG
}

start_redis() {
  install_redis
  mkdir -p "$REDIS_DIR"
  if ! redis_running; then
    local port i
    port="$(get_env CARESIM_TEST_REDIS_PORT || true)"
    port="$(free_port "${port:-63799}")"
    # Test data only: no snapshots, no append-only file; loopback only.
    redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --dir "$REDIS_DIR" \
      --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/server.log" --save "" --appendonly no 9>&- \
      || { tail -n 20 "$REDIS_DIR/server.log" >&2; return 1; }
    for i in $(seq 1 100); do
      redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && break
      sleep 0.1
    done
    redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG || { log "redis did not answer on port $port"; tail -n 20 "$REDIS_DIR/server.log" >&2; return 1; }
    set_env CARESIM_TEST_REDIS_PORT "$port"
    log "redis listening on 127.0.0.1:$port"
  fi
  set_env CARESIM_TEST_REDIS "127.0.0.1:$(get_env CARESIM_TEST_REDIS_PORT)"
}

stop_redis() {
  if redis_running; then
    redis-cli -h 127.0.0.1 -p "$(get_env CARESIM_TEST_REDIS_PORT)" shutdown nosave >/dev/null 2>&1 || true
    log "redis stopped"
  fi
  unset_env CARESIM_TEST_REDIS
}

status_redis() {
  if redis_running; then
    echo "redis: running on 127.0.0.1:$(get_env CARESIM_TEST_REDIS_PORT)"
  else
    echo "redis: stopped"
  fi
}

# ---------------------------------------------------------------- leases and commands
caller() { echo "${CARESIM_SERVICES_CALLER:-$PPID}"; }

prune_leases() {
  mkdir -p "$LEASES"
  local lease
  for lease in "$LEASES"/*; do
    [ -e "$lease" ] || continue
    kill -0 "$(basename "$lease")" 2>/dev/null || rm -f "$lease"
  done
}

start() {
  local service
  for service in "${SERVICES[@]}"; do "start_$service"; done
  prune_leases
  touch "$LEASES/$(caller)"
}

stop() {
  prune_leases
  rm -f "$LEASES/$(caller)"
  if [ "${1:-}" != "--all" ] && [ -n "$(ls -A "$LEASES")" ]; then
    log "still in use by $(ls "$LEASES" | tr '\n' ' '); not stopping"
    return 0
  fi
  rm -f "$LEASES"/*
  local i
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do "stop_${SERVICES[$i]}"; done
  unset_env CARESIM_TEST_POSTGRES
}

status() {
  local service
  for service in "${SERVICES[@]}"; do "status_$service"; done
}

main() {
  mkdir -p "$TMP"
  local command="${1:-}"
  shift || true
  case "$command" in
    start | stop | status)
      # One invocation at a time (several test runs may share the working tree).
      exec 9>"$LOCK"
      flock -w 600 9 || { log "timed out waiting for $LOCK"; exit 1; }
      "$command" "$@"
      ;;
    *)
      echo "usage: $0 start|stop [--all]|status" >&2
      exit 2
      ;;
  esac
}

main "$@"
