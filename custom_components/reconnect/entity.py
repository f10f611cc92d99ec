"""Base entity: one service device per couple."""

from __future__ import annotations

from typing import Any

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import ReconnectCoordinator


class ReconnectEntity(CoordinatorEntity[ReconnectCoordinator]):
    """An entity of a couple, optionally about one partner."""

    _attr_has_entity_name = True
    _shown: tuple[Any, ...] | None = None

    def __init__(
        self,
        coordinator: ReconnectCoordinator,
        description: EntityDescription,
        partner: str | None = None,
    ) -> None:
        """Name the entity after its description and, if given, a partner."""
        super().__init__(coordinator)
        self.entity_description = description
        self.partner = partner
        entry = coordinator.config_entry
        # These unique ids are a public contract: keep them stable.
        scope = f"{entry.entry_id}_{partner}" if partner else entry.entry_id
        self._attr_unique_id = f"{scope}_{description.key}"
        if partner:
            self._attr_translation_placeholders = {"partner": coordinator.couple.name(partner)}
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, entry.entry_id)},
            name=entry.title,
            entry_type=DeviceEntryType.SERVICE,
        )

    def _showing(self) -> tuple[Any, ...]:
        """Return what the entity shows: its value, attributes and availability."""
        value = getattr(self, "native_value", None), getattr(self, "is_on", None)
        return value, self.extra_state_attributes, self.available

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what it shows changed (most logs move a few)."""
        showing = self._showing()
        if showing != self._shown:
            self._shown = showing
            self.async_write_ha_state()
