"""Binary sensors: is a repair overdue, did we check in today."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ReconnectConfigEntry
from .cycle import CycleState
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
        key="burnout_risk",
        translation_key="burnout_risk",
        is_on_fn=lambda i: i.cycle.state is CycleState.BURNED_OUT_PURSUER_RISK,
    ),
    ReconnectBinarySensorEntityDescription(
        key="support_suggested",
        translation_key="support_suggested",
        is_on_fn=lambda i: i.support_suggested,
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
        ReconnectBinarySensor(entry.runtime_data.coordinator, description)
        for description in BINARY_SENSORS
    )


class ReconnectBinarySensor(ReconnectEntity, BinarySensorEntity):
    """A yes/no insight."""

    entity_description: ReconnectBinarySensorEntityDescription
    _unrecorded_attributes = frozenset({"suggestion", "heuristic"})

    @property
    def is_on(self) -> bool:
        """Return the insight."""
        return self.entity_description.is_on_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Name a gentle suggestion when support may help; its words are in the translations."""
        if self.entity_description.key != "support_suggested" or not self.is_on:
            return None
        return {"suggestion": "couples_support", "heuristic": True}
