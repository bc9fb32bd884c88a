#!/usr/bin/env bash
# HTTP suite: the Grove server next to nginx on loopback, measured in one run (issue 3).
#   bench/http.sh [--store postgres://…] [--nodes 2] [--duration 10] [--conns 16] [--big-mib 1024] [--no-big]
# Needs wrk and nginx (Debian: apt-get install wrk nginx); installs them when missing and run as root.
# Small files: 1,000 files of 1 KiB; wrk -t2 -c16 with latency percentiles. Grove: GET /api/v1/files (read),
# PUT (write), GET /api/v1/stat (stat), all with a bearer token. Peer: nginx serving the same files from disk (read)
# and taking PUTs through its WebDAV module (write). Big files: curl upload and download of one file over loopback
# against `dd bs=1M conv=fsync` on the same disk, then eight transfers at once while the server's peak RSS is read.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
store="" nodes=1 duration=10 conns=16 big_mib=1024 big=1
while [ $# -gt 0 ]; do
  case "$1" in
    --store) store=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --conns) conns=$2; shift 2 ;;
    --big-mib) big_mib=$2; shift 2 ;;
    --no-big) big=0; shift ;;
    *) echo "unknown argument $1" >&2; exit 64 ;;
  esac
done
for tool in wrk nginx curl; do
  if ! command -v "$tool" >/dev/null && ! [ -x "/usr/sbin/$tool" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends wrk nginx curl >/dev/null
  fi
done
export PATH="$PATH:/usr/sbin"

work=$(mktemp -d /tmp/grove-http-bench.XXXXXX)
# nginx's workers run as www-data: they must reach the files.
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

dotnet build -c Release "$root/src/Grove.Server" >/dev/null
server_dll="$root/src/Grove.Server/bin/Release/net10.0/Grove.Server.dll"
password="bench-password-1"
ports=()
for i in $(seq 1 "$nodes"); do
  port=$(free_port)
  ports+=("$port")
  mkdir -p "$work/node$i"
  (cd "$work/node$i" && exec env GROVE_ADMIN_PASSWORD="$password" Grove__RateLimitPerSecond=0 Logging__LogLevel__Default=Warning \
     ${store:+GROVE_STORE="$store"} dotnet "$server_dll" --data "$work/node$i/data" --urls "http://127.0.0.1:$port" >"$work/node$i/log" 2>&1) &
  pids+=($!)
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
done
server_pid() { pgrep -f "Grove.Server.dll --data $work/node$1/data" | head -1; }
base="http://127.0.0.1:${ports[0]}"
token=$(curl -sf "$base/api/v1/auth/login" -H 'Content-Type: application/json' -d "{\"user\":\"admin\",\"password\":\"$password\"}" \
  | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')

# The same 1,000 files of 1 KiB for both.
mkdir -p "$work/www/files" "$work/www/dav" "$work/nginx-tmp"
chmod 777 "$work/www/dav" "$work/nginx-tmp"
head -c 1024 /dev/urandom >"$work/one.bin"
for i in $(seq 0 999); do cp "$work/one.bin" "$work/www/files/f$i.bin"; done
seq 0 999 | xargs -P 8 -I{} curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $token" --data-binary @"$work/one.bin" \
  "$base/api/v1/files/bench/f{}.bin"

nginx_port=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp; fastcgi_temp_path $work/nginx-tmp; uwsgi_temp_path $work/nginx-tmp; scgi_temp_path $work/nginx-tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    location /dav/ { dav_methods PUT; create_full_put_path on; }
  }
}
CONF
nginx -c "$work/nginx.conf"

