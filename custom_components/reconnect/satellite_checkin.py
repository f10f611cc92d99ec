"""The nightly check-in held on a voice satellite, with no wake word between turns.

Each question goes through HA's `assist_satellite.ask_question`, which listens
after speaking and matches the reply against our answer sentences itself, so
it works on pipelines with HA's built-in agent, where `start_conversation` is
refused. No sentence triggers are registered while it runs: the reply never
reaches an agent, nor any other command in the house.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components import conversation
from homeassistant.core import HomeAssistant
from homeassistant.helpers import intent

from . import couples, satellite
from .checkin import Say, Stage, Turn
from .const import LOGGER
from .dialogue import NUMBER_ALTERNATIVES, Dialogue
from .journal import PARTNERS

# A question nobody answered (or that was not understood) is asked once more.
ATTEMPTS = 2
# Tonight's question is for talking together: wait this long before asking for
# an appreciation, instead of opening the microphone at once.
TALK_SECONDS = 120
# How long to wait for a busy satellite (an announcement, a timer ringing,
# another conversation) before giving up on the check-in for now.
BUSY_SECONDS = 60


class SatelliteCheckIn:
    """Runs one check-in of a couple on one satellite, turn by turn."""

    def __init__(self, hass: HomeAssistant, dialogue: Dialogue, entity_id: str) -> None:
        """Hold the dialogue whose check-in this satellite carries."""
        self.hass = hass
        self.dialogue = dialogue
        self.entity_id = entity_id

    def answers(self) -> list[dict[str, Any]]:
        """Return the answers the current step accepts, from the sentences file."""
        lang, checkin = self.dialogue.lang.answers, self.dialogue.checkin
        stage = checkin.stage if checkin is not None else None
        if stage is Stage.RATING:
            steps = [
                {
                    "id": "rating",
                    "sentences": [
                        s.replace("<number>", NUMBER_ALTERNATIVES) for s in lang["rating_answers"]
                    ],
                }
            ]
        elif stage is Stage.REPAIR_SAY:
            steps = [
                {"id": "repaired", "sentences": lang["repaired_answers"]},
                {"id": "not_yet", "sentences": lang["not_yet_answers"]},
            ]
        else:
            steps = [{"id": "appreciation", "sentences": lang["appreciation_answers"]}]
        return [
            *steps,
            {"id": "skip", "sentences": lang["skip_answers"]},
            {"id": "stop", "sentences": lang["stop_answers"]},
        ]

    async def async_run(self, turn: Turn, speaker: str | None) -> None:
        """Carry the check-in from `turn` until it is done, stopped or paused."""
        dialogue = self.dialogue
        checkin = dialogue.checkin
        preannounce = True  # a chime first: nobody asked the satellite to speak
        while checkin is not None and dialogue.checkin is checkin:
            await dialogue.async_record(turn)
            if turn.finished:
                closing = await dialogue.async_finish(checkin)
                await self._async_say([*turn.ack, *closing])
                return
            question = [*turn.ack, *turn.ask]
            if not turn.listen:
                # Say tonight's question, then leave them time to talk it over.
                await self._async_say(list(turn.ack))
                await satellite.async_wait(self.hass, TALK_SECONDS)
                question = list(turn.ask)
            answer = await self._async_ask(question, preannounce=preannounce)
            preannounce = False
            if answer is None:
                # Nobody answered, twice: pause as partial, as a quiet check-in does.
                if dialogue.checkin is checkin:
                    await dialogue.async_finish(checkin)
                    await self._async_say([Say("timed_out")])
                return
            turn = self._apply(answer, speaker)

    def _apply(self, answer: dict[str, Any], speaker: str | None) -> Turn:
        checkin = self.dialogue.checkin
        assert checkin is not None  # noqa: S101 - the loop checks it
        if answer["id"] == "stop":
            return checkin.stop()
        if answer["id"] == "skip":
            return checkin.skip()
        if answer["id"] == "appreciation":
            return checkin.answer_appreciation(str(answer["slots"]["appreciation"]), speaker)
        if answer["id"] in ("repaired", "not_yet"):
            return checkin.answer_repaired(answer["id"] == "repaired")
        return checkin.answer_rating(str(answer["sentence"]))

    async def _async_ask(self, question: list[Say], *, preannounce: bool) -> dict[str, Any] | None:
        """Ask, and once more if nobody answered or the reply was not understood."""
        for attempt in range(ATTEMPTS):
            if not await satellite.async_wait_until_idle(self.hass, self.entity_id, BUSY_SECONDS):
                LOGGER.debug("%s stayed busy; the check-in pauses", self.entity_id)
                return None
            says = question if attempt == 0 else [Say("ask_again"), *question]
            answer = await satellite.async_ask(
                self.hass,
                self.entity_id,
                self.dialogue.render(says),
                self.answers(),
                preannounce=preannounce,
            )
            if answer is not None and answer.get("id") is not None:
                return answer
        return None

    async def _async_say(self, says: list[Say]) -> None:
        text = self.dialogue.render(says)
        # Better unsaid than said over whatever the satellite is busy with.
        if text and await satellite.async_wait_until_idle(self.hass, self.entity_id, BUSY_SECONDS):
            await satellite.async_announce(self.hass, [self.entity_id], text, preannounce=False)


def _partner_at(hass: HomeAssistant, dialogue: Dialogue, entity_id: str) -> str | None:
    """Return the partner whose own space this satellite is in, if it is in one."""
    return couples.speaker(hass, dialogue.coordinator, None, None, entity_id)


def _run(hass: HomeAssistant, dialogue: Dialogue, entity_id: str, turn: Turn) -> None:
    speaker = _partner_at(hass, dialogue, entity_id)
    dialogue.coordinator.config_entry.async_create_background_task(
        hass,
        SatelliteCheckIn(hass, dialogue, entity_id).async_run(turn, speaker),
        f"reconnect check-in on {entity_id}",
    )


async def async_start_on(
    hass: HomeAssistant, dialogue: Dialogue, satellites: list[str]
) -> list[str]:
    """Start tonight's check-in on the first satellite that can hold it (action, blueprint).

    A satellite in one partner's own space asks that partner only; a shared one
    asks each partner by name. A satellite that cannot listen after speaking
    announces an invitation to say "start our check-in" instead. Without
    satellites, the check-in starts and the next voice or app turn continues it.
    """
    if not satellites or dialogue.checkin is not None:
        await dialogue.async_start()
        return []
    for entity_id in satellites:
        if satellite.can_converse(hass, entity_id):
            partner = _partner_at(hass, dialogue, entity_id)
            checkin = dialogue.begin(None, (partner,) if partner else PARTNERS)
            dialogue.announce_start()
            _run(hass, dialogue, entity_id, checkin.start())
            return [entity_id]
    await satellite.async_announce(hass, satellites, dialogue.lang.say("invite"))
    return []


def holding_satellite(hass: HomeAssistant, via: intent.Intent) -> str | None:
    """Return the satellite that should hold a check-in asked for through it, if any.

    Satellites on HA's built-in agent hold it with ask_question; a pipeline on
    an LLM agent keeps its own turns (start_conversation, see dialogue.py).
    """
    agent = via.conversation_agent_id
    if agent not in (None, conversation.HOME_ASSISTANT_AGENT):
        return None
    entity_id = satellite.heard_on_satellite(hass, via)
    return entity_id if entity_id and satellite.can_converse(hass, entity_id) else None


async def async_start_after_reply(
    hass: HomeAssistant, dialogue: Dialogue, entity_id: str, via: intent.Intent
) -> str:
    """Greet now (the pipeline speaks it), then hold the check-in once the satellite is idle.

    ask_question cancels any pipeline running on the satellite, so it must not
    start from inside the pipeline that carried "start our check-in".
    """
    if dialogue.checkin is not None:
        return await dialogue.async_start(via)
    partner = _partner_at(hass, dialogue, entity_id)
    checkin = dialogue.begin(via, (partner,) if partner else PARTNERS)
    dialogue.announce_start()
    opening = checkin.start()
    _run(hass, dialogue, entity_id, Turn(ack=[], ask=opening.ask))
    return dialogue.render(list(opening.ack))
