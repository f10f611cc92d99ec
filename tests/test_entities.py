"""Entities: what a couple sees, and how it rolls over at local midnight."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.reconnect.const import OFF_BY_DEFAULT
from custom_components.reconnect.sensor import PARTNER_SENSORS, SENSORS
from homeassistant.const import EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .conftest import ENTRY_ID, call

NIGHTS = "sensor.maya_jordan_nights_checked_in_of_14"
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


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
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


async def test_what_every_user_sees_by_default_is_about_the_couple(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """HA's generated dashboards show every enabled entity that is not diagnostic.

    So those are couple-level: no partner's figure, no role, no count that
    reads as a grade. Each partner's figures are diagnostic, off by default,
    and have no state class (HA would keep long-term statistics of them for
    ever); the activity event, which names who logged what, is diagnostic.
    """
    await seed(hass)
    shown: dict[str, Any] = {}
    for entry in er.async_entries_for_config_entry(entity_registry, init_integration.entry_id):
        if entry.unique_id.startswith((f"{ENTRY_ID}_a_", f"{ENTRY_ID}_b_")):
            assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION, entry.entity_id
            assert entry.entity_category is EntityCategory.DIAGNOSTIC, entry.entity_id
            assert "state_class" not in (entry.capabilities or {}), entry.entity_id
            continue
        if entry.domain == "event":
            assert entry.entity_category is EntityCategory.DIAGNOSTIC
            continue
        if entry.disabled_by is not None:
            key = entry.unique_id.removeprefix(f"{ENTRY_ID}_")
            assert key in OFF_BY_DEFAULT, entry.entity_id
            assert "state_class" not in (entry.capabilities or {}), entry.entity_id
            continue
        assert entry.entity_category is None, entry.entity_id
        state = hass.states.get(entry.entity_id)
        assert state is not None
        shown[entry.entity_id] = {"state": state.state, **state.attributes}
    assert shown == snapshot
    for entity_id, seen in shown.items():
        assert "pursuer" not in seen, entity_id
        assert "partner" not in seen, entity_id
        # A partner's name appears only as the list of both names (the card's buttons).
        named = {k for k, v in seen.items() if "Maya" in str(v) and k != "partners"}
        assert named <= {"friendly_name"}, entity_id
        assert "maya_jordan_maya" not in entity_id, entity_id
        assert "maya_jordan_jordan" not in entity_id, entity_id
    assert shown["sensor.maya_jordan_turned_toward_each_other_7_days"]["state"] == "unknown"
    assert shown["sensor.maya_jordan_nights_checked_in_of_14"]["state"] == "2"
    assert "sensor.maya_jordan_check_in_streak" not in shown
    assert "sensor.maya_jordan_days_since_last_repair" not in shown
    # Every sensor off by default is one of these, and the other way round.
    off = {
        d.key for d in (*SENSORS, *PARTNER_SENSORS) if d.entity_registry_enabled_default is False
    }
    assert off == OFF_BY_DEFAULT


async def test_no_free_text_reaches_any_state_or_attribute(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    await seed(hass)
    await call(hass, "log_repair", {"initiator": "Jordan", "note": "PRIVATE-NOTE"})
    dump = repr([(s.state, dict(s.attributes)) for s in hass.states.async_all()])
    for secret in ("dinner", "PRIVATE-NOTE"):
        assert secret not in dump


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
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
    assert hass.states.get(NIGHTS).state == "1"

    # Nights checked in of the last 14: the night drops out two weeks on, never sooner.
    for day, nights in (("11-23", "1"), ("12-03", "1"), ("12-04", "0")):
        frozen.move_to(f"2026-{day} 08:00:00+00:00")  # local midnight
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        assert hass.states.get(NIGHTS).state == nights, day


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
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
