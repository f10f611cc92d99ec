"""Gentle reminders: when, to whom, and through which channels.

The rules (when one is due, who gets which words) are pure, in
reminder_rules.py; the words are in sentences/<lang>.yaml. This module
schedules and delivers.

Each partner's words go to their own companion-app devices (phones.py) and to
any notify targets set for them. On a companion app the notification itself is
neutral ("Reconnect has a note for you."), so a lock screen shows nothing
private; its "Read it" button, usable only on an unlocked phone, replaces it
with the words, marked never to show on a secure lock screen. Its "Pause for a
week" button snoozes reminders. Other notify services get the words
themselves: Reconnect cannot tell how they show them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from typing import Any

from homeassistant.components import persistent_notification
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_time_change
from homeassistant.util import dt as dt_util

from .const import (
    ACTION_READ,
    ACTION_SNOOZE,
    CONF_ANNOUNCE,
    CONF_CHECK_IN_TIME,
    CONF_DELIVERY,
    CONF_NOTIFY_A,
    CONF_NOTIFY_B,
    CONF_OWN_DEVICES,
    CONF_PERSISTENT,
    CONF_PERSON_A,
    CONF_PERSON_B,
    CONF_QUIET_END,
    CONF_QUIET_START,
    CONF_REPAIR_REMINDER_DAYS,
    DEFAULT_CHECK_IN_TIME,
    DEFAULT_OWN_DEVICES,
    DEFAULT_PERSISTENT,
    DEFAULT_QUIET_END,
    DEFAULT_QUIET_START,
    DEFAULT_REPAIR_REMINDER_DAYS,
    DOMAIN,
    LOGGER,
)
from .coordinator import ReconnectCoordinator
from .journal import PARTNERS
from .phones import is_phone_service, own_phones
from .reminder_rules import (
    ReminderReason,
    backoff_step,
    due_since,
    early_warning_risk,
    early_warning_step,
    is_last_step,
    may_send,
    reminder_due,
    reminder_extras,
    reminder_messages,
    snooze_until,
    track_warning,
)

TITLE = "Reconnect"
# Fired by the companion app when a notification's button is pressed.
EVENT_NOTIFICATION_ACTION = "mobile_app_notification_action"
PERSONS = {"a": CONF_PERSON_A, "b": CONF_PERSON_B}
NOTIFY_OPTIONS = {"a": CONF_NOTIFY_A, "b": CONF_NOTIFY_B}


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
        self.snooze_action = f"{ACTION_SNOOZE}_{entry_id}"
        self.read_actions = {f"{ACTION_READ}_{p}_{entry_id}": p for p in PARTNERS}
        self._scheduled: time | None = None
        self._unschedule: CALLBACK_TYPE = lambda: None
        # Each partner's latest words, until they open them on a phone. Kept in
        # memory only: after a restart a note can no longer be opened.
        self._notes: dict[str, str] = {}

    @property
    def delivery(self) -> dict[str, Any]:
        """Return the delivery options."""
        return dict(self.coordinator.option(CONF_DELIVERY, {}))

    def _time(self, key: str, default: str) -> time:
        return time.fromisoformat(self.coordinator.option(key, default))

    def targets(self, partner: str) -> list[str]:
        """Return where a partner's own words go: their own phones, then targets set for them."""
        delivery = self.delivery
        found: list[str] = []
        if delivery.get(CONF_OWN_DEVICES, DEFAULT_OWN_DEVICES):
            person = self.coordinator.config_entry.data.get(PERSONS[partner])
            found = [f"notify.{phone.service}" for phone in own_phones(self.hass, person)]
        for target in delivery.get(NOTIFY_OPTIONS[partner], []):
            if target not in found:
                found.append(target)
        return found

    @callback
    def async_start(self) -> None:
        """Wake at the check-in time each day; clear once a repair or check-in lands."""
        entry = self.coordinator.config_entry
        self._async_schedule()
        entry.async_on_unload(self._async_unschedule)
        entry.async_on_unload(self.coordinator.async_add_listener(self._async_clear_if_done))
        entry.async_on_unload(
            self.hass.bus.async_listen(
                EVENT_NOTIFICATION_ACTION, self._async_on_action, event_filter=self._ours
            )
        )

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
        today = now.date()
        risk = early_warning_risk(insights.cycle)
        episode = track_warning(state.warning, risk=risk, today=today)
        coordinator.async_track_warning(episode)
        quiet = (
            self._time(CONF_QUIET_START, DEFAULT_QUIET_START),
            self._time(CONF_QUIET_END, DEFAULT_QUIET_END),
        )
        if not may_send(
            now, last_sent=state.last_sent, snoozed_until=state.snoozed_until, quiet=quiet
        ):
            return None
        warning = early_warning_step(episode, risk=risk, today=today)
        if warning is not None and any(self.targets(p) for p in PARTNERS):
            # The early warning takes the day's one reminder: it reaches no one otherwise.
            coordinator.async_mark_reminded(today)
            coordinator.async_track_warning(replace(episode, last_sent=today))
            early = ReminderReason.EARLY_WARNING
            extra = reminder_extras(
                insights.cycle, last=is_last_step(warning), support=insights.support_suggested
            )
            keys = reminder_messages(early, insights.cycle)
            await self._async_deliver(keys, extra, shared=False)
            LOGGER.debug("Early warning sent (step %s)", warning)
            coordinator.async_fire_activity("reminder_sent", {"reason": str(early)})
            return early
        reason = self.due(now)
        if reason is None:
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
        step = backoff_step(since, today, state.last_sent)
        if step is None:
            return None
        coordinator.async_mark_reminded(today)
        extra = reminder_extras(
            insights.cycle, last=is_last_step(step), support=insights.support_suggested
        )
        await self._async_deliver(reminder_messages(reason, insights.cycle), extra)
        LOGGER.debug("Reminder sent (%s, step %s)", reason, step)
        coordinator.async_fire_activity("reminder_sent", {"reason": str(reason)})
        return reason

    async def _async_deliver(
        self, keys: dict[str, str], extra: list[str], *, shared: bool = True
    ) -> None:
        """Send each partner their words, and (if `shared`) the shared words to shared places.

        `extra` names messages added to every reminder (reminder_rules.reminder_extras).
        """
        couple = self.coordinator.couple
        delivery = self.delivery

        def text(audience: str) -> str:
            name = couple.name(audience) if audience in PARTNERS else ""
            words = [self.messages[keys[audience]].format(name=name)]
            return " ".join(words + [self.messages[key] for key in extra])

        for partner in PARTNERS:
            words = self._notes[partner] = text(partner)
            for target in self.targets(partner):
                await self._async_notify(target, partner, words)
        if not shared:
            return
        if delivery.get(CONF_PERSISTENT, DEFAULT_PERSISTENT):
            persistent_notification.async_create(
                self.hass, text("both"), title=TITLE, notification_id=self.notification_id
            )
        satellites = delivery.get(CONF_ANNOUNCE, [])
        if satellites:
            await self._async_call(
                "assist_satellite", "announce", {"entity_id": satellites, "message": text("both")}
            )

    @callback
    def _ours(self, data: Any) -> bool:
        """Tell whether a notification's button is one of this couple's."""
        action = data.get("action") if isinstance(data, dict) else None
        return action == self.snooze_action or action in self.read_actions

    async def _async_on_action(self, event: Event[Any]) -> None:
        """Snooze for a week, or open a partner's note on their own phones."""
        action = event.data["action"]
        if action == self.snooze_action:
            self.coordinator.async_snooze(snooze_until(dt_util.now().date()))
            LOGGER.debug("Reminders snoozed from a phone notification")
            return
        partner = self.read_actions[action]
        # The words go to that partner's own phones only, whoever pressed the button.
        words = self._notes.get(partner, self.messages["note_gone"])
        data = self._note_data(partner, opened=True)
        for target in self.targets(partner):
            service = target.removeprefix("notify.")
            if is_phone_service(target) and self.hass.services.has_service("notify", service):
                await self._async_call(
                    "notify", service, {"message": words, "title": TITLE, "data": data}
                )

    def _note_data(self, partner: str, *, opened: bool) -> dict[str, Any]:
        """Return the companion app's data for a partner's note, neutral or opened."""
        entry_id = self.coordinator.config_entry.entry_id
        snooze = {"action": self.snooze_action, "title": self.messages["note_snooze"]}
        # One note per partner: the opened words replace the neutral note.
        data: dict[str, Any] = {"tag": f"{DOMAIN}_{entry_id}_{partner}", "group": DOMAIN}
        if opened:
            return {
                **data,
                # Android: never on a secure lock screen; iOS follows the phone's
                # "Show Previews" setting.
                "visibility": "secret",
                "alert_once": True,
                "push": {"interruption-level": "passive"},
                "actions": [snooze],
            }
        read = {
            "action": f"{ACTION_READ}_{partner}_{entry_id}",
            "title": self.messages["note_read"],
            # Usable only on an unlocked phone (iOS; Android 12 and later).
            "authenticationRequired": True,
        }
        return {**data, "actions": [read, snooze]}

    async def _async_notify(self, target: str, partner: str, message: str) -> None:
        """Send to a companion app (a neutral note), a notify entity or a legacy notify service."""
        service = target.removeprefix("notify.")
        if is_phone_service(target) and self.hass.services.has_service("notify", service):
            await self._async_call(
                "notify",
                service,
                {
                    "message": self.messages["note"],
                    "title": TITLE,
                    "data": self._note_data(partner, opened=False),
                },
            )
            return
        if target.startswith("notify.") and self.hass.states.get(target) is not None:
            await self._async_call(
                "notify", "send_message", {"entity_id": target, "message": message, "title": TITLE}
            )
            return
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
