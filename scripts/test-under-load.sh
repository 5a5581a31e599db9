#!/usr/bin/env bash
# Issue 14 point 4: `npm test` twice in a row while every core is kept busy by other work.
# Starts one busy-looping process per core (AMIABLE_LOAD_WORKERS to change), runs the suite twice,
# prints each run's wall time and exit code, and stops the load whatever happens.
set -uo pipefail
cd "$(dirname "$0")/.."
workers="${AMIABLE_LOAD_WORKERS:-$(nproc)}"
pids=()
for _ in $(seq "$workers"); do
  node -e 'for (;;) { Math.sqrt(Math.random()); }' &
  pids+=("$!")
done
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
echo "== load: $workers busy process(es) on $(nproc) core(s)"
status=0
for run in 1 2; do
  start=$(date +%s)
  npm test
  rc=$?
  echo "== run $run: exit $rc in $(( $(date +%s) - start )) s (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  [ "$rc" -eq 0 ] || status=$rc
done
exit "$status"
