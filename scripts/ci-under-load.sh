#!/usr/bin/env bash
# Runs .ci/run while busy processes keep every core loaded, as on a shared CI machine, to show the
# suite passes on a loaded machine and not only on a quiet one.
#   BUSY=N  busy processes (default: one per core, plus one)
#   RUNS=K  runs in a row (default 1); stops at the first that fails
# Prints each run's summary line ("N passed, N failed, N skipped"); each run's whole log is kept.
set -uo pipefail
cd "$(dirname "$0")/.."

cores=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
busy=${BUSY:-$((cores + 1))}
runs=${RUNS:-1}
if ! [[ "$busy" =~ ^[0-9]+$ ]]; then echo "BUSY must be a number of busy processes (0 or more), not \"$busy\"." >&2; exit 64; fi
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then echo "RUNS must be a number of runs (1 or more), not \"$runs\"." >&2; exit 64; fi

busy_pids=()
ci_group=''
# Whatever this script started goes with it, however it ends: finished, failed or interrupted.
stop_all() {
  # .ci/run runs in a process group of its own, so npm, bun and their children stop with it.
  if [ -n "$ci_group" ]; then kill -- "-$ci_group" 2>/dev/null; fi
  if [ "${#busy_pids[@]}" -gt 0 ]; then
    kill "${busy_pids[@]}" 2>/dev/null
    wait "${busy_pids[@]}" 2>/dev/null
  fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

for ((i = 0; i < busy; i++)); do
  yes > /dev/null &
  busy_pids+=("$!")
done
echo "=== $busy busy processes on $cores cores"

logs=$(mktemp -d -t ci-under-load.XXXXXX)
for ((run = 1; run <= runs; run++)); do
  log="$logs/run-$run.log"
  echo "=== run $run of $runs (load average $(cut -d' ' -f1-3 /proc/loadavg)), log: $log"
  # In the background and waited for, so that an interrupt is handled at once, not after the run.
  setsid .ci/run > "$log" 2>&1 &
  ci_group=$!
  wait "$ci_group"
  status=$?
  ci_group=''
  echo "run $run: $(tail -n 1 "$log")"
  if [ "$status" -ne 0 ]; then
    echo "run $run failed (exit $status):"
    grep -E '^\(fail\)| FAIL |^typecheck failed|^lint failed|^npm test exited' "$log" | head -n 40
    exit "$status"
  fi
done
echo "=== all $runs runs passed with $busy busy processes on $cores cores"
