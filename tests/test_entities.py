"""Entities: what a couple sees, and how it rolls over at local midnight."""

from __future__ import annotations

from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .conftest import call

STREAK = "sensor.maya_jordan_check_in_streak"
SINCE_REPAIR = "sensor.maya_jordan_days_since_last_repair"
TODAY = "binary_sensor.maya_jordan_checked_in_today"
OVERDUE = "binary_sensor.maya_jordan_repair_waiting"


async def seed(hass: HomeAssistant) -> None:
    """Log a few days of a couple's life."""
    await call(hass, "log_rupture", {"partner": "Maya", "when": "2026-11-16T20:00:00"})
    await call(
        hass, "log_bid", {"bidder": "Maya", "response": "away", "when": "2026-11-17T09:00:00"}
    )
    await call(
        hass, "log_bid", {"bidder": "Maya", "response": "toward", "when": "2026-11-18T09:00:00"}
    )
    await call(hass, "log_bid", {"bidder": "Jordan", "response": "toward"})
    await call(
        hass, "log_check_in", {"partner": "Maya", "rating": 3, "when": "2026-11-19T21:30:00"}
    )
    await call(hass, "log_check_in", {"partner": "Jordan", "rating": 4, "appreciation": "dinner"})


@pytest.mark.parametrize("platform", [Platform.SENSOR, Platform.BINARY_SENSOR])
async def test_entities(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    frozen: FrozenDateTimeFactory,
    platform: Platform,
) -> None:
    with patch("custom_components.reconnect.PLATFORMS", [platform]):
        mock_config_entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
        await seed(hass)
        await snapshot_platform(hass, entity_registry, snapshot, mock_config_entry.entry_id)


async def test_no_free_text_reaches_any_state_or_attribute(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    await seed(hass)
    await call(hass, "log_repair", {"initiator": "Jordan", "note": "PRIVATE-NOTE"})
    dump = repr([(s.state, dict(s.attributes)) for s in hass.states.async_all()])
    for secret in ("dinner", "PRIVATE-NOTE"):
        assert secret not in dump


async def test_the_day_rolls_over_at_local_midnight(
    hass: HomeAssistant, init_integration: MockConfigEntry, frozen: FrozenDateTimeFactory
) -> None:
    # Test time is 14:00 in Los Angeles on Friday the 20th.
    await call(hass, "log_repair", {"initiator": "Maya"})
    await call(hass, "log_check_in", {"partner": "Maya", "rating": 4})
    assert hass.states.get(TODAY).state == "on"

    frozen.move_to("2026-11-21 07:59:58+00:00")  # 23:59:58 local
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get(TODAY).state == "on"

    frozen.move_to("2026-11-21 08:00:00+00:00")  # midnight local
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get(TODAY).state == "off"
    assert hass.states.get(SINCE_REPAIR).state == "1"
    assert hass.states.get(STREAK).state == "1"  # a night not yet checked in is not a miss

    # Missing one night is not failure; missing two ends the streak.
    for day, streak in ((22, "1"), (23, "0")):
        frozen.move_to(f"2026-11-{day} 08:00:00+00:00")
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        assert hass.states.get(STREAK).state == streak


async def test_a_dst_week_in_berlin_counts_calendar_days(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await hass.config.async_set_time_zone("Europe/Berlin")
    # Saturday 24 October 2026, 22:00 CEST; clocks go back at 03:00 on Sunday.
    freezer.move_to("2026-10-24 20:00:00+00:00")
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    await call(hass, "log_repair", {"initiator": "Jordan"})
    await call(hass, "log_rupture", {"partner": "Maya"})
    assert hass.states.get(SINCE_REPAIR).state == "0"

    expected = {
        "2026-10-24 22:00:00+00:00": "1",  # Sunday 00:00 CEST
        "2026-10-25 22:30:00+00:00": "1",  # Sunday 23:30 CET: a 25-hour day is one day
        "2026-10-25 23:00:00+00:00": "2",  # Monday 00:00 CET
        "2026-10-30 23:00:00+00:00": "7",  # Saturday 00:00 CET
    }
    for instant, days in expected.items():
        freezer.move_to(instant)
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        assert hass.states.get(SINCE_REPAIR).state == days, instant
    assert hass.states.get(OVERDUE).state == "on"


async def test_a_time_zone_change_moves_events_to_their_new_local_days(
    hass: HomeAssistant, init_integration: MockConfigEntry, frozen: FrozenDateTimeFactory
) -> None:
    # 17:00 on the 20th in Los Angeles is 02:00 on the 21st in Berlin.
    frozen.move_to("2026-11-21 01:00:00+00:00")
    await call(hass, "log_check_in", {"partner": "Maya", "rating": 4})
    assert hass.states.get(TODAY).state == "on"
    await hass.config.async_update(time_zone="Asia/Tokyo")
    await hass.async_block_till_done()
    assert hass.states.get(TODAY).state == "on"  # 10:00 on the 21st in Tokyo, same instant
    frozen.move_to("2026-11-21 15:00:00+00:00")  # midnight on the 22nd in Tokyo
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get(TODAY).state == "off"


async def test_entities_update_the_moment_something_is_logged(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assert hass.states.get("sensor.maya_jordan_open_ruptures").state == "0"
    await call(hass, "log_rupture")
    assert hass.states.get("sensor.maya_jordan_open_ruptures").state == "1"
    entry = er.async_get(hass).async_get("sensor.maya_jordan_open_ruptures")
    assert entry is not None
    assert entry.unique_id == f"{init_integration.entry_id}_open_ruptures"
    partner = er.async_get(hass).async_get("sensor.maya_jordan_jordan_connection_7_days")
    assert partner is not None
    assert partner.unique_id == f"{init_integration.entry_id}_b_connection_7d"
