"""Voice satellites: which one can ask the next question, and the calls that make it speak."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from homeassistant.components import conversation
from homeassistant.components.assist_satellite import AssistSatelliteEntityFeature
from homeassistant.const import ATTR_SUPPORTED_FEATURES
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, State, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er, intent
from homeassistant.helpers.event import async_call_later, async_track_state_change_event

from .const import LOGGER

DOMAIN = "assist_satellite"
# How long to wait for a satellite to finish speaking before it listens again.
IDLE_TIMEOUT = 60


def can_converse(hass: HomeAssistant, entity_id: str) -> bool:
    """Tell whether a satellite entity says it can start a conversation."""
    state = hass.states.get(entity_id)
    features = state.attributes.get(ATTR_SUPPORTED_FEATURES, 0) if state else 0
    return bool(features & AssistSatelliteEntityFeature.START_CONVERSATION)


def heard_on_satellite(hass: HomeAssistant, via: intent.Intent) -> str | None:
    """Return the satellite entity whose pipeline carried an intent, if any."""
    if via.satellite_id:
        return via.satellite_id
    if not via.device_id:
        return None
    for entry in er.async_entries_for_device(er.async_get(hass), via.device_id):
        if entry.domain == DOMAIN:
            return entry.entity_id
    return None


def asking_satellite(hass: HomeAssistant, via: intent.Intent | None) -> str | None:
    """Return the satellite that can ask the next question itself, if any.

    HA refuses start_conversation on pipelines using its built-in agent
    (still so in 2026.11), so only an LLM-agent pipeline qualifies; the
    built-in agent's reply carries the question instead.
    """
    if via is None:
        return None
    agent = via.conversation_agent_id
    if agent is None or agent == conversation.HOME_ASSISTANT_AGENT:
        return None
    entity_id = heard_on_satellite(hass, via)
    return entity_id if entity_id and can_converse(hass, entity_id) else None


async def async_announce(
    hass: HomeAssistant, satellites: list[str], message: str, *, preannounce: bool = True
) -> None:
    """Announce on satellites; a failure is logged, never raised."""
    try:
        await hass.services.async_call(
            DOMAIN,
            "announce",
            {"entity_id": satellites, "message": message, "preannounce": preannounce},
            blocking=True,
        )
    except HomeAssistantError as err:
        LOGGER.warning("Could not announce the check-in: %s", err)


@callback
def async_ask_when_idle(hass: HomeAssistant, entity_id: str, message: str) -> CALLBACK_TYPE:
    """Call start_conversation once the satellite has finished its reply; return a canceller."""
    unsubs: list[CALLBACK_TYPE] = []

    @callback
    def _cancel() -> None:
        while unsubs:
            unsubs.pop()()

    @callback
    def _changed(event: Any) -> None:
        new: State | None = event.data["new_state"]
        if new is not None and new.state == "idle":
            _cancel()
            hass.async_create_task(
                hass.services.async_call(
                    DOMAIN,
                    "start_conversation",
                    {"entity_id": entity_id, "start_message": message, "preannounce": False},
                )
            )

    @callback
    def _give_up(_now: datetime) -> None:
        # It never went idle: stay quiet rather than talk over it.
        _cancel()

    unsubs.append(async_track_state_change_event(hass, entity_id, _changed))
    unsubs.append(async_call_later(hass, IDLE_TIMEOUT, _give_up))
    return _cancel


async def async_wait(hass: HomeAssistant, seconds: float) -> None:
    """Wait on HA's clock (tests move it), not the loop's."""
    done: asyncio.Future[None] = hass.loop.create_future()

    @callback
    def _done(_now: datetime) -> None:
        if not done.done():
            done.set_result(None)

    cancel = async_call_later(hass, seconds, _done)
    try:
        await done
    finally:
        cancel()


async def async_wait_until_idle(hass: HomeAssistant, entity_id: str, seconds: float) -> bool:
    """Wait until a satellite is idle (never talk over it); return whether it got there."""
    idle: asyncio.Future[bool] = hass.loop.create_future()

    @callback
    def _changed(event: Any) -> None:
        new: State | None = event.data["new_state"]
        if new is not None and new.state == "idle" and not idle.done():
            idle.set_result(True)

    @callback
    def _give_up(_now: datetime) -> None:
        if not idle.done():
            idle.set_result(False)

    state = hass.states.get(entity_id)
    if state is not None and state.state == "idle":
        return True
    unsubs = [
        async_track_state_change_event(hass, entity_id, _changed),
        async_call_later(hass, seconds, _give_up),
    ]
    try:
        return await idle
    finally:
        for unsub in unsubs:
            unsub()


async def async_ask(
    hass: HomeAssistant,
    entity_id: str,
    question: str,
    answers: list[dict[str, Any]],
    *,
    preannounce: bool,
) -> dict[str, Any] | None:
    """Ask on the satellite and match the reply locally; None when nobody answered.

    HA's ask_question plays the question, listens, transcribes, and matches the
    transcript against `answers` itself: no conversation agent runs, so this
    works on pipelines with HA's built-in agent too (HA 2025.7 and later).
    """
    try:
        response = await hass.services.async_call(
            DOMAIN,
            "ask_question",
            {
                "entity_id": entity_id,
                "question": question,
                "preannounce": preannounce,
                "answers": answers,
            },
            blocking=True,
            return_response=True,
        )
    except HomeAssistantError as err:
        # "No answer from question" (silence), or the satellite was busy announcing.
        LOGGER.debug("No answer on %s: %s", entity_id, type(err).__name__)
        return None
    return dict(response or {})
