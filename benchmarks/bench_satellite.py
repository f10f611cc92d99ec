"""Issue 15: from an answer's transcript to its stored entry, and to the next question.

A check-in is held on a test voice satellite with HA's built-in agent, through
HA's real `assist_satellite.ask_question` and `assist_pipeline` (STT, then HA's
local matching): tests/satellite_harness.py, in real time (no freezegun).
Each check-in hears Maya's rating, then "stop" at Jordan's question. For each
rating, from the moment the scripted STT entity returns its transcript:

- to "stored": the journal's Store has written the file holding the new entry
  (a check-in rating is saved at once, not after the usual delay). The write
  goes to a real disk, atomically with fsync as in HA: the test plugin's
  in-memory storage mock is bypassed for Reconnect's store alone, and the config
  folder is in /var/tmp, not pytest's tmp_path (a tmpfs in the test lanes,
  where fsync costs nothing);
- to "next question": HA hands Jordan's question to the satellite
  (`async_start_conversation`, stamped by the satellite).

The test TTS answers at once and the satellite "plays" instantly, so this is
what Reconnect and HA add, without speech synthesis or audio.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
import tempfile
import time
import types
from typing import Any, cast
from unittest import mock

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.reconnect.const import CONF_PARTNER_A, CONF_PARTNER_B, DOMAIN
from custom_components.reconnect.journal import EventKind
from custom_components.reconnect.store import (
    STORAGE_MINOR_VERSION,
    STORAGE_VERSION,
    encode_journal,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import storage
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from tests.satellite_harness import SatelliteHarness, async_setup_satellites

from .conftest import p50, p95, record
from .history import ZONE, journal

ENTRY_ID = "01JBENCHSATELLITE000000000"
# A new couple, and about a year of use (history.py: some 27 entries a day).
HISTORIES = (0, 10_000)
WARM_UP = 2
ANSWERS = 20
RATINGS = ("one", "two", "three", "four", "five")
TIMEOUT = 10
FIGURE = "Issue 15. A check-in on a satellite: from an answer's transcript (ms)"
JORDAN_ASKED = "Thank you, Maya. Jordan, how about you, from one to five?"
# HA's own write, taken before any test patches it (the `hass` fixture mocks storage).
HA_WRITE = storage.Store._async_write_data


def _write_to_disk(store: storage.Store[Any]) -> bool:
    """Let one store write its file for real, under the test plugin's storage mock.

    The plugin patches `Store._async_write_data` for every store while `hass`
    exists; HA's own method, kept when this module was imported, is bound to
    this store alone.
    """
    if isinstance(cast("object", HA_WRITE), mock.Base):  # patched already at import: no disk
        return False
    store._async_write_data = types.MethodType(HA_WRITE, store)  # type: ignore[method-assign]
    return True


def _stamp_saves(store: storage.Store[Any]) -> list[float]:
    """Record when each immediate save of the store returns (a check-in rating's)."""
    saves: list[float] = []
    save = store.async_save

    async def timed(data: Any) -> None:
        await save(data)
        saves.append(time.perf_counter())

    store.async_save = timed  # type: ignore[method-assign]
    return saves


async def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, "the check-in did not get there"
        await asyncio.sleep(0.002)


async def _hold_one(
    hass: HomeAssistant, entry: MockConfigEntry, sats: SatelliteHarness, rating: str
) -> None:
    """Start a check-in on Bedroom; Maya rates, then "stop" at Jordan's question."""
    bedroom = sats.satellites["Bedroom"]
    dialogue = entry.runtime_data.dialogue
    said = len(sats.announcements(bedroom))
    sats.say(bedroom, rating, "let's stop here")
    response = await hass.services.async_call(
        DOMAIN, "start_check_in", {"satellite": bedroom}, blocking=True, return_response=True
    )
    assert response == {"started_on": [bedroom]}
    await _until(lambda: dialogue.checkin is None and len(sats.announcements(bedroom)) > said)
    assert sats.announcements(bedroom)[-1].startswith("Okay, we'll stop here.")


@pytest.fixture
def on_disk_dir() -> Iterator[Path]:
    """A folder on a real disk (/var/tmp: a lane binds only /tmp to a tmpfs)."""
    with tempfile.TemporaryDirectory(prefix="reconnect-bench-", dir="/var/tmp") as folder:
        yield Path(folder)


@pytest.mark.parametrize("history", HISTORIES)
async def test_answer_to_stored_entry_and_next_question(
    on_disk_dir: Path,  # first: removed after HA's final writes, when `hass` has stopped
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    enable_custom_integrations: None,
    history: int,
) -> None:
    # The test plugin runs the loop in debug mode, several times too slow for timing.
    asyncio.get_running_loop().set_debug(False)
    hass.config.config_dir = str(on_disk_dir)
    await hass.config.async_set_time_zone(str(ZONE))
    assert await async_setup_component(hass, "homeassistant", {})
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Maya & Jordan",
        data={CONF_PARTNER_A: "Maya", CONF_PARTNER_B: "Jordan"},
        unique_id="jordan|maya",
        entry_id=ENTRY_ID,
    )
    if history:  # what the Store loads (the test plugin's storage mock reads it)
        key = f"{DOMAIN}.{ENTRY_ID}"
        hass_storage[key] = {
            "version": STORAGE_VERSION,
            "minor_version": STORAGE_MINOR_VERSION,
            "key": key,
            "data": encode_journal(journal(history, end=dt_util.utcnow())),
        }
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    sats = await async_setup_satellites(hass, monkeypatch, ["Bedroom"])
    bedroom = sats.satellites["Bedroom"]

    coordinator = entry.runtime_data.coordinator
    on_disk = _write_to_disk(coordinator.store)
    saves = _stamp_saves(coordinator.store)

    for n in range(WARM_UP):  # HA loads sentences, caches the questions' speech
        await _hold_one(hass, entry, sats, RATINGS[n % len(RATINGS)])
    start = len(sats.timeline)
    for n in range(ANSWERS):
        await _hold_one(hass, entry, sats, RATINGS[n % len(RATINGS)])
    events = coordinator.journal.events
    ratings = [e for e in events if e.kind is EventKind.CHECK_IN and e.id > history]
    assert len(ratings) == WARM_UP + ANSWERS  # a low one may open a rupture too
    size = Path(coordinator.store.path).stat().st_size if on_disk else 0

    to_stored: list[float] = []
    to_question: list[float] = []
    timeline = sats.timeline[start:]
    for i, moment in enumerate(timeline):
        if moment.kind != "heard" or moment.text not in RATINGS:
            continue
        asked = next(m for m in timeline[i + 1 :] if m.kind == "question")
        assert asked.text == JORDAN_ASKED
        assert asked.entity_id == bedroom
        # Delayed saves (sessions) do not go through async_save: this is the rating's.
        stored = next(at for at in saves if at > moment.at)
        assert stored < asked.at  # each answer is saved before the next question
        to_question.append((asked.at - moment.at) * 1000)
        to_stored.append((stored - moment.at) * 1000)
    assert len(to_stored) == len(to_question) == ANSWERS

    for measure, samples in (
        ("stored (journal file written)", to_stored),
        ("next question at the satellite", to_question),
    ):
        record(
            FIGURE,
            history=f"{history:,} entries",
            measure=measure,
            answers=len(samples),
            median_ms=p50(samples),
            p95_ms=p95(samples),
            max_ms=max(samples),
            journal_kb=round(size / 1024) if on_disk else "",
            storage="disk, fsync" if on_disk else "test mock",
        )
