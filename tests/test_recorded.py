"""Forget means gone everywhere: the recorder's states and statistics go with the journal.

A real recorder (phcc's recorder_mock: an SQLite database in memory) records
the couple's entities as it would in a home; the rows are read back from it.
"""

from __future__ import annotations

from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_purge_done,
    async_wait_recording_done,
    do_adhoc_statistics,
    get_start_time,
)
from sqlalchemy import select

from custom_components.reconnect.const import CONF_PARTNER_A, CONF_PARTNER_B, DOMAIN
from homeassistant.components.recorder import Recorder, get_instance
from homeassistant.components.recorder.db_schema import (
    States,
    StatesMeta,
    Statistics,
    StatisticsMeta,
    StatisticsShortTerm,
)
from homeassistant.components.recorder.util import session_scope
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .conftest import ENTRY_ID, call

BIDS = "sensor.maya_jordan_maya_bids_made_7_days"


def recorded(hass: HomeAssistant, entity_ids: list[str]) -> dict[str, int]:
    """Count the rows the recorder holds of these entities (in its thread pool)."""
    with session_scope(hass=hass, read_only=True) as session:
        meta = select(StatesMeta.metadata_id).where(StatesMeta.entity_id.in_(entity_ids))
        stats = select(StatisticsMeta.id).where(StatisticsMeta.statistic_id.in_(entity_ids))
        states = select(States.state).where(States.metadata_id.in_(meta))
        return {
            # Rows that hold a value; HA marks an entity's removal with a row
            # whose state is empty (NULL), and that holds nothing of the couple's.
            "states": len([row for row in session.execute(states).all() if row[0] is not None]),
            "statistics_meta": len(session.execute(stats).all()),
            "statistics": len(session.execute(select(Statistics.id).where(
                Statistics.metadata_id.in_(stats))).all()),
            "short_term": len(session.execute(select(StatisticsShortTerm.id).where(
                StatisticsShortTerm.metadata_id.in_(stats))).all()),
        }  # fmt: skip


async def counts(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, int]:
    """Count the rows of the couple's entities, once the recorder has caught up."""
    await async_wait_recording_done(hass)
    entity_ids = [
        e.entity_id for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    ]
    assert BIDS in entity_ids
    return await get_instance(hass).async_add_executor_job(recorded, hass, entity_ids)


