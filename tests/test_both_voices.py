"""Both voices: who logged each entry, a one-sided picture, undo, a repair that belongs to both."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.reconnect.const import (
    CONF_DELIVERY,
    CONF_NOTIFY_A,
    CONF_NOTIFY_B,
    CONF_PARTNER_A,
    CONF_PARTNER_B,
    CONF_PERSON_A,
    CONF_PERSON_B,
    DOMAIN,
)
from custom_components.reconnect.journal import EventKind
from homeassistant.const import MAJOR_VERSION, MINOR_VERSION
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import llm
from homeassistant.util import dt as dt_util

from .conftest import ENTRY_ID, Assist, call

ACTIVITY = "event.maya_jordan_activity"
# HA 2026.8 asks llm.py for tools, named with the integration; before, every intent was one.
TOOL_PREFIX = f"{DOMAIN}__" if (MAJOR_VERSION, MINOR_VERSION) >= (2026, 8) else ""


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """Maya & Jordan, each linked to a person, with a phone each."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Maya & Jordan",
        data={
            CONF_PARTNER_A: "Maya",
            CONF_PERSON_A: "person.maya",
            CONF_PARTNER_B: "Jordan",
            CONF_PERSON_B: "person.jordan",
        },
        options={
            CONF_DELIVERY: {
                CONF_NOTIFY_A: ["notify.maya_phone"],
                CONF_NOTIFY_B: ["notify.jordan_phone"],
            }
        },
        unique_id="jordan|maya",
        entry_id=ENTRY_ID,
    )


def journal(entry: MockConfigEntry) -> Any:
    return entry.runtime_data.coordinator.journal


async def export(hass: HomeAssistant, user: MockUser) -> dict[str, Any]:
    return dict(
        await hass.services.async_call(
            DOMAIN,
            "export",
            {},
            blocking=True,
            return_response=True,
            context=Context(user_id=user.id),
        )
        or {}
    )


async def test_every_entry_says_who_logged_it(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    users: dict[str, MockUser],
) -> None:
    activity = async_capture_events(hass, "state_changed")
    # By voice, from a partner's own login; by a card tap (an action as that user);
    # by an automation (nobody); and by voice from a shared speaker (nobody known).
    assert (await Assist(hass, users["maya"])("Jordan turned toward me")).startswith("Noted")
    await hass.services.async_call(
        DOMAIN,
        "log_bid",
        {"bidder": "Maya", "response": "away"},
        blocking=True,
        context=Context(user_id=users["jordan"].id),
    )
    await call(hass, "log_repair", {"initiator": "Jordan"})
    assert (await Assist(hass)("we had a fight")).startswith("Noted")
    await hass.async_block_till_done()

    assert [e.author for e in journal(init_integration).events] == ["a", "b", None, None]
    data = await export(hass, users["maya"])
    assert [e["author"] for e in data["events"]] == ["a", "b", None, None]
    assert "Who started a fight is never stored" in data["about"]["partner"]
    logged_by = [
        e.data["new_state"].attributes.get("logged_by")
        for e in activity
        if e.data["entity_id"] == ACTIVITY and e.data["new_state"] is not None
    ]
    assert logged_by == ["Maya", "Jordan", None, None]


async def test_an_llm_tool_logs_as_the_user_who_asked(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    users: dict[str, MockUser],
) -> None:
    context = llm.LLMContext(
        platform="test",
        context=Context(user_id=users["jordan"].id),
        language="en",
        assistant="conversation",
        device_id=None,
    )
    api = await llm.async_get_api(hass, "assist", context)
    result: Any = await api.async_call_tool(
        llm.ToolInput(tool_name=f"{TOOL_PREFIX}ReconnectLogRepair", tool_args={"initiator": "both"})
    )
    data = getattr(result, "data", result)  # a ToolResult from HA 2026.x, a dict before
    assert data["speech"]["plain"]["speech"] == (
        "Noted: you both reached for each other. That matters."
    )
    assert data["speech_slots"] == {"logged_by": "Jordan"}
    (repair,) = journal(init_integration).events
    assert (repair.kind, repair.partner, repair.author) == (EventKind.REPAIR, "both", "b")


