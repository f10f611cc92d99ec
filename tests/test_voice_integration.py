"""Voice beyond sentences: LLM tools, satellites, the trigger shim, and several couples."""

from __future__ import annotations

from collections.abc import AsyncGenerator
import inspect
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    MockPlatform,
    MockUser,
    async_fire_time_changed,
    mock_config_flow,
    mock_integration,
    mock_platform,
)

from custom_components.reconnect.const import (
    CONF_PARTNER_A,
    CONF_PARTNER_B,
    CONF_PERSON_A,
    CONF_PERSON_B,
    CONF_SATELLITES_A,
    DOMAIN,
)
from custom_components.reconnect.journal import EventKind
from custom_components.reconnect.sentences import async_register_trigger
from homeassistant.components import conversation
from homeassistant.components.assist_satellite import (
    AssistSatelliteConfiguration,
    AssistSatelliteEntity,
    AssistSatelliteEntityFeature,
)
from homeassistant.components.assist_satellite.entity import AssistSatelliteState
from homeassistant.config_entries import ConfigFlow
from homeassistant.const import MAJOR_VERSION, MINOR_VERSION
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import chat_session, device_registry as dr, entity_registry as er, llm
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.setup import async_setup_component

from .conftest import FIRST_WELCOME

OUR_INTENTS = {
    "ReconnectStartCheckIn",
    "ReconnectCheckInAnswer",
    "ReconnectCheckInSkip",
    "ReconnectCheckInStop",
    "ReconnectLogBid",
    "ReconnectLogRupture",
    "ReconnectLogRepair",
    "ReconnectStatus",
    "ReconnectUndo",
    "ReconnectSnoozeReminders",
}
LLM_AGENT = "conversation.some_llm"
PIPELINE_HELPERS_TAKE_A_CHAT_LOG = (
    "chat_log" in inspect.signature(conversation.async_handle_intents).parameters
)


# HA 2026.8 takes LLM tools from each integration's llm.py (ours: custom_components/
# reconnect/llm.py), named <domain>__<name>; before, every intent was a tool by itself.
TOOLS_FROM_LLM_PLATFORMS = (MAJOR_VERSION, MINOR_VERSION) >= (2026, 8)
TOOL_PREFIX = f"{DOMAIN}__" if TOOLS_FROM_LLM_PLATFORMS else ""


def llm_context(device_id: str | None = None) -> llm.LLMContext:
    return llm.LLMContext(
        platform="test", context=Context(), language="en",
        assistant="conversation", device_id=device_id,
    )  # fmt: skip


def to_openapi(schema: Any) -> dict[str, Any]:
    """Convert a tool's parameters the way this HA's LLM agents do."""
    if TOOLS_FROM_LLM_PLATFORMS:
        import probatio

        return dict(probatio.to_openapi(schema, custom_serializer=llm.selector_serializer))
    import voluptuous_openapi

    return dict(voluptuous_openapi.convert(schema, custom_serializer=llm.selector_serializer))


async def test_every_intent_is_an_llm_tool_with_a_usable_schema(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, llm_context())
    tools = {tool.name.removeprefix(TOOL_PREFIX): tool for tool in api.tools}
    assert set(tools) >= OUR_INTENTS
    for name in OUR_INTENTS:
        tool = tools[name]
        assert tool.name == f"{TOOL_PREFIX}{name}"
        assert tool.description
        assert "Reconnect" in tool.description
        to_openapi(tool.parameters)  # what the LLM is sent
        if TOOLS_FROM_LLM_PLATFORMS:
            assert tool.integration == DOMAIN
    bid = to_openapi(tools["ReconnectLogBid"].parameters)
    assert bid["properties"]["response"]["enum"] == ["toward", "away", "against"]
    assert bid["required"] == ["response"]


async def test_an_llm_can_log_and_hold_a_check_in(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, llm_context())

    async def tool(name: str, **args: Any) -> str:
        tool_input = llm.ToolInput(tool_name=f"{TOOL_PREFIX}{name}", tool_args=args)
        result: Any = await api.async_call_tool(tool_input)
        # A ToolResult from HA 2026.x, the response dict before.
        data = getattr(result, "data", result)
        return str(data["speech"]["plain"]["speech"])

    assert (await tool("ReconnectLogBid", bidder="Maya", response="toward")).startswith("Noted")
    assert await tool("ReconnectLogBid", bidder="Sam", response="away") == (
        "I only know Maya and Jordan. Nothing was logged."
    )
    assert (await tool("ReconnectStartCheckIn")).endswith("from one to five?")
    assert (await tool("ReconnectCheckInAnswer", rating=4)).startswith("Thank you, Maya.")
    assert (await tool("ReconnectCheckInSkip")).startswith("That's fine")
    assert (await tool("ReconnectCheckInAnswer", appreciation="the soup")).startswith(
        "Thank you for sharing"
    )
    assert (await tool("ReconnectCheckInStop")).startswith("Okay, we'll stop here.")
    assert await tool("ReconnectCheckInAnswer", rating=3) == "We're not at that step right now."
    kinds = [e.kind for e in init_integration.runtime_data.coordinator.journal.events]
    assert kinds == [EventKind.BID, EventKind.CHECK_IN, EventKind.APPRECIATION]


