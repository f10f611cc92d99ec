"""Setup, unload, restarts, storage migrations and removal: nothing a couple logged is lost."""

from __future__ import annotations

from copy import deepcopy
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_test_home_assistant,
)

from custom_components.reconnect.const import DOMAIN
from custom_components.reconnect.store import (
    STORAGE_MINOR_VERSION,
    STORAGE_VERSION,
    ReconnectStore,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import HomeAssistant
from homeassistant.loader import DATA_CUSTOM_COMPONENTS
from homeassistant.setup import async_setup_component

from .conftest import ENTRY_ID, call

KEY = f"{DOMAIN}.{ENTRY_ID}"


async def log_a_day(hass: HomeAssistant) -> None:
    await call(hass, "log_bid", {"bidder": "Maya", "response": "toward", "note": "a hug"})
    await call(hass, "log_bid", {"bidder": "Jordan", "response": "against"})
    await call(hass, "log_repair", {"initiator": "Jordan", "note": "sorry, I was tired"})


async def test_unload_and_setup_give_back_the_same_journal(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    await log_a_day(hass)
    before = list(init_integration.runtime_data.coordinator.journal.events)
    states = {s.entity_id: s.state for s in hass.states.async_all()}

    # Reload before the delayed save would have landed: unloading flushes it.
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert list(init_integration.runtime_data.coordinator.journal.events) == before
    assert {s.entity_id: s.state for s in hass.states.async_all()} == states
    assert len(hass_storage[KEY]["data"]["events"]) == 4


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_a_restarted_home_assistant_has_every_event(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    frozen: FrozenDateTimeFactory,
) -> None:
    await log_a_day(hass)
    before = list(init_integration.runtime_data.coordinator.journal.events)
    # HA's final write at shutdown flushes the delayed save.
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    assert hass_storage[KEY]["version"] == STORAGE_VERSION

    async with async_test_home_assistant() as hass2:
        hass2.data.pop(DATA_CUSTOM_COMPONENTS)  # as enable_custom_integrations does
        assert await async_setup_component(hass2, "homeassistant", {})
        entry = MockConfigEntry(
            domain=DOMAIN,
            data=dict(init_integration.data),
            title="Maya & Jordan",
            entry_id=ENTRY_ID,
        )
        entry.add_to_hass(hass2)
        assert await hass2.config_entries.async_setup(entry.entry_id)
        await hass2.async_block_till_done()
        assert list(entry.runtime_data.coordinator.journal.events) == before
        assert hass2.states.get("sensor.maya_jordan_days_since_last_repair").state == "0"
        assert await hass2.config_entries.async_unload(entry.entry_id)
        await hass2.async_stop(force=True)


async def test_a_burst_of_logging_is_one_write_and_a_check_in_is_written_at_once(
    hass: HomeAssistant, init_integration: MockConfigEntry, frozen: FrozenDateTimeFactory
) -> None:
    writes: list[int] = []
    original = ReconnectStore._async_write_data

    async def counting(store: ReconnectStore, *args: Any) -> None:
        # (path, data) up to HA 2025.x, (data) after: the data is always last.
        data = args[-1]
        stored = data["data"] if "data" in data else data["data_func"]()
        writes.append(len(stored["events"]))
        await original(store, *args)

    with patch.object(ReconnectStore, "_async_write_data", counting):
        for _ in range(20):
            await call(hass, "log_bid", {"bidder": "Maya", "response": "toward"})
        assert writes == []
        frozen.tick(timedelta(seconds=11))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        assert writes == [20]

        await call(hass, "log_check_in", {"partner": "Maya", "rating": 4})
        assert writes == [20, 21]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_storage_from_version_1_is_migrated_without_loss(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    frozen: FrozenDateTimeFactory,
) -> None:
    # The readable one-object-per-event layout, written by hand.
    hass_storage[KEY] = {
        "version": 1,
        "minor_version": 1,
        "key": KEY,
        "data": {
            "next_id": 4,
            "events": [
                {
                    "id": 2,
                    "kind": "rupture",
                    "at": "2026-11-18T09:00:00+00:00",
                    "partner": None,
                    "rating": None,
                    "response": None,
                    "text": "money",
                    "auto": False,
                },
                {
                    "id": 1,
                    "kind": "check_in",
                    "at": "2026-11-17T20:30:00+01:00",
                    "partner": "b",
                    "rating": 4,
                    "response": None,
                    "text": "the soup",
                    "auto": False,
                },
                {
                    "id": 3,
                    "kind": "bid",
                    "at": "2026-11-19T08:00:00+00:00",
                    "partner": "a",
                    "rating": None,
                    "response": "away",
                    "text": None,
                    "auto": False,
                },
            ],
        },
    }
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    events = mock_config_entry.runtime_data.coordinator.journal.events
    assert [(e.id, str(e.kind), e.text) for e in events] == [
        (1, "check_in", "the soup"),
        (2, "rupture", "money"),
        (3, "bid", None),
    ]
    assert hass_storage[KEY]["version"] == STORAGE_VERSION
    assert hass_storage[KEY]["data"] == {
        "next_id": 4,
        "events": [
            "1 1794943800 check_in b 4 the soup",
            "2 1794992400 rupture - - money",
            "3 1795075200 bid a away",
        ],
    }
    assert hass.states.get("sensor.maya_jordan_open_ruptures").state == "1"
    assert hass.states.get("sensor.maya_jordan_jordan_turned_toward_7_days").state == "0.0"
    (new,) = (await call(hass, "log_repair", {"initiator": "Maya"}, return_response=True))["events"]
    assert new["id"] == 4


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_storage_minor_version_2_gains_its_aggregates_without_loss(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    frozen: FrozenDateTimeFactory,
) -> None:
    # Written by Reconnect before the saved aggregates (minor version 3), and
    # before authorship (version 3): a person-logged rupture named who raised,
    # started or was hurt by it, in one field.
    rows = [
        "1 1795150000 check_in a 4 the walk",
        "2 1795160000 bid b against",
        "3 1795160000 rupture! b -",
        "4 1795165000 rupture a - the dishes",
        "5 1795170000 repair a - we talked",
    ]
    old = {
        "next_id": 6,
        "events": rows,
        "sessions": ["1795149000 1795150500 complete a"],
        "prompts": {"appreciate_small": "2026-11-19"},
        "rolled": {"2020-01-01": "bids:a=3 ruptures:a=1 toward:a=2"},
        "reminders": {"last_sent": "2026-11-18", "snoozed_until": None},
    }
    hass_storage[KEY] = {"version": 2, "minor_version": 2, "key": KEY, "data": deepcopy(old)}
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.maya_jordan_days_since_last_repair").state == "0"
    assert hass.states.get("sensor.maya_jordan_check_in_streak").state == "1"

    await call(hass, "log_bid", {"bidder": "Maya", "response": "toward"})
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)  # flushes
    saved = hass_storage[KEY]
    assert (saved["version"], saved["minor_version"]) == (STORAGE_VERSION, STORAGE_MINOR_VERSION)
    data = saved["data"]
    # Every old row, byte for byte, but the name on the rupture a person logged:
    # the rupture, its time and its note stay. Nobody is known to have logged them.
    assert data["events"][:5] == [*rows[:3], "4 1795165000 rupture - - the dishes", rows[4]]
    assert data["events"][5].startswith("6 ")
    for key in ("sessions", "prompts"):
        assert data[key] == old[key]
    assert data["rolled"] == {"2020-01-01": "bids:a=3 ruptures:-=1 toward:a=2"}
    assert data["aggregates"]["events"] == 6
    assert data["aggregates"]["days"]["2020-01-01"] == "bids:a=3 ruptures:-=1 toward:a=2"

    # Loaded again, from the aggregates this time: the same states.
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    journal = mock_config_entry.runtime_data.coordinator.journal
    assert any(isinstance(row, str) for row in journal.events.stored())
    assert hass.states.get("sensor.maya_jordan_days_since_last_repair").state == "0"
    assert hass.states.get("sensor.maya_jordan_maya_bids_made_7_days").state == "1"


async def test_a_newer_storage_version_refuses_setup_and_leaves_the_file(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    newer = {
        "version": STORAGE_VERSION + 1,
        "minor_version": 1,
        "key": KEY,
        "data": {"something": "we do not understand"},
    }
    hass_storage[KEY] = deepcopy(newer)
    mock_config_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    assert "newer version of Reconnect" in (mock_config_entry.reason or "")
    assert hass_storage[KEY] == newer


async def test_an_unreadable_row_refuses_setup_and_leaves_the_file(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    broken = {
        "version": STORAGE_VERSION,
        "minor_version": 1,
        "key": KEY,
        "data": {"next_id": 2, "events": ["1 1763407800 check_in b 4", "garbage"]},
    }
    hass_storage[KEY] = deepcopy(broken)
    mock_config_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(mock_config_entry.entry_id)
    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    assert hass_storage[KEY] == broken


async def test_removing_the_couple_deletes_its_journal(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    await call(hass, "log_check_in", {"partner": "Maya", "rating": 5})
    assert KEY in hass_storage
    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert KEY not in hass_storage


async def test_keeping_one_year_rolls_up_older_events_and_changes_no_entity(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    frozen: FrozenDateTimeFactory,
) -> None:
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    for days_ago in range(0, 900, 9):
        when = (datetime(2026, 11, 20, 12, tzinfo=UTC) - timedelta(days=days_ago)).isoformat()
        await call(hass, "log_bid", {"bidder": "Maya", "response": "toward", "when": when})
        await call(hass, "log_check_in", {"partner": "Jordan", "rating": 4, "when": when})
    await call(hass, "log_repair", {"initiator": "Jordan", "when": "2026-11-01T12:00:00"})
    states = {s.entity_id: (s.state, dict(s.attributes)) for s in hass.states.async_all()}

    hass.config_entries.async_update_entry(mock_config_entry, options={"keep_years": 1})
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    journal = mock_config_entry.runtime_data.coordinator.journal
    assert 60 < len(journal.events) < 100
    assert {s.entity_id: (s.state, dict(s.attributes)) for s in hass.states.async_all()} == states
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    assert len(hass_storage[KEY]["data"]["rolled"]) > 50
