"""Assist glue: our sentences, who is speaking, and the check-in dialogue.

Sentences ship in sentences/<lang>.yaml. The always-live ones (log a bid, start
the check-in, ...) are written as HA custom sentences, to
<config>/custom_sentences/<lang>/reconnect.yaml, so HA's own intent matcher
handles them beside its built-in sentences. That is the fast path for everyone
else's commands: HA's matcher skips a group of ours at once when none of its
required keywords (keywords.py) was said, while sentence triggers are
string-matched one by one whenever none of them matches, which is every
utterance that is not ours (measured in benchmarks/).
Answer sentences (ratings, appreciations, "who?") are sentence triggers that
are live only while a check-in or a question waits for them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
import importlib
from pathlib import Path
import re
from typing import Any

from homeassistant.components import conversation
from homeassistant.components.assist_satellite import AssistSatelliteEntityFeature
from homeassistant.const import ATTR_SUPPORTED_FEATURES
from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, State, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er, intent
from homeassistant.helpers.event import async_call_later, async_track_state_change_event
from homeassistant.util import dt as dt_util
from homeassistant.util.file import write_utf8_file_atomic
from homeassistant.util.hass_dict import HassKey
from homeassistant.util.yaml import dump as dump_yaml, load_yaml_dict

from .checkin import CheckIn, Rating, Say, Stage, Turn, pick_prompt
from .const import (
    CONF_PARTNER_A,
    CONF_PARTNER_B,
    CONF_PERSON_A,
    CONF_PERSON_B,
    CONF_SATELLITES_A,
    CONF_SATELLITES_B,
    DOMAIN,
    LOGGER,
)
from .coordinator import ReconnectCoordinator
from .issues import async_clear_sentences_not_reloaded, async_report_sentences_not_reloaded
from .journal import PARTNERS, Session
from .keywords import required_keywords

SENTENCES_DIR = Path(__file__).parent / "sentences"
LANGUAGE = "en"
# Where HA reads custom sentences: <config>/custom_sentences/<language>/*.yaml
CUSTOM_SENTENCES_FILE = ("custom_sentences", LANGUAGE, "reconnect.yaml")
CUSTOM_SENTENCES_HEADER = (
    "# Written by the Reconnect integration from the partner names you set up.\n"
    "# It is rewritten when a name changes and deleted when Reconnect is removed,\n"
    "# so edits here do not last.\n"
)
PARTNER_LIST = "reconnect_partner"
OTHER_LIST = "reconnect_other"
DATA_VOICE: HassKey[Voice] = HassKey(DOMAIN)
# How long a check-in waits for an answer before pausing (the question needs talk time).
RATING_TIMEOUT = timedelta(minutes=10)
APPRECIATION_TIMEOUT = timedelta(minutes=30)
WHO_TIMEOUT = timedelta(minutes=2)
# How long to wait for a satellite to finish speaking before it listens again.
SATELLITE_IDLE_TIMEOUT = 60
NAME_ROLES = ("bidder", "responder", "partner", "initiator")
# Characters with a meaning in hassil templates cannot be part of a name there.
_TEMPLATE_CHARS = re.compile(r"[()\[\]{}<>|]")
_NUMBER_ALTERNATIVES = "(" + "|".join([*map(str, range(11)), "zero", "one", "two", "three",
    "four", "five", "six", "seven", "eight", "nine", "ten"]) + ")"  # fmt: skip
SPEAKER_WORDS = {"i", "me", "my", "myself", "mine"}

type TriggerCallback = Callable[[conversation.ConversationInput, Any], Awaitable[str | None]]


@callback
def async_register_trigger(
    hass: HomeAssistant, sentences: list[str], trigger_callback: TriggerCallback
) -> CALLBACK_TYPE:
    """Register sentence triggers with the built-in agent, whatever HA's signature."""
    manager = conversation.agent_manager.get_agent_manager(hass)
    register: Callable[..., CALLBACK_TYPE] = manager.register_trigger
    # The code object, not inspect.signature: that evaluates HA's annotations,
    # some of which exist only for type checkers.
    code = register.__code__
    if "trigger_details" in code.co_varnames[: code.co_argcount]:
        # HA 2025.10 to 2026.3 took the sentences and the callback as one TriggerDetails.
        details = importlib.import_module(f"{conversation.__name__}.trigger").TriggerDetails
        return register(details(sentences, trigger_callback))
    return register(sentences, trigger_callback)


