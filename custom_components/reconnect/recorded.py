"""What Home Assistant's recorder keeps of a couple's entities, forgotten with them.

The recorder writes every state change of every entity to its database, and
long-term statistics of those with a state class. "Forget" must mean gone
there too: the couple's entities are found in the entity registry, their
states purged and their statistics cleared through the recorder's own API.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.recorder import get_instance

from .const import LOGGER

RECORDER = "recorder"


async def async_forget_recorded(hass: HomeAssistant, entry_id: str) -> None:
    """Remove the recorded states and statistics of every entity of one couple.

    Both run in the recorder's queue after what it has been handed so far, so
    the states written just before (a forget's own update) go as well.
    """
    if RECORDER not in hass.config.components:
        return
    registry = er.async_get(hass)
    entity_ids = sorted(e.entity_id for e in er.async_entries_for_config_entry(registry, entry_id))
    if not entity_ids:
        return
    await hass.services.async_call(
        RECORDER, "purge_entities", {"entity_id": entity_ids, "keep_days": 0}, blocking=True
    )
    get_instance(hass).async_clear_statistics(entity_ids)
    LOGGER.debug("Asked the recorder to forget %s entities", len(entity_ids))
