"""Every action, with good input and with each kind of bad input."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.reconnect.const import (
    CONF_LOW_RATING_RUPTURE,
    CONF_PARTNER_A,
    CONF_PARTNER_B,
    DOMAIN,
)
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from .conftest import ENTRY_ID, call


def stored(entry: MockConfigEntry) -> list[Any]:
    """Return the journal's events as the coordinator holds them."""
    return list(entry.runtime_data.coordinator.journal.events)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_log_bid(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    response = await call(
        hass,
        "log_bid",
        {"bidder": "maya", "response": "Toward", "note": "showed a photo"},
        return_response=True,
    )
    assert response == {
        "events": [
            {
                "id": 1,
                "kind": "bid",
                "at": "2026-11-20T22:00:00+00:00",
                "partner": "Maya",
                "rating": None,
                "response": "toward",
                "automatic": False,
                # An automation or the developer tools with no partner's login: unknown.
                "logged_by": None,
            }
        ]
    }
    (event,) = stored(init_integration)
    assert (event.partner, event.response, event.text) == ("a", "toward", "showed a photo")
    assert hass.states.get("sensor.maya_jordan_maya_bids_made_7_days").state == "1"
    assert hass.states.get("sensor.maya_jordan_jordan_turned_toward_7_days").state == "100.0"


async def test_turned_against_opens_a_rupture_by_default(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    response = await call(
        hass, "log_bid", {"bidder": "Jordan", "response": "against"}, return_response=True
    )
    assert [(e["kind"], e["automatic"]) for e in response["events"]] == [
        ("bid", False),
        ("rupture", True),
    ]
    assert hass.states.get("sensor.maya_jordan_open_ruptures").state == "1"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_log_check_in(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    await call(hass, "log_check_in", {"partner": "Jordan", "rating": "4", "appreciation": "tea"})
    await call(hass, "log_check_in", {"partner": "Maya", "rating": 5.0})
    assert [(e.partner, e.rating, e.text) for e in stored(init_integration)] == [
        ("b", 4, "tea"),
        ("a", 5, None),
    ]
    assert hass.states.get("sensor.maya_jordan_jordan_connection_7_days").state == "4.0"
    assert hass.states.get("sensor.maya_jordan_check_in_streak").state == "1"
    assert hass.states.get("binary_sensor.maya_jordan_checked_in_today").state == "on"
    assert hass.states.get("sensor.maya_jordan_last_check_in").state == "2026-11-20T22:00:00+00:00"


async def test_a_low_rating_opens_a_rupture_only_when_chosen(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    # By default a low rating is honest information, not a fight.
    await call(hass, "log_check_in", {"partner": "Jordan", "rating": 2})
    assert hass.states.get("sensor.maya_jordan_open_ruptures").state == "0"
    hass.config_entries.async_update_entry(
        init_integration, options={CONF_LOW_RATING_RUPTURE: True}
    )
    await call(hass, "log_check_in", {"partner": "Maya", "rating": 1})
    assert hass.states.get("sensor.maya_jordan_open_ruptures").state == "1"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_log_rupture_and_repair(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    await call(hass, "log_rupture", {"when": "2026-11-15T20:00:00"})
    await call(hass, "log_rupture", {"hurt": "Maya", "note": "dishes"})
    # An automation written before: who raised or started it is accepted, and not kept.
    await call(hass, "log_rupture", {"partner": "Jordan"})
    assert hass.states.get("sensor.maya_jordan_open_ruptures").state == "3"
    assert hass.states.get("binary_sensor.maya_jordan_repair_waiting").state == "on"
    assert hass.states.get("sensor.maya_jordan_days_since_last_repair").state == "unknown"

    await call(hass, "log_repair", {"initiator": "Jordan", "note": "we walked"})
    assert hass.states.get("sensor.maya_jordan_open_ruptures").state == "0"
    assert hass.states.get("binary_sensor.maya_jordan_repair_waiting").state == "off"
    assert hass.states.get("sensor.maya_jordan_days_since_last_repair").state == "0"
    assert [(e.kind, e.partner) for e in stored(init_integration)] == [
        ("rupture", None),
        ("rupture", "a"),
        ("rupture", None),
        ("repair", "b"),
    ]


async def test_undo_last_says_what_it_removed(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    await call(hass, "log_repair", {"initiator": "Maya"})
    await call(hass, "log_bid", {"bidder": "Maya", "response": "against"})
    response = await call(hass, "undo_last", return_response=True)
    assert [(e["kind"], e["partner"]) for e in response["removed"]] == [
        ("bid", "Maya"),
        ("rupture", "Maya"),
    ]
    assert [e.kind for e in stored(init_integration)] == ["repair"]
    assert hass.states.get("sensor.maya_jordan_open_ruptures").state == "0"
    # The entry before is history: undo never walks back to it.
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "undo_last")
    assert err.value.translation_key == "nothing_to_undo"
    assert [e.kind for e in stored(init_integration)] == ["repair"]


async def test_get_summary(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    await call(hass, "log_bid", {"bidder": "Maya", "response": "toward"})
    await call(hass, "log_check_in", {"partner": "Maya", "rating": 4})
    summary = await call(hass, "get_summary", return_response=True)
    assert summary == {
        "config_entry_id": ENTRY_ID,
        "title": "Maya & Jordan",
        "couple": {
            "days_since_repair": None,
            "open_ruptures": 0,
            "open_rupture_days": None,
            "repair_overdue": False,
            "last_check_in": "2026-11-20T22:00:00+00:00",
            "checked_in_today": True,
            "check_in_streak": 1,
            "nights_checked_in_14d": 1,
            "bids_7d": 1,
            "turned_toward_7d": None,
            # The couple's line: only nights both rated (Jordan did not).
            "nightly_14d": [None] * 14,
            "ask_still_open": False,
        },
        "partners": [
            {
                "key": "a",
                "name": "Maya",
                "bids_made_7d": 1,
                "responsiveness_7d": None,
                "connection_7d": 4.0,
                "nightly_14d": [None] * 13 + [4.0],
            },
            {
                "key": "b",
                "name": "Jordan",
                "bids_made_7d": 0,
                "responsiveness_7d": 100.0,
                "connection_7d": None,
                "nightly_14d": [None] * 14,
            },
        ],
    }


async def test_each_partners_figures_are_for_admins_only(
    hass: HomeAssistant, init_integration: MockConfigEntry, users: dict[str, MockUser]
) -> None:
    for _ in range(5):
        await call(hass, "log_bid", {"bidder": "Maya", "response": "toward"})
    as_jordan = await call(
        hass, "get_summary", return_response=True, context=Context(user_id=users["jordan"].id)
    )
    # The couple's figures, for anyone: the share of both partners' bids turned toward.
    assert "partners" not in as_jordan
    assert as_jordan["couple"]["bids_7d"] == 5
    assert as_jordan["couple"]["turned_toward_7d"] == 100.0
    as_maya = await call(
        hass, "get_summary", return_response=True, context=Context(user_id=users["maya"].id)
    )
    assert [p["bids_made_7d"] for p in as_maya["partners"]] == [5, 0]
    # Automations and scripts run as the system: they may read them.
    assert "partners" in await call(hass, "get_summary", return_response=True)


async def test_still_open_is_asked_before_support_on_an_open_rupture_alone(
    hass: HomeAssistant, init_integration: MockConfigEntry, frozen: FrozenDateTimeFactory
) -> None:
    support = "binary_sensor.maya_jordan_support_suggested"
    coordinator = init_integration.runtime_data.coordinator
    # Nothing open: nothing to confirm, and nothing changes.
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "still_open")
    assert err.value.translation_key == "nothing_open"

    await call(hass, "log_rupture", {"when": "2026-11-04T20:00:00"})  # 16 days open
    state = hass.states.get(support)
    # Before: support would have been suggested on the open rupture alone.
    assert (state.state, state.attributes["question"]) == ("off", "still_open")
    assert coordinator.data.ask_still_open

    await call(hass, "still_open")
    state = hass.states.get(support)
    assert state.state == "on"
    assert "question" not in state.attributes
    # The answer is kept: a restart still knows it.
    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(support).state == "on"

    # A repair closes it. A rupture logged later that same evening, and open as
    # long, is asked about afresh: the answer was about the one before.
    await call(hass, "log_repair", {"initiator": "both"})
    assert hass.states.get(support).state == "off"
    frozen.tick(timedelta(minutes=5))
    await call(hass, "log_rupture")
    # Open only minutes: not asked yet, so an answer now is refused and changes nothing.
    said = coordinator.journal.still_open_at
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "still_open")
    assert err.value.translation_key == "still_open_not_asked"
    assert coordinator.journal.still_open_at == said
    frozen.tick(timedelta(days=15))
    await init_integration.runtime_data.coordinator.async_refresh()
    state = hass.states.get(support)
    assert (state.state, state.attributes.get("question")) == ("off", "still_open")


BAD_CALLS = [
    ("log_bid", {"bidder": "Sam", "response": "toward"}, "unknown_partner"),
    ("log_bid", {"bidder": "Maya", "response": "sideways"}, "unknown_response"),
    ("log_bid", {"bidder": "Maya", "response": "toward", "note": "x" * 501}, "text_too_long"),
    ("log_bid", {"bidder": "Maya"}, "invalid_field"),
    ("log_bid", {"bidder": "Maya", "response": "toward", "mood": "x"}, "invalid_field"),
    ("log_bid", {"bidder": {"a": 1}, "response": "toward"}, "invalid_field"),
    (
        "log_bid",
        {"bidder": "Maya", "response": "toward", "when": "2099-01-01T00:00:00"},
        "future_timestamp",
    ),
    ("log_bid", {"bidder": "Maya", "response": "toward", "when": "not a time"}, "invalid_field"),
    ("log_check_in", {"partner": "Maya", "rating": 7}, "rating_out_of_range"),
    ("log_check_in", {"partner": "Maya", "rating": 0}, "rating_out_of_range"),
    ("log_check_in", {"partner": "Maya", "rating": 4.5}, "invalid_field"),
    ("log_check_in", {"partner": "Maya", "rating": "four"}, "invalid_field"),
    ("log_check_in", {"partner": "Maya", "rating": True}, "invalid_field"),
    ("log_check_in", {"partner": "Maya", "rating": None}, "invalid_field"),
    ("log_check_in", {"partner": "Maya", "rating": 3, "appreciation": "y" * 501}, "text_too_long"),
    ("log_check_in", {"partner": "", "rating": 3}, "unknown_partner"),
    ("log_rupture", {"hurt": "Sam"}, "unknown_partner"),
    ("remove_entry", {"entry": 99}, "event_not_found"),
    ("remove_entry", {"entry": 0}, "invalid_field"),
    ("log_rupture", {"note": "z" * 501}, "text_too_long"),
    ("log_repair", {"initiator": "Sam"}, "unknown_partner"),
    ("log_repair", {}, "invalid_field"),
    ("log_repair", {"initiator": "Maya", "config_entry_id": "nope"}, "entry_not_found"),
    ("undo_last", {"extra": 1}, "invalid_field"),
    # Found by hypothesis: HA's cv.entity_ids raises TypeError, not vol.Invalid.
    ("start_check_in", {"satellite": False}, "invalid_field"),
]


@pytest.mark.parametrize(("service", "data", "key"), BAD_CALLS)
async def test_bad_input_is_refused_and_changes_nothing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    service: str,
    data: dict[str, Any],
    key: str,
) -> None:
    await call(hass, "log_bid", {"bidder": "Jordan", "response": "toward"})
    before = stored(init_integration)
    states = {s.entity_id: s.state for s in hass.states.async_all()}

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, service, data)

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == key
    # The message is translated and does not echo private text back.
    assert "x" * 20 not in str(err.value)
    assert stored(init_integration) == before
    assert {s.entity_id: s.state for s in hass.states.async_all()} == states


async def test_unknown_partner_names_the_partners(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "log_repair", {"initiator": "Sam"})
    assert str(err.value) == "That partner is not known. The partners are Maya, Jordan"


async def test_two_couples_need_a_config_entry_id(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    other = MockConfigEntry(
        domain=DOMAIN,
        title="Sam & Alex",
        data={CONF_PARTNER_A: "Sam", CONF_PARTNER_B: "Alex"},
        unique_id="alex|sam",
    )
    other.add_to_hass(hass)
    assert await hass.config_entries.async_setup(other.entry_id)
    await hass.async_block_till_done()

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "log_bid", {"bidder": "Sam", "response": "toward"})
    assert err.value.translation_key == "ambiguous_entry"

    await call(
        hass, "log_bid", {"bidder": "Sam", "response": "toward", "config_entry_id": other.entry_id}
    )
    assert len(stored(other)) == 1
    assert stored(init_integration) == []


async def test_actions_need_a_couple(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "get_summary", return_response=True)
    assert err.value.translation_key == "not_set_up"