@dataclass(slots=True)
class Language:
    """One language's sentences, replies and prompt deck."""

    intents: dict[str, list[dict[str, Any]]]
    answers: dict[str, list[str]]
    responses: dict[str, str]
    prompts: dict[str, str]
    messages: dict[str, str]

    @classmethod
    def load(cls, language: str) -> Language:
        """Read sentences/<language>.yaml (blocking: run it in the executor)."""
        data = load_yaml_dict(str(SENTENCES_DIR / f"{language}.yaml"))
        return cls(
            intents=data["intents"],
            answers={k: v for k, v in data.items() if k.endswith("_answers")},
            responses=data["responses"],
            prompts=data["prompts"],
            messages=data["messages"],
        )


def template_name(name: str) -> str:
    """Make a name safe to write into a template."""
    return " ".join(_TEMPLATE_CHARS.sub(" ", name).split())


def partner_alternatives(names: Iterable[str]) -> str:
    """Write names as a template alternative, longest first so "Ann Marie" beats "Ann"."""
    safe = sorted({template_name(n) for n in names if template_name(n)}, key=len, reverse=True)
    return "(" + "|".join(safe) + ")"


def custom_sentences(lang: Language, names: Iterable[str]) -> dict[str, Any]:
    """Write the always-live sentences as HA custom sentences for these partner names.

    Each <partner> becomes a slot named after the role the group gives it, so
    "Maya turned away" reaches the intent as responder=Maya. Each group gets
    required keywords, so HA's matcher skips it at once for other commands.
    """
    intents: dict[str, Any] = {}
    for intent_type, groups in lang.intents.items():
        # One data group per set of fixed slots: HA's matcher pays for each group
        # on every utterance, and the roles are in the slot names already.
        data: dict[str, dict[str, Any]] = {}
        for group in groups:
            slots = dict(group.get("slots", {}))
            merged = data.setdefault(repr(sorted(slots.items())), {"sentences": [], "slots": slots})
            for template in group["sentences"]:
                text = template.replace("{other}", f"{{{OTHER_LIST}:other}}")
                for role in group.get("names", ()):
                    text = text.replace("<partner>", f"{{{PARTNER_LIST}:{role}}}", 1)
                merged["sentences"].append(text)
        intents[intent_type] = {"data": list(data.values())}
    named = sorted({n for n in names if template_name(n)})
    words = {PARTNER_LIST: frozenset(w.lower() for n in named for w in template_name(n).split())}
    for intent_data in (d for i in intents.values() for d in i["data"]):
        if keywords := required_keywords(intent_data["sentences"], words, named):
            intent_data["required_keywords"] = keywords
    values = [{"in": template_name(n), "out": n} for n in named]
    return {
        "language": LANGUAGE,
        "intents": intents,
        "lists": {PARTNER_LIST: {"values": values}, OTHER_LIST: {"wildcard": True}},
    }


def _write_if_changed(path: Path, text: str | None) -> bool:
    """Write (or with None, delete) a file; return whether anything changed."""
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old == text:
        return False
    if text is None:
        path.unlink()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_utf8_file_atomic(str(path), text)
    return True


def _words(text: str) -> str:
    """Lower-case words separated by single spaces, padded so names match whole words."""
    return " " + " ".join(re.sub(r"[^\w']+", " ", text.casefold()).split()) + " "


def named_partners(
    text: str, couples: Sequence[ReconnectCoordinator]
) -> list[tuple[ReconnectCoordinator, str]]:
    """Find partners named in the words said, in spoken order."""
    words = _words(text)
    found = sorted(
        (
            (match.start(), -len(name), coordinator, key)
            for coordinator in couples
            for key in PARTNERS
            if (name := _words(coordinator.couple.name(key)).strip())
            for match in re.finditer(re.escape(f" {name} "), words)
        ),
        key=lambda found: found[:2],
    )
    # Skip a shorter name inside a longer one ("Ann" in "Ann Marie"), but keep
    # the same name in two couples: the speaker may tell them apart.
    result: list[tuple[ReconnectCoordinator, str]] = []
    end, kept = -1, (-1, 0)
    for start, negative_length, coordinator, key in found:
        if start >= end or (start, negative_length) == kept:
            result.append((coordinator, key))
            end, kept = start - negative_length, (start, negative_length)
    return result


