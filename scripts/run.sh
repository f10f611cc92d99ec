#!/usr/bin/env bash
# Start a real Home Assistant on http://127.0.0.1:8123 with reconnect loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh run

# Link the integration into the dev config (idempotent; the link is git-ignored).
mkdir -p config/custom_components
ln -sfn ../../custom_components/reconnect config/custom_components/reconnect

echo "==> Checking the dev configuration"
if ! .venv/bin/hass --script check_config -c config >/tmp/reconnect-check-config.log 2>&1; then
  echo "error: the dev configuration in ./config is broken:" >&2
  grep -vE '^(Testing configuration|Configuration dir)' /tmp/reconnect-check-config.log >&2 || true
  exit 1
fi

echo "==> Home Assistant starts on http://127.0.0.1:8123 (Ctrl-C stops it; your data stays in ./config)"
exec .venv/bin/hass -c config
