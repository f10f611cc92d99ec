"""Figures 1, 2 and 4: setup, log-and-refresh and storage, as history grows.

Each size runs in its own Home Assistant on a real disk, with the journal
written by Reconnect's own Store, as a couple who used it for years would have.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
import time

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.reconnect.const import CONF_PARTNER_A, CONF_PARTNER_B, DOMAIN
from custom_components.reconnect.coordinator import SAVE_DELAY_SECONDS
from custom_components.reconnect.store import ReconnectStore, encode_journal
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .conftest import p50, p95, real_hass, record
from .history import SIZES, ZONE, journal

ENTRY_ID = "01JBENCHMARK000000000000000"
SETUP_RUNS = 7
LOG_RUNS = 300
WARMUP = 5
BURST = 100
BURST_SECONDS = 9


COUPLES = (("Maya", "Jordan"), ("Ana", "Ben"), ("Cleo", "Dev"))


def _entry(size_index: int = 0) -> MockConfigEntry:
    a, b = COUPLES[size_index]
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"{a} & {b}",
        data={CONF_PARTNER_A: a, CONF_PARTNER_B: b},
        unique_id=f"{b.lower()}|{a.lower()}",
        entry_id=f"{ENTRY_ID[:-1]}{size_index}",
    )


async def _seed(hass: HomeAssistant, events: int, entry_id: str) -> Path:
    """Write a generated history with Reconnect's own Store; return the file."""
    await hass.config.async_set_time_zone(str(ZONE))
    store = ReconnectStore(hass, entry_id)
    await store.async_save(encode_journal(journal(events, end=dt_util.utcnow())))
    return Path(store.path)


async def test_setup_log_and_storage(tmp_path: Path) -> None:
    """Setup time, log-and-refresh time and bytes on disk at each history size.

    One HA holds a couple at each size, and every round measures each of them
    in turn, so drift on a noisy machine hits all sizes alike.
    """
    async with real_hass(tmp_path) as hass:
        entries = [_entry(i) for i in range(len(SIZES))]
        sizes = {}
        for entry, events in zip(entries, SIZES, strict=True):
            sizes[entry.entry_id] = (await _seed(hass, events, entry.entry_id)).stat().st_size
            entry.add_to_hass(hass)
        setup_ms: dict[str, list[float]] = {e.entry_id: [] for e in entries}
        log_ms: dict[str, list[float]] = {e.entry_id: [] for e in entries}

        # 1. Setup of each config entry, read from disk each time. Setting up
        # the domain (once per HA start) is not counted, nor is unloading.
        assert await async_setup_component(hass, DOMAIN, {})
        await hass.async_block_till_done()
        for _ in range(SETUP_RUNS):
            for entry in entries:
                assert await hass.config_entries.async_unload(entry.entry_id)
                await hass.async_block_till_done()
                start = time.perf_counter()
                assert await hass.config_entries.async_setup(entry.entry_id)
                await hass.async_block_till_done()
                setup_ms[entry.entry_id].append((time.perf_counter() - start) * 1000)

        # 2. Log one bid through the action; the entity states are written when it returns.
        for run in range(LOG_RUNS + WARMUP):
            for entry in entries:
                data = {
                    "config_entry_id": entry.entry_id,
                    "bidder": entry.data[CONF_PARTNER_A],
                    "response": "toward",
                }
                start = time.perf_counter()
                await hass.services.async_call(DOMAIN, "log_bid", data, blocking=True)
                if run >= WARMUP:
                    log_ms[entry.entry_id].append((time.perf_counter() - start) * 1000)
        made = hass.states.get("sensor.maya_jordan_turned_toward_each_other_7_days")
        assert made is not None
        week = entries[0].runtime_data.coordinator.journal.window(
            entries[0].runtime_data.coordinator.data.today, 7
        )
        assert week["bids", "a"] + week["bids", "b"] == made.attributes["bids_7d"]

        base = p50(log_ms[entries[0].entry_id])
        for entry, events in zip(entries, SIZES, strict=True):
            record(
                "1, 2, 4. History size",
                events=f"{events:,}",
                file_kb=round(sizes[entry.entry_id] / 1024),
                bytes_per_event=round(sizes[entry.entry_id] / events, 1),
                setup_p50_ms=round(p50(setup_ms[entry.entry_id]), 1),
                log_p50_ms=round(p50(log_ms[entry.entry_id]), 3),
                log_p95_ms=round(p95(log_ms[entry.entry_id]), 3),
                log_p50_vs_1k=round(p50(log_ms[entry.entry_id]) / base, 2),
            )
        for entry in entries:
            await hass.config_entries.async_unload(entry.entry_id)


async def test_writes_for_a_burst(tmp_path: Path) -> None:
    """4. Disk writes for 100 events logged within 10 s (the delayed save coalesces them)."""
    async with real_hass(tmp_path) as hass:
        entry = _entry()
        await _seed(hass, SIZES[0], entry.entry_id)
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        store = entry.runtime_data.coordinator.store
        writes = 0
        # HA's Store has no public hook for a write to disk. Every write goes
        # through the private `_async_write_data` (as `(data)` in HA 2026.x and
        # `(path, data)` before, hence *args), so count the calls there, and fail
        # loudly if a release renames it.
        assert hasattr(store, "_async_write_data"), "HA's Store has no _async_write_data"
        write = store._async_write_data

        async def counted(*args: object) -> None:
            nonlocal writes
            writes += 1
            await write(*args)

        store._async_write_data = counted  # type: ignore[method-assign]
        # Real time: HA's Store checks the loop clock, which tests cannot move.
        for _ in range(BURST):
            await hass.services.async_call(
                DOMAIN, "log_bid", {"bidder": "Jordan", "response": "away"}, blocking=True
            )
            await asyncio.sleep(BURST_SECONDS / BURST)
        await asyncio.sleep(SAVE_DELAY_SECONDS + 1)
        await hass.async_block_till_done()
        on_disk = json.loads(Path(store.path).read_text())["data"]["events"]
        record("4. Writes for a burst", events=BURST, within_s=BURST_SECONDS, disk_writes=writes)
        assert writes >= 1
        assert len(on_disk) == SIZES[0] + BURST
        await hass.config_entries.async_unload(entry.entry_id)
