"""Reminders, the cycle entities, the activity event, and bedtime automations, in HA."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.reconnect.const import (
    CONF_ANNOUNCE,
    CONF_CHECK_IN_TIME,
    CONF_DELIVERY,
    CONF_NOTIFY_A,
    CONF_NOTIFY_B,
    CONF_PERSISTENT,
    CONF_QUIET_END,
    CONF_QUIET_START,
    DOMAIN,
)
from custom_components.reconnect.store import STORAGE_MINOR_VERSION, STORAGE_VERSION
from homeassistant.components import conversation, persistent_notification
from homeassistant.components.assist_satellite import AssistSatelliteEntityFeature
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component

from .conftest import ENTRY_ID, FIRST_WELCOME, call
from .satellite_harness import async_setup_satellites
from .test_satellite_checkin import settle
from .test_voice_integration import RecordingSatellite, satellite  # noqa: F401

KEY = f"{DOMAIN}.{ENTRY_ID}"
NOTIFICATION = f"{DOMAIN}_{ENTRY_ID}_reminder"
ACTIVITY = "event.maya_jordan_activity"
# The test zone is Los Angeles: 21:30 there is 05:30 UTC the next morning.
CHECK_IN_UTC = "2026-11-{day} 05:30:00+00:00"


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


async def test_a_repair_reminder_comes_at_check_in_time_once_a_day_and_clears(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    sent: list[Any] = []
    init_integration.runtime_data.coordinator.async_add_activity_listener(
        lambda t, d: sent.append((t, d))
    )
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
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
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
        },
    )
    await hass.async_block_till_done()
    await call(hass, "log_rupture", {"when": "2026-11-10T20:00:00"})
    for day in (21, 22, 23):
        await at(hass, freezer, f"2026-11-{day} 07:00:00+00:00")  # 23:00 local
    assert NOTIFICATION not in notifications(hass)


async def test_a_snooze_survives_a_restart(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    await call(hass, "log_rupture", {"when": "2026-11-10T20:00:00"})
    response = await call(hass, "snooze_reminders", {"days": 2}, return_response=True)
    assert response == {"snoozed_until": "2026-11-22"}
    assert await hass.config_entries.async_reload(init_integration.entry_id)
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
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    sent: list[str] = []
    init_integration.runtime_data.coordinator.async_add_activity_listener(
        lambda t, _: sent.append(t)
    )
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
            }
        },
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    cycle = hass.states.get("sensor.maya_jordan_cycle")
    assert (cycle.state, cycle.attributes["pursuer"]) == ("connected", "Maya")

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
    (jordan,) = legacy
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
        )
    )
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    cycle = hass.states.get("sensor.maya_jordan_cycle")
    assert cycle.state == "burned_out_pursuer_risk"
    assert cycle.attributes["pursuer"] == "Maya"
    assert cycle.attributes["heuristic"] is True
    assert cycle.attributes["partners"]["Maya"]["bid_rate_7d"] == 0
    assert hass.states.get("binary_sensor.maya_jordan_reaching_has_gone_quiet").state == "on"
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
    assert hass.states.get("binary_sensor.maya_jordan_reaching_has_gone_quiet").state == "off"
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
