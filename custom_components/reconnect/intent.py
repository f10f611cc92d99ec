"""Assist intents (HA's intent platform), reached by HA's matcher, our triggers and LLM agents.

HA's matcher finds them through the custom sentences sentences.py writes; the
dialogue's answer triggers call them too; LLM agents use them as tools (llm.py).
Each handler finds its couple through the config entries' runtime data.
"""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, intent
from homeassistant.util.hass_dict import HassKey

from . import couples, satellite_checkin
from .checkin import CheckIn, Say
from .const import DOMAIN
from .coordinator import ReconnectData
from .journal import PARTNERS, EventKind, JournalError, Response, other
from .reaction import Starters, hurt_subject
from .routing import SPEAKER_WORDS
from .schema import vol
from .sentences import Language

DATA_LANGUAGE: HassKey[Language] = HassKey(f"{DOMAIN}_language")
COUPLE_SLOT: dict[vol.Marker, Any] = {vol.Optional("couple"): cv.string}
# "Maya raised something": a bid whose response was not said (see LogBid).
RAISED = "raised"
# A bid told as a story ("I asked Maya ... and she ..."): the response is read
# from the words after it (the `reaction` slot), or asked for.
TOLD = "told"
# Built once: HA reads a handler's slot schema on every call.
BID_SLOTS: dict[vol.Marker, Any] = {
    **COUPLE_SLOT,
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
        return response

    def partner(self, couple: ReconnectData, value: Any, intent_obj: intent.Intent) -> str | None:
        """Resolve a name, or "me"/"I" to the speaker; None when the speaker is unknown."""
        if value is None:
            return None
        if str(value).strip().casefold() in SPEAKER_WORDS:
            return self.speaker(couple, intent_obj)
        return couple.coordinator.couple.resolve(str(value))

    def speaker(self, couple: ReconnectData, intent_obj: intent.Intent) -> str | None:
        """Tell which partner is speaking, if anyone can."""
        return couples.speaker(
            intent_obj.hass,
            couple.coordinator,
            intent_obj.context,
            intent_obj.device_id,
            intent_obj.satellite_id,
        )

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
        "who was asked felt today) while ratings are asked, or `appreciation` (what the speaker "
        "appreciated) afterwards."
    )

    @property
    def slot_schema(self) -> dict[vol.Marker, Any] | None:
        """Take a rating or an appreciation."""
        return {
            **COUPLE_SLOT,
            vol.Optional("rating"): vol.Any(vol.Coerce(int), cv.string),
            vol.Optional("appreciation"): cv.string,
        }

    async def run(
        self, couple: ReconnectData, values: dict[str, Any], intent_obj: intent.Intent
    ) -> str:
        """Pass the answer to the dialogue."""
        if "appreciation" in values:
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
            slots = {"response": values["response"], "couple": coordinator.config_entry.entry_id}
            return await couple.dialogue.async_ask_who(self.intent_type, slots, "bidder")
        events = await coordinator.async_record(
            coordinator.journal.log_bid,
            after_reply=True,
            bidder=bidder,
            response=values["response"],
            auto_rupture=coordinator.auto_rupture,
        )
        bid = events[0]
        says = [
            couple.dialogue.render(
                [Say(f"bid_logged_{bid.response}", {"bidder": bidder, "responder": other(bidder)})]
            )
        ]
        if len(events) > 1:
            says.append(couple.dialogue.lang.say("rupture_opened"))
        return " ".join(s.strip() for s in says)


