#!/usr/bin/env bash
# Start a real Home Assistant on http://127.0.0.1:8123 with reconnect loaded,
# onboarded, with a demo couple and a "Reconnect" dashboard. Ctrl-C stops it;
# running it again keeps everything. RECONNECT_DEMO=1 also logs a 60-day history.
# It runs the HA of the current lane's /opt/run (RUN_HA in scripts/lanes/current),
# the newest release, which needs a Python our machines do not have.
set -euo pipefail
cd "$(dirname "$0")/.."
url=http://127.0.0.1:8123

if [ "${RECONNECT_LANE:-}" != current ]; then
  # Build the lane first (minutes, the first time), while Ctrl-C can still stop that.
  scripts/ha-env current
  # bwrap dies at SIGINT or SIGTERM and then SIGKILLs its child, so hass would
  # be orphaned mid-run. Ignored from here, the terminal's Ctrl-C (sent to the
  # whole process group) stops only hass (below), which shuts down cleanly.
  trap '' INT TERM
  exec scripts/ha-env current -- scripts/run.sh
fi

# Inside the lane's root from here on.
bin=/opt/run/bin

# Link the integration into the dev config (idempotent; the link is git-ignored).
mkdir -p config/custom_components
ln -sfn ../../custom_components/reconnect config/custom_components/reconnect

echo "==> Checking the dev configuration"
# check_config exits 0 for a config that is only partly valid; treat that as broken too.
if ! "$bin/hass" --script check_config -c config >config/check_config.log 2>&1 ||
  grep -qE "Invalid config|Failed config|General Errors" config/check_config.log; then
  echo "error: the dev configuration in ./config is broken:" >&2
  grep -vE '^(Testing configuration|Configuration dir)' config/check_config.log >&2 || true
  exit 1
fi

echo "==> Starting Home Assistant $("$bin/python" -c 'from homeassistant.const import __version__; print(__version__)') (log: config/home-assistant.log)"
# HA handles SIGINT and SIGTERM only once it has started; until then they must
# end it, not be ignored as above.
env --default-signal=INT,TERM "$bin/hass" -c config --skip-pip &
hass_pid=$!
# Should a step below fail, stop HA rather than leave it holding the port.
trap 'kill -INT "$hass_pid" 2>/dev/null && wait "$hass_pid" || true' EXIT

"$bin/python" - "$url" "$hass_pid" <<'PY'
import sys, time, os, urllib.request, urllib.error
url, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 180
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("error: Home Assistant stopped while starting; see config/home-assistant.log")
    try:
        urllib.request.urlopen(f"{url}/api/", timeout=2)
    except urllib.error.HTTPError:
        sys.exit(0)  # 401: the API is up
    except OSError:
        time.sleep(1)
sys.exit("error: Home Assistant did not answer within 180 s; see config/home-assistant.log")
PY

"$bin/python" scripts/dev_setup.py prepare "$url"
if [ "${RECONNECT_DEMO:-0}" = 1 ]; then
  "$bin/python" scripts/dev_setup.py demo "$url"
fi
cat <<MSG

==> Ready: open $url
    Log in as ${RECONNECT_DEV_USER:-dev} / ${RECONNECT_DEV_PASSWORD:-reconnect-dev}  (a local dev-only account)
    The "Reconnect" dashboard is in the sidebar; try Assist: "start our check-in".
    Ctrl-C stops Home Assistant; your data stays in ./config.

MSG
wait "$hass_pid"
