"""An event entity for automations: what just happened, without any free text."""

from __future__ import annotations

from typing import Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ReconnectConfigEntry, ReconnectCoordinator
from .entity import ReconnectEntity

PARALLEL_UPDATES = 0

EVENT_TYPES = [
    "check_in_started",
    "check_in_completed",
    "bid_logged",
    "rupture_logged",
    "repair_logged",
    "repair_settled",
    "entry_removed",
    "reminder_sent",
    "cycle_changed",
]

# Diagnostic: for automations, and kept off HA's generated dashboards, where the
# last bid would show on a shared screen as "Maya, turned away".
ACTIVITY = EventEntityDescription(
    key="activity",
    translation_key="activity",
    event_types=EVENT_TYPES,
    entity_category=EntityCategory.DIAGNOSTIC,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReconnectConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the couple's activity event."""
    async_add_entities([ReconnectActivity(entry.runtime_data.coordinator, ACTIVITY)])


class ReconnectActivity(ReconnectEntity, EventEntity):
    """Fires when something is logged, a check-in starts or ends, or a reminder goes out."""

    # Who did what, moment by moment, is personal: automations see it, history does not.
    _unrecorded_attributes = frozenset(
        {
            "partner",
            "started_by",
            "response",
            "reason",
            "cycle",
            "logged_by",
            "removed_by",
            "kind",
            "repaired",
        }
    )

    def __init__(
        self, coordinator: ReconnectCoordinator, description: EventEntityDescription
    ) -> None:
        """Describe the event entity."""
        super().__init__(coordinator, description)
        self._attr_event_types = EVENT_TYPES

    async def async_added_to_hass(self) -> None:
        """Listen to the couple's activity."""
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.async_add_activity_listener(self._async_activity))

    @callback
    def _async_activity(self, event_type: str, data: dict[str, Any]) -> None:
        self._trigger_event(event_type, data)
        self.async_write_ha_state()
