#!/usr/bin/env bash
# The long crash loop (issue 12, "Standing checks"): writers of every kind (uploads, overwrites, deletes, moves, config
# publishes and imports, task-log appends and finishes, record inserts, queue pushes) against a real server process,
# kill -9 at a random point, restart, verify every acknowledged write byte-exact, nothing half-visible, fsck clean.
#   bench/crash-loop.sh [ROUNDS=50] [SEED]
# The seed is printed first; the same seed gives the same kill points and writer choices (the server's own timing
# still varies, so a failure may need a few runs with that seed to come back). CI runs the same test with 3 rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-50}
seed=${2:-$(( (RANDOM << 15) | RANDOM ))}
echo "crash loop: $rounds rounds, seed $seed (rerun: bench/crash-loop.sh $rounds $seed)"
dotnet build test/Grove.Server.Tests -c Release -v q -nologo >/dev/null
log=$(mktemp /tmp/grove-crash-loop.XXXXXX.log)
set +e
GROVE_CRASH_ROUNDS=$rounds GROVE_CRASH_SEED=$seed dotnet test test/Grove.Server.Tests -c Release --no-build \
  --filter "FullyQualifiedName~Chaos.CrashLoopTests" --logger "console;verbosity=detailed" >"$log" 2>&1
status=$?
set -e
grep -E "crash loop|round [0-9]+:|Passed!|Failed|holds|half|places|fsck|refused" "$log" | grep -v "^\s*at " | head -60
echo "exit $status; full output: $log"
exit $status
