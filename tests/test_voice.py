"""Voice, end to end through HA's real default agent: what is heard, said and stored."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
    async_fire_time_changed,
)
import yaml

from custom_components.reconnect import DATA_SENTENCES
from custom_components.reconnect.const import (
    CONF_PARTNER_A,
    CONF_PARTNER_B,
    CONF_PERSON_A,
    CONF_PERSON_B,
    DOMAIN,
)
from custom_components.reconnect.journal import EventKind
from homeassistant.components import conversation
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_CALL_SERVICE, EVENT_HOMEASSISTANT_STOP
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component

from .conftest import ENTRY_ID, FIRST_WELCOME, Assist, call

PHRASINGS: dict[str, list[Any]] = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "phrasings.yaml").read_text()
)


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """Maya & Jordan, each linked to a person."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Maya & Jordan",
        data={
            CONF_PARTNER_A: "Maya",
            CONF_PERSON_A: "person.maya",
            CONF_PARTNER_B: "Jordan",
            CONF_PERSON_B: "person.jordan",
        },
        unique_id="jordan|maya",
        entry_id=ENTRY_ID,
    )


def events(entry: MockConfigEntry) -> list[Any]:
    return list(entry.runtime_data.coordinator.journal.events)


def speaker(hass: HomeAssistant, users: dict[str, MockUser], case: dict[str, Any]) -> Assist:
    return Assist(hass, users[case["speaker"]] if "speaker" in case else None)


def test_every_intent_has_at_least_eight_phrasings() -> None:
    counts = {name: len(cases) for name, cases in PHRASINGS.items()}
    assert all(count >= 8 for count in counts.values()), counts


@pytest.mark.parametrize("text", PHRASINGS["ReconnectStartCheckIn"])
async def test_start_check_in(
    hass: HomeAssistant, init_integration: MockConfigEntry, text: str
) -> None:
    reply = await Assist(hass)(text)
    assert reply == f"{FIRST_WELCOME} Maya, how connected did you feel today, from one to five?"
    # Saying it again resumes; it does not start a second check-in.
    reply = await Assist(hass)(text)
    assert reply.startswith("Let's pick up where we were. Maya, how connected")


@pytest.mark.parametrize("case", PHRASINGS["ReconnectLogBid"], ids=lambda c: c["text"])
async def test_log_bid(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    users: dict[str, MockUser],
    case: dict[str, Any],
) -> None:
    reply = await speaker(hass, users, case)(case["text"])
    (event, *auto) = events(init_integration)
    assert (event.kind, event.partner, event.response) == (
        EventKind.BID,
        case["bidder"],
        case["response"],
    )
    bidder, responder = ("Maya", "Jordan") if case["bidder"] == "a" else ("Jordan", "Maya")
    if "speaker" in case or case["response"] == "toward":
        assert reply.startswith("Noted:")
        assert bidder in reply
        assert responder in reply
    else:
        # Heard where anyone may be listening: nobody is named as turning away or against.
        assert reply.startswith("Noted. Say undo that if I got it wrong.")
        assert "Maya" not in reply
        assert "Jordan" not in reply
    # Said aloud, turned against opens no rupture by itself: it asks first.
    assert auto == []
    assert reply.endswith("Do you want to mark this as something to repair? Yes or no.") == (
        case["response"] == "against"
    )


@pytest.mark.parametrize("case", PHRASINGS["ReconnectLogRupture"], ids=lambda c: c["text"])
async def test_log_rupture(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    users: dict[str, MockUser],
    case: dict[str, Any],
) -> None:
    reply = await speaker(hass, users, case)(case["text"])
    assert reply == (
        "Noted. That sounds painful, and it matters."
        " When you're both ready, a small step toward each other can help."
    )
    (event,) = events(init_integration)
    assert (event.kind, event.partner) == (EventKind.RUPTURE, case["partner"])
    await hass.async_block_till_done()  # the entities follow the reply
    assert hass.states.get("sensor.maya_jordan_open_ruptures").state == "1"