async def recorded_history(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the couple up and log, and let the recorder write states and compile statistics.

    On the real clock, not a frozen one: the recorder purges what was written
    before the moment it is asked, as it is in a home.
    """
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    for _ in range(3):
        await call(hass, "log_bid", {"bidder": "Maya", "response": "toward"})
        await call(hass, "log_check_in", {"partner": "Jordan", "rating": 4})
    await async_wait_recording_done(hass)
    do_adhoc_statistics(hass, start=get_start_time(dt_util.utcnow()))
    await async_wait_recording_done(hass)


@pytest.mark.parametrize("how", ["forget", "remove"])
async def test_forget_and_removal_leave_no_state_or_statistic_behind(
    recorder_mock: Recorder, hass: HomeAssistant, mock_config_entry: MockConfigEntry, how: str
) -> None:
    await recorded_history(hass, mock_config_entry)
    before = await counts(hass, mock_config_entry)
    # The recorder holds the couple's history: states, and statistics of the
    # per-partner figures (they have a state class).
    assert before["states"] > 0
    assert before["statistics_meta"] > 0
    assert before["short_term"] > 0

    registry = er.async_get(hass)
    entity_ids = [
        e.entity_id for e in er.async_entries_for_config_entry(registry, mock_config_entry.entry_id)
    ]
    if how == "forget":
        await call(hass, "forget", {"confirm": "Maya & Jordan"})
    else:
        assert await hass.config_entries.async_remove(mock_config_entry.entry_id)
    await async_wait_purge_done(hass)
    after = await get_instance(hass).async_add_executor_job(recorded, hass, entity_ids)
    assert after == {"states": 0, "statistics_meta": 0, "statistics": 0, "short_term": 0}
    assert bool(hass.config_entries.async_loaded_entries(DOMAIN)) is (how == "forget")


async def test_forget_without_a_recorder_still_forgets_the_journal(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    await call(hass, "log_bid", {"bidder": "Maya", "response": "toward"})
    await call(hass, "forget", {"confirm": "Maya & Jordan"})
    assert list(init_integration.runtime_data.coordinator.journal.events) == []


async def test_an_upgrade_turns_off_each_partners_figures_and_clears_their_statistics(
    recorder_mock: Recorder, hass: HomeAssistant
) -> None:
    """A couple set up before 1.2 had per-partner sensors on, with long-term statistics.

    The upgrade turns them off (an admin may turn one on again), with the
    streak and days since a repair, and removes the states and statistics the
    recorder kept of them; the couple's other sensors stay on.
    """
    assert await async_setup_component(hass, "sensor", {})
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Maya & Jordan",
        data={CONF_PARTNER_A: "Maya", CONF_PARTNER_B: "Jordan"},
        unique_id="jordan|maya",
        entry_id=ENTRY_ID,
        minor_version=1,
    )
    entry.add_to_hass(hass)
    registry = er.async_get(hass)
    # As the older release registered them: on, with a state class, and recorded.
    figures = []
    for partner, name in (("a", "maya"), ("b", "jordan")):
        for key, object_id in (
            ("bids_made_7d", "bids_made_7_days"),
            ("responsiveness_7d", "turned_toward_7_days"),
            ("connection_7d", "connection_7_days"),
        ):
            figure = registry.async_get_or_create(
                "sensor", DOMAIN, f"{ENTRY_ID}_{partner}_{key}", config_entry=entry,
                suggested_object_id=f"maya_jordan_{name}_{object_id}",
            )  # fmt: skip
            figures.append(figure.entity_id)
    for key, object_id in (
        ("check_in_streak", "check_in_streak"),
        ("days_since_repair", "days_since_last_repair"),
    ):
        figure = registry.async_get_or_create(
            "sensor", DOMAIN, f"{ENTRY_ID}_{key}", config_entry=entry,
            suggested_object_id=f"maya_jordan_{object_id}",
        )  # fmt: skip
        figures.append(figure.entity_id)
    for entity_id in figures:
        hass.states.async_set(entity_id, "3", {"state_class": "measurement"})
    couple_sensor = registry.async_get_or_create(
        "sensor", DOMAIN, f"{ENTRY_ID}_open_ruptures", config_entry=entry,
        suggested_object_id="maya_jordan_open_ruptures",
    )  # fmt: skip
    await async_wait_recording_done(hass)
    do_adhoc_statistics(hass, start=get_start_time(dt_util.utcnow()))
    await async_wait_recording_done(hass)
    before = await get_instance(hass).async_add_executor_job(recorded, hass, figures)
    assert before["statistics_meta"] == len(figures) == 8
    assert before["short_term"] > 0
    assert before["states"] >= 8
    for entity_id in figures:
        hass.states.async_remove(entity_id)  # as after a restart

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    assert (entry.version, entry.minor_version) == (1, 2)
    for entity_id in figures:
        figure = registry.async_get(entity_id)
        assert figure.disabled_by is er.RegistryEntryDisabler.INTEGRATION, entity_id
    assert registry.async_get(couple_sensor.entity_id).disabled_by is None
    await async_wait_purge_done(hass)
    after = await get_instance(hass).async_add_executor_job(recorded, hass, figures)
    assert after == {"states": 0, "statistics_meta": 0, "statistics": 0, "short_term": 0}

    # An admin may turn one on again; it is then kept out of long-term statistics.
    registry.async_update_entity(figures[0], disabled_by=None)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    state = hass.states.get(figures[0])
    assert state is not None
    assert "state_class" not in state.attributes
    assert registry.async_get(figures[0]).disabled_by is None  # not turned off again