@dataclass(slots=True)
class Pending:
    """A question we asked ("who reached out?") and the intent waiting for it."""

    intent_type: str
    slots: dict[str, str]
    role: str


@dataclass(slots=True)
class CoupleVoice:
    """Per-couple voice state: a running check-in, or a pending question."""

    checkin: CheckIn | None = None
    started_by: str | None = None
    pending: Pending | None = None
    unregister: list[CALLBACK_TYPE] = field(default_factory=list)
    cancel_timeout: CALLBACK_TYPE | None = None

    def clear_listeners(self) -> None:
        """Remove the answer sentences and the timeout."""
        for remove in self.unregister:
            remove()
        self.unregister.clear()
        if self.cancel_timeout:
            self.cancel_timeout()
            self.cancel_timeout = None


def _record_session(
    coordinator: ReconnectCoordinator, state: CoupleVoice, checkin: CheckIn, *, complete: bool
) -> None:
    """Keep a check-in in the journal as complete or partial."""
    coordinator.journal.record_session(
        Session(
            started_at=checkin.started_at,
            ended_at=dt_util.utcnow(),
            complete=complete,
            started_by=state.started_by,
        )
    )


class Voice:
    """Reconnect's voice skill, shared by every couple."""

    def __init__(self, hass: HomeAssistant, lang: Language) -> None:
        """Hold the language data; the sentences follow the couples set up."""
        self.hass = hass
        self.lang = lang
        self._coordinators: dict[str, ReconnectCoordinator] = {}
        self._couples: dict[str, CoupleVoice] = {}
        # Sentence triggers standing in for the custom sentences while Assist cannot reload.
        self._fallback: list[CALLBACK_TYPE] = []

    # ----- couples and speakers -----

    def loaded(self) -> list[ReconnectCoordinator]:
        """Return the coordinators of every couple set up."""
        return list(self._coordinators.values())

    async def async_add_couple(self, coordinator: ReconnectCoordinator) -> None:
        """Listen for a couple's names."""
        self._coordinators[coordinator.config_entry.entry_id] = coordinator
        await self.async_write_sentences()

    def state_of(self, coordinator: ReconnectCoordinator) -> CoupleVoice:
        """Return a couple's voice state."""
        return self._couples.setdefault(coordinator.config_entry.entry_id, CoupleVoice())

    def speaker(
        self,
        coordinator: ReconnectCoordinator,
        context: Context | None,
        device_id: str | None,
        satellite_id: str | None = None,
    ) -> str | None:
        """Tell which partner is speaking: by logged-in user, then by satellite."""
        device_id = self.heard_on(device_id, satellite_id)
        data = coordinator.config_entry.data
        if context is not None and context.user_id:
            for key, person_key in zip(PARTNERS, (CONF_PERSON_A, CONF_PERSON_B), strict=True):
                person = self.hass.states.get(data.get(person_key) or "")
                if person is not None and person.attributes.get("user_id") == context.user_id:
                    return key
        if device_id:
            for key, option in zip(PARTNERS, (CONF_SATELLITES_A, CONF_SATELLITES_B), strict=True):
                if device_id in coordinator.option(option, []):
                    return key
        return None

    def heard_on(self, device_id: str | None, satellite_id: str | None) -> str | None:
        """Return the device that heard the words: the satellite's, when HA names it."""
        if satellite_id and (entry := er.async_get(self.hass).async_get(satellite_id)):
            return entry.device_id or device_id
        return device_id

    def couple_for(
        self,
        context: Context | None,
        device_id: str | None,
        named: Sequence[tuple[ReconnectCoordinator, str]] = (),
        entry_hint: str | None = None,
        satellite_id: str | None = None,
    ) -> ReconnectCoordinator | None:
        """Choose the couple an utterance is about, or None if it is unclear."""
        couples = self.loaded()
        if entry_hint:
            hint = entry_hint.casefold()
            couples = [
                c for c in couples
                if hint in (c.config_entry.entry_id.casefold(), c.config_entry.title.casefold())
            ]  # fmt: skip
        if len(couples) > 1 and named:
            couples = [c for c in couples if any(c is n for n, _ in named)]
        if len(couples) > 1:
            couples = [
                c for c in couples if self.speaker(c, context, device_id, satellite_id)
            ] or couples
        return couples[0] if len(couples) == 1 else None

    # ----- speech -----

    def render(self, coordinator: ReconnectCoordinator, says: Iterable[Say]) -> str:
        """Turn phrase keys into one spoken reply."""
        couple = coordinator.couple
        parts = []
        for say in says:
            values = {
                k: couple.name(str(v)) if k in NAME_ROLES and v in PARTNERS else v
                for k, v in say.values.items()
            }
            parts.append(self.lang.responses[say.key].format(**values))
        return " ".join(p.strip() for p in parts if p.strip())

    def say(self, key: str, **values: Any) -> str:
        """Render one phrase that needs no couple."""
        return self.lang.responses[key].format(**values)

    # ----- the always-live sentences -----

    async def async_write_sentences(self, removing: str | None = None) -> None:
        """Write our custom sentences for every couple set up (but `removing`).

        HA reads them again only when the file changed, so a restart costs nothing.
        """
        names = [
            entry.data[key]
            for entry in self.hass.config_entries.async_entries(DOMAIN)
            if entry.entry_id != removing
            for key in (CONF_PARTNER_A, CONF_PARTNER_B)
        ]
        text = None
        if names:
            text = CUSTOM_SENTENCES_HEADER + dump_yaml(custom_sentences(self.lang, names))
        path = Path(self.hass.config.path(*CUSTOM_SENTENCES_FILE))
        changed = await self.hass.async_add_executor_job(_write_if_changed, path, text)
        if not changed and not self._fallback:
            return
        LOGGER.debug("Custom sentences updated; asking Assist to reload them")
        try:
            await self.hass.services.async_call(
                conversation.DOMAIN, "reload", {"language": LANGUAGE}, blocking=True
            )
        except Exception as err:  # noqa: BLE001 - whatever broke HA's reload, keep listening
            LOGGER.warning(
                "Assist could not reload its sentences (%s); Reconnect listens through "
                "sentence triggers instead",
                type(err).__name__,
            )
            async_report_sentences_not_reloaded(self.hass, type(err).__name__)
            self._async_fall_back_to_triggers(names)
            return
        async_clear_sentences_not_reloaded(self.hass)
        self._async_fall_back_to_triggers([])

    @callback
    def _async_fall_back_to_triggers(self, names: list[str]) -> None:
        """Hear the always-live sentences as sentence triggers (none with no names)."""
        for remove in self._fallback:
            remove()
        self._fallback = []
        if not names:
            return
        alternatives = partner_alternatives(names)
        for intent_type, groups in self.lang.intents.items():
            for group in groups:
                sentences = [t.replace("<partner>", alternatives) for t in group["sentences"]]
                handler = partial(self._async_on_fallback, intent_type, group)
                self._fallback.append(async_register_trigger(self.hass, sentences, handler))

    async def _async_on_fallback(
        self,
        intent_type: str,
        group: dict[str, Any],
        user_input: conversation.ConversationInput,
        result: Any,
    ) -> str | None:
        """Run the intent a fallback trigger stands for, with the slots it would have had."""
        slots = {k: str(v) for k, v in group.get("slots", {}).items()}
        # A trigger cannot capture which alternative was said: the names fill the
        # group's roles in the order they were spoken, as <partner> does in the template.
        said: list[str] = []
        for coordinator, key in named_partners(user_input.text, self.loaded()):
            name = coordinator.couple.name(key)
            if not said or said[-1] != name:  # one name in two couples, said once
                said.append(name)
        slots.update(zip(group.get("names", ()), said, strict=False))
        if "other" in result.entities:
            slots["other"] = str(result.entities["other"].value)
        return await self.async_handle_intent(intent_type, slots, user_input)

    async def async_entry_unloading(self, coordinator: ReconnectCoordinator) -> None:
        """Keep a running check-in as partial, then drop the couple's sentences."""
        self._coordinators.pop(coordinator.config_entry.entry_id, None)
        state = self._couples.pop(coordinator.config_entry.entry_id, None)
        if state is not None:
            state.clear_listeners()
            if state.checkin is not None:
                _record_session(coordinator, state, state.checkin, complete=False)

    @callback
    def async_unload(self) -> None:
        """Remove every answer trigger and timer."""
        for state in self._couples.values():
            state.clear_listeners()
        self._couples.clear()
        self._async_fall_back_to_triggers([])

    async def async_handle_intent(
        self, intent_type: str, slots: dict[str, str], user_input: conversation.ConversationInput
    ) -> str:
        """Run one of our intents and return what it says."""
        response = await intent.async_handle(
            self.hass,
            DOMAIN,
            intent_type,
            {k: {"value": v} for k, v in slots.items()},
            text_input=user_input.text,
            context=user_input.context,
            language=user_input.language,
            device_id=user_input.device_id,
            satellite_id=user_input.satellite_id,
            conversation_agent_id=user_input.agent_id,
        )
        return str(response.speech.get("plain", {}).get("speech", ""))

    # ----- temporary answer sentences -----

    @callback
    def _async_listen(
        self,
        coordinator: ReconnectCoordinator,
        sentences: list[str],
        handler: Callable[[conversation.ConversationInput, Any], Awaitable[str | None]],
        timeout: timedelta,
    ) -> None:
        """Make answer sentences live for one couple until answered or timed out."""
        state = self.state_of(coordinator)
        state.clear_listeners()
        state.unregister.append(async_register_trigger(self.hass, sentences, handler))
        state.cancel_timeout = async_call_later(
            self.hass, timeout, partial(self._async_timed_out, coordinator)
        )

    @callback
    def _async_timed_out(self, coordinator: ReconnectCoordinator, _now: datetime) -> None:
        state = self.state_of(coordinator)
        state.cancel_timeout = None
        state.pending = None
        if state.checkin is not None:
            LOGGER.debug("Check-in paused after a quiet spell")
            self.hass.async_create_task(self._async_finish(coordinator, state.checkin))
        state.clear_listeners()

    # ----- "who did that?" -----

    async def async_ask_who(
        self, coordinator: ReconnectCoordinator, intent_type: str, slots: dict[str, str], role: str
    ) -> str:
        """Ask who did something and keep the intent waiting for the answer."""
        state = self.state_of(coordinator)
        if state.checkin is not None:
            # A running check-in keeps its answer sentences; ask for names instead.
            return self.say("who_during_check_in")
        state.pending = Pending(intent_type, slots, role)
        sentences = [
            s.replace(
                "<partner>", partner_alternatives(coordinator.couple.name(k) for k in PARTNERS)
            )
            for s in self.lang.answers["who_answers"]
        ]
        self._async_listen(
            coordinator, sentences, partial(self._async_on_who, coordinator), WHO_TIMEOUT
        )
        key = {"bidder": "ask_who_bid", "initiator": "ask_who_repair"}.get(role, "ask_who_rupture")
        names = " or ".join(coordinator.couple.name(k) for k in PARTNERS)
        return self.say(key, names=names)

    async def _async_on_who(
        self,
        coordinator: ReconnectCoordinator,
        user_input: conversation.ConversationInput,
        result: Any,
    ) -> str | None:
        state = self.state_of(coordinator)
        pending, state.pending = state.pending, None
        state.clear_listeners()
        if pending is None:  # pragma: no cover - the trigger is removed with the question
            return None
        named = [
            key for c, key in named_partners(user_input.text, [coordinator]) if c is coordinator
        ]
        if named:
            who = coordinator.couple.name(named[0])
        else:
            speaker = self.speaker(
                coordinator, user_input.context, user_input.device_id, user_input.satellite_id
            )
            if speaker is None:
                return self.say("who_unclear")
            who = coordinator.couple.name(speaker)
        slots = {**pending.slots, pending.role: who}
        return await self.async_handle_intent(pending.intent_type, slots, user_input)

    # ----- the check-in -----

    async def async_start_check_in(
        self, coordinator: ReconnectCoordinator, via: intent.Intent | None = None
    ) -> str:
        """Start tonight's check-in, or resume the one running."""
        state = self.state_of(coordinator)
        if state.checkin is not None:
            return await self._async_turn(coordinator, state.checkin, state.checkin.resume(), via)
        checkin = self._begin(coordinator, via)
        self._announce_start(coordinator)
        return await self._async_turn(coordinator, checkin, checkin.start(), via)

    def _begin(self, coordinator: ReconnectCoordinator, via: intent.Intent | None) -> CheckIn:
        """Create the check-in with tonight's prompt."""
        state = self.state_of(coordinator)
        state.pending = None
        today = dt_util.now().date()
        journal = coordinator.journal
        prompt_id = pick_prompt(list(self.lang.prompts), journal.prompts_used, today)
        journal.prompts_used[prompt_id] = today
        state.checkin = CheckIn(prompt=self.lang.prompts[prompt_id], started_at=dt_util.utcnow())
        state.started_by = (
            self.speaker(coordinator, via.context, via.device_id, via.satellite_id)
            if via is not None
            else None
        )
        return state.checkin

    def _announce_start(self, coordinator: ReconnectCoordinator) -> None:
        started_by = self.state_of(coordinator).started_by
        LOGGER.debug("Check-in started for %s", coordinator.config_entry.entry_id)
        coordinator.async_fire_activity(
            "check_in_started",
            {"started_by": coordinator.couple.name(started_by) if started_by else None},
        )

    async def async_start_check_in_on(
        self, coordinator: ReconnectCoordinator, satellites: list[str]
    ) -> list[str]:
        """Start the check-in on a satellite (the bedtime entry point).

        A satellite that can start a conversation asks the first question and
        listens. One that cannot (HA's built-in agent) announces an invitation
        to say "start our check-in" instead. Without satellites, the check-in
        starts and the next voice or app turn continues it.
        """
        state = self.state_of(coordinator)
        if not satellites or state.checkin is not None:
            await self.async_start_check_in(coordinator)
            return []
        checkin = self._begin(coordinator, None)
        turn = checkin.start()
        opening = self.render(coordinator, [*turn.ack, *turn.ask])
        self._async_listen_for(coordinator, checkin)
        for entity_id in satellites:
            if self._can_converse(entity_id):
                try:
                    await self.hass.services.async_call(
                        "assist_satellite",
                        "start_conversation",
                        # A chime first: nobody asked the satellite to speak.
                        {"entity_id": entity_id, "start_message": opening, "preannounce": True},
                        blocking=True,
                    )
                except HomeAssistantError as err:
                    LOGGER.debug("start_conversation refused on %s: %s", entity_id, err)
                else:
                    self._announce_start(coordinator)
                    return [entity_id]
        # Nobody can answer yet: invite instead, and leave no check-in running.
        state.checkin = None
        state.clear_listeners()
        try:
            await self.hass.services.async_call(
                "assist_satellite",
                "announce",
                {"entity_id": satellites, "message": self.say("invite")},
                blocking=True,
            )
        except HomeAssistantError as err:
            LOGGER.warning("Could not announce the check-in: %s", err)
        return []

    def running(self, coordinator: ReconnectCoordinator) -> CheckIn | None:
        """Return the couple's running check-in, if any."""
        return self.state_of(coordinator).checkin

    async def async_check_in_step(
        self,
        coordinator: ReconnectCoordinator,
        step: Callable[[CheckIn], Turn],
        via: intent.Intent | None = None,
    ) -> str:
        """Apply one answer, skip or stop to the running check-in."""
        checkin = self.running(coordinator)
        if checkin is None:
            return self.say("not_now")
        return await self._async_turn(coordinator, checkin, step(checkin), via)

    async def _async_turn(
        self,
        coordinator: ReconnectCoordinator,
        checkin: CheckIn,
        turn: Turn,
        via: intent.Intent | None,
    ) -> str:
        """Record what was said, then speak, then listen for the next answer."""
        speaker = None
        for record in turn.records:
            if isinstance(record, Rating):
                await coordinator.async_record(
                    coordinator.journal.log_check_in,
                    partner=record.partner,
                    rating=record.rating,
                    auto_rupture=coordinator.auto_rupture,
                )
            else:
                speaker = record.partner
                await coordinator.async_record(
                    coordinator.journal.log_appreciation, partner=speaker, text=record.text
                )
        ack = list(turn.ack)
        if turn.finished:
            ack += await self._async_finish(coordinator, checkin)
            return self.render(coordinator, ack)
        self._async_listen_for(coordinator, checkin)
        satellite = self._satellite(via) if turn.listen else None
        if satellite is None:
            return self.render(coordinator, [*ack, *turn.ask])
        # On a satellite, ask the next question once it is idle, so nobody
        # has to say the wake word again.
        self._async_ask_when_idle(satellite, self.render(coordinator, turn.ask))
        return self.render(coordinator, ack)

    @callback
    def _async_listen_for(self, coordinator: ReconnectCoordinator, checkin: CheckIn) -> None:
        """Register exactly the answers the current step accepts."""
        answers = self.lang.answers
        if checkin.stage is Stage.RATING:
            sentences = [
                s.replace("<number>", _NUMBER_ALTERNATIVES) for s in answers["rating_answers"]
            ]
            timeout = RATING_TIMEOUT
        else:
            sentences = list(answers["appreciation_answers"])
            timeout = APPRECIATION_TIMEOUT
        sentences += answers["skip_answers"] + answers["stop_answers"]
        self._async_listen(
            coordinator, sentences, partial(self._async_on_answer, coordinator), timeout
        )

    async def _async_on_answer(
        self,
        coordinator: ReconnectCoordinator,
        user_input: conversation.ConversationInput,
        result: Any,
    ) -> str | None:
        template = result.intent_sentence.text
        answers = self.lang.answers
        slots: dict[str, str] = {"couple": coordinator.config_entry.entry_id}
        if template in answers["stop_answers"]:
            intent_type = "ReconnectCheckInStop"
        elif template in answers["skip_answers"]:
            intent_type = "ReconnectCheckInSkip"
        elif "appreciation" in result.entities:
            intent_type = "ReconnectCheckInAnswer"
            slots["appreciation"] = str(result.entities["appreciation"].value)
        else:
            intent_type = "ReconnectCheckInAnswer"
            slots["rating"] = user_input.text
        return await self.async_handle_intent(intent_type, slots, user_input)

    async def _async_finish(self, coordinator: ReconnectCoordinator, checkin: CheckIn) -> list[Say]:
        """Close the check-in: keep it as complete or partial, and say a warm goodbye."""
        state = self.state_of(coordinator)
        _record_session(coordinator, state, checkin, complete=checkin.complete)
        state.checkin = None
        state.clear_listeners()
        await coordinator.async_save_now()
        coordinator.async_fire_activity("check_in_completed", {"complete": checkin.complete})
        coordinator.async_push()
        if not checkin.complete:
            return []
        insights = coordinator.data
        closing = [Say("close_streak", {"streak": insights.check_in_streak})]
        if insights.open_ruptures:
            closing.append(Say("close_repair"))
        return closing

    # ----- satellites -----

    def _satellite(self, via: intent.Intent | None) -> str | None:
        """Return the satellite that can ask the next question itself, if any.

        HA refuses start_conversation on pipelines using its built-in agent
        (still so in 2026.10), so only an LLM-agent pipeline qualifies; the
        built-in agent's reply carries the question instead.
        """
        if via is None:
            return None
        agent = via.conversation_agent_id
        if agent is None or agent == conversation.HOME_ASSISTANT_AGENT:
            return None
        if via.satellite_id:
            return via.satellite_id if self._can_converse(via.satellite_id) else None
        if not via.device_id:
            return None
        for entry in er.async_entries_for_device(er.async_get(self.hass), via.device_id):
            if entry.domain == "assist_satellite" and self._can_converse(entry.entity_id):
                return entry.entity_id
        return None

    def _can_converse(self, entity_id: str) -> bool:
        """Tell whether a satellite entity says it can start a conversation."""
        state = self.hass.states.get(entity_id)
        features = state.attributes.get(ATTR_SUPPORTED_FEATURES, 0) if state else 0
        return bool(features & AssistSatelliteEntityFeature.START_CONVERSATION)

    @callback
    def _async_ask_when_idle(self, entity_id: str, message: str) -> None:
        """Call start_conversation once the satellite has finished its reply."""
        unsubs: list[CALLBACK_TYPE] = []

        @callback
        def _ask(*_: Any) -> None:
            for unsub in unsubs:
                unsub()
            unsubs.clear()
            self.hass.async_create_task(
                self.hass.services.async_call(
                    "assist_satellite",
                    "start_conversation",
                    {"entity_id": entity_id, "start_message": message, "preannounce": False},
                )
            )

        @callback
        def _changed(event: Any) -> None:
            new: State | None = event.data["new_state"]
            if new is not None and new.state == "idle":
                _ask()

        @callback
        def _give_up(_now: datetime) -> None:
            # It never went idle: stay quiet rather than talk over it.
            unsubs.pop()  # this timer has fired already
            for unsub in unsubs:
                unsub()
            unsubs.clear()

        unsubs.append(async_track_state_change_event(self.hass, entity_id, _changed))
        unsubs.append(async_call_later(self.hass, SATELLITE_IDLE_TIMEOUT, _give_up))
