"""Reminders, the cycle entities, the activity event, and bedtime automations, in HA."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.reconnect.const import (
    CONF_ANNOUNCE,
    CONF_CHECK_IN_TIME,
    CONF_DELIVERY,
    CONF_NOTIFY_A,
    CONF_NOTIFY_B,
    CONF_OWN_DEVICES,
    CONF_PERSISTENT,
    CONF_PERSON_A,
    CONF_PERSON_B,
    CONF_QUIET_END,
    CONF_QUIET_START,
    DOMAIN,
)
from custom_components.reconnect.cycle import Cycle, CycleState, Voices
from custom_components.reconnect.phones import Phone, own_phones
from custom_components.reconnect.reminder_rules import (
    ReminderReason,
    early_warning_risk,
    early_warning_step,
    reminder_extras,
    reminder_messages,
    snooze_until,
    track_warning,
)
from custom_components.reconnect.state import WarningEpisode
from custom_components.reconnect.store import (
    STORAGE_MINOR_VERSION,
    STORAGE_VERSION,
    decode_journal,
    encode_journal,
)
from homeassistant.components import conversation, persistent_notification
from homeassistant.components.assist_satellite import AssistSatelliteEntityFeature
from homeassistant.config_entries import ConfigEntryDisabler
from homeassistant.core import Context, HomeAssistant, ServiceCall
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component

from .conftest import ENTRY_ID, FIRST_WELCOME, Assist, call
from .satellite_harness import async_setup_satellites
from .test_satellite_checkin import settle
from .test_voice_integration import RecordingSatellite, satellite  # noqa: F401

KEY = f"{DOMAIN}.{ENTRY_ID}"
NOTIFICATION = f"{DOMAIN}_{ENTRY_ID}_reminder"
ACTIVITY = "event.maya_jordan_activity"
NEUTRAL = "Reconnect has a note for you."
# The test zone is Los Angeles: 21:30 there is 05:30 UTC the next morning.
CHECK_IN_UTC = "2026-11-{day} 05:30:00+00:00"


def init_integration_pursuer(entry: MockConfigEntry) -> str | None:
    """Who the cycle reads as pursuing: known to the reminders, never on an entity."""
    return entry.runtime_data.coordinator.data.cycle.pursuer


def notifications(hass: HomeAssistant) -> dict[str, Any]:
    return persistent_notification._async_get_or_create_notifications(hass)


async def at(hass: HomeAssistant, freezer: FrozenDateTimeFactory, instant: str) -> None:
    freezer.move_to(instant)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


def seeded(events: list[str], **extra: Any) -> dict[str, Any]:
    """Stored journal data (rows as store.py writes them), as hass_storage wants it."""
    return {
        "version": STORAGE_VERSION,
        "minor_version": STORAGE_MINOR_VERSION,
        "key": KEY,
        "data": {"next_id": len(events) + 1, "events": events, **extra},
    }


def rows(kind: str, partner: str, value: str, days: range, base: datetime) -> list[str]:
    return [
        f"0 {int((base - timedelta(days=d)).timestamp())} {kind} {partner} {value}" for d in days
    ]


def numbered(rows_: list[str]) -> list[str]:
    return [f"{n} {row.split(' ', 1)[1]}" for n, row in enumerate(rows_, start=1)]


@pytest.fixture
async def sidebar(hass: HomeAssistant, init_integration: MockConfigEntry) -> MockConfigEntry:
    """Reconnect for Maya & Jordan, with the sidebar notification turned on (off by default)."""
    hass.config_entries.async_update_entry(
        init_integration, options={CONF_DELIVERY: {CONF_PERSISTENT: True}}
    )
    await hass.async_block_till_done()
    return init_integration


async def test_a_repair_reminder_comes_at_check_in_time_once_a_day_and_clears(
    hass: HomeAssistant, sidebar: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    sent: list[Any] = []
    sidebar.runtime_data.coordinator.async_add_activity_listener(lambda t, d: sent.append((t, d)))
    await call(hass, "log_rupture", {"when": "2026-11-16T20:00:00"})

    await at(hass, freezer, "2026-11-21 05:29:59+00:00")
    assert NOTIFICATION not in notifications(hass)
    await at(hass, freezer, CHECK_IN_UTC.format(day=21))
    note = notifications(hass)[NOTIFICATION]
    assert note["title"] == "Reconnect"
    assert note["message"].startswith("Something is still open between you.")
    reminders = [d for t, d in sent if t == "reminder_sent"]
    assert reminders == [{"reason": "repair"}]

    # Once a day: the same day's later tick sends nothing more.
    persistent_notification.async_dismiss(hass, NOTIFICATION)
    await at(hass, freezer, "2026-11-21 06:30:00+00:00")
    assert NOTIFICATION not in notifications(hass)

    # The next evening it is still due, so it comes again, and a repair clears it.
    await at(hass, freezer, CHECK_IN_UTC.format(day=22))
    assert NOTIFICATION in notifications(hass)
    await call(hass, "log_repair", {"initiator": "Jordan"})
    assert NOTIFICATION not in notifications(hass)
    await at(hass, freezer, CHECK_IN_UTC.format(day=23))
    assert NOTIFICATION not in notifications(hass)
    assert [t for t, _ in sent].count("reminder_sent") == 2


async def test_a_check_in_reminder_after_three_quiet_nights_clears_on_check_in(
    hass: HomeAssistant, sidebar: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await call(hass, "log_check_in", {"partner": "Maya", "rating": 4, "when": "2026-11-17T21:00"})
    await at(hass, freezer, CHECK_IN_UTC.format(day=21))  # the 20th, 3 nights on
    assert notifications(hass)[NOTIFICATION]["message"].startswith(
        "It's been a little while since your last check-in."
    )
    await call(hass, "log_check_in", {"partner": "Jordan", "rating": 3})
    assert NOTIFICATION not in notifications(hass)


async def test_nothing_is_sent_in_quiet_hours(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    # The options flow refuses this; set it directly to prove the guard holds anyway.
    hass.config_entries.async_update_entry(
        init_integration,
        options={
            CONF_CHECK_IN_TIME: "23:00:00",
            CONF_QUIET_START: "22:30:00",
            CONF_QUIET_END: "08:00:00",
            CONF_DELIVERY: {CONF_PERSISTENT: True},
        },
    )
    await hass.async_block_till_done()
    await call(hass, "log_rupture", {"when": "2026-11-10T20:00:00"})
    for day in (21, 22, 23):
        await at(hass, freezer, f"2026-11-{day} 07:00:00+00:00")  # 23:00 local
    assert NOTIFICATION not in notifications(hass)


async def test_a_snooze_survives_a_restart(
    hass: HomeAssistant,
    sidebar: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    await call(hass, "log_rupture", {"when": "2026-11-10T20:00:00"})
    response = await call(hass, "snooze_reminders", {"days": 2}, return_response=True)
    assert response == {"snoozed_until": "2026-11-22"}
    assert await hass.config_entries.async_reload(sidebar.entry_id)
    assert hass_storage[KEY]["data"]["reminders"]["snoozed_until"] == "2026-11-22"

    await at(hass, freezer, CHECK_IN_UTC.format(day=21))  # the 20th
    await at(hass, freezer, CHECK_IN_UTC.format(day=22))  # the 21st
    assert NOTIFICATION not in notifications(hass)
    await at(hass, freezer, CHECK_IN_UTC.format(day=23))  # the 22nd: snooze over
    assert NOTIFICATION in notifications(hass)
    # Snoozing 0 days resumes at once.
    assert await call(hass, "snooze_reminders", {"days": 0}, return_response=True) == {
        "snoozed_until": None
    }


async def test_a_dst_week_sends_reminders_at_local_time(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to("2026-10-22 12:00:00+00:00")
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    sent: list[str] = []
    mock_config_entry.runtime_data.coordinator.async_add_activity_listener(
        lambda t, _: sent.append(t)
    )
    await call(hass, "log_rupture", {"when": "2026-10-20T20:00:00"})

    # 21:30 in Berlin is 19:30 UTC in summer time and 20:30 UTC after 25 October.
    # Due from the 23rd; reminders back off, so the next is two days later.
    checks = [
        ("2026-10-23 19:30:00+00:00", 1),
        ("2026-10-24 19:30:00+00:00", 1),
        ("2026-10-25 19:30:00+00:00", 1),  # 20:30 local after the switch: not yet
        ("2026-10-25 20:30:00+00:00", 2),
        ("2026-10-26 20:30:00+00:00", 2),
        ("2026-10-26 23:00:00+00:00", 2),
    ]
    for instant, count in checks:
        await at(hass, freezer, instant)
        assert sent.count("reminder_sent") == count, instant


async def test_reminders_back_off_then_stop_and_offer_a_snooze_or_a_talk(
    hass: HomeAssistant, sidebar: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    sent: list[str] = []
    sidebar.runtime_data.coordinator.async_add_activity_listener(lambda t, _: sent.append(t))
    # Opened the evening of the 18th: a repair reminder is due from the 21st.
    await call(hass, "log_rupture", {"when": "2026-11-18T20:00:00"})
    days: list[int] = []
    messages: list[str] = []
    for day in range(20, 30):  # the local evenings of the 20th to the 29th
        if day > 20:
            await at(hass, freezer, f"2026-11-{day} 08:00:00+00:00")  # local midnight
        await at(hass, freezer, CHECK_IN_UTC.format(day=day + 1))
        if NOTIFICATION in notifications(hass):
            days.append(day)
            messages.append(notifications(hass)[NOTIFICATION]["message"])
            persistent_notification.async_dismiss(hass, NOTIFICATION)
    # Days 3, 5 and 9 of the open rupture, then nothing more.
    assert days == [21, 23, 27]
    assert sent.count("reminder_sent") == 3
    assert "last reminder" not in messages[0]
    assert "last reminder" not in messages[1]
    assert "This is the last reminder about this for now." in messages[2]
    assert "snooze" in messages[2]
    assert "talk" in messages[2]
    assert not any("few days" in m for m in messages)


async def test_a_connected_couple_gets_no_role_words(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    freezer.move_to("2026-11-20 22:00:00+00:00")
    now = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)
    # Maya does most of the reaching, and Jordan turns toward nearly every bid.
    # Both log ("@a", "@b"): Jordan logs his own part too, so roles can be named.
    events = numbered(
        rows("bid@a", "a", "toward", range(8), now)
        + rows("bid@b", "a", "toward", range(8, 12), now)
        + rows("bid@b", "b", "toward", range(2), now)
        + rows("rupture", "-", "-", range(5, 6), now)
    )
    hass_storage[KEY] = seeded(events)
    send_message = async_mock_service(hass, "notify", "send_message")
    hass.states.async_set("notify.maya_phone", "unknown")
    hass.states.async_set("notify.jordan_phone", "unknown")
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry,
        options={
            CONF_DELIVERY: {
                CONF_NOTIFY_A: ["notify.maya_phone"],
                CONF_NOTIFY_B: ["notify.jordan_phone"],
                CONF_PERSISTENT: True,
            }
        },
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    cycle = hass.states.get("sensor.maya_jordan_cycle")
    assert cycle.state == "connected"
    assert init_integration_pursuer(mock_config_entry) == "a"

    await at(hass, freezer, CHECK_IN_UTC.format(day=21))
    assert [c.data["message"] for c in send_message] == [
        notifications(hass)[NOTIFICATION]["message"]
    ] * 2


async def test_each_delivery_route_gets_role_aware_words(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    freezer.move_to("2026-11-20 22:00:00+00:00")
    now = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)
    # Maya reaches daily and is mostly missed; a rupture has been open five days.
    # Both log ("@a", "@b"), so the picture has both voices.
    events = numbered(
        rows("bid@a", "a", "away", range(8), now)
        + rows("bid@b", "a", "away", range(8, 12), now)
        + rows("bid@b", "b", "toward", range(2), now)
        + rows("rupture", "-", "-", range(5, 6), now)
    )
    hass_storage[KEY] = seeded(events)
    send_message = async_mock_service(hass, "notify", "send_message")
    legacy = async_mock_service(hass, "notify", "mobile_app_jordan")
    announce = async_mock_service(hass, "assist_satellite", "announce")
    hass.states.async_set("notify.maya_phone", "unknown")
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry,
        options={
            CONF_DELIVERY: {
                CONF_NOTIFY_A: ["notify.maya_phone"],
                CONF_NOTIFY_B: ["notify.mobile_app_jordan", "notify.gone"],
                CONF_PERSISTENT: True,
                CONF_ANNOUNCE: ["assist_satellite.bedroom"],
            }
        },
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.maya_jordan_cycle").state == "pursue_withdraw"

    await at(hass, freezer, CHECK_IN_UTC.format(day=21))

    (maya,) = send_message
    assert maya.data["entity_id"] == "notify.maya_phone"
    assert maya.data["message"].startswith("Maya, you've been doing a lot of the reaching.")
    assert "rest" in maya.data["message"]
    # A companion app gets the neutral note; its "Read it" button brings the words.
    (note,) = legacy
    assert (note.data["title"], note.data["message"]) == ("Reconnect", NEUTRAL)
    read, _snooze = note.data["data"]["actions"]
    hass.bus.async_fire("mobile_app_notification_action", {"action": read["action"]})
    await hass.async_block_till_done()
    _, jordan = legacy
    assert jordan.data["message"].startswith("Jordan, it could mean a lot if you reached out first")
    (spoken,) = announce
    assert spoken.data["entity_id"] == ["assist_satellite.bedroom"]
    assert spoken.data["message"].startswith("Something is still open between you.")
    assert notifications(hass)[NOTIFICATION]["message"] == spoken.data["message"]


async def test_cycle_entities_from_a_seeded_journal(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    freezer.move_to("2026-11-20 22:00:00+00:00")
    now = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)
    # Maya reached daily and unmet from 60 to 21 days ago, then went quiet.
    # Each partner logged half of it: both voices.
    hass_storage[KEY] = seeded(
        numbered(
            rows("bid@a", "a", "away", range(21, 61, 2), now)
            + rows("bid@b", "a", "away", range(22, 61, 2), now)
            # They still check in: a drop is read only then.
            + rows("check_in@a", "a", "3", range(0, 22, 2), now)
            + rows("check_in@b", "b", "3", range(0, 22, 2), now)
        )
    )
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    cycle = hass.states.get("sensor.maya_jordan_cycle")
    assert cycle.state == "burned_out_pursuer_risk"
    # No entity names a pursuer or carries a partner's figures.
    assert cycle.attributes == {
        "heuristic": True,
        "voices": "both",
        "partners": ["Maya", "Jordan"],
        "device_class": "enum",
        "options": cycle.attributes["options"],
        "friendly_name": cycle.attributes["friendly_name"],
    }
    assert init_integration_pursuer(mock_config_entry) == "a"
    assert hass.states.get("binary_sensor.maya_jordan_fewer_bids_logged_lately").state == "on"
    support = hass.states.get("binary_sensor.maya_jordan_support_suggested")
    assert support.state == "on"
    # The state names the suggestion; its words are translations, shown by HA's frontend.
    assert support.attributes["suggestion"] == "couples_support"
    words = await async_get_translations(hass, "en", "entity", {DOMAIN})
    suggestion = words[
        f"component.{DOMAIN}.entity.binary_sensor.support_suggested.state_attributes"
        ".suggestion.state.couples_support"
    ]
    assert "couples therapist" in suggestion
    assert "not a diagnosis" in suggestion
    # Aloud, only one short sentence points to the card: a speaker may be heard by
    # anyone, and safety information must never be said into a shared room.
    result = await conversation.async_converse(hass, "how are we doing", None, Context(), "en")
    status = result.response.speech["plain"]["speech"]
    assert status.endswith("Things have felt hard lately; the card has more.")
    assert "domestic-violence" not in status
    assert "therapist" not in status
    assert len(status.split()) <= 30

    # Maya reaches again and Jordan answers: no longer burning out, but most of
    # her bids this month went unmet, so the cycle reads pursue-withdraw.
    events: list[dict[str, Any]] = []
    mock_config_entry.runtime_data.coordinator.async_add_activity_listener(
        lambda t, d: events.append({"type": t, **d})
    )
    for _ in range(6):
        await call(hass, "log_bid", {"bidder": "Maya", "response": "toward"})
        await call(hass, "log_bid", {"bidder": "Jordan", "response": "toward"})
    assert hass.states.get("sensor.maya_jordan_cycle").state == "pursue_withdraw"
    assert hass.states.get("binary_sensor.maya_jordan_fewer_bids_logged_lately").state == "off"
    assert {"type": "cycle_changed", "cycle": "pursue_withdraw"} in events


async def test_the_activity_event_entity(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assert hass.states.get(ACTIVITY).state == "unknown"
    await call(hass, "log_bid", {"bidder": "Maya", "response": "against", "note": "PRIVATE"})
    state = hass.states.get(ACTIVITY)
    # The automatic rupture came last.
    assert state.attributes["event_type"] == "rupture_logged"
    assert state.attributes["partner"] == "Maya"
    assert state.attributes["automatic"] is True
    assert "PRIVATE" not in repr(state)
    await call(hass, "log_repair", {"initiator": "Jordan"})
    assert hass.states.get(ACTIVITY).attributes["event_type"] == "repair_logged"

    result = await conversation.async_converse(hass, "start our check-in", None, Context(), "en")
    assert hass.states.get(ACTIVITY).attributes["event_type"] == "check_in_started"
    conversation_id = result.conversation_id
    for text in ("four", "three", "done"):
        await conversation.async_converse(hass, text, conversation_id, Context(), "en")
    state = hass.states.get(ACTIVITY)
    assert state.attributes["event_type"] == "check_in_completed"
    assert state.attributes["complete"] is True


async def test_start_check_in_without_a_satellite_waits_for_the_next_turn(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assert await call(hass, "start_check_in", return_response=True) == {"started_on": []}
    result = await conversation.async_converse(hass, "four", None, Context(), "en")
    assert result.response.speech["plain"]["speech"].startswith("Thank you, Maya.")


def cannot_listen(entity: RecordingSatellite) -> None:
    """Make a satellite one that can announce but not listen after speaking."""
    entity._attr_supported_features = AssistSatelliteEntityFeature.ANNOUNCE
    entity.async_write_ha_state()


async def test_start_check_in_on_a_satellite_that_cannot_converse_announces_instead(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    satellite: tuple[RecordingSatellite, str],  # noqa: F811
) -> None:
    entity, _ = satellite
    cannot_listen(entity)
    response = await call(
        hass, "start_check_in", {"satellite": entity.entity_id}, return_response=True
    )
    assert response == {"started_on": []}
    assert entity.announced == [
        "It's check-in time. When you're both ready, say: start our check-in."
    ]
    # No check-in was left running: a bare number is not captured.
    result = await conversation.async_converse(hass, "five", None, Context(), "en")
    assert "Thank you" not in result.response.speech["plain"]["speech"]
    result = await conversation.async_converse(hass, "start our check-in", None, Context(), "en")
    assert result.response.speech["plain"]["speech"].startswith(FIRST_WELCOME)


async def test_the_bedtime_blueprint_starts_the_check_in(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sats = await async_setup_satellites(hass, monkeypatch, ["Bedroom"])
    bedroom = sats.satellites["Bedroom"]
    opening = f"{FIRST_WELCOME} Maya, how connected did you feel today, from one to five?"
    source = Path(__file__).parents[1] / "blueprints" / "automation" / "reconnect"
    target = tmp_path / "blueprints" / "automation" / "reconnect"
    shutil.copytree(source, target)
    hass.config.config_dir = str(tmp_path)
    # The partners' linked persons: "both home" uses them by default.
    hass.config_entries.async_update_entry(
        init_integration,
        data={
            **init_integration.data,
            "partner_a_person": "person.maya",
            "partner_b_person": "person.jordan",
        },
    )
    hass.states.async_set("person.maya", "home")
    hass.states.async_set("person.jordan", "home")
    hass.states.async_set("light.bedroom", "on")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "Reconnect bedtime check-in",
                "use_blueprint": {
                    "path": "reconnect/bedtime_check_in.yaml",
                    "input": {
                        "check_in_time": "21:45:00",
                        "lights": ["light.bedroom"],
                        "satellite": [bedroom],
                    },
                },
            }
        },
    )
    await hass.async_block_till_done()
    assert hass.states.get("automation.reconnect_bedtime_check_in").state == "on"

    async def lights_off() -> None:
        hass.states.async_set("light.bedroom", "on")
        hass.states.async_set("light.bedroom", "off")
        await settle(hass)

    sats.say(bedroom, "stop")  # tonight's check-in is stopped at once
    await at(hass, freezer, "2026-11-21 05:44:59+00:00")  # 21:44:59 local, the 20th
    assert sats.questions(bedroom) == []
    await at(hass, freezer, "2026-11-21 05:45:00+00:00")
    await settle(hass)
    assert sats.questions(bedroom) == [opening]
    # At most once a night: the lights going off later start nothing.
    await lights_off()
    assert sats.questions(bedroom) == [opening]

    # The next evening (the 21st): not while one of you is away (the linked persons).
    await at(hass, freezer, "2026-11-22 05:00:00+00:00")
    hass.states.async_set("person.jordan", "not_home")
    await lights_off()
    assert sats.questions(bedroom) == [opening]
    hass.states.async_set("person.jordan", "home")
    # Not while reminders are snoozed.
    await call(hass, "snooze_reminders", {"days": 1})
    await at(hass, freezer, "2026-11-22 05:01:00+00:00")
    assert hass.states.get("binary_sensor.maya_jordan_reminders_paused").state == "on"
    await lights_off()
    assert sats.questions(bedroom) == [opening]
    await call(hass, "snooze_reminders", {"days": 0})
    hass.states.async_set("person.jordan", "not_home")  # let 21:45 pass by
    await at(hass, freezer, "2026-11-22 05:45:00+00:00")
    await settle(hass)
    assert sats.questions(bedroom) == [opening]
    # Not in quiet hours (22:30 to 08:00).
    hass.states.async_set("person.jordan", "home")
    await at(hass, freezer, "2026-11-22 06:40:00+00:00")
    assert hass.states.get("binary_sensor.maya_jordan_reminders_paused").state == "on"
    await lights_off()
    assert sats.questions(bedroom) == [opening]

    # The 22nd: not once you have checked in today.
    await at(hass, freezer, "2026-11-23 05:00:00+00:00")
    assert hass.states.get("binary_sensor.maya_jordan_reminders_paused").state == "off"
    await call(hass, "log_check_in", {"partner": "Maya", "rating": 4})
    await lights_off()
    await at(hass, freezer, "2026-11-23 05:45:00+00:00")
    await settle(hass)
    assert sats.questions(bedroom) == [opening]

    # The 23rd, both home, nothing logged yet: it starts.
    await at(hass, freezer, "2026-11-24 05:00:00+00:00")
    sats.say(bedroom, "stop")
    await lights_off()
    # The first check-in said what Reconnect keeps; the second greets plainly.
    again = "Welcome to your check-in. Maya, how connected did you feel today, from one to five?"
    assert sats.questions(bedroom) == [opening, again]
    await hass.services.async_call(
        "automation",
        "turn_off",
        {"entity_id": "automation.reconnect_bedtime_check_in"},
        blocking=True,
    )


async def test_one_failing_channel_does_not_stop_the_others(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    async def broken(_call: Any) -> None:
        raise HomeAssistantError("phone is off")

    hass.services.async_register("notify", "mobile_app_maya", broken)
    announce = async_mock_service(hass, "assist_satellite", "announce")
    hass.config_entries.async_update_entry(
        init_integration,
        options={
            CONF_DELIVERY: {
                CONF_NOTIFY_A: ["notify.mobile_app_maya"],
                CONF_ANNOUNCE: ["assist_satellite.bedroom"],
                CONF_PERSISTENT: True,
            }
        },
    )
    await call(hass, "log_rupture", {"when": "2026-11-10T20:00:00"})
    await at(hass, freezer, CHECK_IN_UTC.format(day=21))
    assert len(announce) == 1
    assert NOTIFICATION in notifications(hass)


async def test_a_failed_invitation_is_logged_not_raised(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    satellite: tuple[RecordingSatellite, str],  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    entity, _ = satellite
    cannot_listen(entity)

    async def no_announce(message: str | None = None, **kwargs: Any) -> None:
        raise HomeAssistantError("speaker busy")

    entity.async_internal_announce = no_announce  # type: ignore[method-assign]
    response = await call(
        hass, "start_check_in", {"satellite": entity.entity_id}, return_response=True
    )
    assert response == {"started_on": []}
    assert "Could not announce the check-in" in caplog.text


# --- Issue 23: private words stay private, the early warning, snooze for everyone ---

ACTION = "mobile_app_notification_action"
EARLY_WARNING = (
    "What you two have logged lately has been quieter than before. Quiet doesn't always mean"
    " fine. Tonight could be a good night for a short check-in, or a kind word."
)
PHONES = {
    "maya": ("Maya's Pixel", "mobile_app_maya_s_pixel"),
    "jordan": ("Jordan's iPhone", "mobile_app_jordan_s_iphone"),
    "guest": ("Guest tablet", "mobile_app_guest_tablet"),
}


def add_phone(hass: HomeAssistant, user_id: str, device_name: str, **kwargs: Any) -> None:
    """Register a companion app signed in as a user, as mobile_app's config entries hold it."""
    MockConfigEntry(
        domain="mobile_app",
        title=device_name,
        data={"user_id": user_id, "device_name": device_name, "webhook_id": device_name},
        **kwargs,
    ).add_to_hass(hass)


