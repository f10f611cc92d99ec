#!/usr/bin/env bash
# Create or refresh .venv with the pinned toolchain. Safe to run again: it only
# reinstalls when the requirements or the interpreter changed.
# Both README commands use it: the tests start a real HA too (tests/e2e).
set -euo pipefail
cd "$(dirname "$0")/.."

python=$(scripts/python.sh)
venv=.venv
stamp_for() { { "$python" -VV; cat requirements_test.txt; [ "$1" = run ] && cat config/configuration.yaml scripts/ha_requirements.py; true; } | sha256sum | cut -c1-16; }

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; then
  echo "==> Creating $venv with $("$python" -V)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi

# The card's browser tests drive Debian's Chromium (Playwright cannot download its own here).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> Installing Chromium for the card's browser tests (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "error: the card tests need /usr/bin/chromium; install Debian's chromium package" >&2
    exit 1
  fi
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1
stamp=$(stamp_for test)
if [ "$(cat "$venv/.stamp-test" 2>/dev/null)" != "$stamp" ]; then
  echo "==> Installing the test toolchain (a few minutes the first time)"
  "$venv/bin/pip" install -q --upgrade pip wheel
  "$venv/bin/pip" install -q -r requirements_test.txt
  echo "$stamp" > "$venv/.stamp-test"
fi

{
  # HA's voice and camera code call ffmpeg and libturbojpeg; HA's own image ships both.
  if ! command -v ffmpeg >/dev/null 2>&1 || ! ldconfig -p | grep -q libturbojpeg; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "==> Installing ffmpeg and libturbojpeg (apt-get)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg libturbojpeg0 >/dev/null
    else
      echo "note: ffmpeg/libturbojpeg are missing; HA starts, but logs errors for them" >&2
    fi
  fi
  stamp=$(stamp_for run)
  if [ "$(cat "$venv/.stamp-run" 2>/dev/null)" != "$stamp" ]; then
    echo "==> Installing what the dev Home Assistant loads"
    # HA would pip-install these at first start; doing it here makes start-up quick and offline.
    mapfile -t reqs < <("$venv/bin/python" scripts/ha_requirements.py config/configuration.yaml)
    if [ "${#reqs[@]}" -gt 0 ]; then
      # Keep HA's own pins (package_constraints.txt) so nothing it needs is upgraded.
      "$venv/bin/pip" install -q -c "$("$venv/bin/python" -c 'import homeassistant, os; print(os.path.join(os.path.dirname(homeassistant.__file__), "package_constraints.txt"))')" "${reqs[@]}"
    fi
    echo "$stamp" > "$venv/.stamp-run"
  fi
}