class RecordingSatellite(AssistSatelliteEntity):
    """A satellite that records the conversations it is asked to start."""

    _attr_name = "Bedroom"
    _attr_unique_id = "bedroom-satellite"
    _attr_supported_features = (
        AssistSatelliteEntityFeature.START_CONVERSATION | AssistSatelliteEntityFeature.ANNOUNCE
    )

    def __init__(self) -> None:
        self.started: list[dict[str, Any]] = []
        self.announced: list[str] = []
        self.refuse = False  # behave like a pipeline on HA's built-in agent
        self._attr_device_info = dr.DeviceInfo(identifiers={("test_sat", "bedroom")})

    async def async_get_configuration(self) -> AssistSatelliteConfiguration:
        return AssistSatelliteConfiguration([], [], 1)

    async def async_set_configuration(self, config: AssistSatelliteConfiguration) -> None:
        """Nothing to configure."""

    def on_pipeline_event(self, event: Any) -> None:
        """Pipelines are not run in these tests."""

    async def async_internal_start_conversation(self, **kwargs: Any) -> None:
        # Record instead of synthesising speech: TTS is HA's part, not ours.
        if self.refuse:
            raise HomeAssistantError(
                "Built-in conversation agent does not support starting conversations"
            )
        self.started.append(kwargs)

    async def async_internal_announce(self, message: str | None = None, **kwargs: Any) -> None:
        self.announced.append(message or "")

    def set_state(self, state: AssistSatelliteState) -> None:
        self._set_state(state)


class SatelliteFlow(ConfigFlow):
    """The test satellite integration's (unused) config flow."""


@pytest.fixture
async def satellite(hass: HomeAssistant) -> AsyncGenerator[tuple[RecordingSatellite, str]]:
    """Set up a test satellite and return it with its device id."""
    entity = RecordingSatellite()

    async def setup_entry(
        hass: HomeAssistant, entry: Any, add: AddConfigEntryEntitiesCallback
    ) -> None:
        add([entity])

    async def setup_integration(hass: HomeAssistant, entry: Any) -> bool:
        await hass.config_entries.async_forward_entry_setups(entry, ["assist_satellite"])
        return True

    mock_integration(hass, MockModule("test_sat", async_setup_entry=setup_integration))
    mock_platform(hass, "test_sat.assist_satellite", MockPlatform(async_setup_entry=setup_entry))
    mock_platform(hass, "test_sat.config_flow")
    entry = MockConfigEntry(domain="test_sat")
    entry.add_to_hass(hass)
    with mock_config_flow("test_sat", SatelliteFlow):
        assert await async_setup_component(hass, "assist_satellite", {})
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        [device] = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
        yield entity, device.id


async def say_on_satellite(
    hass: HomeAssistant, text: str, device_id: str, agent_id: str
) -> str | None:
    """Run what an Assist pipeline runs for a satellite.

    The built-in agent handles everything. A pipeline on an LLM agent that prefers
    local commands tries sentence triggers, then HA's own intents (with our custom
    sentences), before the LLM; None means the LLM would get it.
    """
    satellite_id = next(
        (
            entry.entity_id
            for entry in er.async_entries_for_device(er.async_get(hass), device_id)
            if entry.domain == "assist_satellite"
        ),
        None,
    )
    if agent_id == conversation.HOME_ASSISTANT_AGENT:
        result = await conversation.async_converse(
            hass, text, None, Context(), language="en", agent_id=agent_id,
            device_id=device_id, satellite_id=satellite_id,
        )  # fmt: skip
        return str(result.response.speech["plain"]["speech"])
    user_input = conversation.ConversationInput(
        text=text,
        context=Context(),
        conversation_id=None,
        device_id=device_id,
        satellite_id=satellite_id,
        language="en",
        agent_id=agent_id,
    )
    with (
        chat_session.async_get_chat_session(hass) as session,
        conversation.async_get_chat_log(hass, session, user_input) as chat_log,
    ):
        # HA 2026.x passes the pipeline's chat log to both; HA 2025.x took none.
        extra = (chat_log,) if PIPELINE_HELPERS_TAKE_A_CHAT_LOG else ()
        reply = await conversation.async_handle_sentence_triggers(hass, user_input, *extra)
        if reply is not None:
            return reply
        response = await conversation.async_handle_intents(hass, user_input, *extra)
    return None if response is None else str(response.speech["plain"]["speech"])


