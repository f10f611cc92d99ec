#!/usr/bin/env bash
# The benchmarks (not part of the test gate): install what is needed, then run
# benchmarks/ in one process and write benchmarks/results/latest.{md,json}.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/pytest benchmarks -o python_files='bench_*.py' -o testpaths=benchmarks \
  -p no:cacheprovider -p no:logging -q -s "$@"