async def test_one_partners_account_names_no_roles_opens_nothing_and_says_so(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    users: dict[str, MockUser],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Maya logs 20 turned-against bids about Jordan over two weeks, by voice."""
    send_message = async_mock_service(hass, "notify", "send_message")
    for phone in ("notify.maya_phone", "notify.jordan_phone"):
        hass.states.async_set(phone, "unknown")
    maya = users["maya"]
    for n in range(20):
        voice = Assist(hass, maya)
        reply = await voice("Jordan snapped at me")
        # It asks before opening a rupture about Jordan; Maya does not answer.
        assert reply == (
            "Noted: Maya reached out and Jordan turned against it. That can hurt."
            " Do you want to mark this as something to repair? Yes or no."
        )
        if n % 3 == 0:
            assert await voice("no") == "Okay, just the bid, then."
        freezer.tick(timedelta(hours=16))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    await hass.async_block_till_done()

    events = list(journal(init_integration).events)
    assert [(e.kind, e.author) for e in events] == [(EventKind.BID, "a")] * 20
    assert hass.states.get("sensor.maya_jordan_open_ruptures").state == "0"
    cycle = hass.states.get("sensor.maya_jordan_cycle")
    # Without the one-sided rule this is pursue-withdraw, with Maya as the pursuer.
    assert cycle.state == "one_sided"
    assert "pursuer" not in cycle.attributes
    assert cycle.attributes["voices"] == "one_sided"
    assert hass.states.get("binary_sensor.maya_jordan_fewer_bids_logged_lately").state == "off"
    status = await Assist(hass)("how are we doing")
    # Aloud, short and named for no one; the card says the rest.
    assert status.endswith("Mostly one of you logged it.")

    # Reminders carry couple words only: no "reach out first", no "it's okay to rest".
    now = dt_util.now()
    await call(hass, "log_rupture", {"when": (now - timedelta(days=4)).isoformat()})
    reminders = init_integration.runtime_data.reminders
    assert await reminders.async_remind(now.replace(hour=21, minute=30)) is not None
    messages = [c.data["message"] for c in send_message]
    assert messages
    assert all(m.startswith("Something is still open between you.") for m in messages)


async def test_a_turned_against_bid_said_aloud_opens_a_rupture_only_on_yes(
    hass: HomeAssistant, init_integration: MockConfigEntry, users: dict[str, MockUser]
) -> None:
    voice = Assist(hass, users["maya"])
    assert (await voice("Jordan snapped at me")).endswith("Yes or no.")
    assert (await voice("yes")).startswith("Okay, it's marked as something to repair.")
    bid, rupture = journal(init_integration).events
    # Maya is the one hurt; Maya logged it. Nobody is recorded as having started it.
    assert (rupture.kind, rupture.partner, rupture.author, rupture.auto) == (
        EventKind.RUPTURE,
        "a",
        "a",
        False,
    )
    await hass.async_block_till_done()
    assert hass.states.get("sensor.maya_jordan_open_ruptures").state == "1"
    # A "yes" later, outside the question, is nobody's command.
    assert not (await Assist(hass, users["maya"])("yes")).startswith("Okay, it's marked")


@pytest.mark.parametrize(
    ("text", "response"),
    [
        ("Jordan sighed", "away"),
        ("I asked Jordan for a hand and he made a face", "away"),
        ("I told Jordan about my day and he grumbled", "away"),
        ("Jordan rolled his eyes at me", "against"),
        ("Jordan mocked me", "against"),
    ],
)
async def test_a_sigh_or_a_face_is_at_most_turning_away(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    users: dict[str, MockUser],
    text: str,
    response: str,
) -> None:
    await Assist(hass, users["maya"])(text)
    (bid,) = journal(init_integration).events
    assert (bid.partner, str(bid.response)) == ("a", response)


async def test_nobody_can_undo_what_the_other_partner_logged(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    users: dict[str, MockUser],
    freezer: FrozenDateTimeFactory,
) -> None:
    maya, jordan = users["maya"], users["jordan"]
    assert (await Assist(hass, maya)("Jordan turned toward me")).startswith("Noted")
    entries = [(e.kind, e.author) for e in journal(init_integration).events]
    # Jordan by voice, a shared speaker, Jordan's card tap, an automation, Jordan's LLM tool.
    for words in ("undo that", "undo what Maya just logged", "scratch that"):
        for user in (jordan, None):
            await Assist(hass, user)(words)
    for user_id in (jordan.id, None):
        with pytest.raises(ServiceValidationError) as err:
            await hass.services.async_call(
                DOMAIN, "undo_last", {}, blocking=True, context=Context(user_id=user_id)
            )
        assert err.value.translation_key == "undo_not_yours"
    context = llm.LLMContext(
        platform="test",
        context=Context(user_id=jordan.id),
        language="en",
        assistant="conversation",
        device_id=None,
    )
    api = await llm.async_get_api(hass, "assist", context)
    tool: Any = await api.async_call_tool(
        llm.ToolInput(tool_name=f"{TOOL_PREFIX}ReconnectUndo", tool_args={})
    )
    assert "only they can undo it" in getattr(tool, "data", tool)["speech"]["plain"]["speech"]
    assert [(e.kind, e.author) for e in journal(init_integration).events] == entries
    # Jordan's non-admin user cannot use the admin action either.
    with pytest.raises(Exception, match="Unauthorized|not authorized|admin"):
        await hass.services.async_call(
            DOMAIN, "remove_entry", {"entry": 1}, blocking=True, context=Context(user_id=jordan.id)
        )
    assert len(journal(init_integration).events) == 1

    # Maya can take back her own, once, within ten minutes; the removal leaves a trace.
    assert (await Assist(hass, maya)("undo that")) == "Removed the last entry: bid by Maya."
    assert "nothing to undo" in (await Assist(hass, maya)("undo that")).lower()
    data = await export(hass, maya)
    assert data["events"] == []
    assert [(r["kind"], r["removed_by"], r["author"]) for r in data["removals"]] == [
        ("bid", "a", "a")
    ]
    assert "text" not in data["removals"][0]
    # Too late: ten minutes on, undo no longer reaches it.
    await Assist(hass, maya)("Jordan turned toward me")
    freezer.tick(timedelta(minutes=11))
    assert "nothing to undo" in (await Assist(hass, maya)("undo that")).lower()
    assert len(journal(init_integration).events) == 1
    # An admin removes older entries, and that leaves a trace too.
    (entry,) = journal(init_integration).events
    await hass.services.async_call(
        DOMAIN, "remove_entry", {"entry": entry.id}, blocking=True, context=Context(user_id=maya.id)
    )
    data = await export(hass, maya)
    assert data["events"] == []
    assert len(data["removals"]) == 2
    removed = hass.states.get(ACTIVITY)
    assert removed.attributes["event_type"] == "entry_removed"


async def test_both_of_us_is_an_answer_and_the_raiser_has_a_say(
    hass: HomeAssistant, init_integration: MockConfigEntry, users: dict[str, MockUser]
) -> None:
    maya, jordan = users["maya"], users["jordan"]
    # Maya raises a hurt; Jordan logs a repair. It waits for Maya's say.
    assert (await Assist(hass, maya)("I'm hurt")).startswith("Noted. That sounds painful")
    reply = await Assist(hass, jordan)("I apologized to Maya")
    assert reply == (
        "Noted: Jordan led a repair. That matters."
        " At the next check-in I'll ask Maya whether it feels repaired for them too."
    )
    await hass.async_block_till_done()
    assert hass.states.get("sensor.maya_jordan_open_ruptures").state == "1"

    # At the next check-in Maya is asked, after the ratings. "Not yet" keeps it open.
    voice = Assist(hass)
    await voice("start our check-in")
    await voice("four")
    assert (await voice("three")).endswith(
        "Maya, a repair was logged since you raised something. Does it feel repaired for you?"
        " You can say yes, or not yet."
    )
    assert (await voice("not yet")).startswith(
        "Thank you for saying so, Maya. It stays open for now, and that's okay."
    )
    await voice("done")
    await hass.async_block_till_done()
    assert hass.states.get("sensor.maya_jordan_open_ruptures").state == "1"

    # "Both of us", when asked who reached out first, is an answer; Maya logs it herself.
    voice = Assist(hass, maya)
    assert (await voice("we made up")).endswith("Who reached out first: Maya or Jordan?")
    assert await voice("both of us") == "Noted: you both reached for each other. That matters."
    await hass.async_block_till_done()
    assert hass.states.get("sensor.maya_jordan_open_ruptures").state == "0"
    repairs = [e for e in journal(init_integration).events if e.kind is EventKind.REPAIR]
    assert [(r.partner, r.author, r.closes) for r in repairs] == [
        ("b", "b", False),
        ("both", "a", True),
    ]


async def test_the_raisers_yes_closes_the_rupture(
    hass: HomeAssistant, init_integration: MockConfigEntry, users: dict[str, MockUser]
) -> None:
    await Assist(hass, users["jordan"])("we had a fight")
    await call(hass, "log_repair", {"initiator": "both"})  # an automation: nobody known
    voice = Assist(hass)
    await voice("start our check-in")
    await voice("four")
    assert (await voice("two")).endswith("You can say yes, or not yet.")
    assert (await voice("yes it does")).startswith("Thank you, Jordan. I'm glad.")
    await hass.async_block_till_done()
    assert hass.states.get("sensor.maya_jordan_open_ruptures").state == "0"


@pytest.mark.parametrize(
    ("text", "speaker", "hurt"),
    [
        ("we had a massive row, I started it", "maya", None),
        ("Jordan started it", "maya", None),
        ("log a rupture raised by Jordan", "maya", None),
        ("so Maya and I had a bad argument, she brought it up", "jordan", None),
        ("things got heated and Jordan is hurt", "maya", "b"),
        ("Jordan is upset", "maya", "b"),
        ("I'm hurt", "jordan", "b"),
    ],
)
async def test_a_rupture_keeps_who_is_hurt_never_who_started_it(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    users: dict[str, MockUser],
    text: str,
    speaker: str,
    hurt: str | None,
) -> None:
    assert (await Assist(hass, users[speaker])(text)).startswith("Noted. That sounds painful")
    (rupture,) = journal(init_integration).events
    assert (rupture.kind, rupture.partner) == (EventKind.RUPTURE, hurt)
    assert rupture.author == ("a" if speaker == "maya" else "b")


async def test_the_first_check_in_says_once_what_is_kept(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    voice = Assist(hass)
    first = await voice("start our check-in")
    assert first.startswith("Welcome to your first check-in. Before we start:")
    assert "who logged it" in first
    assert "never who started a fight" in first
    assert "can read the notes" in first
    assert "Say stop at any time" in first
    await voice("stop")
    again = await Assist(hass)("start our check-in")
    assert again.startswith("Welcome to your check-in. Maya, how connected")
