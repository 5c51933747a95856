#!/usr/bin/env bash
# A streaming replica of the Postgres at PRIMARY (default 127.0.0.1:5432), on this machine, for the
# replica test and for a developer who wants one (README "Read replica"):
#
#   scripts/replica.sh up [port]   pg_basebackup -R -X stream into REPLICA_DIR, start it on port
#                                  (default 5433); prints `export TEST_POSTGRES_READ_URL=…`
#   scripts/replica.sh stop        stop it (its folder stays; `start` starts it again)
#   scripts/replica.sh start       start a stopped one
#   scripts/replica.sh down        stop it and remove its folder
#   scripts/replica.sh status      exit 0 when it runs
#
# REPLICA_DIR defaults to /tmp/sync-health-replica-<port>. The primary must accept replication
# connections: `up` adds `host replication postgres 127.0.0.1/32 trust` to its pg_hba.conf when the
# line is missing (this needs the right to write that file: root or the postgres user) and reloads.
# Run as root, the server runs as the `postgres` user (initdb and postgres refuse root).
set -euo pipefail

cmd="${1:-}"
PORT="${2:-${REPLICA_PORT:-5433}}"
PRIMARY_HOST="${PRIMARY_HOST:-127.0.0.1}"
PRIMARY_PORT="${PRIMARY_PORT:-5432}"
DIR="${REPLICA_DIR:-/tmp/sync-health-replica-${PORT}}"
BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
psql_primary() { psql -X -q -At -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres "$@"; }

# Runs a command as the postgres user (as is when that is who we are).
as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

pgctl() { as_postgres "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 "$@"; }

allow_replication() {
  local hba
  hba="$(psql_primary -c 'show hba_file')"
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+(postgres|all)[[:space:]]+127\.0\.0\.1/32' "$hba"; then
    echo "replica: adding 'host replication postgres 127.0.0.1/32 trust' to $hba" >&2
    printf '\n# streaming replicas on this machine (scripts/replica.sh)\nhost replication postgres 127.0.0.1/32 trust\n' >>"$hba"
    psql_primary -c 'select pg_reload_conf()' >/dev/null
  fi
}

up() {
  if [ -f "$DIR/PG_VERSION" ]; then
    echo "replica: $DIR exists; starting it" >&2
  else
    allow_replication
    mkdir -p "$DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; fi
    chmod 700 "$DIR"
    as_postgres pg_basebackup -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$DIR" -R -X stream -c fast
    # Debian keeps the configuration outside the data folder, so the copy has none: the settings a
    # standby must share with its primary, and its own port and socket.
    {
      echo "port = $PORT"
      echo "listen_addresses = '127.0.0.1'"
      echo "unix_socket_directories = '$DIR'"
      echo "hot_standby = on"
      for s in max_connections max_worker_processes max_wal_senders max_prepared_transactions \
        max_locks_per_transaction; do
        echo "$s = $(psql_primary -c "show $s")"
      done
    } >"$DIR/postgresql.conf"
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$DIR/pg_hba.conf"
    : >"$DIR/pg_ident.conf"
    if [ "$(id -u)" = 0 ]; then chown postgres "$DIR/postgresql.conf" "$DIR/pg_hba.conf" "$DIR/pg_ident.conf"; fi
  fi
  start
  echo "export TEST_POSTGRES_READ_URL=postgres://postgres@127.0.0.1:${PORT}/postgres REPLICA_DIR=$DIR REPLICA_PORT=$PORT"
}

start() {
  if as_postgres "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then return 0; fi
  pgctl start >/dev/null
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$PORT" && return 0; sleep 1; done
  echo "replica: not ready on port $PORT (see $DIR/server.log)" >&2
  return 1
}

stop() {
  if [ -f "$DIR/postmaster.pid" ]; then pgctl stop -m fast >/dev/null; fi
}

case "$cmd" in
  up) up ;;
  start) start ;;
  stop) stop ;;
  status) as_postgres "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1 ;;
  down)
    stop || true
    rm -rf "$DIR"
    ;;
  *)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    [ -z "$cmd" ] || [ "$cmd" = help ] || [ "$cmd" = --help ]
    ;;
esac
