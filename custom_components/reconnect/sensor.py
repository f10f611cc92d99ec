"""Sensors: the couple's insights."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .coordinator import ReconnectConfigEntry, ReconnectCoordinator
from .cycle import CycleState
from .entity import ReconnectEntity
from .insights import NIGHTS, Insights, PartnerInsights
from .journal import PARTNERS

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class ReconnectSensorEntityDescription(SensorEntityDescription):
    """A couple-level sensor."""

    value_fn: Callable[[Insights], StateType | datetime]


@dataclass(frozen=True, kw_only=True)
class PartnerSensorEntityDescription(SensorEntityDescription):
    """A sensor about one partner."""

    value_fn: Callable[[PartnerInsights], StateType]


SENSORS: tuple[ReconnectSensorEntityDescription, ...] = (
    # Off by default: with nothing open, days since a repair reads as neglect
    # ("Nothing is open between you right now" says it kindly).
    ReconnectSensorEntityDescription(
        key="days_since_repair",
        translation_key="days_since_repair",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.DAYS,
        entity_registry_enabled_default=False,
        suggested_display_precision=0,
        value_fn=lambda i: i.days_since_repair,
    ),
    ReconnectSensorEntityDescription(
        key="open_ruptures",
        translation_key="open_ruptures",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda i: i.open_ruptures,
    ),
    ReconnectSensorEntityDescription(
        key="last_check_in",
        translation_key="last_check_in",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda i: i.last_check_in,
    ),
    ReconnectSensorEntityDescription(
        key="cycle",
        translation_key="cycle",
        device_class=SensorDeviceClass.ENUM,
        options=[str(state) for state in CycleState],
        value_fn=lambda i: str(i.cycle.state),
    ),
    ReconnectSensorEntityDescription(
        key="nights_checked_in",
        translation_key="nights_checked_in",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda i: i.nights_checked_in_14d,
    ),
    ReconnectSensorEntityDescription(
        key="turned_toward",
        translation_key="turned_toward",
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        # No state class: a couple's share is theirs to see now, not to keep
        # in HA's long-term statistics for ever.
        value_fn=lambda i: i.turned_toward_7d,
    ),
    # A streak turns missing a night into losing something: off by default
    # (nights checked in out of 14 says the same kindly).
    ReconnectSensorEntityDescription(
        key="check_in_streak",
        translation_key="check_in_streak",
        entity_registry_enabled_default=False,
        value_fn=lambda i: i.check_in_streak,
    ),
)

# One partner's figures are never on a shared surface: HA's generated
# dashboards and History show enabled entities to every user, and a state
# class would keep them in long-term statistics for ever. They are diagnostic,
# off until an admin turns one on, and have no state class.
PARTNER_SENSORS: tuple[PartnerSensorEntityDescription, ...] = (
    PartnerSensorEntityDescription(
        key="bids_made_7d",
        translation_key="bids_made_7d",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda p: p.bids_made_7d,
    ),
    PartnerSensorEntityDescription(
        key="responsiveness_7d",
        translation_key="responsiveness_7d",
        native_unit_of_measurement=PERCENTAGE,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        suggested_display_precision=0,
        value_fn=lambda p: p.responsiveness_7d,
    ),
    PartnerSensorEntityDescription(
        key="connection_7d",
        translation_key="connection_7d",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        suggested_display_precision=1,
        value_fn=lambda p: p.connection_7d,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReconnectConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the couple's and each partner's sensors."""
    coordinator = entry.runtime_data.coordinator
    entities: list[SensorEntity] = [
        ReconnectSensor(coordinator, description) for description in SENSORS
    ]
    entities += [
        PartnerSensor(coordinator, description, partner)
        for partner in PARTNERS
        for description in PARTNER_SENSORS
    ]
    async_add_entities(entities)


class ReconnectSensor(ReconnectEntity, SensorEntity):
    """A couple-level insight."""

    entity_description: ReconnectSensorEntityDescription
    # For the card; kept out of the recorder (names and nightly ratings).
    _unrecorded_attributes = frozenset({"partners", "nightly_14d"})

    @property
    def native_value(self) -> StateType | datetime:
        """Return the insight."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Add what the card needs, about the couple only: never a role or a partner's figure."""
        insights = self.coordinator.data
        key = self.entity_description.key
        if key == "cycle":
            return {
                "heuristic": True,
                # Whose accounts the picture rests on: both, one_sided or unrecognised.
                "voices": str(insights.cycle.voices),
                # The names, in setup order, for the card's buttons.
                "partners": [self.coordinator.couple.name(p) for p in PARTNERS],
            }
        if key == "nights_checked_in":
            return {"nights": NIGHTS, "nightly_14d": list(insights.nightly_14d)}
        if key == "turned_toward":
            return {"bids_7d": insights.bids_7d}
        return None


class PartnerSensor(ReconnectEntity, SensorEntity):
    """One partner's insight."""

    entity_description: PartnerSensorEntityDescription
    # For the card; kept out of the recorder (personal and noisy).
    _unrecorded_attributes = frozenset({"partner", "nightly_14d"})

    def __init__(
        self,
        coordinator: ReconnectCoordinator,
        description: PartnerSensorEntityDescription,
        partner: str,
    ) -> None:
        """Describe one partner's sensor."""
        super().__init__(coordinator, description, partner)
        self._partner_key = partner

    @property
    def native_value(self) -> StateType:
        """Return the partner's insight."""
        return self.entity_description.value_fn(self.coordinator.data.partners[self._partner_key])

    @property
    def extra_state_attributes(self) -> Mapping[str, Any]:
        """Name the partner; the connection sensor also carries the last 14 nights."""
        attributes: dict[str, Any] = {"partner": self.coordinator.couple.name(self._partner_key)}
        if self.entity_description.key == "connection_7d":
            nights = self.coordinator.data.partners[self._partner_key].nightly_14d
            attributes["nightly_14d"] = list(nights)
        return attributes
