#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster, then remove the cluster.
#
#   scripts/with-postgres.sh pytest -q
#
# The cluster lives in a temporary folder, listens on a free port on 127.0.0.1 and on a Unix
# socket in that folder, with trust auth, and holds one database, "deputyhome". The command sees
# it as DATABASE_URL=postgres://postgres@%2Ftmp%2Fdeputyhome-pg.XXXXXX:PORT/deputyhome (the
# socket's folder as the host). The script exits with the
# command's status and always stops the cluster and removes its folder.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

is_root() { [ "$(id -u)" -eq 0 ]; }

find_pg_bin() {
    if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
        echo /usr/lib/postgresql/15/bin
        return
    fi
    # Otherwise the newest installed major version.
    local initdb
    initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$initdb" ] && dirname "$initdb"
}

PG_BIN=$(find_pg_bin || true)
if [ -z "$PG_BIN" ]; then
    if ! is_root; then
        echo "with-postgres: no PostgreSQL server under /usr/lib/postgresql; install the 'postgresql' package" >&2
        exit 1
    fi
    echo "with-postgres: installing PostgreSQL (Debian package 'postgresql')" >&2
    export DEBIAN_FRONTEND=noninteractive
    # Try with the package lists we have; refresh them only if that fails.
    apt-get install -y postgresql </dev/null || { apt-get update </dev/null && apt-get install -y postgresql </dev/null; }
    PG_BIN=$(find_pg_bin || true)
    if [ -z "$PG_BIN" ]; then
        echo "with-postgres: PostgreSQL installed but no initdb found under /usr/lib/postgresql/*/bin" >&2
        exit 1
    fi
fi

# initdb refuses to run as root: as root, run the server as the postgres user.
if is_root; then
    if ! id -u postgres >/dev/null 2>&1; then
        useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home --shell /bin/bash postgres
    fi
    as_pg() { (cd "$PG_DIR" && runuser -u postgres -- "$@"); }
else
    as_pg() { (cd "$PG_DIR" && "$@"); }
fi

PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/deputyhome-pg.XXXXXX")
chmod 700 "$PG_DIR"
if is_root; then
    chown postgres: "$PG_DIR"
fi

PG_STARTED=0
cleanup() {
    if [ "$PG_STARTED" -eq 1 ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 || {
    cat "$PG_DIR/initdb.log" >&2
    exit 1
}

# Durability is pointless for a cluster that is thrown away; turning it off makes tests faster.
PG_OPTS="-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
PG_STARTED=1
if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -o "$PG_OPTS" -l "$PG_DIR/server.log" -w -t 60 start >/dev/null; then
    echo "with-postgres: the server did not start; its log:" >&2
    cat "$PG_DIR/server.log" >&2 || true
    exit 1
fi
as_pg "$PG_BIN/createdb" -h "$PG_DIR" -p "$PG_PORT" -U postgres deputyhome

# The command reaches the server through its Unix socket in the cluster's folder (the URL's host, percent-encoded):
# a query's round trip costs less than over TCP on 127.0.0.1 (decision 171). The server listens on 127.0.0.1:PORT
# as well, for a client that wants TCP.
PG_HOST=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$PG_DIR")
export DATABASE_URL="postgres://postgres@$PG_HOST:$PG_PORT/deputyhome"
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on $PG_DIR (socket) and 127.0.0.1:$PG_PORT" >&2

status=0
"$@" || status=$?
exit "$status"
