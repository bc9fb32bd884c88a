#!/usr/bin/env bash
# Records over HTTP (issue 11): cached gets with wrk -t2 -c16 next to the server's floor (GET /healthz) in the same
# run, and with --store, the time from an update acknowledged by node A until node B serves the new row (p50/p99).
#   bench/records-http.sh [--server-dll PATH] [--store postgres://…] [--duration 10] [--conns 16] [--changes 200]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dll="$root/src/Grove.Server/bin/Release/net10.0/Grove.Server.dll" store="" duration=10 conns=16 changes=200
while [ $# -gt 0 ]; do
  case "$1" in
    --server-dll) dll=$2; shift 2 ;;
    --store) store=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --conns) conns=$2; shift 2 ;;
    --changes) changes=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 64 ;;
  esac
done
[ -f "$dll" ] || dotnet build -c Release "$root/src/Grove.Server" >/dev/null
work=$(mktemp -d /tmp/grove-records-http.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
password="bench-password-1"
nodes=1 kind=sqlite
[ -n "$store" ] && nodes=2 kind=postgres
# Note that nodes of one store share the config master key.
master=$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')
ports=()
for i in $(seq 1 "$nodes"); do
  port=$(free_port); ports+=("$port"); mkdir -p "$work/node$i"
  (cd "$work/node$i" && exec env GROVE_ADMIN_PASSWORD="$password" Grove__Config__MasterKey="$master" Grove__RateLimitPerSecond=0 Logging__LogLevel__Default=Warning \
     ${store:+GROVE_STORE="$store"} dotnet "$dll" --data "$work/node$i/data" --urls "http://127.0.0.1:$port" >"$work/node$i/log" 2>&1) &
  pids+=($!)
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
done
a="http://127.0.0.1:${ports[0]}"
token=$(curl -sf "$a/api/v1/auth/login" -H 'Content-Type: application/json' -d "{\"user\":\"admin\",\"password\":\"$password\"}" \
  | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')
H="Authorization: Bearer $token"
curl -sf -X PUT "$a/api/v1/records/bnews" -H "$H" -H 'Content-Type: application/json' --data-binary \
  '{"tableName":"t_bnews","fields":[{"name":"id","type":"Long"},{"name":"ct","type":"Long","notNull":true},{"name":"title"},{"name":"ver","type":"Integer","isVersion":true}],"pks":["id"]}' >/dev/null
python3 -c 'import json; print("\n".join(json.dumps({"id":i,"ct":i,"title":"t%d"%i}) for i in range(1000)))' >"$work/rows.ndjson"
curl -sf -X POST "$a/api/v1/records/bnews/bulk" -H "$H" -H 'Content-Type: application/x-ndjson' --data-binary @"$work/rows.ndjson" >/dev/null
for i in $(seq 0 999); do echo "$a/api/v1/records/bnews/rows/$i"; done | xargs -P 4 -n 50 curl -sf -H "$H" >/dev/null   # warm the cache

# Note that both paths run once untimed first, so neither is measured on code the JIT has not optimized yet.
PREFIX="/api/v1/records/bnews/rows/" N=1000 TOKEN="$token" wrk -t2 -c"$conns" -d3s -s "$root/bench/http/record-get.lua" "$a" >/dev/null
wrk -t2 -c"$conns" -d3s "$a/healthz" >/dev/null
rate() { sed -n 's/^Requests\/sec: *//p'; }
p99() { awk '/ 99%/{print $2}'; }
echo "## Records over HTTP ($(nproc) cores, $(date -u +%Y-%m-%d), wrk -t2 -c$conns -d${duration}s, store: ${kind})"
out=$(PREFIX="/api/v1/records/bnews/rows/" N=1000 TOKEN="$token" wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$root/bench/http/record-get.lua" "$a")
g=$(echo "$out" | rate); gp=$(echo "$out" | p99)
out=$(wrk -t2 -c"$conns" -d"${duration}s" --latency "$a/healthz")
f=$(echo "$out" | rate); fp=$(echo "$out" | p99)
echo "| measure | Grove | peer | Grove / peer |"
echo "|---|---:|---:|---:|"
python3 -c "print('| cached record get (1,000 keys) vs GET /healthz (the server floor) | %.0f/s (p99 $gp) | %.0f/s (p99 $fp) | %.2f× |' % ($g, $f, $g / $f))"

if [ "$nodes" -eq 2 ]; then
  b="http://127.0.0.1:${ports[1]}"
  set +e
  python3 - "$a" "$b" "$token" "$changes" <<'PY'
import json, sys, time, urllib.request
a, b, token, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
h = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
def call(method, url, body=None):
    req = urllib.request.Request(url, method=method, headers=h, data=None if body is None else json.dumps(body).encode())
    with urllib.request.urlopen(req) as r:
        return json.load(r) if r.status != 204 else None
lat = []
for i in range(n):
    key = i % 50
    row = call("GET", f"{b}/api/v1/records/bnews/rows/{key}")          # B holds it cached
    call("GET", f"{b}/api/v1/records/bnews/rows/{key}")
    title = f"changed {i}"
    call("PATCH", f"{a}/api/v1/records/bnews/rows/{key}", {"ver": row["ver"], "title": title})
    t0 = time.perf_counter()
    while True:
        if call("GET", f"{b}/api/v1/records/bnews/rows/{key}")["title"] == title:
            break
        if time.perf_counter() - t0 > 10:
            raise SystemExit("B never saw the change")
    lat.append((time.perf_counter() - t0) * 1000)
lat.sort()
print(f"| change on node A seen by node B's cache ({n} updates, polled over HTTP) | p50 {lat[len(lat)//2]:.1f} ms, p99 {lat[int(len(lat)*0.99)-1]:.1f} ms, max {lat[-1]:.1f} ms | goal p99 ≤ 100 ms | |")
PY
  [ $? -eq 0 ] || { echo "node B log:"; tail -20 "$work/node2/log"; }
fi
