"""Binary sensors: is a repair overdue, did we check in today."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ReconnectConfigEntry
from .entity import ReconnectEntity
from .insights import Insights

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class ReconnectBinarySensorEntityDescription(BinarySensorEntityDescription):
    """A yes/no fact about the couple."""

    is_on_fn: Callable[[Insights], bool]


BINARY_SENSORS: tuple[ReconnectBinarySensorEntityDescription, ...] = (
    ReconnectBinarySensorEntityDescription(
        key="repair_overdue",
        translation_key="repair_overdue",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda i: i.repair_overdue,
    ),
    ReconnectBinarySensorEntityDescription(
        key="checked_in_today",
        translation_key="checked_in_today",
        is_on_fn=lambda i: i.checked_in_today,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReconnectConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the couple's binary sensors."""
    async_add_entities(
        ReconnectBinarySensor(entry.runtime_data, description) for description in BINARY_SENSORS
    )


class ReconnectBinarySensor(ReconnectEntity, BinarySensorEntity):
    """A yes/no insight."""

    entity_description: ReconnectBinarySensorEntityDescription

    @property
    def is_on(self) -> bool:
        """Return the insight."""
        return self.entity_description.is_on_fn(self.coordinator.data)