async def test_a_satellite_with_an_llm_pipeline_asks_the_next_question_itself(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    satellite: tuple[RecordingSatellite, str],
) -> None:
    entity, device_id = satellite
    entity.set_state(AssistSatelliteState.PROCESSING)
    reply = await say_on_satellite(hass, "start our check-in", device_id, LLM_AGENT)
    # The reply is short; the question waits until the satellite is done speaking.
    assert reply == FIRST_WELCOME
    assert entity.started == []
    entity.set_state(AssistSatelliteState.RESPONDING)
    await hass.async_block_till_done()
    assert entity.started == []
    entity.set_state(AssistSatelliteState.IDLE)
    await hass.async_block_till_done()
    assert entity.started == [
        {
            "start_message": "Maya, how connected did you feel today, from one to five?",
            "preannounce": False,
        }
    ]
    entity.set_state(AssistSatelliteState.PROCESSING)
    assert await say_on_satellite(hass, "four", device_id, LLM_AGENT) == "Thank you, Maya."
    entity.set_state(AssistSatelliteState.IDLE)
    await hass.async_block_till_done()
    assert entity.started[-1]["start_message"] == "Jordan, how about you, from one to five?"
    # Tonight's question is for talking together: no open microphone after it.
    entity.set_state(AssistSatelliteState.PROCESSING)
    reply = await say_on_satellite(hass, "five", device_id, LLM_AGENT)
    assert reply is not None
    assert "Tonight's question" in reply
    assert reply.endswith("Or say done.")
    entity.set_state(AssistSatelliteState.IDLE)
    await hass.async_block_till_done()
    assert len(entity.started) == 2


async def test_a_satellite_that_cannot_listen_gets_the_question_in_the_reply(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    satellite: tuple[RecordingSatellite, str],
) -> None:
    # One that can (START_CONVERSATION) holds the check-in with ask_question:
    # tests/test_satellite_checkin.py.
    entity, device_id = satellite
    entity._attr_supported_features = AssistSatelliteEntityFeature.ANNOUNCE
    entity.async_write_ha_state()
    reply = await say_on_satellite(
        hass, "start our check-in", device_id, conversation.HOME_ASSISTANT_AGENT
    )
    assert reply == f"{FIRST_WELCOME} Maya, how connected did you feel today, from one to five?"
    entity.set_state(AssistSatelliteState.RESPONDING)
    entity.set_state(AssistSatelliteState.IDLE)
    await hass.async_block_till_done()
    assert entity.started == []


async def test_a_satellite_that_never_goes_idle_is_left_alone(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    satellite: tuple[RecordingSatellite, str],
    frozen: FrozenDateTimeFactory,
) -> None:
    entity, device_id = satellite
    entity.set_state(AssistSatelliteState.RESPONDING)
    await say_on_satellite(hass, "start our check-in", device_id, LLM_AGENT)
    frozen.tick(61)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    entity.set_state(AssistSatelliteState.IDLE)
    await hass.async_block_till_done()
    assert entity.started == []


async def test_a_partners_own_satellite_identifies_the_speaker(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    satellite: tuple[RecordingSatellite, str],
) -> None:
    _, device_id = satellite
    hass.config_entries.async_update_entry(
        init_integration, options={CONF_SATELLITES_A: [device_id]}
    )
    reply = await say_on_satellite(
        hass, "he turned away", device_id, conversation.HOME_ASSISTANT_AGENT
    )
    assert reply is not None
    assert reply.startswith("Noted: Maya reached out and Jordan turned away.")