# wrk over one or more base URLs at once (one wrk per node, the connections split between them); prints
# "requests/s p50_ms p99_ms errors".
run_wrk() {
  local script=$1 prefix_path=$2 tok=$3; shift 3
  local per=$(( conns / $# )) outs=()
  for url in "$@"; do
    local out="$work/wrk.$RANDOM"
    outs+=("$out")
    PREFIX="$prefix_path" N=1000 TOKEN="$tok" wrk -t2 -c"$per" -d"${duration}s" --latency -s "$root/bench/http/$script" "$url" >"$out" 2>&1 &
  done
  wait "${!}" 2>/dev/null || true
  wait
  python3 - "${outs[@]}" <<'PY'
import re, sys
rps = 0.0; p50 = []; p99 = []; errs = 0
def ms(v, unit): return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
for path in sys.argv[1:]:
    t = open(path).read()
    rps += float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    m = re.search(r"\s50%\s+([\d.]+)(us|ms|s)", t); p50.append(ms(*m.groups()))
    m = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", t); p99.append(ms(*m.groups()))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", t); errs += int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: .*", t); errs += sum(int(x) for x in re.findall(r"\d+", m.group(0))) if m else 0
print(f"{rps:.0f} {max(p50):.2f} {max(p99):.2f} {errs}")
PY
}

urls=()
for port in "${ports[@]}"; do urls+=("http://127.0.0.1:$port"); done
nginx_url="http://127.0.0.1:$nginx_port"
label=$([ -z "$store" ] && echo "SQLite, 1 node" || echo "PostgreSQL, $nodes node(s)")
echo "# HTTP small files ($label): wrk -t2 -c$conns -d${duration}s, 1,000 files of 1 KiB, $(nproc) cores"
printf '| %-28s | %12s | %8s | %8s | %6s |\n' measure "requests/s" "p50 ms" "p99 ms" errors
printf '|%s|\n' "------------------------------|--------------|----------|----------|--------"
# Prints one table row and leaves the rate in the variable named by $1.
row() { local var=$1 label=$2 r p50 p99 e; read -r r p50 p99 e <<<"$3"; printf '| %-28s | %12s | %8s | %8s | %6s |\n' "$label" "$r" "$p50" "$p99" "$e"; printf -v "$var" '%s' "$r"; }
row g_read "Grove read (GET file)" "$(run_wrk read.lua /api/v1/files/bench/f "$token" "${urls[@]}")"
row n_read "nginx read (GET file)" "$(run_wrk read.lua /files/f "" "$nginx_url")"
row g_stat "Grove stat (GET metadata)" "$(run_wrk stat.lua /api/v1/stat/bench/f "$token" "${urls[@]}")"
row g_write "Grove write (PUT 1 KiB)" "$(run_wrk write.lua /api/v1/files/bench/w "$token" "${urls[@]}")"
row n_write "nginx write (WebDAV PUT)" "$(run_wrk write.lua /dav/w "" "$nginx_url")"
python3 -c "print(f'ratios: read {${g_read}/${n_read}:.2f}x nginx, write {${g_write}/${n_write}:.2f}x nginx, stat {${g_stat}/${n_read}:.2f}x nginx reads')"

if [ "$big" -eq 1 ]; then
  echo
  echo "# Big transfers: one file of $big_mib MiB over loopback vs dd bs=1M conv=fsync on the same disk ($work)"
  head -c $((big_mib << 20)) /dev/urandom >"$work/big.src"
  mibps() { python3 -c "print(f'{$1 / $2:.0f}')"; }
  t0=$(date +%s.%N); dd if=/dev/zero of="$work/dd.out" bs=1M count="$big_mib" conv=fsync status=none; t1=$(date +%s.%N)
  dd_s=$(python3 -c "print($t1-$t0)"); rm -f "$work/dd.out"; sync
  t0=$(date +%s.%N)
  curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $token" -T "$work/big.src" "$base/api/v1/files/big/one.bin"
  t1=$(date +%s.%N); up_s=$(python3 -c "print($t1-$t0)")
  t0=$(date +%s.%N)
  curl -sf -H "Authorization: Bearer $token" -o "$work/big.dl" "$base/api/v1/files/big/one.bin"; sync -f "$work/big.dl"
  t1=$(date +%s.%N); down_s=$(python3 -c "print($t1-$t0)")
  cmp -s "$work/big.src" "$work/big.dl" || { echo "download differs from upload" >&2; exit 1; }
  rm -f "$work/big.dl"
  echo "| measure | MiB/s | vs dd |"
  echo "|---|---:|---:|"
  echo "| dd bs=1M conv=fsync | $(mibps "$big_mib" "$dd_s") | 1.00x |"
  echo "| Grove upload (curl -T) | $(mibps "$big_mib" "$up_s") | $(python3 -c "print(f'{$dd_s/$up_s:.2f}x')") |"
  echo "| Grove download (curl, then fsync) | $(mibps "$big_mib" "$down_s") | $(python3 -c "print(f'{$dd_s/$down_s:.2f}x')") |"

  pid=$(server_pid 1)
  rss_before=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
  peak=0
  sampler() { while kill -0 "$pid" 2>/dev/null; do
      r=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status" 2>/dev/null || echo 0); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" >"$work/peak"
      sleep 0.05; done; }
  echo 0 >"$work/peak"; sampler & sp=$!
  transfers=()
  for i in 1 2 3 4 5 6 7 8; do
    curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $token" -T "$work/big.src" "$base/api/v1/files/big/many$i.bin" &
    transfers+=($!)
  done
  wait "${transfers[@]}"
  transfers=()
  for i in 1 2 3 4 5 6 7 8; do
    curl -sf -o /dev/null -H "Authorization: Bearer $token" "$base/api/v1/files/big/many$i.bin" &
    transfers+=($!)
  done
  wait "${transfers[@]}"
  kill "$sp" 2>/dev/null || true
  echo
  echo "server RSS: $rss_before MiB before, peak $(cat "$work/peak") MiB while eight ${big_mib} MiB uploads then eight downloads ran at once (goal < 200 MiB)"
fi
