"""The nightly check-in on a voice satellite with HA's built-in agent: no wake word between turns.

Every question goes through HA's real assist_satellite.ask_question and
assist_pipeline (STT only, then HA's local matching), with a test satellite,
STT and TTS (tests/testing_config/custom_components/reconnect_test_satellite).
"""

from __future__ import annotations

import asyncio
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.reconnect.const import (
    CONF_PARTNER_A,
    CONF_PARTNER_B,
    CONF_SATELLITES_A,
    DOMAIN,
)
from custom_components.reconnect.journal import EventKind
from custom_components.reconnect.satellite_checkin import BUSY_SECONDS, TALK_SECONDS
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant

from .conftest import FIRST_WELCOME, call
from .satellite_harness import SatelliteHarness, async_setup_satellites

OPENING = f"{FIRST_WELCOME} Maya, how connected did you feel today, from one to five?"


async def settle(hass: HomeAssistant) -> None:
    """Let the check-in (a background task) and the satellites run until they wait."""
    for _ in range(40):
        await asyncio.sleep(0)
        await hass.async_block_till_done()


async def talk_time_passes(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.tick(TALK_SECONDS)
    async_fire_time_changed(hass)
    await settle(hass)


def kinds(entry: MockConfigEntry) -> list[tuple[EventKind, str | None]]:
    return [(e.kind, e.partner) for e in entry.runtime_data.coordinator.journal.events]


@pytest.fixture
async def sats(hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch) -> SatelliteHarness:
    return await async_setup_satellites(
        hass,
        monkeypatch,
        ["Bedroom", "Kitchen", {"name": "Hall", "features": ["announce"], "device": "Hall"}],
    )


async def start_on(hass: HomeAssistant, entity_id: str, **data: Any) -> Any:
    response = await call(
        hass, "start_check_in", {"satellite": entity_id, **data}, return_response=True
    )
    await settle(hass)
    return response


async def test_a_full_check_in_for_two_on_a_shared_satellite(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sats: SatelliteHarness,
    frozen: FrozenDateTimeFactory,
) -> None:
    bedroom = sats.satellites["Bedroom"]
    sats.say(bedroom, "four", "I'd say five")
    assert await start_on(hass, bedroom) == {"started_on": [bedroom]}

    questions = sats.questions(bedroom)
    assert questions[0] == OPENING
    assert questions[1] == "Thank you, Maya. Jordan, how about you, from one to five?"
    # Each answer is saved the moment it is given.
    assert kinds(init_integration) == [(EventKind.CHECK_IN, "a"), (EventKind.CHECK_IN, "b")]
    # Tonight's question is said, and the microphone stays closed while they talk.
    said = sats.announcements(bedroom)
    assert said[-1].startswith("Thank you, Jordan. Tonight's question, for you to ask each other:")
    assert not init_integration.runtime_data.dialogue.listening

    sats.say(bedroom, "I appreciated the tea you made", "done")
    await talk_time_passes(hass, frozen)
    assert sats.questions(bedroom)[2].startswith("Take your time with it.")
    assert (
        sats.questions(bedroom)[3]
        == "Thank you for sharing that. Anything else you appreciated? Or say done."
    )
    assert sats.announcements(bedroom)[-1].startswith("Thanks for checking in together.")
    assert kinds(init_integration)[-1] == (EventKind.APPRECIATION, None)
    sessions = init_integration.runtime_data.coordinator.journal.sessions
    assert [s.complete for s in sessions] == [True]
    # The first question chimes first; the ones after it follow straight on.
    assert [p.preannounce for p in sats.played(bedroom)][:2] == [True, False]


async def test_a_rating_out_of_range_is_asked_again_kindly(
    hass: HomeAssistant, init_integration: MockConfigEntry, sats: SatelliteHarness
) -> None:
    bedroom = sats.satellites["Bedroom"]
    sats.say(bedroom, "seven", "three", "stop")
    await start_on(hass, bedroom)
    assert sats.questions(bedroom)[1] == (
        "Let's keep it between one and five. Any number is okay. "
        "Maya, how connected did you feel today, from one to five?"
    )
    assert kinds(init_integration) == [(EventKind.CHECK_IN, "a")]
    assert init_integration.runtime_data.coordinator.journal.events[0].rating == 3


async def test_silence_is_asked_once_more_then_the_check_in_pauses(
    hass: HomeAssistant, init_integration: MockConfigEntry, sats: SatelliteHarness
) -> None:
    bedroom = sats.satellites["Bedroom"]
    sats.say(bedroom, "four", None, None)
    await start_on(hass, bedroom)
    questions = sats.questions(bedroom)
    assert questions[2] == (
        "Let me ask once more. Thank you, Maya. Jordan, how about you, from one to five?"
    )
    assert len(questions) == 3
    assert sats.announcements(bedroom)[-1].startswith("The check-in paused")
    coordinator = init_integration.runtime_data.coordinator
    assert kinds(init_integration) == [(EventKind.CHECK_IN, "a")]
    assert [s.complete for s in coordinator.journal.sessions] == [False]
    assert init_integration.runtime_data.dialogue.checkin is None


async def test_stopping_midway_keeps_what_was_said(
    hass: HomeAssistant, init_integration: MockConfigEntry, sats: SatelliteHarness
) -> None:
    bedroom = sats.satellites["Bedroom"]
    sats.say(bedroom, "three", "let's stop here")
    await start_on(hass, bedroom)
    assert sats.announcements(bedroom)[-1].startswith("Okay, we'll stop here.")
    coordinator = init_integration.runtime_data.coordinator
    assert kinds(init_integration) == [(EventKind.CHECK_IN, "a")]
    assert [s.complete for s in coordinator.journal.sessions] == [False]


async def test_a_satellite_in_one_partners_space_asks_that_partner_only(
    hass: HomeAssistant, init_integration: MockConfigEntry, sats: SatelliteHarness
) -> None:
    kitchen = sats.satellites["Kitchen"]
    hass.config_entries.async_update_entry(
        init_integration, options={CONF_SATELLITES_A: [sats.device_ids["Kitchen"]]}
    )
    sats.say(kitchen, "five", "stop")
    await start_on(hass, kitchen)
    assert sats.questions(kitchen)[0] == OPENING
    assert "Jordan" not in " ".join(sats.questions(kitchen))
    assert kinds(init_integration) == [(EventKind.CHECK_IN, "a")]


async def test_two_couples_hold_their_check_ins_on_their_own_satellites(
    hass: HomeAssistant, init_integration: MockConfigEntry, sats: SatelliteHarness
) -> None:
    other = MockConfigEntry(
        domain=DOMAIN, title="Ana & Ben", unique_id="ana|ben",
        data={CONF_PARTNER_A: "Ana", CONF_PARTNER_B: "Ben"},
    )  # fmt: skip
    other.add_to_hass(hass)
    assert await hass.config_entries.async_setup(other.entry_id)
    bedroom, kitchen = sats.satellites["Bedroom"], sats.satellites["Kitchen"]
    sats.say(bedroom, "four", "stop")
    sats.say(kitchen, "four", "three", "stop")
    await asyncio.gather(
        call(
            hass,
            "start_check_in",
            {"satellite": bedroom, "config_entry_id": init_integration.entry_id},
        ),
        call(hass, "start_check_in", {"satellite": kitchen, "config_entry_id": other.entry_id}),
    )
    await settle(hass)
    assert sats.questions(kitchen)[0].startswith(f"{FIRST_WELCOME} Ana,")
    assert kinds(init_integration) == [(EventKind.CHECK_IN, "a")]
    assert kinds(other) == [(EventKind.CHECK_IN, "a"), (EventKind.CHECK_IN, "b")]


async def test_a_satellite_that_cannot_listen_invites_instead(
    hass: HomeAssistant, init_integration: MockConfigEntry, sats: SatelliteHarness
) -> None:
    hall = sats.satellites["Hall"]
    assert await start_on(hass, hall) == {"started_on": []}
    assert sats.announcements(hall) == [
        "It's check-in time. When you're both ready, say: start our check-in."
    ]
    assert init_integration.runtime_data.dialogue.checkin is None


async def test_saying_start_to_a_built_in_agent_satellite_holds_it_without_wake_words(
    hass: HomeAssistant, init_integration: MockConfigEntry, sats: SatelliteHarness
) -> None:
    bedroom = sats.satellites["Bedroom"]
    sats.say(bedroom, "four", "five")
    result = await conversation.async_converse(
        hass, "start our check-in", None, Context(), language="en",
        agent_id=conversation.HOME_ASSISTANT_AGENT,
        device_id=sats.device_ids["Bedroom"], satellite_id=bedroom,
    )  # fmt: skip
    # The pipeline speaks the greeting; the questions follow once the satellite is idle.
    assert result.response.speech["plain"]["speech"] == FIRST_WELCOME
    await settle(hass)
    assert sats.questions(bedroom)[0] == "Maya, how connected did you feel today, from one to five?"
    assert kinds(init_integration) == [(EventKind.CHECK_IN, "a"), (EventKind.CHECK_IN, "b")]
    # No answer sentences are live for the rest of the house meanwhile.
    assert not init_integration.runtime_data.dialogue.listening


async def test_a_busy_satellite_is_never_talked_over(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sats: SatelliteHarness,
    frozen: FrozenDateTimeFactory,
) -> None:
    bedroom, kitchen = sats.satellites["Bedroom"], sats.satellites["Kitchen"]
    for entity_id in (bedroom, kitchen):
        attributes = dict(hass.states.get(entity_id).attributes)
        hass.states.async_set(entity_id, "responding", attributes)  # an announcement plays
    sats.say(bedroom, "four", "stop")
    await start_on(hass, bedroom)
    assert sats.questions(bedroom) == []
    hass.states.async_set(bedroom, "idle", attributes)
    await settle(hass)
    assert sats.questions(bedroom)[0] == OPENING

    # One that stays busy for a minute is left alone, and the check-in pauses.
    await start_on(hass, kitchen)
    frozen.tick(BUSY_SECONDS)
    async_fire_time_changed(hass)
    await settle(hass)
    assert sats.questions(kitchen) == []
    assert init_integration.runtime_data.dialogue.checkin is None
    # Nor is the pause announced over it.
    frozen.tick(BUSY_SECONDS)
    async_fire_time_changed(hass)
    await settle(hass)
    assert not sats.announcements(kitchen)


async def test_on_a_satellite_the_raiser_is_asked_whether_it_feels_repaired(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    sats: SatelliteHarness,
    frozen: FrozenDateTimeFactory,
) -> None:
    coordinator = init_integration.runtime_data.coordinator
    # Maya raised a hurt; a repair was logged by a voice nobody could place.
    await coordinator.async_record(coordinator.journal.log_rupture, hurt="a", author="a")
    await coordinator.async_record(coordinator.journal.log_repair, initiator="b")
    assert coordinator.data.open_ruptures == 1
    bedroom = sats.satellites["Bedroom"]
    sats.say(bedroom, "four", "three", "not yet", "stop")
    await start_on(hass, bedroom)
    assert sats.questions(bedroom)[2] == (
        "Thank you, Jordan. Maya, a repair was logged since you raised something."
        " Does it feel repaired for you? You can say yes, or not yet."
    )
    assert sats.announcements(bedroom)[0].startswith("Thank you for saying so, Maya.")
    assert coordinator.data.open_ruptures == 1
    (repair,) = [e for e in coordinator.journal.events if e.kind is EventKind.REPAIR]
    assert (repair.awaits, repair.held_open) == (None, True)
    await talk_time_passes(hass, frozen)  # then "stop" at the appreciation
    assert init_integration.runtime_data.dialogue.checkin is None
