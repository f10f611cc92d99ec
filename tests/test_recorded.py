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

from custom_components.reconnect.const import DOMAIN
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
from homeassistant.util import dt as dt_util

from .conftest import call

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
