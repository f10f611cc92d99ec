#!/usr/bin/env bash
# Print the path of a Python >= 3.13 interpreter, or explain and fail.
# Debian 13 ships python3.13; our Debian 12 machines have it under pyenv.
set -euo pipefail

ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 13))' >/dev/null 2>&1; }

candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  # Newest 3.13.x first; the pyenv shim only works with PYENV_VERSION set, so use the real binary.
  while IFS= read -r p; do candidates+=("$p"); done < <(ls -d "$root"/versions/3.13.*/bin/python3 2>/dev/null | sort -rV)
fi
for name in python3.13 python3; do
  p=$(command -v "$name" 2>/dev/null || true)
  case "$p" in ""|*/.pyenv/shims/*) ;; *) candidates+=("$p") ;; esac
done

for p in "${candidates[@]}"; do
  if ok "$p"; then echo "$p"; exit 0; fi
done
cat >&2 <<MSG
error: reconnect needs Python >= 3.13 (Home Assistant 2025.4 requires it) and none was found.
  Debian 13:  apt-get install python3.13 python3.13-venv python3.13-dev
  Debian 12:  pyenv install 3.13.0   (or set PYTHON=/path/to/python3.13)
MSG
exit 1