@pytest.mark.parametrize(
    ("text", "speaker_key", "reply"),
    [
        ("Maya brought up an issue", None, "How did Jordan respond?"),
        ("Jordan raised a concern with me earlier", "maya", "How did Maya respond?"),
        ("I raised something with Jordan", "maya", "How did Jordan respond?"),
        ("I brought up a worry", None, "Tell me who raised it and how it was met"),
    ],
)
async def test_raising_a_concern_is_a_bid_and_its_answer_is_asked_not_guessed(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    users: dict[str, MockUser],
    text: str,
    speaker_key: str | None,
    reply: str,
) -> None:
    """DOMAIN.md: raising a concern is fighting for the relationship, never a rupture."""
    answer = await Assist(hass, users[speaker_key] if speaker_key else None)(text)
    assert answer.startswith("Raising something is a way of reaching for each other.")
    assert reply in answer
    assert events(init_integration) == []  # how it was met is not known yet
    # The answer is an ordinary bid, from the one who raised it.
    said_by = users["jordan"] if "Jordan respond" in reply else users["maya"]
    if "Tell me" not in reply:
        assert (await Assist(hass, said_by)("I listened")).startswith("Noted")
        (bid,) = events(init_integration)
        assert (bid.kind, bid.response) == (EventKind.BID, "toward")
        assert bid.partner == ("a" if said_by is users["jordan"] else "b")


@pytest.mark.parametrize(
    ("text", "speaker_key", "bidder", "response"),
    [
        (
            "I asked Jordan to help with the gutters and he dropped everything",
            "maya",
            "a",
            "toward",
        ),
        ("asked Jordan how his day was and he kept scrolling", "maya", "a", "away"),
        ("Jordan asked Maya about her day and she rolled her eyes", "jordan", "b", "against"),
        ("Maya wanted a hug and I gave her a long one", "jordan", "a", "toward"),
        ("I kind of zoned out when Maya was telling me about her project", "jordan", "a", "away"),
        ("log a toward bid from Jordan to Maya", "maya", "b", "toward"),
        ("Jordan brushed me off rudely", "maya", "a", "against"),  # hostile outweighs missed
    ],
)
async def test_a_bid_told_as_a_story_is_read_from_how_it_was_met(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    users: dict[str, MockUser],
    text: str,
    speaker_key: str,
    bidder: str,
    response: str,
) -> None:
    """The story's last words, read with the same response words as every sentence."""
    assert (await Assist(hass, users[speaker_key])(text)).startswith("Noted")
    (bid,) = [e for e in events(init_integration) if e.kind is EventKind.BID]
    assert (bid.kind, bid.partner, bid.response) == (EventKind.BID, bidder, response)


async def test_a_story_that_does_not_say_how_it_was_met_is_asked_not_guessed(
    hass: HomeAssistant, init_integration: MockConfigEntry, users: dict[str, MockUser]
) -> None:
    assist = Assist(hass, users["maya"])
    assert await assist("I told Jordan about my day and he went to the shop") == (
        "I want to get this right, so nothing is logged yet. How did Jordan respond to Maya?"
        " You can say, for example, Jordan turned toward Maya, or Jordan turned away."
    )
    assert events(init_integration) == []
    assert (await assist("Jordan turned toward Maya")).startswith("Noted")
    assert [(e.partner, e.response) for e in events(init_integration)] == [("a", "toward")]


async def test_a_spoken_log_replies_first_and_the_entities_follow_in_one_loop_turn(
    hass: HomeAssistant, init_integration: MockConfigEntry, users: dict[str, MockUser]
) -> None:
    """Assist speaks without waiting for entity writes; actions still write before returning."""
    coordinator = init_integration.runtime_data.coordinator
    bids = "sensor.maya_jordan_turned_toward_each_other_7_days"
    activity: list[str] = []
    coordinator.async_add_activity_listener(lambda kind, _data: activity.append(kind))
    writes: list[tuple[str, Any]] = []

    @callback
    def written(event: Any) -> None:
        state = event.data["new_state"]
        writes.append((event.data["entity_id"], state.attributes.get("bids_7d") if state else None))

    hass.bus.async_listen("state_changed", written)

    reply = await Assist(hass, users["jordan"])("Maya reached out and I turned toward her")
    assert reply.startswith("Noted")
    assert coordinator.data.partners["a"].bids_made_7d == 1  # insights are current at once
    assert hass.states.get(bids).attributes["bids_7d"] == 0  # the entities follow the reply
    assert not activity
    await asyncio.sleep(0)
    assert hass.states.get(bids).attributes["bids_7d"] == 1
    assert activity == ["bid_logged"]

    # Two spoken logs in one loop turn write each entity once, in order.
    writes.clear()
    for _ in range(2):
        await coordinator.async_record(
            coordinator.journal.log_bid, bidder="a", response="toward", after_reply=True
        )
    await asyncio.sleep(0)
    assert hass.states.get(bids).attributes["bids_7d"] == 3
    assert [count for entity_id, count in writes if entity_id == bids] == [3]
    assert activity == ["bid_logged"] * 3

    # An action (automations may read the entity next) writes before it returns.
    await call(hass, "log_bid", {"bidder": "Maya", "response": "toward"})
    assert hass.states.get(bids).attributes["bids_7d"] == 4

    # Unloading right after a spoken log still writes what the reply held back.
    await coordinator.async_record(
        coordinator.journal.log_bid, bidder="a", response="toward", after_reply=True
    )
    writes.clear()
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    assert activity == ["bid_logged"] * 5
    assert [count for entity_id, count in writes if entity_id == bids][:1] == [5]