class LogRupture(ReconnectIntentHandler):
    """Log a rupture."""

    intent_type = "ReconnectLogRupture"
    description = (
        "Logs a rupture in Reconnect: a fight, a hurt or a disconnect. `partner` (optional) is "
        "who raised it, a name or 'me'."
    )
    name_slots = ("partner",)

    @property
    def slot_schema(self) -> dict[vol.Marker, Any] | None:
        """Take who raised it, if known."""
        return {**COUPLE_SLOT, vol.Optional("partner"): cv.string}

    async def run(
        self, couple: ReconnectData, values: dict[str, Any], intent_obj: intent.Intent
    ) -> str:
        """Log it; who raised it is optional, so an unknown speaker is fine."""
        coordinator = couple.coordinator
        partner = self.partner(couple, values.get("partner"), intent_obj)
        if partner is None and "partner" not in values and intent_obj.text_input:
            partner = self._starter(couple, intent_obj)
        await coordinator.async_record(
            coordinator.journal.log_rupture, partner=partner, after_reply=True
        )
        return couple.dialogue.lang.say("rupture_logged")

    def _starter(self, couple: ReconnectData, intent_obj: intent.Intent) -> str | None:
        """Who the words say started it ("we had a row, I started it"), if anyone."""
        lang = couple.dialogue.lang
        text = str(intent_obj.text_input)
        said = lang.starters.subject(text) or hurt_subject(text, lang.hurt_words)
        if said is None:
            return None
        if said in SPEAKER_WORDS or said in Starters.SUBJECTS_OTHER:
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
        return None  # "the dog started it"


class LogRepair(ReconnectIntentHandler):
    """Log a repair."""

    intent_type = "ReconnectLogRepair"
    description = (
        "Logs a repair in Reconnect: an attempt to reconnect after a rupture. `initiator` is the "
        "partner who reached out first, a name or 'me'. Without it, Reconnect asks."
    )
    name_slots = ("initiator",)

    @property
    def slot_schema(self) -> dict[vol.Marker, Any] | None:
        """Take who led the repair."""
        return {**COUPLE_SLOT, vol.Optional("initiator"): cv.string}

    async def run(
        self, couple: ReconnectData, values: dict[str, Any], intent_obj: intent.Intent
    ) -> str:
        """Log it, or ask who reached out first."""
        coordinator = couple.coordinator
        initiator = self.partner(couple, values.get("initiator"), intent_obj)
        if initiator is None:
            slots = {"couple": coordinator.config_entry.entry_id}
            return await couple.dialogue.async_ask_who(self.intent_type, slots, "initiator")
        await coordinator.async_record(
            coordinator.journal.log_repair, initiator=initiator, after_reply=True
        )
        return couple.dialogue.render([Say("repair_logged", {"initiator": initiator})])


class Status(ReconnectIntentHandler):
    """Say how the couple is doing."""

    intent_type = "ReconnectStatus"
    description = (
        "Tells how the couple is doing in Reconnect: the check-in streak, days since the last "
        "repair, and open ruptures. No scores."
    )

    async def run(
        self, couple: ReconnectData, values: dict[str, Any], intent_obj: intent.Intent
    ) -> str:
        """Describe the state gently."""
        coordinator = couple.coordinator
        insights = coordinator.data
        say = couple.dialogue.lang.say
        parts = [
            say("status_streak", streak=insights.check_in_streak)
            if insights.check_in_streak
            else say("status_no_streak")
        ]
        if insights.days_since_repair is None:
            parts.append(say("status_no_repair"))
        elif insights.days_since_repair == 0:
            parts.append(say("status_repair_today"))
        else:
            parts.append(say("status_repair", days=insights.days_since_repair))
        if insights.open_ruptures:
            parts.append(say("status_open", count=insights.open_ruptures))
        if insights.support_suggested:
            parts.append(say("status_support"))
        return " ".join(parts)


class Undo(ReconnectIntentHandler):
    """Undo the last entry."""

    intent_type = "ReconnectUndo"
    description = "Removes the most recently logged Reconnect entry and says which one."

    async def run(
        self, couple: ReconnectData, values: dict[str, Any], intent_obj: intent.Intent
    ) -> str:
        """Remove it and say what it was."""
        coordinator = couple.coordinator
        removed = await coordinator.async_undo(after_reply=True)
        first = removed[-1]  # the entry the person logged (an automatic rupture comes after it)
        key = f"undone_{first.kind}"
        if first.kind is EventKind.APPRECIATION and not first.partner:
            key += "_anyone"
        partner = coordinator.couple.name(first.partner) if first.partner else ""
        return couple.dialogue.lang.say(key, partner=partner)


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
)
