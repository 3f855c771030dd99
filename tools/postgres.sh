#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on a free loopback port, run as the postgres user.
#   tools/postgres.sh start DIR   initdb into DIR (once) and start it (on the port it had, when restarted);
#                                 prints its postgres:// URL
#   tools/postgres.sh stop DIR    stops it (by the postmaster's PID, through pg_ctl)
# Trust authentication on loopback only; the user `vigil` is a superuser so tests can create databases.
set -euo pipefail
command=${1:?start or stop}
dir=${2:?a folder for the cluster}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/pg_ctl" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_postgres() { runuser -u postgres -- "$@"; }
# The server outlives this script: it must not inherit descriptors beyond 0-2, such as the one a
# parent (Foundation's Process) watches to learn that this script has exited.
for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"
done
case "$command" in
start)
    mkdir -p "$dir"
    chown postgres: "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_postgres "$bin/initdb" -D "$dir/data" -U vigil --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    fi
    # A cluster started again keeps its port, so its clients find it where they left it.
    if [ -f "$dir/port" ]; then
        port=$(cat "$dir/port")
    else
        port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    fi
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start </dev/null >"$dir/pg_ctl.log" 2>&1
    echo "$port" >"$dir/port"
    echo "postgres://vigil@127.0.0.1:$port/postgres"
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop </dev/null >"$dir/pg_ctl.log" 2>&1
    fi
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