@pytest.mark.parametrize("case", PHRASINGS["ReconnectLogRepair"], ids=lambda c: c["text"])
async def test_log_repair(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    users: dict[str, MockUser],
    case: dict[str, Any],
) -> None:
    assist = speaker(hass, users, case)
    reply = await assist(case["text"])
    if "answer" in case:
        # Who led it is not in the sentence: ask, and log nothing yet.
        assert reply == "That's good to hear. Who reached out first: Maya or Jordan?"
        assert events(init_integration) == []
        reply = await assist(case["answer"])
    name = "Maya" if case["initiator"] == "a" else "Jordan"
    assert reply == f"Noted: {name} led a repair. That matters."
    (event,) = events(init_integration)
    assert (event.kind, event.partner) == (EventKind.REPAIR, case["initiator"])


async def test_an_ambiguous_bid_with_an_unknown_speaker_asks_and_logs_nothing(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assist = Assist(hass)
    assert await assist("he turned away") == (
        "Who reached out: Maya or Jordan? Nothing is logged until you say."
    )
    assert events(init_integration) == []
    # Said where anyone may hear, by a voice not placed: nobody named as turning away.
    assert await assist("it was Jordan") == "Noted. Say undo that if I got it wrong."
    assert [(e.partner, e.response) for e in events(init_integration)] == [("b", "away")]


async def test_a_who_question_expires_and_a_bare_name_is_not_captured_later(
    hass: HomeAssistant, init_integration: MockConfigEntry, frozen: FrozenDateTimeFactory
) -> None:
    assist = Assist(hass)
    await assist("we made up")
    frozen.tick(timedelta(minutes=3))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert await assist("Maya") != "Noted: Maya led a repair. That matters."
    assert events(init_integration) == []


async def test_unknown_response_or_name_is_explained_and_nothing_logged(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assist = Assist(hass)
    assert await assist("Jordan turned purple") == (
        "I can log a bid as turned toward, turned away, or turned against. Nothing was logged."
    )
    # A name that is not a partner's is not one of our sentences.
    reply = await assist("Sam turned toward me")
    assert "Noted" not in reply
    assert events(init_integration) == []


@pytest.mark.parametrize("text", PHRASINGS["ReconnectStatus"])
async def test_status(hass: HomeAssistant, init_integration: MockConfigEntry, text: str) -> None:
    assert await Assist(hass)(text) == (
        "No check-ins in the last two weeks, and that's okay."
        " Nothing is open between you right now."
    )
    await call(hass, "log_check_in", {"partner": "Maya", "rating": 4})
    await call(hass, "log_repair", {"initiator": "Jordan", "when": "2026-11-18T10:00:00"})
    await call(hass, "log_rupture")
    assert await Assist(hass)(text) == (
        "Checked in one of the last 14 nights. One thing is still open between you."
    )


@pytest.mark.parametrize("text", PHRASINGS["ReconnectUndo"])
async def test_undo(hass: HomeAssistant, init_integration: MockConfigEntry, text: str) -> None:
    await call(hass, "log_repair", {"initiator": "Maya"})
    await call(hass, "log_bid", {"bidder": "Jordan", "response": "against"})
    assert await Assist(hass)(text) == "Removed the last entry: bid by Jordan."
    assert [e.kind for e in events(init_integration)] == [EventKind.REPAIR]
    # Undo takes back the last entry only: it never walks back through the history.
    assert await Assist(hass)(text) == (
        "There's nothing to undo. Undo takes back only the last entry,"
        " within ten minutes of logging it."
    )
    assert [e.kind for e in events(init_integration)] == [EventKind.REPAIR]


async def test_a_full_check_in(
    hass: HomeAssistant, init_integration: MockConfigEntry, users: dict[str, MockUser]
) -> None:
    await call(hass, "log_check_in", {"partner": "Maya", "rating": 4, "when": "2026-11-19T21:00"})
    await call(hass, "log_rupture", {"when": "2026-11-19T22:00"})
    assist = Assist(hass, users["maya"])
    assert (await assist("start our check-in")).endswith(
        "Maya, how connected did you feel today, from one to five?"
    )
    assert await assist("I'd say four") == (
        "Thank you, Maya. Jordan, how about you, from one to five?"
    )
    reply = await assist("three out of five")
    assert reply.startswith("Thank you, Jordan. Tonight's question, for you to ask each other: ")
    assert reply.endswith("Or say done.")
    assert await assist("I appreciated the tea you made") == (
        "Thank you for sharing that. Anything else you appreciated? Or say done."
    )
    assert await assist("done") == (
        "Thanks for checking in together. That's 2 of the last 14 nights you've checked in."
        " Something is still "
        "open between you. When you're both ready, a small step toward repair can help."
    )
    journal = init_integration.runtime_data.coordinator.journal
    tonight = [(e.kind, e.partner, e.rating, e.text) for e in journal.events][2:]
    assert tonight == [
        (EventKind.CHECK_IN, "a", 4, None),
        (EventKind.CHECK_IN, "b", 3, None),
        (EventKind.APPRECIATION, "a", None, "the tea you made"),
    ]
    (session,) = journal.sessions
    assert session.complete
    assert hass.states.get("binary_sensor.maya_jordan_checked_in_today").state == "on"
    # After the check-in, answers are no longer heard.
    assert "Thank you" not in await assist("four")
    assert len(journal.events) == 5


@pytest.mark.parametrize("case", PHRASINGS["ReconnectCheckInAnswer"], ids=lambda c: c["text"])
async def test_rating_phrasings(
    hass: HomeAssistant, init_integration: MockConfigEntry, case: dict[str, Any]
) -> None:
    assist = Assist(hass)
    await assist("start our check-in")
    assert await assist(case["text"]) == "Thank you, Maya. Jordan, how about you, from one to five?"
    (event, *auto) = events(init_integration)
    assert (event.kind, event.partner, event.rating) == (EventKind.CHECK_IN, "a", case["rating"])
    # A night rated 1 or 2 is honest information, not a fight: no rupture by default.
    assert [e.kind for e in auto] == []


@pytest.mark.parametrize("case", PHRASINGS["appreciations"], ids=lambda c: c["text"])
async def test_appreciation_phrasings(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    users: dict[str, MockUser],
    case: dict[str, Any],
) -> None:
    assist = Assist(hass, users["jordan"])
    for text in ("start our check-in", "four", "five"):
        await assist(text)
    assert (await assist(case["text"])).startswith("Thank you for sharing that.")
    event = events(init_integration)[-1]
    assert (event.kind, event.partner, event.text) == (EventKind.APPRECIATION, "b", case["stored"])


async def test_an_out_of_range_rating_is_re_asked_kindly_and_not_stored(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assist = Assist(hass)
    await assist("start our check-in")
    assert await assist("seven") == (
        "Let's keep it between one and five. Any number is okay. "
        "Maya, how connected did you feel today, from one to five?"
    )
    assert await assist("zero") == await assist("ten")
    assert events(init_integration) == []
    assert (await assist("five")).startswith("Thank you, Maya.")


@pytest.mark.parametrize("text", PHRASINGS["ReconnectCheckInSkip"])
async def test_skip_phrasings(
    hass: HomeAssistant, init_integration: MockConfigEntry, text: str
) -> None:
    assist = Assist(hass)
    await assist("start our check-in")
    assert await assist(text) == (
        "That's fine, we'll leave that one. Jordan, how about you, from one to five?"
    )
    assert events(init_integration) == []


@pytest.mark.parametrize("text", PHRASINGS["ReconnectCheckInStop"])
async def test_stop_phrasings_keep_what_was_said_as_partial(
    hass: HomeAssistant, init_integration: MockConfigEntry, text: str
) -> None:
    assist = Assist(hass)
    await assist("start our check-in")
    await assist("four")
    assert await assist(text) == (
        "Okay, we'll stop here. What you shared is saved. Missing a night is not failure."
    )
    journal = init_integration.runtime_data.coordinator.journal
    assert [(e.partner, e.rating) for e in journal.events] == [("a", 4)]
    (session,) = journal.sessions
    assert not session.complete
    assert "Thank you" not in await assist("five")


async def test_a_check_in_that_times_out_is_kept_as_partial(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    frozen: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    assist = Assist(hass)
    await assist("start our check-in")
    await assist("four")
    frozen.tick(timedelta(minutes=11))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    journal = init_integration.runtime_data.coordinator.journal
    (session,) = journal.sessions
    assert not session.complete
    assert hass_storage[f"{DOMAIN}.{ENTRY_ID}"]["data"]["sessions"][0].endswith(" partial")
    # The answer sentences are gone: a bare number is no longer ours.
    assert "Thank you" not in await assist("five")
    # Starting again begins a fresh check-in.
    assert (await assist("start our check-in")).startswith("Welcome to your check-in.")


async def test_a_bare_number_without_a_check_in_is_never_captured(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    for text in ("four", "done", "skip", "stop"):
        reply = await Assist(hass)(text)
        assert "Thank you" not in reply
        assert "check-in" not in reply
    assert events(init_integration) == []


async def test_prompts_rotate_and_are_not_repeated_within_14_days(
    hass: HomeAssistant, init_integration: MockConfigEntry, frozen: FrozenDateTimeFactory
) -> None:
    asked = []
    for _ in range(20):
        assist = Assist(hass)
        await assist("start our check-in")
        await assist("skip")
        reply = await assist("skip")
        asked.append(
            reply.split("Tonight's question, for you to ask each other: ")[1].split("?")[0]
        )
        await assist("done")
        frozen.tick(timedelta(days=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    for day, prompt in enumerate(asked):
        assert prompt not in asked[max(0, day - 13) : day]
    assert len(init_integration.runtime_data.coordinator.journal.prompts_used) == 20


async def test_asking_who_during_a_check_in_does_not_take_over_the_answers(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assist = Assist(hass)
    await assist("start our check-in")
    assert await assist("we made up") == (
        "Let's finish the check-in first. Afterwards, tell me again and say who, by name. "
        "Nothing was logged."
    )
    assert (await assist("four")).startswith("Thank you, Maya.")


async def test_an_unknown_speaker_saying_me_to_who_logs_nothing(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assist = Assist(hass)
    await assist("log a repair")
    assert await assist("it was me") == "I didn't catch who. Nothing was logged."
    assert events(init_integration) == []


async def test_the_status_counts_in_words_and_stays_short(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    for _ in range(2):
        await call(hass, "log_rupture")
    assert await Assist(hass)("how are we doing") == (
        "No check-ins in the last two weeks, and that's okay. 2 things are still open between you."
    )
    # The longest it can be: nights checked in, open ruptures, one voice, and support.
    lang = init_integration.runtime_data.dialogue.lang
    longest = " ".join(
        [
            lang.say_count("status_nights", 12),
            lang.say_count("status_open", 12),
            max(lang.say("status_one_sided"), lang.say("status_unrecognised"), key=len),
            lang.say("status_support"),
        ]
    )
    assert len(longest.split()) <= 32, longest
    assert "violence" not in longest
    assert "therapist" not in longest


async def test_status_after_a_repair_today(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    await call(hass, "log_repair", {"initiator": "Maya"})
    assert await Assist(hass)("how are we doing") == (
        "No check-ins in the last two weeks, and that's okay. You repaired today."
    )


# Firing the stop event by hand leaves HA's own chat-session cleanup timer behind.
@pytest.mark.parametrize("expected_lingering_timers", [True])
async def test_home_assistant_stopping_removes_every_answer_trigger(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assist = Assist(hass)
    await assist("start our check-in")
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()
    assert "Thank you" not in await assist("four")
    assert not init_integration.runtime_data.coordinator.journal.events


async def test_custom_sentences_follow_the_couples(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    path = Path(hass.config.path("custom_sentences", "en", "reconnect.yaml"))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Written by the Reconnect integration")
    written = yaml.safe_load(text)
    assert written["lists"]["reconnect_partner"]["values"] == [
        {"in": "Jordan", "out": "Jordan"},
        {"in": "Maya", "out": "Maya"},
    ]
    assert "<partner>" not in text
    reloads = async_capture_events(hass, EVENT_CALL_SERVICE)

    # A rename rewrites them, and Assist knows the new name at once.
    hass.config_entries.async_update_entry(
        init_integration, data={**init_integration.data, CONF_PARTNER_B: "Sam"}
    )
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert "Sam" in path.read_text(encoding="utf-8")
    assert "Jordan" not in path.read_text(encoding="utf-8")
    assert (await Assist(hass)("Sam turned toward me")).startswith("Noted: Sam turned toward Maya")
    assert [(e.data["domain"], e.data["service"]) for e in reloads] == [("conversation", "reload")]

    # Set up again with the same names (as at every start): the file is left alone.
    written_at = path.stat().st_mtime_ns
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert path.stat().st_mtime_ns == written_at
    assert len(reloads) == 1

    # Removing the couple deletes the file, and Assist forgets the sentences.
    assert await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert not path.exists()
    assert "Noted" not in await Assist(hass)("Sam turned toward me")


async def test_two_couples_share_one_sentences_file(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    second = MockConfigEntry(
        domain=DOMAIN,
        title="Ana & Ben",
        data={CONF_PARTNER_A: "Ana", CONF_PARTNER_B: "Ben"},
        unique_id="ana|ben",
    )
    second.add_to_hass(hass)
    assert await hass.config_entries.async_setup(second.entry_id)
    await hass.async_block_till_done()
    path = Path(hass.config.path("custom_sentences", "en", "reconnect.yaml"))
    names = [
        v["out"] for v in yaml.safe_load(path.read_text())["lists"]["reconnect_partner"]["values"]
    ]
    assert names == ["Ana", "Ben", "Jordan", "Maya"]
    assert (await Assist(hass)("Ben turned toward Ana")).startswith("Noted: Ben turned toward Ana")
    assert len(second.runtime_data.coordinator.journal.events) == 1
    assert not init_integration.runtime_data.coordinator.journal.events
    assert await hass.config_entries.async_remove(second.entry_id)
    await hass.async_block_till_done()
    names = [
        v["out"] for v in yaml.safe_load(path.read_text())["lists"]["reconnect_partner"]["values"]
    ]
    assert names == ["Jordan", "Maya"]


@pytest.mark.parametrize(
    "error",
    [
        FileNotFoundError("configuration.yaml"),  # HA 2026.x re-reads it on a full reload
        HomeAssistantError("a broken custom sentences file"),
    ],
)
async def test_a_failed_sentence_reload_falls_back_to_triggers_and_says_so(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    frozen: FrozenDateTimeFactory,
    error: Exception,
) -> None:
    failing = True

    async def reload(_call: ServiceCall) -> None:
        if failing:
            raise error

    assert await async_setup_component(hass, conversation.DOMAIN, {})
    hass.services.async_register(conversation.DOMAIN, "reload", reload)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert mock_config_entry.state is ConfigEntryState.LOADED
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "sentences_not_reloaded")
    assert issue is not None
    assert issue.translation_placeholders == {"error": type(error).__name__}
    # Every family of always-live sentences is still heard, with its slots.
    assistant = Assist(hass)
    assert (await assistant("Jordan apologized")).startswith("Noted: Jordan led a repair.")
    assert (await assistant("log a bid from Maya that was turned toward")).startswith(
        "Noted: Jordan turned toward Maya."
    )
    assert (await assistant("start our check-in")).endswith("from one to five?")
    kinds = [e.kind for e in mock_config_entry.runtime_data.coordinator.journal.events]
    assert kinds == [EventKind.REPAIR, EventKind.BID]
    assert hass.data[DATA_SENTENCES].falling_back

    # The next reload that works withdraws the notice and the stand-in triggers.
    failing = False
    hass.config_entries.async_update_entry(
        mock_config_entry, data={**mock_config_entry.data, CONF_PARTNER_B: "Sam"}
    )
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, "sentences_not_reloaded") is None
    assert not hass.data[DATA_SENTENCES].falling_back