def with_phones(
    hass: HomeAssistant, entry: MockConfigEntry, users: dict[str, MockUser], **delivery: Any
) -> dict[str, list[ServiceCall]]:
    """Link the partners to their persons, give each a phone (and a guest one), and record sends."""
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry,
        data={**entry.data, CONF_PERSON_A: "person.maya", CONF_PERSON_B: "person.jordan"},
        options={CONF_DELIVERY: delivery} if delivery else {},
    )
    guest = MockUser(name="Guest").add_to_hass(hass)
    owners = {"maya": users["maya"].id, "jordan": users["jordan"].id, "guest": guest.id}
    for who, (name, _service) in PHONES.items():
        add_phone(hass, owners[who], name)
    # Jordan's old phone is disabled: nothing goes to it.
    add_phone(hass, owners["jordan"], "Jordan's old phone", disabled_by=ConfigEntryDisabler.USER)
    return {
        who: async_mock_service(hass, "notify", service) for who, (_, service) in PHONES.items()
    }


async def test_own_phones_are_the_apps_of_the_linked_persons_user(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, users: dict[str, MockUser]
) -> None:
    with_phones(hass, mock_config_entry, users)
    assert own_phones(hass, "person.maya") == [Phone("Maya's Pixel", "mobile_app_maya_s_pixel")]
    assert own_phones(hass, "person.jordan") == [
        Phone("Jordan's iPhone", "mobile_app_jordan_s_iphone")
    ]
    # No person, a person without a user, or an unknown person: no phones.
    hass.states.async_set("person.nobody", "home")
    assert own_phones(hass, None) == own_phones(hass, "person.nobody") == []
    assert own_phones(hass, "person.unknown") == []


