"""The card, as Home Assistant serves it, and the real states it is tested with.

`tests/fixtures/card_hass.json` is exported here from a real HA with reconnect
loaded; the browser test renders the card from it. Run with UPDATE_FIXTURES=1
after changing entities, and review the diff.
"""

from __future__ import annotations

from datetime import datetime
import json
import os
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.reconnect.card import CARD_URL
from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.loader import async_get_integration
from homeassistant.setup import async_setup_component

from .conftest import call

FIXTURE = Path(__file__).parent / "fixtures" / "card_hass.json"
CARD_FILE = (
    Path(__file__).parents[1] / "custom_components" / "reconnect" / "frontend" / "reconnect-card.js"
)


async def test_the_card_is_served_with_cache_headers(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_client: ClientSessionGenerator
) -> None:
    client = await hass_client()
    response = await client.get(CARD_URL)
    assert response.status == 200
    assert "javascript" in response.headers["Content-Type"]
    assert "max-age" in response.headers["Cache-Control"]
    assert await response.text() == CARD_FILE.read_text()
    assert len(CARD_FILE.read_bytes()) <= 20_000


async def test_the_frontend_loads_the_card_with_the_version(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    # Reconnect first, as when a config flow runs while HA is still starting:
    # the module is added once the frontend is ready (the e2e test found this).
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    assert await async_setup_component(hass, "frontend", {})
    await hass.async_block_till_done()
    version = (await async_get_integration(hass, "reconnect")).version
    assert f"{CARD_URL}?v={version}" in hass.data[DATA_EXTRA_MODULE_URL].urls


async def test_export_real_states_for_the_browser_test(
    hass: HomeAssistant, init_integration: MockConfigEntry, frozen: FrozenDateTimeFactory
) -> None:
    # A lived-in week: a rupture open four days, bids, and nightly ratings.
    await call(hass, "log_rupture", {"partner": "Maya", "when": "2026-11-16T20:00:00"})
    for day, maya, jordan in ((14, 3, 4), (15, 2, 3), (17, 4, 4), (18, 4, 5), (19, 3, 4)):
        when = f"2026-11-{day}T21:30:00"
        await call(hass, "log_check_in", {"partner": "Maya", "rating": maya, "when": when})
        await call(hass, "log_check_in", {"partner": "Jordan", "rating": jordan, "when": when})
    for bidder, response in (
        ("Maya", "toward"),
        ("Maya", "away"),
        ("Maya", "toward"),
        ("Jordan", "toward"),
        ("Jordan", "toward"),
        ("Maya", "toward"),
    ):
        await call(hass, "log_bid", {"bidder": bidder, "response": response})

    entity_registry = er.async_get(hass)
    device_registry = dr.async_get(hass)
    entries = er.async_entries_for_config_entry(entity_registry, init_integration.entry_id)
    device_ids = {entry.device_id for entry in entries}
    # Registry ids are random; name them stably so the fixture only changes with behaviour.
    stable = {device_id: f"device-{n}" for n, device_id in enumerate(sorted(device_ids), 1)}
    exported: dict[str, Any] = {
        "states": {},
        "entities": {},
        "devices": {
            stable[device_id]: {
                "name": device_registry.async_get(device_id).name,
                "config_entries": [init_integration.entry_id],
            }
            for device_id in device_ids
        },
    }
    for entry in sorted(entries, key=lambda e: e.entity_id):
        if entry.disabled_by is not None:
            continue  # as HA's frontend: disabled entities have no state and are not listed
        state = hass.states.get(entry.entity_id)
        assert state is not None
        value = state.state
        if entry.domain == "event":
            # HA 2026.x adds 1 ms per event fired in the same instant (each is a distinct
            # state change); the card shows only the day.
            value = (
                datetime.fromisoformat(value)
                .replace(microsecond=0)
                .isoformat(timespec="milliseconds")
            )
        exported["states"][entry.entity_id] = {
            "entity_id": entry.entity_id,
            "state": value,
            "attributes": json.loads(json.dumps(dict(state.attributes), default=str)),
        }
        exported["entities"][entry.entity_id] = {
            "entity_id": entry.entity_id,
            "platform": entry.platform,
            "device_id": stable[entry.device_id],
            "translation_key": entry.translation_key,
        }
    # Keep attribute order as HA has it (the card relies on the partners order).
    text = json.dumps(exported, indent=2) + "\n"
    if os.environ.get("UPDATE_FIXTURES"):
        FIXTURE.write_text(text)
    assert FIXTURE.read_text() == text, "entities changed: rerun with UPDATE_FIXTURES=1"
