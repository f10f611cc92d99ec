"""Print the PyPI requirements of the integrations a configuration.yaml loads.

Walks each listed integration's manifest and its dependencies, the way HA
resolves them at start, so the dev server needs nothing from PyPI at run time.
Adds what HA's check_config script needs, which `make run` runs first.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
import sys

from homeassistant import bootstrap
import homeassistant.components
from homeassistant.scripts import check_config

COMPONENTS = Path(homeassistant.components.__file__).parent
# Integrations HA loads whatever the configuration says, and the ones its
# onboarding adds (components/onboarding/views.py, the core_config step). That
# includes radio_browser, which dev_setup.py removes: its flow runs first.
ONBOARDING = ["google_translate", "met", "radio_browser", "shopping_list"]
ALWAYS = [
    *bootstrap.CORE_INTEGRATIONS,
    *bootstrap.LOGGING_AND_HTTP_DEPS_INTEGRATIONS,
    *bootstrap.DEFAULT_INTEGRATIONS,
    *ONBOARDING,
]


def main(config: Path) -> None:
    """Print one requirement per line."""
    top = re.findall(r"^([a-z_]+):", config.read_text(), re.MULTILINE)
    # HA would pip-install check_config's colorlog when the script starts.
    todo, seen, reqs = [*ALWAYS, *top], set(), set(check_config.REQUIREMENTS)
    while todo:
        domain = todo.pop()
        manifest = COMPONENTS / domain / "manifest.json"
        if domain in seen or not manifest.exists():
            continue
        seen.add(domain)
        data = json.loads(manifest.read_text())
        reqs.update(data.get("requirements", []))
        todo += data.get("dependencies", []) + data.get("after_dependencies", [])
    print("\n".join(sorted(reqs)))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
