"""Assist intents (HA's intent platform), reached by HA's matcher, our triggers and LLM agents.

HA's matcher finds them through the custom sentences sentences.py writes; the
dialogue's answer triggers call them too; LLM agents use them as tools (llm.py).
Each handler finds its couple through the config entries' runtime data.
"""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, intent
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from . import couples, satellite_checkin
from .checkin import CheckIn, Say
from .const import DOMAIN
from .coordinator import ReconnectData
from .cycle import CycleState, Voices
from .journal import BOTH, PARTNERS, EventKind, JournalError, Response, other
from .reaction import SUBJECTS_OTHER, hurt_subject
from .reminder_rules import DEFAULT_SNOOZE_DAYS, MAX_SNOOZE_DAYS, WEEKDAYS, snooze_until
from .routing import SPEAKER_WORDS
from .schema import vol
from .sentences import Language

DATA_LANGUAGE: HassKey[Language] = HassKey(f"{DOMAIN}_language")
COUPLE_SLOT: dict[vol.Marker, Any] = {vol.Optional("couple"): cv.string}
# Who is speaking, when Reconnect asked ("Who reached out?" after "I reached out ...").
SPEAKER_SLOT: dict[vol.Marker, Any] = {vol.Optional("speaker"): cv.string}
# "Maya raised something": a bid whose response was not said (see LogBid).
RAISED = "raised"
# A bid told as a story ("I asked Maya ... and she ..."): the response is read
# from the words after it (the `reaction` slot), or asked for.
TOLD = "told"
# Built once: HA reads a handler's slot schema on every call.
BID_SLOTS: dict[vol.Marker, Any] = {
    **COUPLE_SLOT,
    **SPEAKER_SLOT,
    vol.Optional("bidder"): cv.string,
    vol.Optional("responder"): cv.string,
    vol.Required("response"): vol.In([str(r) for r in Response]),
}


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register every Reconnect intent (HA's intent platform calls this)."""
    for handler in HANDLERS:
        intent.async_register(hass, handler())


class ReconnectIntentHandler(intent.IntentHandler):
    """Find the couple and the speaker, run, and speak the result."""

    name_slots: tuple[str, ...] = ()
    # It logs entries: the response says who logs them (for LLM agents and automations).
    logs = False

    @property
    def slot_schema(self) -> dict[vol.Marker, Any] | None:
        """Describe the slots (also the LLM tool's parameters)."""
        return COUPLE_SLOT

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Handle the intent for the right couple."""
        hass = intent_obj.hass
        lang = hass.data[DATA_LANGUAGE]
        slots = self.async_validate_slots(intent_obj.slots)
        values = {key: slot["value"] for key, slot in slots.items()}
        couple = couples.couple_for(
            hass,
            intent_obj.context,
            intent_obj.device_id,
            intent_obj.satellite_id,
            " ".join(str(values[k]) for k in self.name_slots if k in values),
            values.get("couple"),
        )
        response = intent_obj.create_response()
        if couple is None:
            key = "which_couple" if couples.loaded(hass) else "not_set_up"
            response.async_set_speech(lang.say(key))
            return response
        try:
            speech = await self.run(couple, values, intent_obj)
        except JournalError as err:
            names = couple.coordinator.couple
            template = lang.responses.get(f"error_{err.key}", lang.responses["error"])
            speech = template.format(a=names.name_a, b=names.name_b)
        response.async_set_speech(speech)
        if self.logs:
            author = self.speaker(couple, intent_obj)
            name = couple.coordinator.couple.name(author) if author else None
            response.async_set_speech_slots({"logged_by": name})
        return response

    def partner(self, couple: ReconnectData, value: Any, intent_obj: intent.Intent) -> str | None:
        """Resolve a name, or "me"/"I" to the speaker; None when the speaker is unknown."""
        if value is None:
            return None
        if str(value).strip().casefold() in SPEAKER_WORDS:
            return self.speaker(couple, intent_obj)
        return couple.coordinator.couple.resolve(str(value))

    def speaker(self, couple: ReconnectData, intent_obj: intent.Intent) -> str | None:
        """Tell which partner is speaking: their own satellite or login, else as they said."""
        known = couples.speaker(
            intent_obj.hass,
            couple.coordinator,
            intent_obj.context,
            intent_obj.device_id,
            intent_obj.satellite_id,
        )
        said = intent_obj.slots.get("speaker", {}).get("value")
        if known is None and said:
            try:
                return couple.coordinator.couple.resolve(str(said))
            except JournalError:
                return None
        return known

    async def ask_who(self, couple: ReconnectData, role: str, said: Any, **slots: str) -> str:
        """Ask who had `role` and wait; after "I" or "me", the answer names the speaker."""
        slots["couple"] = couple.coordinator.config_entry.entry_id
        said_me = str(said or "").strip().casefold() in SPEAKER_WORDS
        return await couple.dialogue.async_ask_who(self.intent_type, slots, role, speaker=said_me)

    async def run(
        self, couple: ReconnectData, values: dict[str, Any], intent_obj: intent.Intent
    ) -> str:
        """Do the work and return what to say."""
        raise NotImplementedError


class StartCheckIn(ReconnectIntentHandler):
    """Start the nightly check-in."""

    intent_type = "ReconnectStartCheckIn"
    description = (
        "Starts the couple's nightly Reconnect check-in: each partner rates how connected "
        "they felt today (1-5), then a question to talk about, then an appreciation. "
        "Starting again while one runs resumes it."
    )

    async def run(
        self, couple: ReconnectData, values: dict[str, Any], intent_obj: intent.Intent
    ) -> str:
        """Start or resume; a satellite on HA's built-in agent holds it without wake words."""
        if (
            entity_id := satellite_checkin.holding_satellite(intent_obj.hass, intent_obj)
        ) is not None:
            return await satellite_checkin.async_start_after_reply(
                intent_obj.hass, couple.dialogue, entity_id, intent_obj
            )
        return await couple.dialogue.async_start(intent_obj)


class CheckInAnswer(ReconnectIntentHandler):
    """A rating or an appreciation during a check-in."""

    intent_type = "ReconnectCheckInAnswer"
    description = (
        "Answers the running Reconnect check-in: give `rating` (1-5, how connected the partner "
        "who was asked felt today) while ratings are asked, `repaired` ('yes' or 'not_yet') "
        "when a partner is asked whether a repair feels like one to them, or `appreciation` "
        "(what the speaker appreciated) afterwards."
    )

    @property
    def slot_schema(self) -> dict[vol.Marker, Any] | None:
        """Take a rating, a say on a repair, or an appreciation."""
        return {
            **COUPLE_SLOT,
            vol.Optional("rating"): vol.Any(vol.Coerce(int), cv.string),
            vol.Optional("repaired"): vol.In(["yes", "not_yet"]),
            vol.Optional("appreciation"): cv.string,
        }

    async def run(
        self, couple: ReconnectData, values: dict[str, Any], intent_obj: intent.Intent
    ) -> str:
        """Pass the answer to the dialogue."""
        if "repaired" in values:
            repaired = values["repaired"] == "yes"

            def step(checkin: CheckIn) -> Any:
                return checkin.answer_repaired(repaired)
        elif "appreciation" in values:
            speaker = self.speaker(couple, intent_obj)
            text = str(values["appreciation"])

            def step(checkin: CheckIn) -> Any:
                return checkin.answer_appreciation(text, speaker)
        else:
            rating = str(values.get("rating", ""))

            def step(checkin: CheckIn) -> Any:
                return checkin.answer_rating(rating)

        return await couple.dialogue.async_step(step, intent_obj)


class CheckInSkip(ReconnectIntentHandler):
    """Skip the current step of the check-in."""

    intent_type = "ReconnectCheckInSkip"
    description = (
        "Skips the current step of the running Reconnect check-in; after the ratings it "
        "means 'done' and closes the check-in."
    )

    async def run(
        self, couple: ReconnectData, values: dict[str, Any], intent_obj: intent.Intent
    ) -> str:
        """Skip."""
        return await couple.dialogue.async_step(lambda c: c.skip(), intent_obj)


class CheckInStop(ReconnectIntentHandler):
    """Stop the check-in, keeping what was said."""

    intent_type = "ReconnectCheckInStop"
    description = "Stops the running Reconnect check-in; what was already said is kept."

    async def run(
        self, couple: ReconnectData, values: dict[str, Any], intent_obj: intent.Intent
    ) -> str:
        """Stop."""
        return await couple.dialogue.async_step(lambda c: c.stop(), intent_obj)


class LogBid(ReconnectIntentHandler):
    """Log a bid for connection."""

    logs = True

    intent_type = "ReconnectLogBid"
    description = (
        "Logs a bid for connection in Reconnect: `bidder` is the partner who reached out "
        "(a name, or 'me' for the speaker), or give `responder`, the partner who answered; "
        "`response` is how the responder turned: toward (engaged), away (missed or "
        "ignored it) or against (a hostile reply)."
    )
    name_slots = ("bidder", "responder")

    @property
    def slot_schema(self) -> dict[vol.Marker, Any] | None:
        """Take the bidder (or the responder) and the response."""
        return BID_SLOTS

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Explain the three responses when another word was used ("Alex turned purple")."""
        response = intent_obj.slots.get("response", {}).get("value")
        if response == RAISED:
            return await self._async_ask_how(intent_obj, "bid_raised")
        if response == TOLD:
            reaction = str(intent_obj.slots.get("reaction", {}).get("value") or "")
            names = [
                spoken
                for data in couples.loaded(intent_obj.hass)
                for key in PARTNERS
                for spoken in data.coordinator.couple.spoken(key)
            ]
            response = intent_obj.hass.data[DATA_LANGUAGE].reactions.classify(reaction, names)
            if response is None:
                return await self._async_ask_how(intent_obj, "bid_how_unclear")
            intent_obj.slots["response"] = {"value": response, "text": response}
        elif response == "away" and intent_obj.text_input:
            # A sentence hears the first response word; hostile words said with
            # it outweigh it, as in a story ("got defensive and rude" is against).
            said = intent_obj.hass.data[DATA_LANGUAGE].reactions.classify(intent_obj.text_input)
            if said == "against":
                intent_obj.slots["response"] = {"value": said, "text": said}
        if response is not None and str(response) not in set(Response):
            reply = intent_obj.create_response()
            reply.async_set_speech(intent_obj.hass.data[DATA_LANGUAGE].say("unknown_response"))
            return reply
        return await super().async_handle(intent_obj)

    async def _async_ask_how(self, intent_obj: intent.Intent, key: str) -> intent.IntentResponse:
        """Ask how a bid (a raised concern, a story) was met, and log nothing yet."""
        reply = intent_obj.create_response()
        lang = intent_obj.hass.data[DATA_LANGUAGE]
        said = {role: intent_obj.slots.get(role, {}).get("value") for role in self.name_slots}
        couple = couples.couple_for(
            intent_obj.hass,
            intent_obj.context,
            intent_obj.device_id,
            intent_obj.satellite_id,
            " ".join(str(v) for v in said.values() if v is not None),
        )
        if couple is None:
            key = "which_couple" if couples.loaded(intent_obj.hass) else "not_set_up"
            reply.async_set_speech(lang.say(key))
            return reply
        names = couple.coordinator.couple
        bidder = self.partner(couple, said["bidder"], intent_obj)
        if bidder is None and (responder := self.partner(couple, said["responder"], intent_obj)):
            bidder = other(responder)
        if bidder is None:
            reply.async_set_speech(lang.say(f"{key}_unknown", a=names.name_a, b=names.name_b))
        else:
            reply.async_set_speech(
                lang.say(key, bidder=names.name(bidder), responder=names.name(other(bidder)))
            )
        return reply

    async def run(
        self, couple: ReconnectData, values: dict[str, Any], intent_obj: intent.Intent
    ) -> str:
        """Log it, or ask who reached out."""
        coordinator = couple.coordinator
        bidder = self.partner(couple, values.get("bidder"), intent_obj)
        responder = self.partner(couple, values.get("responder"), intent_obj)
        if bidder is not None and bidder == responder:
            # "I turned toward Maya", said by Maya: a bid is between the two of them.
            names = coordinator.couple
            return couple.dialogue.lang.say("bid_same_partner", a=names.name_a, b=names.name_b)
        if bidder is None and responder is not None:
            # "Alex turned away": the bid was the other partner's.
            bidder = other(responder)
        if bidder is None:
            return await self.ask_who(
                couple, "bidder", values.get("bidder"), response=values["response"]
            )
        # One partner's account never opens a rupture about the other: a
        # turned-against bid said aloud asks first (actions keep the option).
        speaker = self.speaker(couple, intent_obj)
        events = await coordinator.async_record(
            coordinator.journal.log_bid,
            after_reply=True,
            author=speaker,
            bidder=bidder,
            response=values["response"],
        )
        bid = events[0]
        private = couples.heard_privately(
            intent_obj.hass,
            coordinator,
            intent_obj.context,
            intent_obj.device_id,
            intent_obj.satellite_id,
        )
        if not private and bid.response is not Response.TOWARD:
            # Heard where anyone may be listening (a shared satellite, or a voice
            # not placed): name no one who turned away or against.
            says = couple.dialogue.lang.say("bid_logged_quietly")
        else:
            says = couple.dialogue.render(
                [Say(f"bid_logged_{bid.response}", {"bidder": bidder, "responder": other(bidder)})]
            )
        if bid.response is Response.AGAINST and not coordinator.journal.trackers.open_ruptures:
            return await couple.dialogue.async_ask_mark(says, bid)
        return says


class LogRupture(ReconnectIntentHandler):
    """Log a rupture."""

    logs = True

    intent_type = "ReconnectLogRupture"
    description = (
        "Logs a rupture in Reconnect: a fight, a hurt or a disconnect. `hurt` (optional) is "
        "who is hurt, a name or 'me', so Reconnect can acknowledge them. Who started it is "
        "never recorded."
    )
    name_slots = ("hurt", "named")

    @property
    def slot_schema(self) -> dict[vol.Marker, Any] | None:
        """Take who is hurt, if said."""
        return {**COUPLE_SLOT, vol.Optional("hurt"): cv.string}

    async def run(
        self, couple: ReconnectData, values: dict[str, Any], intent_obj: intent.Intent
    ) -> str:
        """Log it with who is hurt, if said; who started it is dropped."""
        coordinator = couple.coordinator
        hurt = self.partner(couple, values.get("hurt"), intent_obj)
        if hurt is None and "hurt" not in values and intent_obj.text_input:
            hurt = self._hurt(couple, intent_obj)
        await coordinator.async_record(
            coordinator.journal.log_rupture,
            hurt=hurt,
            author=self.speaker(couple, intent_obj),
            after_reply=True,
        )
        return couple.dialogue.lang.say("rupture_logged")

    def _hurt(self, couple: ReconnectData, intent_obj: intent.Intent) -> str | None:
        """Who the words say is hurt ("we had a row and Jordan is hurt"), if anyone."""
        lang = couple.dialogue.lang
        said = hurt_subject(str(intent_obj.text_input), lang.hurt_words)
        if said is None:
            return None
        if said in SPEAKER_WORDS or said in SUBJECTS_OTHER:
            speaker = self.speaker(couple, intent_obj)
            if speaker is None or said in SPEAKER_WORDS:
                return speaker
            return other(speaker)
        for name in (said, said[:-1] if said.endswith("s") else None):  # "mayas": Maya's
            if name:
                try:
                    return couple.coordinator.couple.resolve(name)
                except JournalError:
                    pass
        return None  # "the dog is upset"


class LogRepair(ReconnectIntentHandler):
    """Log a repair."""

    logs = True

    intent_type = "ReconnectLogRepair"
    description = (
        "Logs a repair in Reconnect: an attempt to reconnect after a rupture. `initiator` is the "
        "partner who reached out first, a name, 'me', or 'both' when they did it together. "
        "Without it, Reconnect asks."
    )
    name_slots = ("initiator",)

    @property
    def slot_schema(self) -> dict[vol.Marker, Any] | None:
        """Take who led the repair."""
        return {**COUPLE_SLOT, **SPEAKER_SLOT, vol.Optional("initiator"): cv.string}

    async def run(
        self, couple: ReconnectData, values: dict[str, Any], intent_obj: intent.Intent
    ) -> str:
        """Log it, or ask who reached out first."""
        coordinator = couple.coordinator
        said = values.get("initiator")
        if said is not None and str(said).strip().casefold() == BOTH:
            initiator: str | None = BOTH
        else:
            initiator = self.partner(couple, said, intent_obj)
        if initiator is None:
            return await self.ask_who(couple, "initiator", said)
        events = await coordinator.async_record(
            coordinator.journal.log_repair,
            initiator=initiator,
            author=self.speaker(couple, intent_obj),
            after_reply=True,
        )
        key = "repair_logged_both" if initiator == BOTH else "repair_logged"
        says = [Say(key, {"initiator": initiator})]
        if events[0].awaits is not None:
            says.append(Say("repair_awaits", {"partner": events[0].awaits}))
        return couple.dialogue.render(says)


class Status(ReconnectIntentHandler):
    """Say how the couple is doing."""

    intent_type = "ReconnectStatus"
    description = (
        "Tells how the couple is doing in Reconnect: nights checked in of the last 14, and "
        "whether something is still open between them. No scores, no names."
    )

    async def run(
        self, couple: ReconnectData, values: dict[str, Any], intent_obj: intent.Intent
    ) -> str:
        """Describe the state gently."""
        coordinator = couple.coordinator
        insights = coordinator.data
        lang = couple.dialogue.lang
        say = lang.say
        # Short and neutral: a status may be heard by anyone in the room. No
        # names, no safety or therapy paragraph (the card and each partner's
        # own phone carry those); about 30 words at most.
        nights = insights.nights_checked_in_14d
        parts = [lang.say_count("status_nights", nights) if nights else say("status_no_nights")]
        if insights.open_ruptures:
            parts.append(lang.say_count("status_open", insights.open_ruptures))
        elif insights.days_since_repair == 0:
            parts.append(say("status_repair_today"))
        else:
            parts.append(say("status_nothing_open"))
        if insights.cycle.state is not CycleState.INSUFFICIENT_DATA and (
            insights.cycle.voices is not Voices.BOTH
        ):
            parts.append(say(f"status_{insights.cycle.voices}"))
        if insights.support_suggested:
            parts.append(say("status_support"))
        return " ".join(parts)


class Undo(ReconnectIntentHandler):
    """Undo the last entry."""

    intent_type = "ReconnectUndo"
    description = (
        "Takes back the Reconnect entry the speaker logged last, within ten minutes of logging "
        "it, and says which one. It never removes another partner's entry, nor anything older."
    )

    async def run(
        self, couple: ReconnectData, values: dict[str, Any], intent_obj: intent.Intent
    ) -> str:
        """Remove it and say what it was."""
        coordinator = couple.coordinator
        removed = await coordinator.async_undo(self.speaker(couple, intent_obj), after_reply=True)
        first = removed[0]  # the entry the person logged (an automatic rupture comes after it)
        key = f"undone_{first.kind}"
        if first.kind is EventKind.APPRECIATION and not first.partner:
            key += "_anyone"
        partner = coordinator.couple.name_of(first.partner) if first.partner else ""
        return couple.dialogue.lang.say(key, partner=partner)


class SnoozeReminders(ReconnectIntentHandler):
    """Pause the couple's reminders, or turn them back on."""

    intent_type = "ReconnectSnoozeReminders"
    description = (
        "Pauses Reconnect's reminders for both partners: `days` from today (1-30; 0 turns "
        "them back on), or `until` a weekday ('monday' to 'sunday'). A week when neither "
        "is given. Nothing logged is changed."
    )

    @property
    def slot_schema(self) -> dict[vol.Marker, Any] | None:
        """Take how many days, or the weekday they resume."""
        return {
            **COUPLE_SLOT,
            vol.Optional("days"): vol.All(vol.Coerce(int), vol.Range(min=0, max=MAX_SNOOZE_DAYS)),
            vol.Optional("until"): vol.All(cv.string, vol.Lower, vol.In(WEEKDAYS)),
        }

    async def run(
        self, couple: ReconnectData, values: dict[str, Any], intent_obj: intent.Intent
    ) -> str:
        """Snooze, and say until when in a few neutral words."""
        lang = couple.dialogue.lang
        today = dt_util.now().date()
        weekday = values.get("until")
        until = snooze_until(today, days=values.get("days"), weekday=weekday)
        couple.coordinator.async_snooze(until)
        if until is None:
            return lang.say("snooze_resumed")
        if weekday is not None:
            return lang.say("snoozed_until", day=lang.say(f"weekday_{weekday}"))
        days = (until - today).days
        if days == DEFAULT_SNOOZE_DAYS:
            return lang.say("snoozed_week")
        return lang.say_count("snoozed", days)


HANDLERS = (
    StartCheckIn,
    CheckInAnswer,
    CheckInSkip,
    CheckInStop,
    LogBid,
    LogRupture,
    LogRepair,
    Status,
    Undo,
    SnoozeReminders,
)
