"""Nothing lost: a corrupt file on a real disk, and the clock going wrong."""

from __future__ import annotations

import json
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_test_home_assistant,
)

from custom_components.reconnect.const import CONF_PARTNER_A, CONF_PARTNER_B, DOMAIN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.loader import DATA_CUSTOM_COMPONENTS
from homeassistant.setup import async_setup_component

from .conftest import ENTRY_ID, call

TRUNCATED = '{"version": 2, "minor_version": 2, "key": "reconnect.x", "data": {"events": ["1 179'


@pytest.mark.parametrize("content", [TRUNCATED, "this is not JSON at all"])
async def test_a_corrupt_journal_is_kept_reported_and_never_overwritten(
    tmp_path: Path, content: str
) -> None:
    storage = tmp_path / ".storage"
    storage.mkdir()
    journal_file = storage / f"{DOMAIN}.{ENTRY_ID}"
    journal_file.write_text(content)
    # A real HA on a real disk: no mocked storage in this test.
    async with async_test_home_assistant(config_dir=str(tmp_path)) as hass:
        hass.data.pop(DATA_CUSTOM_COMPONENTS)
        assert await async_setup_component(hass, "homeassistant", {})
        entry = MockConfigEntry(
            domain=DOMAIN, title="Maya & Jordan", entry_id=ENTRY_ID,
            data={CONF_PARTNER_A: "Maya", CONF_PARTNER_B: "Jordan"},
        )  # fmt: skip
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()

        (copy,) = storage.glob(f"{DOMAIN}.{ENTRY_ID}.corrupt.*")
        issue = ir.async_get(hass).async_get_issue(DOMAIN, f"corrupt_journal_{copy.name}")
        assert issue is not None
        assert issue.translation_placeholders == {"couple": "Maya & Jordan", "path": str(copy)}

        # Reconnect starts, logs, and saves a new journal beside the kept copy.
        await call(hass, "log_check_in", {"partner": "Maya", "rating": 4})
        assert await hass.config_entries.async_unload(entry.entry_id)
        assert copy.read_text() == content
        saved = json.loads(journal_file.read_text())
        assert len(saved["data"]["events"]) == 1
        await hass.async_stop(force=True)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_the_clock_jumping_backwards_never_gives_negative_days(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await call(hass, "log_repair", {"initiator": "Maya"})
    await call(hass, "log_rupture", {"partner": "Jordan"})
    await call(hass, "log_check_in", {"partner": "Maya", "rating": 4})
    # The clock jumps back three days (a bad NTP sync), then midnight passes.
    freezer.move_to("2026-11-17 08:00:00+00:00")
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    init_integration.runtime_data.coordinator.async_push()
    await hass.async_block_till_done()
    assert hass.states.get("sensor.maya_jordan_days_since_last_repair").state == "0"
    # Tonight's check-in lies after the wrong clock's 14 nights: counted once it is back.
    assert hass.states.get("sensor.maya_jordan_nights_checked_in_of_14").state == "0"
    assert hass.states.get("binary_sensor.maya_jordan_repair_waiting").state == "off"
    # Logging still works; "now" is whatever the clock says.
    await call(hass, "log_bid", {"bidder": "Maya", "response": "toward"})
    # And the clock comes back.
    freezer.move_to("2026-11-21 08:00:00+00:00")
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.maya_jordan_days_since_last_repair").state == "1"
    assert hass.states.get("sensor.maya_jordan_nights_checked_in_of_14").state == "1"


async def test_a_time_zone_change_and_dst_never_crash(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    for zone, instant in (
        ("Europe/Berlin", "2027-03-28 00:30:00+00:00"),  # clocks jump forward at 02:00
        ("Pacific/Kiritimati", "2027-03-28 02:30:00+00:00"),  # UTC+14
        ("Pacific/Pago_Pago", "2027-03-28 03:30:00+00:00"),  # UTC-11: yesterday
        ("Europe/Berlin", "2027-10-31 01:30:00+00:00"),  # clocks fall back at 03:00
    ):
        freezer.move_to(instant)
        await hass.config.async_update(time_zone=zone)
        await hass.async_block_till_done()
        await call(hass, "log_check_in", {"partner": "Maya", "rating": 3})
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        assert hass.states.get("binary_sensor.maya_jordan_checked_in_today").state == "on"
        assert int(hass.states.get("sensor.maya_jordan_nights_checked_in_of_14").state) >= 1
    assert len(init_integration.runtime_data.coordinator.journal.events) == 4
