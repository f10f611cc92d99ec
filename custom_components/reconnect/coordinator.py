"""Keeps one couple's journal, saves it, and pushes fresh insights to entities."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, fields as dataclass_fields
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, Self

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import EVENT_CORE_CONFIG_UPDATE
from homeassistant.core import CALLBACK_TYPE, Event as HassEvent, HomeAssistant, callback
from homeassistant.helpers.event import async_track_time_change
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .const import (
    CONF_ADVANCED,
    CONF_ALIASES_A,
    CONF_ALIASES_B,
    CONF_AUTO_RUPTURE,
    CONF_KEEP_YEARS,
    CONF_LOW_RATING_RUPTURE,
    CONF_PARTNER_A,
    CONF_PARTNER_B,
    CONF_REPAIR_REMINDER_DAYS,
    DEFAULT_AUTO_RUPTURE,
    DEFAULT_KEEP_YEARS,
    DEFAULT_LOW_RATING_RUPTURE,
    DEFAULT_REPAIR_REMINDER_DAYS,
    LOGGER,
    SAVE_DELAY_SECONDS,
)
from .cycle import CycleState, Thresholds
from .insights import Insights, compute
from .journal import Couple, Event, EventKind, Journal, JournalError, Session
from .recorded import async_forget_recorded
from .rollup import Rezone, RollUp
from .state import WarningEpisode
from .store import ReconnectStore, encode_journal

if TYPE_CHECKING:
    from .dialogue import Dialogue
    from .reminders import Reminders

type ReconnectConfigEntry = ConfigEntry[ReconnectData]
type ActivityListener = Callable[[str, dict[str, Any]], None]


def entry_couple(entry: ConfigEntry[Any]) -> Couple:
    """Return an entry's partners: names from its data, spoken aliases from its options."""
    data, options = entry.data, entry.options
    return Couple(
        data[CONF_PARTNER_A],
        data[CONF_PARTNER_B],
        tuple(options.get(CONF_ALIASES_A, ())),
        tuple(options.get(CONF_ALIASES_B, ())),
    )


class Job(Protocol):
    """Work planned by the journal on a copy, run in the executor."""

    def run(self) -> Self:
        """Do the work; return the result."""


# Entry states in which work done off the loop may land (during setup, or loaded).
ACTIVE = (ConfigEntryState.SETUP_IN_PROGRESS, ConfigEntryState.LOADED)
OFF_THE_LOOP_TRIES = 3

LOGGED_ACTIVITY = {
    EventKind.BID: "bid_logged",
    EventKind.RUPTURE: "rupture_logged",
    EventKind.REPAIR: "repair_logged",
}


@dataclass(slots=True)
class ReconnectData:
    """What one set-up couple holds while loaded: its journal's keeper and its dialogue."""

    coordinator: ReconnectCoordinator
    dialogue: Dialogue
    reminders: Reminders
    # The entry's data (names, linked persons) the couple was set up with: a
    # change to it reloads the couple, a change of options does not.
    set_up_with: dict[str, Any]