async def test_each_partners_words_go_only_to_their_own_phones_behind_a_neutral_note(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    users: dict[str, MockUser],
    frozen: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sent = with_phones(hass, mock_config_entry, users)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    await call(hass, "log_rupture", {"when": "2026-11-16T20:00:00"})
    await at(hass, frozen, CHECK_IN_UTC.format(day=21))

    # On the lock screen: the neutral note, with a button to read it and one to pause.
    for who, partner in (("maya", "a"), ("jordan", "b")):
        (note,) = sent[who]
        assert note.data == {
            "title": "Reconnect",
            "message": "Reconnect has a note for you.",
            "data": {
                "tag": f"reconnect_{ENTRY_ID}_{partner}",
                "group": "reconnect",
                "actions": [
                    {
                        "action": f"RECONNECT_READ_{partner}_{ENTRY_ID}",
                        "title": "Read it",
                        "authenticationRequired": True,
                    },
                    {"action": f"RECONNECT_SNOOZE_{ENTRY_ID}", "title": "Pause for a week"},
                ],
            },
        }
    assert not sent["guest"]
    # The sidebar notification is off by default: every user of this HA would see it.
    assert NOTIFICATION not in notifications(hass)

    # Maya reads hers on her unlocked phone: the words replace the note, on her phones only.
    maya = Context(user_id=users["maya"].id)
    hass.bus.async_fire(ACTION, {"action": f"RECONNECT_READ_a_{ENTRY_ID}"}, context=maya)
    await hass.async_block_till_done()
    _, opened = sent["maya"]
    assert opened.data["title"] == "Reconnect"
    assert opened.data["message"].startswith("Something is still open between you.")
    assert opened.data["data"] == {
        "tag": f"reconnect_{ENTRY_ID}_a",
        "group": "reconnect",
        "visibility": "secret",
        "alert_once": True,
        "push": {"interruption-level": "passive"},
        "actions": [{"action": f"RECONNECT_SNOOZE_{ENTRY_ID}", "title": "Pause for a week"}],
    }
    assert (len(sent["jordan"]), len(sent["guest"])) == (1, 0)
    # Jordan's button pressed anywhere still sends Jordan's words only to Jordan's phone.
    hass.bus.async_fire(ACTION, {"action": f"RECONNECT_READ_b_{ENTRY_ID}"}, context=maya)
    await hass.async_block_till_done()
    assert (len(sent["maya"]), len(sent["jordan"]), len(sent["guest"])) == (2, 2, 0)
    # No words in the log.
    assert "still open" not in caplog.text

    # After a restart the words are gone from memory: the note says so, nothing more.
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    hass.bus.async_fire(ACTION, {"action": f"RECONNECT_READ_a_{ENTRY_ID}"}, context=maya)
    await hass.async_block_till_done()
    assert sent["maya"][-1].data["message"].startswith("This note is no longer here.")


async def test_own_phones_can_be_turned_off_and_free_text_targets_stay(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    users: dict[str, MockUser],
    frozen: FrozenDateTimeFactory,
) -> None:
    send_message = async_mock_service(hass, "notify", "send_message")
    hass.states.async_set("notify.maya_laptop", "unknown")
    sent = with_phones(
        hass,
        mock_config_entry,
        users,
        **{CONF_OWN_DEVICES: False, CONF_NOTIFY_A: ["notify.maya_laptop"]},
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    await call(hass, "log_rupture", {"when": "2026-11-16T20:00:00"})
    await at(hass, frozen, CHECK_IN_UTC.format(day=21))
    assert not any(sent.values())
    # A notify entity that is not a companion app gets the words themselves.
    (laptop,) = send_message
    assert laptop.data["entity_id"] == "notify.maya_laptop"
    assert laptop.data["message"].startswith("Something is still open between you.")


async def test_the_sidebar_notification_is_off_by_default(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    sent: list[str] = []
    init_integration.runtime_data.coordinator.async_add_activity_listener(
        lambda t, _: sent.append(t)
    )
    await call(hass, "log_rupture", {"when": "2026-11-16T20:00:00"})
    await at(hass, freezer, CHECK_IN_UTC.format(day=21))
    assert sent.count("reminder_sent") == 1
    assert NOTIFICATION not in notifications(hass)


async def test_pause_for_a_week_from_a_phone_notification(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    journal = init_integration.runtime_data.coordinator.journal
    # Another couple's button, or another integration's, is not ours.
    for action in ("RECONNECT_SNOOZE_01OTHERCOUPLE", "SOUND_ALARM"):
        hass.bus.async_fire(ACTION, {"action": action})
    hass.bus.async_fire(ACTION, {"no": "action"})
    await hass.async_block_till_done()
    assert journal.snoozed_until is None

    hass.bus.async_fire(ACTION, {"action": f"RECONNECT_SNOOZE_{ENTRY_ID}"})
    await hass.async_block_till_done()
    # Friday the 20th, local: reminders resume on Friday the 27th.
    assert journal.snoozed_until == date(2026, 11, 27)
    assert hass.states.get("binary_sensor.maya_jordan_reminders_paused").state == "on"


@pytest.mark.parametrize(
    ("said", "reply", "until"),
    [
        (
            "pause the Reconnect reminders for a week",
            "Okay. Reconnect's reminders are paused for a week.",
            date(2026, 11, 27),
        ),
        (
            "snooze reminders until Monday",
            "Okay. Reconnect's reminders are paused until Monday.",
            date(2026, 11, 23),
        ),
        (
            "pause the reminders",
            "Okay. Reconnect's reminders are paused for a week.",
            date(2026, 11, 27),
        ),
        (
            "please mute the nudges for a few days",
            "Okay. Reconnect's reminders are paused for 3 days.",
            date(2026, 11, 23),
        ),
        (
            "no more reminders until tomorrow",
            "Okay. Reconnect's reminders are paused until tomorrow.",
            date(2026, 11, 21),
        ),
        (
            "stop reminding us for a fortnight",
            "Okay. Reconnect's reminders are paused for 14 days.",
            date(2026, 12, 4),
        ),
        (
            "turn off the reconnect notifications for a month",
            "Okay. Reconnect's reminders are paused for 30 days.",
            date(2026, 12, 20),
        ),
        (
            "snooze the reminders till friday",
            "Okay. Reconnect's reminders are paused until Friday.",
            date(2026, 11, 27),
        ),
    ],
)
async def test_snooze_reminders_by_voice(
    hass: HomeAssistant, init_integration: MockConfigEntry, said: str, reply: str, until: date
) -> None:
    assert await Assist(hass)(said) == reply
    journal = init_integration.runtime_data.coordinator.journal
    assert journal.snoozed_until == until
    assert hass.states.get("binary_sensor.maya_jordan_reminders_paused").state == "on"

    assert await Assist(hass)("turn the reminders back on") == (
        "Okay. Reconnect's reminders are back on."
    )
    assert journal.snoozed_until is None


def burnout_seed(authors: tuple[str, str] = ("a", "b")) -> list[str]:
    """Maya reached daily and unmet from 60 to 14 days before the 20th, then went quiet.

    `authors` log every other bid. The couple still check in, most nights of the last week.
    """
    now = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)
    return numbered(
        rows(f"bid@{authors[0]}", "a", "away", range(14, 61, 2), now)
        + rows(f"bid@{authors[1]}", "a", "away", range(15, 61, 2), now)
        + rows("check_in@a", "a", "3", range(1, 7), now)
    )


async def evenings(hass: HomeAssistant, freezer: FrozenDateTimeFactory, days: range) -> None:
    """Each local day, check in at noon, then wait for the check-in time."""
    for day in days:
        await at(hass, freezer, f"2026-11-{day} 20:00:00+00:00")  # noon local
        await call(hass, "log_check_in", {"partner": "Maya", "rating": 3})
        await at(hass, freezer, CHECK_IN_UTC.format(day=day + 1))


async def test_the_early_warning_goes_privately_once_then_backs_off(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    users: dict[str, MockUser],
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    freezer.move_to("2026-11-20 19:00:00+00:00")
    hass_storage[KEY] = seeded(burnout_seed())
    announce = async_mock_service(hass, "assist_satellite", "announce")
    # Shared places are on, and still hear nothing of it.
    sent = with_phones(
        hass,
        mock_config_entry,
        users,
        **{CONF_PERSISTENT: True, CONF_ANNOUNCE: ["assist_satellite.kitchen"]},
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    activity: list[tuple[str, dict[str, Any]]] = []
    mock_config_entry.runtime_data.coordinator.async_add_activity_listener(
        lambda t, d: activity.append((t, d))
    )

    await evenings(hass, freezer, range(20, 21))
    assert hass.states.get("sensor.maya_jordan_cycle").state == "burned_out_pursuer_risk"
    (maya,) = sent["maya"]
    (jordan,) = sent["jordan"]
    assert maya.data["message"] == jordan.data["message"] == "Reconnect has a note for you."
    assert ("reminder_sent", {"reason": "early_warning"}) in activity
    assert not announce
    assert NOTIFICATION not in notifications(hass)
    for partner in ("a", "b"):
        hass.bus.async_fire(ACTION, {"action": f"RECONNECT_READ_{partner}_{ENTRY_ID}"})
    await hass.async_block_till_done()
    words = [calls[-1].data["message"] for calls in (sent["maya"], sent["jordan"])]
    # Both get the same couple words: no roles, no names, no "you stopped reaching".
    assert words[0] == words[1]
    assert words[0].startswith(EARLY_WARNING)
    assert not any(w in words[0] for w in ("Maya", "Jordan", "rest", "stopped"))

    # It survives a restart: the next step is two days on, not a fresh start.
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    warning = hass_storage[KEY]["data"]["reminders"]["warning"]
    assert warning == {"since": "2026-11-20", "last_risk": "2026-11-20", "last_sent": "2026-11-20"}
    notes: list[int] = [20]
    for day in range(21, 30):
        before = len(sent["maya"])
        await evenings(hass, freezer, range(day, day + 1))
        if len(sent["maya"]) > before:
            notes.append(day)
    # Once, then two days on, then four more; then nothing while nothing changes.
    assert notes == [20, 22, 26]
    assert not announce
    assert NOTIFICATION not in notifications(hass)


async def test_no_early_warning_while_the_picture_is_one_sided(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    users: dict[str, MockUser],
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    freezer.move_to("2026-11-20 19:00:00+00:00")
    # The same pattern, all of it logged by Maya: her account of the two of them.
    hass_storage[KEY] = seeded(burnout_seed(("a", "a")))
    sent = with_phones(hass, mock_config_entry, users)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.maya_jordan_cycle").state == "one_sided"
    await evenings(hass, freezer, range(20, 28))
    assert not any(sent.values())


async def test_in_freeze_both_get_couple_words_and_one_small_invitation(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    freezer.move_to("2026-11-20 22:00:00+00:00")
    now = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)
    # Both reached for each other until a week ago, Maya most (she reads as the
    # pursuer), and both have gone quiet since; they still check in. A rupture
    # has been open five days.
    hass_storage[KEY] = seeded(
        numbered(
            rows("bid@a", "a", "toward", range(8, 35, 2), now)
            + rows("bid@b", "a", "toward", range(9, 35, 2), now)
            + rows("bid@b", "b", "toward", range(8, 35, 6), now)
            + rows("bid@a", "b", "toward", range(11, 35, 6), now)
            + rows("check_in@a", "a", "3", range(1, 7), now)
            + rows("rupture", "-", "-", range(5, 6), now)
        )
    )
    send_message = async_mock_service(hass, "notify", "send_message")
    hass.states.async_set("notify.maya_phone", "unknown")
    hass.states.async_set("notify.jordan_phone", "unknown")
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry,
        options={
            CONF_DELIVERY: {
                CONF_NOTIFY_A: ["notify.maya_phone"],
                CONF_NOTIFY_B: ["notify.jordan_phone"],
            }
        },
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.maya_jordan_cycle").state == "freeze_and_flee"

    await at(hass, freezer, CHECK_IN_UTC.format(day=21))
    maya, jordan = (c.data["message"] for c in send_message)
    assert maya == jordan
    assert maya.startswith("Something is still open between you.")
    assert "One small invitation: tonight, ask each other how the day really was" in maya
    assert "rest" not in maya
    assert "reached out first" not in maya


def _cycle(state: CycleState, pursuer: str | None, voices: Voices = Voices.BOTH) -> Cycle:
    return Cycle(state=state, pursuer=pursuer, partners={}, voices=voices)


def test_who_gets_which_words() -> None:
    repair = ReminderReason.REPAIR
    both = {"a": "repair_both", "b": "repair_both", "both": "repair_both"}
    roles = {"a": "repair_pursuer", "b": "repair_withdrawer", "both": "repair_both"}
    assert reminder_messages(repair, _cycle(CycleState.PURSUE_WITHDRAW, "a")) == roles
    assert reminder_messages(repair, _cycle(CycleState.BURNED_OUT_PURSUER_RISK, "a")) == roles
    # Freeze: nobody is told to rest, whoever pursued before.
    assert reminder_messages(repair, _cycle(CycleState.FREEZE_AND_FLEE, "a")) == both
    # One-sided: cycle.py names no pursuer, so no *_pursuer words go out.
    one_sided = _cycle(CycleState.ONE_SIDED, None, Voices.ONE_SIDED)
    assert reminder_messages(repair, one_sided) == both
    early = reminder_messages(
        ReminderReason.EARLY_WARNING, _cycle(CycleState.BURNED_OUT_PURSUER_RISK, "a")
    )
    assert set(early.values()) == {"early_warning_both"}
    freeze = _cycle(CycleState.FREEZE_AND_FLEE, None)
    assert reminder_extras(freeze, last=True, support=True) == [
        "freeze_invitation",
        "last",
        "support",
    ]
    assert reminder_extras(_cycle(CycleState.CONNECTED, None), last=False, support=False) == []


def test_the_early_warning_needs_both_voices() -> None:
    assert early_warning_risk(_cycle(CycleState.BURNED_OUT_PURSUER_RISK, "a"))
    for state in CycleState:
        if state is not CycleState.BURNED_OUT_PURSUER_RISK:
            assert not early_warning_risk(_cycle(state, None))
    # cycle.py already calls such a picture one-sided; the rule holds on its own too.
    unheard = _cycle(CycleState.BURNED_OUT_PURSUER_RISK, None, Voices.UNRECOGNISED)
    assert not early_warning_risk(unheard)


def test_an_early_warning_episode_backs_off_and_a_flicker_does_not_restart_it() -> None:
    day = date(2026, 11, 20)
    episode = track_warning(WarningEpisode(), risk=True, today=day)
    assert episode == WarningEpisode(since=day, last_risk=day)
    assert early_warning_step(episode, risk=True, today=day) == 0
    episode = WarningEpisode(since=day, last_risk=day, last_sent=day)
    assert early_warning_step(episode, risk=True, today=day + timedelta(days=1)) is None
    # A few days without the risk, then back: the same episode, still backing off.
    later = day + timedelta(days=5)
    episode = track_warning(track_warning(episode, risk=False, today=later), risk=True, today=later)
    assert episode.since == day
    # Not sent without the risk, even on a step's day.
    assert early_warning_step(episode, risk=False, today=day + timedelta(days=2)) is None
    # Two weeks and more without it: a new episode.
    again = later + timedelta(days=15)
    assert track_warning(episode, risk=True, today=again).since == again


def test_snooze_until() -> None:
    friday = date(2026, 11, 20)
    assert snooze_until(friday) == date(2026, 11, 27)
    assert snooze_until(friday, days=0) is None
    assert snooze_until(friday, days=3) == date(2026, 11, 23)
    assert snooze_until(friday, days=99) == date(2026, 12, 20)
    assert snooze_until(friday, weekday="monday") == date(2026, 11, 23)
    assert snooze_until(friday, weekday="friday") == date(2026, 11, 27)


def test_an_older_file_loads_with_no_early_warning_and_keeps_the_rest() -> None:
    old = {
        "next_id": 2,
        "events": ["1 1795000000 bid@a a toward"],
        "reminders": {"last_sent": "2026-11-18", "snoozed_until": "2026-11-25"},
    }
    journal = decode_journal(old, UTC)
    assert journal.reminders.last_sent == date(2026, 11, 18)
    assert journal.reminders.snoozed_until == date(2026, 11, 25)
    assert journal.reminders.warning == WarningEpisode()
    assert len(journal.events) == 1
    episode = WarningEpisode(since=date(2026, 11, 1), last_risk=date(2026, 11, 3))
    journal.reminders.set_warning(episode)
    stored = encode_journal(journal)
    assert stored["reminders"]["warning"] == {
        "since": "2026-11-01",
        "last_risk": "2026-11-03",
        "last_sent": None,
    }
    assert decode_journal(stored, UTC).reminders.warning == episode
