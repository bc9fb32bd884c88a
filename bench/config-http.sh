#!/usr/bin/env bash
# Config center over HTTP (issue 4): Grove next to etcd (Debian's etcd-server, its HTTP gateway) in one run.
#   bench/config-http.sh [--duration 10] [--conns 64] [--rounds 3] [--polls 1000] [--held 10000] [--seconds 5]
# Needs wrk, etcd and etcdctl (apt-get install wrk etcd-server etcd-client; installed when missing and run as root).
# Reads: 200 configs of 5 KiB (the Nacos 2.0 benchmark's shape), wrk -t2 -c$conns with latency percentiles; Grove
# answers Nacos's GET /nacos/v1/cs/configs (what Nacos clients send, anonymous), etcd POST /v3/kv/range of the same
# keys and values. Rounds alternate Grove and etcd; the table shows each round and the medians. Then Grove.Bench
# config-http: change push to $polls long polls after a publish, $held held long polls and the server's RSS, and
# publishes per second (1, 16, 64 writers) next to etcd's puts.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=10 conns=64 rounds=3 polls=1000 held=10000 seconds=5
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --conns) conns=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --polls) polls=$2; shift 2 ;;
    --held) held=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 64 ;;
  esac
done
for tool in wrk etcd etcdctl curl; do
  if ! command -v "$tool" >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk etcd-server etcd-client curl >/dev/null
  fi
done
# 10,000 held long polls are 10,000 sockets on each side.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

work=$(mktemp -d /tmp/grove-config-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

dotnet build -c Release "$root/src/Grove.Server" >/dev/null
dotnet build -c Release "$root/bench/Grove.Bench" >/dev/null
password="bench-password-1"
port=$(free_port)
mkdir -p "$work/grove"
(cd "$work/grove" && exec env GROVE_ADMIN_PASSWORD="$password" Grove__RateLimitPerSecond=0 Grove__Config__RequestsPerWindow=0 \
   Logging__LogLevel__Default=Warning dotnet "$root/src/Grove.Server/bin/Release/net10.0/Grove.Server.dll" \
   --data "$work/grove/data" --urls "http://127.0.0.1:$port" >"$work/grove/log" 2>&1) &
pids+=($!)
grove_pid=$!
grove="http://127.0.0.1:$port"

etcd_port=$(free_port) etcd_peer=$(free_port)
etcd --name bench --data-dir "$work/etcd" --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-cluster "bench=http://127.0.0.1:$etcd_peer" --log-level error >"$work/etcd.log" 2>&1 &
pids+=($!)
etcd_url="http://127.0.0.1:$etcd_port"
for _ in $(seq 1 300); do curl -sf "$grove/healthz" >/dev/null && curl -sf "$etcd_url/health" >/dev/null && break; sleep 0.1; done
token=$(curl -sf "$grove/api/v1/auth/login" -H 'Content-Type: application/json' -d "{\"user\":\"admin\",\"password\":\"$password\"}" \
  | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')

# The same 200 configs of 5 KiB in both.
body=$(python3 -c 'print("x" * 5100)')
for i in $(seq 0 199); do
  curl -sf -o /dev/null -X POST "$grove/nacos/v1/cs/configs?accessToken=$token" --data-urlencode "dataId=bench-$i.properties" \
    --data-urlencode "group=BENCH" --data-urlencode "content=k=$body"
  ETCDCTL_API=3 etcdctl --endpoints "$etcd_url" put "/config/BENCH/bench-$i.properties" "k=$body" >/dev/null
done

# wrk: prints "requests/s p50_ms p99_ms errors".
run_wrk() {
  local script=$1 url=$2 out="$work/wrk.$RANDOM"
  N=200 wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$root/bench/http/$script" "$url" >"$out" 2>&1 || true
  python3 - "$out" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def ms(v, unit): return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
p50 = ms(*re.search(r"\s50%\s+([\d.]+)(us|ms|s)", t).groups())
p99 = ms(*re.search(r"\s99%\s+([\d.]+)(us|ms|s)", t).groups())
m = re.search(r"Non-2xx or 3xx responses: (\d+)", t); errs = int(m.group(1)) if m else 0
m = re.search(r"Socket errors: .*", t); errs += sum(int(x) for x in re.findall(r"\d+", m.group(0))) if m else 0
print(f"{rps:.0f} {p50:.2f} {p99:.2f} {errs}")
PY
}

echo "# Config reads over HTTP: 200 configs of 5 KiB, wrk -t2 -c$conns -d${duration}s, $rounds rounds alternating, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-5s | %-42s | %10s | %7s | %7s | %6s |\n' round contender "reads/s" "p50 ms" "p99 ms" errors
printf '|%s|\n' "-------|--------------------------------------------|------------|---------|---------|--------"
g_all=() e_all=()
for r in $(seq 1 "$rounds"); do
  read -r g p50 p99 err <<<"$(run_wrk config-get.lua "$grove")"
  printf '| %-5s | %-42s | %10s | %7s | %7s | %6s |\n' "$r" "Grove GET /nacos/v1/cs/configs" "$g" "$p50" "$p99" "$err"
  read -r e p50 p99 err <<<"$(run_wrk etcd-range.lua "$etcd_url")"
  printf '| %-5s | %-42s | %10s | %7s | %7s | %6s |\n' "$r" "etcd 3.4 POST /v3/kv/range (HTTP gateway)" "$e" "$p50" "$p99" "$err"
  g_all+=("$g"); e_all+=("$e")
done
python3 - "${g_all[*]}" "${e_all[*]}" <<'PY'
import statistics, sys
g = statistics.median(map(float, sys.argv[1].split())); e = statistics.median(map(float, sys.argv[2].split()))
print(f"\nmedians: Grove {g:,.0f} reads/s, etcd {e:,.0f} reads/s: Grove/etcd {g / e:.2f}x (goal >= 30,000/s and >= 3x)")
PY

dotnet "$root/bench/Grove.Bench/bin/Release/net10.0/Grove.Bench.dll" config-http --server "$grove" --token "$token" --pid "$grove_pid" \
  --etcd "$etcd_url" --polls "$polls" --held "$held" --seconds "$seconds"
