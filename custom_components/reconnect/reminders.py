"""Gentle reminders: when, to whom, and through which channels.

The rules (when one is due, who gets which words) are pure, in
reminder_rules.py; the words are in sentences/<lang>.yaml. This module
schedules and delivers.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from homeassistant.components import persistent_notification
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_time_change
from homeassistant.util import dt as dt_util

from .const import (
    CONF_ANNOUNCE,
    CONF_CHECK_IN_TIME,
    CONF_DELIVERY,
    CONF_NOTIFY_A,
    CONF_NOTIFY_B,
    CONF_PERSISTENT,
    CONF_QUIET_END,
    CONF_QUIET_START,
    CONF_REPAIR_REMINDER_DAYS,
    DEFAULT_CHECK_IN_TIME,
    DEFAULT_QUIET_END,
    DEFAULT_QUIET_START,
    DEFAULT_REPAIR_REMINDER_DAYS,
    DOMAIN,
    LOGGER,
)
from .coordinator import ReconnectCoordinator
from .reminder_rules import (
    ReminderReason,
    backoff_step,
    due_since,
    is_last_step,
    may_send,
    reminder_due,
    reminder_messages,
)

TITLE = "Reconnect"


class Reminders:
    """Sends at most one gentle reminder a day, at the check-in time, fewer over time."""

    def __init__(
        self, hass: HomeAssistant, coordinator: ReconnectCoordinator, messages: dict[str, str]
    ) -> None:
        """Hold the couple and the reminder wording."""
        self.hass = hass
        self.coordinator = coordinator
        self.messages = messages
        entry_id = coordinator.config_entry.entry_id
        self.notification_id = f"{DOMAIN}_{entry_id}_reminder"
        self._scheduled: time | None = None
        self._unschedule: CALLBACK_TYPE = lambda: None

    @property
    def delivery(self) -> dict[str, Any]:
        """Return the delivery options."""
        return dict(self.coordinator.option(CONF_DELIVERY, {}))

    def _time(self, key: str, default: str) -> time:
        return time.fromisoformat(self.coordinator.option(key, default))

    @callback
    def async_start(self) -> None:
        """Wake at the check-in time each day; clear once a repair or check-in lands."""
        entry = self.coordinator.config_entry
        self._async_schedule()
        entry.async_on_unload(self._async_unschedule)
        entry.async_on_unload(self.coordinator.async_add_listener(self._async_clear_if_done))

    @callback
    def _async_schedule(self) -> None:
        at = self._time(CONF_CHECK_IN_TIME, DEFAULT_CHECK_IN_TIME)
        self._scheduled = at
        self._unschedule = async_track_time_change(
            self.hass, self._async_tick, hour=at.hour, minute=at.minute, second=at.second
        )

    @callback
    def _async_unschedule(self) -> None:
        self._unschedule()

    @callback
    def async_options_changed(self) -> None:
        """Apply a new check-in time at once, without reloading the couple."""
        if self._time(CONF_CHECK_IN_TIME, DEFAULT_CHECK_IN_TIME) != self._scheduled:
            self._unschedule()
            self._async_schedule()

    def due(self, now: datetime) -> ReminderReason | None:
        """Return why a reminder is due now, if it is."""
        insights = self.coordinator.data
        last = insights.last_check_in
        return reminder_due(
            repair_overdue=insights.repair_overdue,
            last_check_in=self.coordinator.journal.local_date(last) if last else None,
            today=now.date(),
            t=self.coordinator.thresholds,
        )

    @callback
    def _async_clear_if_done(self) -> None:
        """Take the reminder down the moment a repair or check-in makes it moot."""
        if self.due(dt_util.now()) is None:
            persistent_notification.async_dismiss(self.hass, self.notification_id)

    async def _async_tick(self, _now: datetime) -> None:
        await self.async_remind(dt_util.now())

    async def async_remind(self, now: datetime) -> ReminderReason | None:
        """Send today's reminder if one is due and allowed; return why, if sent."""
        coordinator = self.coordinator
        state = coordinator.journal.reminders
        insights = coordinator.data
        reason = self.due(now)
        quiet = (
            self._time(CONF_QUIET_START, DEFAULT_QUIET_START),
            self._time(CONF_QUIET_END, DEFAULT_QUIET_END),
        )
        if reason is None or not may_send(
            now, last_sent=state.last_sent, snoozed_until=state.snoozed_until, quiet=quiet
        ):
            return None
        last = insights.last_check_in
        since = due_since(
            reason,
            # The day the insights were computed for: open_rupture_days counts to it.
            today=insights.today,
            open_rupture_days=insights.open_rupture_days,
            repair_reminder_days=int(
                coordinator.option(CONF_REPAIR_REMINDER_DAYS, DEFAULT_REPAIR_REMINDER_DAYS)
            ),
            last_check_in=coordinator.journal.local_date(last) if last else None,
            t=coordinator.thresholds,
        )
        step = backoff_step(since, now.date(), state.last_sent)
        if step is None:
            return None
        coordinator.async_mark_reminded(now.date())
        extra: list[str] = []
        if is_last_step(step):
            extra.append("last")
        if insights.support_suggested:
            extra.append("support")
        await self._async_deliver(reminder_messages(reason, insights.cycle), extra)
        LOGGER.debug("Reminder sent (%s, step %s)", reason, step)
        coordinator.async_fire_activity("reminder_sent", {"reason": str(reason)})
        return reason

    async def _async_deliver(self, keys: dict[str, str], extra: list[str]) -> None:
        """Send each partner their words, and the shared words to shared places.

        `extra` names messages added to every reminder: "last" when reminders
        stop after this one, "support" while support is suggested.
        """
        couple = self.coordinator.couple
        delivery = self.delivery

        def text(audience: str) -> str:
            name = couple.name(audience) if audience in ("a", "b") else ""
            words = [self.messages[keys[audience]].format(name=name)]
            return " ".join(words + [self.messages[key] for key in extra])

        for audience, option in (("a", CONF_NOTIFY_A), ("b", CONF_NOTIFY_B)):
            for target in delivery.get(option, []):
                await self._async_notify(target, text(audience))
        if delivery.get(CONF_PERSISTENT, True):
            persistent_notification.async_create(
                self.hass, text("both"), title=TITLE, notification_id=self.notification_id
            )
        satellites = delivery.get(CONF_ANNOUNCE, [])
        if satellites:
            await self._async_call(
                "assist_satellite", "announce", {"entity_id": satellites, "message": text("both")}
            )

    async def _async_notify(self, target: str, message: str) -> None:
        """Send to a notify entity (notify.send_message) or a legacy notify service."""
        if target.startswith("notify.") and self.hass.states.get(target) is not None:
            await self._async_call(
                "notify", "send_message", {"entity_id": target, "message": message, "title": TITLE}
            )
            return
        service = target.removeprefix("notify.")
        if self.hass.services.has_service("notify", service):
            await self._async_call("notify", service, {"message": message, "title": TITLE})
        else:
            LOGGER.warning("Reminder target %s is not a notify entity or service", target)

    async def _async_call(self, domain: str, service: str, data: dict[str, Any]) -> None:
        # One failing channel must not stop the others.
        try:
            await self.hass.services.async_call(domain, service, data, blocking=True)
        except HomeAssistantError as err:
            LOGGER.warning("Reminder via %s.%s failed: %s", domain, service, err)
