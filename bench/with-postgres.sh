#!/usr/bin/env bash
# Runs a command with GROVE_BENCH_PG set to a private, throwaway PostgreSQL cluster on a free port, e.g.
#   bench/with-postgres.sh dotnet run -c Release --project bench/Grove.Bench -- tree --n 1000000 --store '$GROVE_BENCH_PG'
# The cluster runs with durable settings (fsync on, synchronous_commit on) so figures compare with SQLite's.
set -euo pipefail
bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
dir=$(mktemp -d /tmp/grove-bench-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55999)
run() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
run "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
run "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/log" -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c shared_buffers=512MB" start >/dev/null
trap 'run "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null; rm -rf "$dir"' EXIT
run "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres bench
export GROVE_BENCH_PG="postgres://postgres@127.0.0.1:$port/bench"
args=()
for a in "$@"; do args+=("${a//\$GROVE_BENCH_PG/$GROVE_BENCH_PG}"); done
"${args[@]}"
