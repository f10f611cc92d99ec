"""State the coordinator owns: saved without any other change, and read off the event loop."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
import threading
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.reconnect.const import CONF_KEEP_YEARS, DOMAIN
from custom_components.reconnect.journal import Journal
from custom_components.reconnect.rollup import RollUp
from custom_components.reconnect.store import (
    STORAGE_MINOR_VERSION,
    STORAGE_VERSION,
    decode_journal,
    encode_journal,
)
from homeassistant.components import conversation
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import Context, HomeAssistant
from homeassistant.util import dt as dt_util

from .conftest import ENTRY_ID, call

KEY = f"{DOMAIN}.{ENTRY_ID}"
ZONE = ZoneInfo("America/Los_Angeles")  # the test zone (US/Pacific)
NOW = datetime(2026, 11, 20, 22, tzinfo=UTC)


async def stop_home_assistant(hass: HomeAssistant, storage: dict[str, Any]) -> dict[str, Any]:
    """Do what HA does when it stops (write what is pending; no entry unloads); return our file."""
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    return dict(storage[KEY]["data"])


def stored_history(days: int) -> dict[str, Any]:
    """A stored journal of a bid and a check-in each day, as Reconnect writes it."""
    journal = Journal(dt_util.get_default_time_zone())
    for back in range(days, 0, -1):
        at = NOW - timedelta(days=back)
        journal.log_bid("a", "toward", "a note", at=at, now=NOW)
        journal.log_check_in("b", 4, at=at + timedelta(minutes=1), now=NOW)
    journal.log_bid("b", "against", at=NOW - timedelta(hours=1), now=NOW, auto_rupture=True)
    return {
        "version": STORAGE_VERSION,
        "minor_version": STORAGE_MINOR_VERSION,
        "key": KEY,
        "data": encode_journal(journal),
    }


async def setup_with(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    stored: dict[str, Any],
    **options: Any,
) -> Journal:
    hass_storage[KEY] = stored
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, options=options)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    journal: Journal = entry.runtime_data.coordinator.journal
    return journal


async def test_a_snooze_survives_a_restart_without_any_other_change(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    await call(hass, "snooze_reminders", {"days": 2})
    data = await stop_home_assistant(hass, hass_storage)
    assert data["reminders"] == {
        "last_sent": None,
        "snoozed_until": "2026-11-22",
        "warning": {"since": None, "last_risk": None, "last_sent": None},
    }
    assert decode_journal(data, ZONE).snoozed_until == date(2026, 11, 22)


async def test_a_sent_reminder_survives_a_restart_without_any_other_change(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    frozen: FrozenDateTimeFactory,
) -> None:
    await call(hass, "log_rupture", {"when": "2026-11-10T20:00:00"})
    await stop_home_assistant(hass, hass_storage)
    frozen.move_to("2026-11-21 05:30:00+00:00")  # the check-in time, 21:30 on the 20th
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    data = await stop_home_assistant(hass, hass_storage)
    assert data["reminders"]["last_sent"] == "2026-11-20"
    assert decode_journal(data, ZONE).reminders.last_sent == date(2026, 11, 20)


async def test_the_prompt_asked_survives_a_restart_without_any_other_change(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    await conversation.async_converse(hass, "start our check-in", None, Context(), language="en")
    data = await stop_home_assistant(hass, hass_storage)
    assert list(data["prompts"].values()) == ["2026-11-20"]


async def test_a_delayed_save_builds_its_data_on_the_event_loop(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    # HA before 2026 calls a delayed save's data function in a worker thread,
    # where reading the live journal races the loop; it must hop back.
    store = init_integration.runtime_data.coordinator.store
    threads: list[int] = []

    def data() -> dict[str, Any]:
        threads.append(threading.get_ident())
        return {}

    store.async_delay_save(data, 10)
    data_func = store._data["data_func"]  # what HA's Store calls when it writes
    await hass.async_add_executor_job(data_func)
    assert data_func() == {}
    assert threads == [hass.loop_thread_id, hass.loop_thread_id]


async def test_export_and_diagnostics_read_a_copy_in_the_executor(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    hass_admin_user: MockUser,
    hass_client: ClientSessionGenerator,
) -> None:
    journal = await setup_with(hass, mock_config_entry, hass_storage, stored_history(40))
    unread = sum(isinstance(row, str) for row in journal.events.stored())
    assert unread > 70  # setup read a few rows only
    exported = await hass.services.async_call(
        DOMAIN, "export", {}, blocking=True, return_response=True,
        context=Context(user_id=hass_admin_user.id),
    )  # fmt: skip
    assert exported is not None
    assert len(exported["events"]) == 82
    assert exported["events"][0]["text"] == "a note"
    assert [e["kind"] for e in exported["events"][-2:]] == ["bid", "rupture"]
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)
    assert diagnostics["journal"]["by_kind"] == {"bid": 41, "check_in": 40, "rupture": 1}
    assert (diagnostics["journal"]["with_text"], diagnostics["journal"]["automatic"]) == (40, 1)
    # Every row was decoded, but in copies: the live journal's rows stay unread.
    assert sum(isinstance(row, str) for row in journal.events.stored()) == unread


async def test_a_roll_up_lands_in_the_executor_and_keeps_every_row_it_keeps(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    frozen: FrozenDateTimeFactory,
) -> None:
    stored = stored_history(800)
    rows = list(stored["data"]["events"])
    journal = await setup_with(
        hass, mock_config_entry, hass_storage, stored, **{CONF_KEEP_YEARS: 1}
    )
    before = {s.entity_id: s.state for s in hass.states.async_all()}
    kept = len(journal.events)
    assert 700 < kept < 740
    rolled_bids = sum(totals["bids", "a"] for totals in journal.rolled.values())
    assert rolled_bids == (len(rows) - kept) // 2
    # Saved: the rows kept are the newest ones, byte for byte as they were stored.
    data = await stop_home_assistant(hass, hass_storage)
    assert data["events"] == rows[-kept:]
    assert {s.entity_id: s.state for s in hass.states.async_all()} == before


def test_a_roll_up_planned_before_a_change_is_not_applied() -> None:
    journal = Journal(ZONE)
    for back in range(800, 0, -1):
        journal.log_bid("a", "toward", at=NOW - timedelta(days=back), now=NOW)
    plan = journal.plan_roll_up(date(2025, 11, 20))
    assert plan is not None
    journal.log_repair("b", at=NOW - timedelta(days=600), now=NOW)  # lands among the old rows
    assert not journal.apply_roll_up(plan.run())
    assert len(journal.events) == 801
    assert journal.roll_up(date(2025, 11, 20)) > 0
    # The repair the trackers need stayed raw, and so did all after it.
    assert journal.trackers.last_repair_at == NOW - timedelta(days=600)
    assert journal.events[0].kind == "repair"


def test_a_new_time_zone_planned_before_a_change_is_not_applied() -> None:
    journal = Journal(ZONE)
    journal.log_check_in("a", 4, at=datetime(2026, 11, 20, 2, tzinfo=UTC), now=NOW)
    berlin = ZoneInfo("Europe/Berlin")
    plan = journal.plan_time_zone(berlin)
    assert plan is not None
    assert journal.plan_time_zone(ZONE) is None
    journal.log_check_in("b", 5, at=datetime(2026, 11, 18, 23, tzinfo=UTC), now=NOW)
    assert not journal.apply_time_zone(plan.run())
    assert journal.time_zone_name == str(ZONE)
    journal.set_time_zone(berlin)
    assert journal.day(date(2026, 11, 20))["check_ins", "a"] == 1  # 03:00 in Berlin
    assert journal.day(date(2026, 11, 19))["check_ins", "b"] == 1  # 00:00 in Berlin
    assert journal.trackers.streak_days == 2


async def test_a_time_zone_change_counts_the_days_again_in_the_executor(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    frozen: FrozenDateTimeFactory,
) -> None:
    journal = await setup_with(hass, mock_config_entry, hass_storage, stored_history(40))
    unread = sum(isinstance(row, str) for row in journal.events.stored())
    await hass.config.async_update(time_zone="Europe/Berlin")
    await hass.async_block_till_done()
    assert journal.time_zone_name == "Europe/Berlin"
    assert sum(isinstance(row, str) for row in journal.events.stored()) == unread
    # Saved with the new zone's aggregates, so the next load reads no row.
    data = await stop_home_assistant(hass, hass_storage)
    assert data["aggregates"]["time_zone"] == "Europe/Berlin"
    assert decode_journal(data, ZoneInfo("Europe/Berlin")).window(date(2026, 11, 20), 7) == (
        journal.window(date(2026, 11, 20), 7)
    )


async def test_a_roll_up_stale_by_a_change_meanwhile_is_planned_again(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    frozen: FrozenDateTimeFactory,
) -> None:
    journal = await setup_with(hass, mock_config_entry, hass_storage, stored_history(800))
    coordinator = mock_config_entry.runtime_data.coordinator
    hass.config_entries.async_update_entry(mock_config_entry, options={CONF_KEEP_YEARS: 1})
    coordinator.async_roll_up()  # its rows are being read in the executor...
    (backdated,) = journal.log_repair("a", at=NOW - timedelta(days=500), now=NOW)  # ...meanwhile
    await hass.async_block_till_done()
    assert journal.rolled  # landed on the second plan
    assert journal.events[0] == backdated  # the repair the trackers need stayed raw
    assert journal.trackers.last_repair_at == backdated.at


async def test_a_roll_up_still_running_at_unload_is_dropped_not_saved_later(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    frozen: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stored = stored_history(800)
    rows = list(stored["data"]["events"])
    await setup_with(hass, mock_config_entry, hass_storage, stored)
    coordinator = mock_config_entry.runtime_data.coordinator
    hass.config_entries.async_update_entry(mock_config_entry, options={CONF_KEEP_YEARS: 1})
    gate = threading.Event()
    run = RollUp.run

    def held(self: RollUp) -> RollUp:
        assert gate.wait(5)
        return run(self)

    monkeypatch.setattr(RollUp, "run", held)
    coordinator.async_roll_up()  # its rows are being read in the executor...

    def unloading() -> None:
        if mock_config_entry.state is ConfigEntryState.UNLOAD_IN_PROGRESS:
            gate.set()  # ...until the couple is being unloaded

    mock_config_entry.async_on_state_change(unloading)
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    assert gate.is_set()
    # The unload's own save holds every row, and nothing lands or is written after it.
    assert hass_storage[KEY]["data"]["events"] == rows
    assert not coordinator.journal.rolled
    assert (await stop_home_assistant(hass, hass_storage))["events"] == rows
