"""Binary sensors: is a repair waiting, did we check in today, are reminders paused."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .const import (
    CONF_HELPLINE,
    CONF_PERSON_A,
    CONF_PERSON_B,
    CONF_QUIET_END,
    CONF_QUIET_START,
    DEFAULT_QUIET_END,
    DEFAULT_QUIET_START,
)
from .coordinator import ReconnectConfigEntry
from .cycle import CycleState
from .entity import ReconnectEntity
from .insights import Insights
from .schedule import in_quiet_hours

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class ReconnectBinarySensorEntityDescription(BinarySensorEntityDescription):
    """A yes/no fact about the couple."""

    is_on_fn: Callable[[Insights], bool]


BINARY_SENSORS: tuple[ReconnectBinarySensorEntityDescription, ...] = (
    ReconnectBinarySensorEntityDescription(
        key="repair_overdue",
        translation_key="repair_overdue",
        # No device class: HA would show "Problem", which reads as a verdict.
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
    coordinator = entry.runtime_data.coordinator
    entities: list[BinarySensorEntity] = [
        ReconnectBinarySensor(coordinator, description) for description in BINARY_SENSORS
    ]
    entities.append(RemindersPausedSensor(coordinator, REMINDERS_PAUSED))
    async_add_entities(entities)


class ReconnectBinarySensor(ReconnectEntity, BinarySensorEntity):
    """A yes/no insight."""

    entity_description: ReconnectBinarySensorEntityDescription
    _unrecorded_attributes = frozenset({"suggestion", "heuristic", "question", "helpline"})

    @property
    def is_on(self) -> bool:
        """Return the insight."""
        return self.entity_description.is_on_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """For support: the suggestion, the question asked first, and a local helpline.

        The suggestion's words are in the translations. Before support is
        suggested on an open rupture alone, the card asks whether it is still
        open ("question": "still_open"). The helpline is the couple's own
        option, shown with the safety line.
        """
        if self.entity_description.key != "support_suggested":
            return None
        attributes: dict[str, Any] = {}
        if self.is_on:
            attributes |= {"suggestion": "couples_support", "heuristic": True}
        if self.coordinator.data.ask_still_open:
            attributes["question"] = "still_open"
        if helpline := self.coordinator.option(CONF_HELPLINE, ""):
            attributes["helpline"] = helpline
        return attributes or None


REMINDERS_PAUSED = BinarySensorEntityDescription(
    key="reminders_paused", translation_key="reminders_paused"
)


class RemindersPausedSensor(ReconnectEntity, BinarySensorEntity):
    """On while reminders are snoozed or it is quiet hours.

    For automations such as the bedtime blueprint, which must stay quiet then
    too. It also names the persons linked to the partners, so the blueprint
    can wait until both are home.
    """

    _unrecorded_attributes = frozenset({"persons"})

    @property
    def is_on(self) -> bool:
        """Return whether Reconnect should stay quiet now."""
        coordinator = self.coordinator
        now = dt_util.now()
        until = coordinator.journal.snoozed_until
        if until is not None and now.date() < until:
            return True
        start = time.fromisoformat(coordinator.option(CONF_QUIET_START, DEFAULT_QUIET_START))
        end = time.fromisoformat(coordinator.option(CONF_QUIET_END, DEFAULT_QUIET_END))
        return in_quiet_hours(now.time(), start, end)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any]:
        """Name the linked persons (entity ids), if any, and the day a snooze ends."""
        data = self.coordinator.config_entry.data
        until = self.coordinator.journal.snoozed_until
        return {
            "persons": [p for p in (data.get(CONF_PERSON_A), data.get(CONF_PERSON_B)) if p],
            "snoozed_until": until.isoformat() if until and until > dt_util.now().date() else None,
        }

    async def async_added_to_hass(self) -> None:
        """Look again each minute: quiet hours begin and end, a snooze runs out."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_track_time_interval(self.hass, self._async_tick, timedelta(minutes=1))
        )

    @callback
    def _async_tick(self, _now: datetime) -> None:
        self._handle_coordinator_update()
