#!/usr/bin/env bash
# Server memory budget (issue 12, defects 4 and 11; the "Memory budget" standing check).
#   bench/memory.sh [load|import|both] [--conns 200] [--seconds 30] [--rounds 3] [--after 60] [--entries 2500] [--kib 100]
#                   [--env DOTNET_gcServer=1 …]
# Starts a Release Grove.Server in a process of its own on a temporary folder (Grove.Bench's ServerProcess), records
# its RSS every second from /proc/PID/status and prints, per round: RSS at the start, the peak, at the end and
# --after seconds later, then VmHWM, RssAnon/RssFile/RssShmem and GET /api/v1/admin/memory (managed heap per
# generation, committed, GC mode).
#   load:   --conns connections (one C# load generator, HttpClient) for --seconds, a loop each of file reads (30%) and
#           4 KiB writes (15%), Nacos config reads (30%) and 2 KiB publishes (10%), log appends of 20 lines (15%).
#           Round 1 starts cold; later rounds start from the RSS the previous one settled at (the warm figure).
#   import: one config import zip of --entries × --kib KiB over HTTP (defect 4's shape).
# Goals (issue 12): load peak ≤ 500 MB and RSS back within 20% of the start a minute after; import peak well under
# 1 GB and RSS afterwards the content plus a bounded overhead.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
what=${1:-both}
[ $# -gt 0 ] && shift
dotnet build -c Release "$root/bench/Grove.Bench" >/dev/null
bench="$root/bench/Grove.Bench/bin/Release/net10.0/Grove.Bench.dll"
echo "# $(date -u +%F) $(nproc) cores, main at $(git -C "$root" rev-parse --short HEAD)"
case "$what" in
  load|import) dotnet "$bench" memory "$what" "$@" ;;
  both) dotnet "$bench" memory import "$@"; dotnet "$bench" memory load "$@" ;;
  *) echo "usage: bench/memory.sh [load|import|both] [options]" >&2; exit 64 ;;
esac
