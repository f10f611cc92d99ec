#!/usr/bin/env bash
# The benchmarks (not part of the test gate): run benchmarks/ in each test lane
# (scripts/ha-env; it builds a lane first if needed), one lane after the other,
# each in one process, writing benchmarks/results/latest-LANE.{md,json}.
# Extra arguments go to pytest. RECONNECT_BENCH_LANES picks the lanes
# (default: "current minimum").
set -uo pipefail
cd "$(dirname "$0")/.."
lanes=${RECONNECT_BENCH_LANES:-current minimum}

# A lane's root has no git, so the results take the commit from here (or from
# RECONNECT_BENCH_COMMIT, for a copy of the tree without git).
if [ -z "${RECONNECT_BENCH_COMMIT:-}" ]; then
  RECONNECT_BENCH_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  [ -z "$(git status --porcelain 2>/dev/null)" ] || RECONNECT_BENCH_COMMIT+="+changes"
fi
export RECONNECT_BENCH_COMMIT

failed=()
for lane in $lanes; do
  echo "==> [$lane] benchmarks" >&2
  scripts/ha-env "$lane" -- python -m pytest benchmarks -o python_files='bench_*.py' \
    -o testpaths=benchmarks -p no:cacheprovider -p no:logging -q -s "$@" || failed+=("$lane")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "error: the benchmarks failed in: ${failed[*]}" >&2
  exit 1
fi
