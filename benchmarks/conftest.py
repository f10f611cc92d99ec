"""Collect every figure of one run, then write them as Markdown and JSON.

Each benchmark records rows with `record(figure, **columns)`. At the end of the
session the tables go to benchmarks/results/latest-LANE.md and .json, LANE being
the test lane it ran in (scripts/ha-env sets RECONNECT_LANE), with the machine,
Python and Home Assistant it ran on, and are printed. Ratios are always taken
within this one run.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
import json
import logging
import os
from pathlib import Path
import platform
import statistics
import subprocess
import time
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import async_test_home_assistant

from homeassistant.const import __version__ as ha_version
from homeassistant.core import HomeAssistant
from homeassistant.loader import DATA_CUSTOM_COMPONENTS
from homeassistant.setup import async_setup_component

RESULTS_DIR = Path(__file__).parent / "results"
_ROWS: dict[str, list[dict[str, Any]]] = {}


def record(figure: str, **columns: Any) -> None:
    """Keep one row of a figure's table."""
    _ROWS.setdefault(figure, []).append(columns)


def p25(samples: list[float]) -> float:
    """Return the lower quartile."""
    return statistics.quantiles(samples, n=4)[0]


def p50(samples: list[float]) -> float:
    """Return the median."""
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    """Return the 95th percentile."""
    return statistics.quantiles(samples, n=20)[-1]


@pytest.fixture(autouse=True)
def log_like_a_real_home_assistant() -> Iterator[None]:
    """Log at INFO, as HA does without a logger config (tests log at DEBUG, which costs)."""
    loggers = [logging.getLogger(), logging.getLogger("homeassistant")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.INFO)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@asynccontextmanager
async def real_hass(config_dir: Path) -> AsyncIterator[HomeAssistant]:
    """A Home Assistant on a real disk (no mocked storage), with custom integrations."""
    # The test plugin runs the loop in debug mode, which records a stack for every
    # callback: right for finding bugs, several times too slow for timing.
    asyncio.get_running_loop().set_debug(False)
    async with async_test_home_assistant(config_dir=str(config_dir)) as hass:
        hass.data.pop(DATA_CUSTOM_COMPONENTS)
        assert await async_setup_component(hass, "homeassistant", {})
        try:
            yield hass
        finally:  # also after a failure, or the test plugin reports its timers too
            await hass.async_stop(force=True)


def _lane() -> str:
    """The test lane (scripts/ha-env sets RECONNECT_LANE); `local` outside one."""
    return os.environ.get("RECONNECT_LANE") or "local"


def _commit() -> str:
    # A lane's root has no git: scripts/bench.sh passes the commit in.
    if commit := os.environ.get("RECONNECT_BENCH_COMMIT"):
        return commit
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], capture_output=True, text=True, check=False
        )
        return out.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _markdown(machine: dict[str, Any]) -> str:
    lines = [
        "# Reconnect benchmarks",
        "",
        f"Lane `{machine['lane']}`: commit {machine['commit']}, {machine['date']}. "
        f"{machine['cpus']} CPUs, Python {machine['python']}, "
        f"Home Assistant {machine['home_assistant']}.",
        "Times in ms; Assist times are lower quartiles (see bench_assist.py).",
        "Ratios are taken within this one run.",
    ]
    for figure, rows in _ROWS.items():
        columns = list(dict.fromkeys(key for row in rows for key in row))
        lines += ["", f"## {figure}", "", "| " + " | ".join(columns) + " |"]
        lines.append("|" + "---|" * len(columns))
        for row in rows:
            cells = [row.get(c, "") for c in columns]
            lines.append(
                "| "
                + " | ".join(f"{c:.3g}" if isinstance(c, float) else str(c) for c in cells)
                + " |"
            )
    return "\n".join(lines) + "\n"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write and print the tables."""
    if not _ROWS:
        return
    machine = {
        "lane": _lane(),
        "commit": _commit(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "home_assistant": ha_version,
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    name = f"latest-{machine['lane']}"
    (RESULTS_DIR / f"{name}.json").write_text(
        json.dumps({"machine": machine, "figures": _ROWS}, indent=2, ensure_ascii=False) + "\n"
    )
    text = _markdown(machine)
    (RESULTS_DIR / f"{name}.md").write_text(text)
    print("\n" + text)