class ReconnectCoordinator(DataUpdateCoordinator[Insights]):
    """Owns the journal; every change is saved and pushed, nothing is polled."""

    config_entry: ReconnectConfigEntry
    _insights: Insights
    _stale = False  # a change was logged; `data` computes the insights when read

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ReconnectConfigEntry,
        store: ReconnectStore,
        journal: Journal,
    ) -> None:
        """Wrap a loaded journal."""
        super().__init__(hass, LOGGER, config_entry=entry, name=entry.title)
        self.store = store
        self.journal = journal
        self._activity: list[ActivityListener] = []
        # Entity writes and activity events held back until an Assist reply is out.
        self._after_reply: asyncio.Handle | None = None
        self._held_activity: list[tuple[str, dict[str, Any]]] = []
        self._published: CycleState | None = None  # the cycle the entities show

    @property
    def couple(self) -> Couple:
        """Return the partners' current names and spoken aliases."""
        return entry_couple(self.config_entry)

    def option(self, key: str, default: Any) -> Any:
        """Return one option, or its default."""
        return self.config_entry.options.get(key, default)

    @property
    def auto_rupture(self) -> bool:
        """Tell whether a turned-against bid or a low rating opens a rupture."""
        return bool(self.option(CONF_AUTO_RUPTURE, DEFAULT_AUTO_RUPTURE))

    @property
    def rupture_on_low_rating(self) -> bool:
        """Tell whether a nightly rating of 1-2 opens a rupture (off unless chosen)."""
        return self.auto_rupture and bool(
            self.option(CONF_LOW_RATING_RUPTURE, DEFAULT_LOW_RATING_RUPTURE)
        )

    @property
    def thresholds(self) -> Thresholds:
        """Return the heuristics' thresholds, as tuned in the options."""
        tuned = self.option(CONF_ADVANCED, {})
        known = {f.name for f in dataclass_fields(Thresholds)}
        return Thresholds(**{k: v for k, v in tuned.items() if k in known})

    def compute(self) -> Insights:
        """Compute insights for the current local day."""
        days = int(self.option(CONF_REPAIR_REMINDER_DAYS, DEFAULT_REPAIR_REMINDER_DAYS))
        return compute(self.journal, dt_util.now().date(), days, self.thresholds)

    @property
    def data(self) -> Insights:
        """Return the insights as of now (computed on first read after a change)."""
        if self._stale:
            self._stale = False
            self._insights = self.compute()
        return self._insights

    @data.setter
    def data(self, insights: Insights) -> None:
        self._stale = False
        self._insights = insights

    @callback
    def async_push(self, *, after_reply: bool = False) -> None:
        """Recompute and update every entity; note a change of cycle.

        `after_reply` (Assist): the entities and activity listeners hear of it in
        the next turn of the event loop, so the spoken reply does not wait for
        them; several changes in one turn write each entity once. Anyone reading
        `data` meanwhile gets the new insights. Without it (actions, the check-in,
        options), everything is written before this returns.
        """
        self._stale = True
        if self._after_reply is None:
            self._after_reply = self.hass.loop.call_soon(self.async_flush)
        if not after_reply:
            self.async_flush()

    @callback
    def async_flush(self) -> None:
        """Write what a push held back, now (also at unload)."""
        if self._after_reply is None:
            return
        self._after_reply.cancel()
        self._after_reply = None
        previous = self._published
        self.async_set_updated_data(self.data)
        self._published = self.data.cycle.state
        if previous is not None and previous != self._published:
            self.async_fire_activity("cycle_changed", {"cycle": str(self._published)})
        held, self._held_activity = self._held_activity, []
        for event_type, data in held:
            self.async_fire_activity(event_type, data)

    @callback
    def async_add_activity_listener(self, listener: ActivityListener) -> CALLBACK_TYPE:
        """Hear about activity (for the event entity); returns the remover."""
        self._activity.append(listener)
        return lambda: self._activity.remove(listener)

    @callback
    def async_fire_activity(self, event_type: str, data: dict[str, Any]) -> None:
        """Tell listeners that something happened; data never holds free text."""
        if self._after_reply is not None:  # after the entity writes a push holds back
            self._held_activity.append((event_type, data))
            return
        for listener in list(self._activity):
            listener(event_type, data)

    async def _async_update_data(self) -> Insights:
        """Compute the first insights (later ones are pushed)."""
        insights = self.compute()
        self._published = insights.cycle.state
        return insights

    @callback
    def async_start(self) -> None:
        """Roll the day over at local midnight and follow time zone changes."""
        self.config_entry.async_on_unload(
            async_track_time_change(self.hass, self._async_midnight, hour=0, minute=0, second=0)
        )
        self.config_entry.async_on_unload(
            self.hass.bus.async_listen(EVENT_CORE_CONFIG_UPDATE, self._async_config_changed)
        )

    @callback
    def async_roll_up(self) -> None:
        """Turn raw events older than the kept years into day totals, in the executor.

        Insights read day totals, so they do not change while it runs.
        """
        years = int(self.option(CONF_KEEP_YEARS, DEFAULT_KEEP_YEARS))
        if not years:
            return
        cutoff = dt_util.now().date() - timedelta(days=round(365.25 * years))
        if (plan := self.journal.plan_roll_up(cutoff)) is not None:
            self._async_off_the_loop(plan, lambda: self.journal.plan_roll_up(cutoff), self._rolled)

    @callback
    def _rolled(self, done: RollUp) -> bool:
        if not self.journal.apply_roll_up(done):
            return False
        if done.moved:
            LOGGER.debug("Rolled %s events into day totals", done.moved)
            self.save_soon()
        return True

    @callback
    def _async_midnight(self, _now: datetime) -> None:
        self.async_roll_up()
        self.async_push()

    @callback
    def _async_config_changed(self, _event: HassEvent[Any]) -> None:
        """Re-bucket the days in the executor when HA's time zone changed."""
        tz = dt_util.get_default_time_zone()
        if (plan := self.journal.plan_time_zone(tz)) is None:
            self.async_push()
            return
        self._async_off_the_loop(plan, lambda: self.journal.plan_time_zone(tz), self._rezoned)

    @callback
    def _rezoned(self, done: Rezone) -> bool:
        if not self.journal.apply_time_zone(done):
            return False
        self.save_soon()  # saved with the new zone's aggregates, the next load reads none
        self.async_push()
        return True

    @callback
    def _async_off_the_loop[J: Job](
        self, job: J, plan_again: Callable[[], J | None], land: Callable[[J], bool]
    ) -> None:
        """Run work over every row on a copy in the executor, then land it on the loop.

        A task the entry's unload waits for. A change to the journal meanwhile
        makes the work stale: it is planned again, a few times.
        """

        async def run(job: J) -> None:
            for _ in range(OFF_THE_LOOP_TRIES):
                done = await self.hass.async_add_executor_job(job.run)
                if self.config_entry.state not in ACTIVE:
                    return  # unloading: its final save has been written, or is being
                if land(done) or (next_job := plan_again()) is None:
                    return
                job = next_job

        self.config_entry.async_create_task(self.hass, run(job), f"reconnect {type(job).__name__}")

    def save_soon(self) -> None:
        """Save with the usual delay (for small state such as reminders)."""
        self.store.async_delay_save(lambda: encode_journal(self.journal), SAVE_DELAY_SECONDS)

    async def async_record(
        self,
        log: Callable[..., list[Event]],
        *,
        after_reply: bool = False,
        author: str | None = None,
        **fields: Any,
    ) -> list[Event]:
        """Run one journal operation, then save and push the new insights.

        `author`: who logs it ("a", "b", or None when nobody can tell).
        `after_reply`: see async_push (Assist passes it; actions and automations,
        which may read the entities next, do not).
        """
        now = dt_util.utcnow()
        fields.setdefault("at", now)
        events = log(**fields, author=author, now=now)
        await self._async_changed(events, after_reply)
        couple = self.couple
        for event in events:
            if activity := LOGGED_ACTIVITY.get(event.kind):
                data = {
                    "partner": couple.name_of(event.partner) if event.partner else None,
                    "automatic": event.auto,
                    "logged_by": couple.name(event.author) if event.author else None,
                }
                if event.response:
                    data["response"] = str(event.response)
                self.async_fire_activity(activity, data)
        return events

    async def async_undo(self, by: str | None, *, after_reply: bool = False) -> list[Event]:
        """Take back the entry `by` logged last, within the undo window (journal.undo_last)."""
        removed = self.journal.undo_last(by, dt_util.utcnow())
        await self._async_removed(removed, by, after_reply=after_reply)
        return removed

    async def async_remove(self, ident: int, by: str | None) -> list[Event]:
        """Remove one entry by id (an admin's action); it leaves a trace."""
        removed = self.journal.remove(ident, by, dt_util.utcnow())
        await self._async_removed(removed, by, after_reply=False)
        return removed

    async def _async_removed(
        self, removed: list[Event], by: str | None, *, after_reply: bool
    ) -> None:
        await self._async_changed(removed, after_reply)
        couple = self.couple
        for event in removed:
            self.async_fire_activity(
                "entry_removed",
                {
                    "kind": str(event.kind),
                    "removed_by": couple.name(by) if by else None,
                    "logged_by": couple.name(event.author) if event.author else None,
                },
            )

    async def async_settle_repair(self, partner: str, *, repaired: bool) -> list[Event]:
        """Keep the raiser's say on the repairs that waited for it."""
        settled = self.journal.settle_repair(partner, repaired)
        if settled:
            await self._async_changed(settled)
            self.async_fire_activity(
                "repair_settled",
                {"partner": self.couple.name(partner), "repaired": repaired},
            )
        return settled

    @callback
    def async_use_prompt(self, prompt_id: str, day: date) -> None:
        """Remember that tonight's check-in asked this prompt."""
        self.journal.history.use_prompt(prompt_id, day)
        self.save_soon()

    @callback
    def async_tell_intro(self, day: date) -> None:
        """Remember that the couple heard, at their first check-in, what Reconnect keeps."""
        self.journal.history.tell_intro(day)
        self.save_soon()

    @callback
    def async_record_session(self, session: Session) -> None:
        """Keep a finished or paused check-in."""
        self.journal.record_session(session)
        self.save_soon()

    @callback
    def async_mark_reminded(self, day: date) -> None:
        """Remember that today's reminder went out (at most one a day)."""
        self.journal.reminders.mark_sent(day)
        self.save_soon()

    @callback
    def async_track_warning(self, episode: WarningEpisode) -> None:
        """Keep the early warning's course (when the risk began, the note last sent)."""
        if episode != self.journal.reminders.warning:
            self.journal.reminders.set_warning(episode)
            self.save_soon()

    @callback
    def async_confirm_open(self) -> None:
        """Remember that the couple said something is still open between them, when asked."""
        if self.journal.trackers.open_ruptures and not self.data.ask_still_open:
            raise JournalError("still_open_not_asked")
        self.journal.confirm_open(dt_util.utcnow())
        self.save_soon()
        self.async_push()

    @callback
    def async_snooze(self, until: date | None) -> None:
        """Hold reminders until a local day; None resumes them."""
        self.journal.reminders.snooze(until)
        self.save_soon()
        self.async_push()

    async def async_forget(self) -> None:
        """Wipe everything the couple logged, everywhere: the journal and the recorder."""
        self.journal.forget()
        await self.async_save_now()
        self.async_push()
        # After the push: the states it just wrote are queued before the purge.
        await async_forget_recorded(self.hass, self.config_entry.entry_id)

    async def async_save_now(self) -> None:
        """Write the journal at once (a finished check-in is precious)."""
        await self.store.async_save(encode_journal(self.journal))

    async def _async_changed(self, events: list[Event], after_reply: bool = False) -> None:
        # Debug logs carry ids and kinds only, never what anyone said.
        LOGGER.debug("Journal changed: %s", [(e.id, str(e.kind)) for e in events])
        if any(e.kind is EventKind.CHECK_IN for e in events):
            # A check-in answer is precious: write it now, not in ten seconds.
            await self.async_save_now()
        else:
            self.save_soon()
        self.async_push(after_reply=after_reply)
