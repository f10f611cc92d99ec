"""One couple's spoken dialogue: the nightly check-in, and "who did that?" questions.

checkin.py is the check-in as a pure state machine; this is its life in Home
Assistant. A Dialogue lives in the couple's config entry runtime data. Its
answer sentences are sentence triggers, live only while it waits for them:
HA tries triggers before every command in the house.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components import conversation
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import intent
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from . import couples, satellite
from .checkin import CheckIn, Rating, RepairSay, Say, Stage, Turn, pick_prompt
from .const import LOGGER
from .coordinator import ReconnectCoordinator
from .journal import BOTH, PARTNERS, Event, Session
from .routing import named_partners
from .sentences import Language, async_handle_intent, async_register_trigger, partner_alternatives

# How long a check-in waits for an answer before pausing (the question needs talk time).
RATING_TIMEOUT = timedelta(minutes=10)
APPRECIATION_TIMEOUT = timedelta(minutes=30)
WHO_TIMEOUT = timedelta(minutes=2)
MARK_TIMEOUT = timedelta(minutes=2)
NUMBER_ALTERNATIVES = "(" + "|".join([*map(str, range(11)), "zero", "one", "two", "three",
    "four", "five", "six", "seven", "eight", "nine", "ten"]) + ")"  # fmt: skip

type Handler = Callable[[conversation.ConversationInput, Any], Awaitable[str | None]]


@dataclass(slots=True)
class Pending:
    """A question we asked ("who reached out?") and the intent waiting for it.

    `speaker`: the role asked for was said as "I" or "me", so the answer also
    says who is speaking (and so who logs it).
    """

    intent_type: str
    slots: dict[str, str]
    role: str
    speaker: bool = False


class Dialogue:
    """The couple's running check-in or pending question, and the answers it listens for."""

    def __init__(
        self, hass: HomeAssistant, coordinator: ReconnectCoordinator, lang: Language
    ) -> None:
        """Start with nothing running."""
        self.hass = hass
        self.coordinator = coordinator
        self.lang = lang
        self.checkin: CheckIn | None = None
        self.started_by: str | None = None
        self.pending: Pending | None = None
        # A turned-against bid waiting for "should this be marked to repair?".
        self._marking: Event | None = None
        # The live answer sentences (and what they are), their timeout, and any
        # question waiting for a satellite to be idle.
        self._trigger: tuple[tuple[tuple[str, ...], Handler], CALLBACK_TYPE] | None = None
        self._unregister: list[CALLBACK_TYPE] = []

    @property
    def listening(self) -> bool:
        """Tell whether answer sentences are live."""
        return self._trigger is not None

    def render(self, says: list[Say]) -> str:
        """Speak reply keys with this couple's names."""
        return self.lang.render(self.coordinator.couple, says)

    # ----- listening -----

    @callback
    def _async_listen(self, sentences: list[str], handler: Handler, timeout: timedelta) -> None:
        """Make answer sentences live until answered or timed out.

        The same sentences stay registered from one turn to the next: every
        change of HA's triggers costs the next utterance in the house a re-parse.
        """
        key = (tuple(sentences), handler)
        if self._trigger is None or self._trigger[0] != key:
            self._async_stop_listening()
            self._trigger = (key, async_register_trigger(self.hass, sentences, handler))
        else:
            self._async_cancel_pending()
        self._unregister.append(async_call_later(self.hass, timeout, self._async_timed_out))

    @callback
    def _async_cancel_pending(self) -> None:
        while self._unregister:
            self._unregister.pop()()

    @callback
    def _async_stop_listening(self) -> None:
        self._async_cancel_pending()
        if self._trigger is not None:
            self._trigger[1]()
            self._trigger = None

    @callback
    def _async_timed_out(self, _now: datetime) -> None:
        self.pending = None
        self._marking = None
        self._async_stop_listening()
        if self.checkin is not None:
            LOGGER.debug("Check-in paused after a quiet spell")
            self.coordinator.config_entry.async_create_background_task(
                self.hass, self.async_finish(self.checkin), "reconnect check-in pause"
            )

    @callback
    def async_unload(self) -> None:
        """Stop listening; keep a running check-in as partial."""
        self._async_stop_listening()
        if self.checkin is not None:
            self._record_session(self.checkin, complete=False)
            self.checkin = None

    # ----- "who did that?" -----

    async def async_ask_who(
        self, intent_type: str, slots: dict[str, str], role: str, *, speaker: bool = False
    ) -> str:
        """Ask who did something and keep the intent waiting for the answer."""
        if self.checkin is not None:
            # A running check-in keeps its answer sentences; ask for names instead.
            return self.lang.say("who_during_check_in")
        self.pending = Pending(intent_type, slots, role, speaker)
        self._marking = None
        couple = self.coordinator.couple
        names = partner_alternatives((*couple.spoken("a"), *couple.spoken("b")))
        sentences = [s.replace("<partner>", names) for s in self.lang.answers["who_answers"]]
        if role == "initiator":  # a repair may be both partners' ("both of us")
            sentences += self.lang.answers["both_answers"]
        self._async_listen(sentences, self._async_on_who, WHO_TIMEOUT)
        key = {"bidder": "ask_who_bid", "initiator": "ask_who_repair"}.get(role, "ask_who_rupture")
        return self.lang.say(key, a=couple.name_a, b=couple.name_b)

    async def _async_on_who(
        self, user_input: conversation.ConversationInput, result: Any
    ) -> str | None:
        pending, self.pending = self.pending, None
        self._async_stop_listening()
        if pending is None:  # pragma: no cover - the trigger is removed with the question
            return None
        couple = self.coordinator.couple
        if result.intent_sentence.text in self.lang.answers["both_answers"]:
            slots = {**pending.slots, pending.role: BOTH}
            return await async_handle_intent(self.hass, pending.intent_type, slots, user_input)
        named = [key for _, key in named_partners(user_input.text, [(None, couple)])]
        who = named[0] if named else self._speaker(user_input)
        if who is None:
            return self.lang.say("who_unclear")
        slots = {**pending.slots, pending.role: couple.name(who)}
        if pending.speaker:  # "I reached out ...": whoever reached out is speaking
            slots["speaker"] = couple.name(who)
        return await async_handle_intent(self.hass, pending.intent_type, slots, user_input)

    # ----- "do you want to mark this as something to repair?" -----

    async def async_ask_mark(self, said: str, bid: Event) -> str:
        """After a turned-against bid, ask before opening a rupture about the other partner.

        One partner's account never opens a rupture by itself. Yes opens one,
        naming the bidder as the one hurt and logged by whoever logged the bid.
        """
        if self.checkin is not None:
            return said
        self.pending = None
        self._marking = bid
        answers = self.lang.answers
        self._async_listen(
            answers["yes_answers"] + answers["no_answers"], self._async_on_mark, MARK_TIMEOUT
        )
        return f"{said} {self.lang.say('ask_mark_rupture')}"

    async def _async_on_mark(
        self, user_input: conversation.ConversationInput, result: Any
    ) -> str | None:
        bid, self._marking = self._marking, None
        self._async_stop_listening()
        if bid is None:  # pragma: no cover - the trigger is removed with the question
            return None
        if result.intent_sentence.text in self.lang.answers["no_answers"]:
            return self.lang.say("mark_declined")
        coordinator = self.coordinator
        await coordinator.async_record(
            coordinator.journal.log_rupture, hurt=bid.partner, author=bid.author
        )
        return self.lang.say("rupture_marked")

    def _speaker(self, heard: conversation.ConversationInput | intent.Intent) -> str | None:
        device = heard.device_id
        return couples.speaker(
            self.hass, self.coordinator, heard.context, device, heard.satellite_id
        )

    # ----- the check-in -----

    async def async_start(self, via: intent.Intent | None = None) -> str:
        """Start tonight's check-in, or resume the one running."""
        if self.checkin is not None:
            return await self._async_turn(self.checkin, self.checkin.resume(), via)
        checkin = self.begin(via)
        self.announce_start()
        return await self._async_turn(checkin, checkin.start(), via)

    def begin(self, via: intent.Intent | None, order: tuple[str, ...] = PARTNERS) -> CheckIn:
        """Create the check-in with tonight's prompt, for these partners in this order."""
        self.pending = None
        today = dt_util.now().date()
        prompt_id = pick_prompt(
            list(self.lang.prompts), self.coordinator.journal.prompts_used, today
        )
        self.coordinator.async_use_prompt(prompt_id, today)
        journal = self.coordinator.journal
        first = journal.history.intro_told is None
        if first:
            self.coordinator.async_tell_intro(today)
        awaiting = {e.awaits for e in journal.awaiting_say()}
        self.checkin = CheckIn(
            prompt=self.lang.prompts[prompt_id],
            started_at=dt_util.utcnow(),
            order=order,
            awaiting=tuple(p for p in order if p in awaiting),
            first=first,
        )
        self.started_by = self._speaker(via) if via is not None else None
        return self.checkin

    def announce_start(self) -> None:
        """Tell listeners (the activity event) that a check-in started."""
        couple = self.coordinator.couple
        LOGGER.debug("Check-in started for %s", self.coordinator.config_entry.entry_id)
        self.coordinator.async_fire_activity(
            "check_in_started",
            {"started_by": couple.name(self.started_by) if self.started_by else None},
        )

    async def async_step(self, step: Callable[[CheckIn], Turn], via: intent.Intent | None) -> str:
        """Apply one answer, skip or stop to the running check-in."""
        if self.checkin is None:
            return self.lang.say("not_now")
        return await self._async_turn(self.checkin, step(self.checkin), via)

    async def async_record(self, turn: Turn) -> None:
        """Keep what a turn recorded: each answer is saved the moment it is given."""
        coordinator = self.coordinator
        for record in turn.records:
            if isinstance(record, RepairSay):
                await coordinator.async_settle_repair(record.partner, repaired=record.repaired)
            elif isinstance(record, Rating):
                # The check-in asked this partner by name: the rating is their own.
                await coordinator.async_record(
                    coordinator.journal.log_check_in,
                    author=record.partner,
                    partner=record.partner,
                    rating=record.rating,
                    auto_rupture=coordinator.rupture_on_low_rating,
                )
            else:
                await coordinator.async_record(
                    coordinator.journal.log_appreciation,
                    author=record.partner,
                    partner=record.partner,
                    text=record.text,
                )

    async def _async_turn(self, checkin: CheckIn, turn: Turn, via: intent.Intent | None) -> str:
        """Record what was said, then speak, then listen for the next answer."""
        await self.async_record(turn)
        ack = list(turn.ack)
        if turn.finished:
            return self.render(ack + await self.async_finish(checkin))
        self._async_listen_for(checkin)
        asking = satellite.asking_satellite(self.hass, via) if turn.listen else None
        if asking is None:
            return self.render([*ack, *turn.ask])
        # On a satellite, ask the next question once it is idle, so nobody
        # has to say the wake word again.
        self._unregister.append(
            satellite.async_ask_when_idle(self.hass, asking, self.render(list(turn.ask)))
        )
        return self.render(ack)

    @callback
    def _async_listen_for(self, checkin: CheckIn) -> None:
        """Register exactly the answers the current step accepts."""
        answers = self.lang.answers
        if checkin.stage is Stage.RATING:
            sentences = [
                s.replace("<number>", NUMBER_ALTERNATIVES) for s in answers["rating_answers"]
            ]
            timeout = RATING_TIMEOUT
        elif checkin.stage is Stage.REPAIR_SAY:
            sentences = answers["repaired_answers"] + answers["not_yet_answers"]
            timeout = RATING_TIMEOUT
        else:
            sentences = list(answers["appreciation_answers"])
            timeout = APPRECIATION_TIMEOUT
        sentences += answers["skip_answers"] + answers["stop_answers"]
        self._async_listen(sentences, self._async_on_answer, timeout)

    async def _async_on_answer(
        self, user_input: conversation.ConversationInput, result: Any
    ) -> str | None:
        template = result.intent_sentence.text
        answers = self.lang.answers
        slots: dict[str, str] = {"couple": self.coordinator.config_entry.entry_id}
        if template in answers["stop_answers"]:
            intent_type = "ReconnectCheckInStop"
        elif template in answers["skip_answers"]:
            intent_type = "ReconnectCheckInSkip"
        elif template in answers["repaired_answers"] + answers["not_yet_answers"]:
            intent_type = "ReconnectCheckInAnswer"
            slots["repaired"] = "yes" if template in answers["repaired_answers"] else "not_yet"
        elif "appreciation" in result.entities:
            intent_type = "ReconnectCheckInAnswer"
            slots["appreciation"] = str(result.entities["appreciation"].value)
        else:
            intent_type = "ReconnectCheckInAnswer"
            slots["rating"] = user_input.text
        return await async_handle_intent(self.hass, intent_type, slots, user_input)

    async def async_finish(self, checkin: CheckIn) -> list[Say]:
        """Close the check-in: keep it as complete or partial, and say a warm goodbye."""
        coordinator = self.coordinator
        self._record_session(checkin, complete=checkin.complete)
        self.checkin = None
        self._async_stop_listening()
        await coordinator.async_save_now()
        coordinator.async_fire_activity("check_in_completed", {"complete": checkin.complete})
        coordinator.async_push()
        if not checkin.complete:
            return []
        insights = coordinator.data
        nights = insights.nights_checked_in_14d
        closing = [Say("close_nights_one" if nights == 1 else "close_nights", {"count": nights})]
        if insights.open_ruptures:
            closing.append(Say("close_repair"))
        return closing

    def _record_session(self, checkin: CheckIn, *, complete: bool) -> None:
        """Keep a check-in in the journal as complete or partial."""
        self.coordinator.async_record_session(
            Session(
                started_at=checkin.started_at,
                ended_at=dt_util.utcnow(),
                complete=complete,
                started_by=self.started_by,
            )
        )
