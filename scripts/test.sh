#!/usr/bin/env bash
# The whole gate: install, lint, type-check, and the test suite with coverage.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
bin=.venv/bin
start=$SECONDS

echo "==> ruff"
"$bin/ruff" check .
"$bin/ruff" format --check .
echo "==> mypy --strict"
"$bin/mypy" --strict custom_components/reconnect
echo "==> pytest"
"$bin/pytest" -n auto --cov --cov-report=term-missing:skip-covered --cov-fail-under=95 "$@"
echo "==> coverage of the config, options and reconfigure flows (must be 100%)"
"$bin/coverage" report --include='custom_components/reconnect/config_flow.py' --fail-under=100
echo "==> gate passed in $((SECONDS - start)) s"