async def test_a_shared_satellite_names_no_one_who_turned_away_even_for_a_known_voice(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    satellite: tuple[RecordingSatellite, str],
    users: dict[str, MockUser],
) -> None:
    """A kitchen speaker is heard by anyone: the reply names nobody who turned away.

    Maya is known by her login here, but the words came through a satellite that
    is in neither partner's own space. On her own phone the reply may name them.
    """
    _, device_id = satellite
    hass.config_entries.async_update_entry(
        init_integration,
        data={
            **init_integration.data,
            CONF_PERSON_A: "person.maya",
            CONF_PERSON_B: "person.jordan",
        },
    )
    await hass.async_block_till_done()  # a relink reloads the couple
    satellite_id = next(
        e.entity_id
        for e in er.async_entries_for_device(er.async_get(hass), device_id)
        if e.domain == "assist_satellite"
    )
    maya = Context(user_id=users["maya"].id)
    result = await conversation.async_converse(
        hass, "he turned away from me", None, maya, language="en",
        device_id=device_id, satellite_id=satellite_id,
    )  # fmt: skip
    reply = result.response.speech["plain"]["speech"]
    assert reply == "Noted. Say undo that if I got it wrong."
    journal = init_integration.runtime_data.coordinator.journal
    assert [(e.partner, e.response, e.author) for e in journal.events] == [("a", "away", "a")]

    # Typed in Assist with her own login, or on her own phone's companion app:
    # only she hears the reply, which may name them.
    phone_entry = MockConfigEntry(domain="mobile_app", data={"user_id": users["maya"].id})
    phone_entry.add_to_hass(hass)
    devices = dr.async_get(hass)
    phone = devices.async_get_or_create(
        config_entry_id=phone_entry.entry_id, identifiers={("mobile_app", "maya-pixel")}
    )
    other = MockConfigEntry(domain="some_voice_box")
    other.add_to_hass(hass)
    box = devices.async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("some_voice_box", "hall")}
    )
    for device, named in ((None, True), (phone.id, True), (box.id, False)):
        result = await conversation.async_converse(
            hass, "he turned away from me", None, maya, language="en", device_id=device
        )
        reply = result.response.speech["plain"]["speech"]
        assert reply.startswith("Noted: Maya reached out and Jordan turned away.") is named, (
            device,
            reply,
        )
    # The same phone, used by Jordan's login, is not his own: no names.
    jordan = Context(user_id=users["jordan"].id)
    result = await conversation.async_converse(
        hass, "she turned away from me", None, jordan, language="en", device_id=phone.id
    )
    assert result.response.speech["plain"]["speech"] == "Noted. Say undo that if I got it wrong."


async def test_the_trigger_shim_registers_and_removes_a_working_trigger(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    # Each lane runs one branch: TriggerDetails up to HA 2026.3 (minimum),
    # (sentences, trigger_callback) from 2026.4 (current).
    async def answer(_input: Any, _result: Any) -> str:
        return "hello to you"

    remove = async_register_trigger(hass, ["hello reconnect"], answer)
    result = await conversation.async_converse(hass, "hello reconnect", None, Context(), "en")
    assert result.response.speech["plain"]["speech"] == "hello to you"
    remove()
    result = await conversation.async_converse(hass, "hello reconnect", None, Context(), "en")
    assert result.response.speech["plain"]["speech"] != "hello to you"


async def test_two_couples_are_told_apart_by_names_and_speaker(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    other = MockConfigEntry(
        domain=DOMAIN, title="Sam & Alex", unique_id="alex|sam",
        data={CONF_PARTNER_A: "Sam", CONF_PARTNER_B: "Alex"},
    )  # fmt: skip
    other.add_to_hass(hass)
    assert await hass.config_entries.async_setup(other.entry_id)
    await hass.async_block_till_done()

    async def say(text: str) -> str:
        result = await conversation.async_converse(hass, text, None, Context(), "en")
        return str(result.response.speech["plain"]["speech"])

    assert (await say("Alex turned toward me")).startswith("Noted: Alex turned toward Sam.")
    assert (await say("Jordan apologized")).startswith("Noted: Jordan led a repair.")
    # No name and no known speaker: which couple is unclear, so nothing is logged.
    assert await say("we had a fight") == (
        "More than one couple is set up here, and I don't know which one you are."
    )
    assert [e.kind for e in other.runtime_data.coordinator.journal.events] == [EventKind.BID]
    assert [e.kind for e in init_integration.runtime_data.coordinator.journal.events] == [
        EventKind.REPAIR
    ]

    # Unloading a couple removes its names from the sentences.
    assert await hass.config_entries.async_unload(other.entry_id)
    assert not (await say("Alex turned toward me")).startswith("Noted")


async def test_renaming_a_partner_re_registers_the_sentences(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    result = await init_integration.start_reconfigure_flow(hass)
    await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PARTNER_A: "Mae", CONF_PARTNER_B: "Jordan"}
    )
    await hass.async_block_till_done()
    result = await conversation.async_converse(hass, "Mae apologized", None, Context(), "en")
    assert result.response.speech["plain"]["speech"] == "Noted: Mae led a repair. That matters."


async def test_unloading_during_a_check_in_keeps_it_as_partial(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    await conversation.async_converse(hass, "start our check-in", None, Context(), "en")
    await conversation.async_converse(hass, "four", None, Context(), "en")
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    stored = hass_storage[f"{DOMAIN}.{init_integration.entry_id}"]["data"]
    assert stored["sessions"][0].endswith(" partial")
    assert len(stored["events"]) == 1


async def test_an_llm_pipeline_on_a_device_without_a_satellite_hears_the_question(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    # Reconnect's own service device has sensors but no satellite entity.
    [device] = dr.async_entries_for_config_entry(dr.async_get(hass), init_integration.entry_id)
    reply = await say_on_satellite(hass, "start our check-in", device.id, LLM_AGENT)
    assert reply is not None
    assert reply.endswith("Maya, how connected did you feel today, from one to five?")
