"""What Home Assistant's recorder keeps of a couple's entities, forgotten with them.

The recorder writes every state change of every entity to its database, and
long-term statistics of those with a state class. "Forget" must mean gone
there too: the couple's entities are found in the entity registry, their
states purged and their statistics cleared through the recorder's own API.
"""

from __future__ import annotations

from collections.abc import Collection

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.recorder import get_instance

from .const import LOGGER

RECORDER = "recorder"


async def async_forget_recorded(hass: HomeAssistant, entry_id: str) -> None:
    """Remove the recorded states and statistics of every entity of one couple."""
    registry = er.async_get(hass)
    entries = er.async_entries_for_config_entry(registry, entry_id)
    await _async_forget(hass, sorted(e.entity_id for e in entries))


async def async_turn_off_figures(hass: HomeAssistant, entry_id: str, keys: Collection[str]) -> None:
    """Turn off one couple's sensors named by `keys`, and remove what the recorder kept.

    Once, on upgrade: each partner's figures (and the streak and days since a
    repair) were on by default with a state class, so HA showed them to every
    user and kept hourly statistics of them. New couples get them off;
    existing ones are turned off here (an admin may turn one on again), their
    states purged and their statistics cleared.
    """
    registry = er.async_get(hass)
    figures = [
        e
        for e in er.async_entries_for_config_entry(registry, entry_id)
        if e.domain == "sensor" and any(e.unique_id.endswith(f"_{key}") for key in keys)
    ]
    for entity in figures:
        if entity.disabled_by is None:
            registry.async_update_entity(
                entity.entity_id, disabled_by=er.RegistryEntryDisabler.INTEGRATION
            )
    await _async_forget(hass, sorted(e.entity_id for e in figures))


async def _async_forget(hass: HomeAssistant, entity_ids: list[str]) -> None:
    """Purge the states and clear the statistics of these entities, if a recorder runs.

    Both run in the recorder's queue after what it has been handed so far, so
    the states written just before (a forget's own update) go as well.
    """
    if not entity_ids or RECORDER not in hass.config.components:
        return
    await hass.services.async_call(
        RECORDER, "purge_entities", {"entity_id": entity_ids, "keep_days": 0}, blocking=True
    )
    get_instance(hass).async_clear_statistics(entity_ids)
    LOGGER.debug("Asked the recorder to forget %s entities", len(entity_ids))
