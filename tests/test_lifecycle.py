"""HA's lifecycle and the user's files: options at once, unload order, the sentences file."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
import yaml

from custom_components.reconnect import sentences as sentences_module
from custom_components.reconnect.const import (
    CONF_CHECK_IN_TIME,
    CONF_DELIVERY,
    CONF_PARTNER_A,
    CONF_PARTNER_B,
    CONF_PERSISTENT,
    DOMAIN,
)
from homeassistant.components import conversation
from homeassistant.config_entries import ConfigEntryDisabler, ConfigEntryState
from homeassistant.const import EVENT_CALL_SERVICE
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component

from .conftest import ENTRY_ID, call
from .test_reminders import NOTIFICATION, at, notifications

SENTENCES = ("custom_sentences", "en", "reconnect.yaml")
USERS_OWN = "# My own sentences\nlanguage: en\nintents: {}\n"


async def say(hass: HomeAssistant, text: str) -> str:
    result = await conversation.async_converse(hass, text, None, Context(), "en")
    return str(result.response.speech["plain"]["speech"])


def couple(title: str, a: str, b: str) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title=title,
        data={CONF_PARTNER_A: a, CONF_PARTNER_B: b},
        unique_id=f"{b.lower()}|{a.lower()}",
    )


async def test_a_new_check_in_time_applies_without_a_reload(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await call(hass, "log_rupture", {"when": "2026-11-16T20:00:00"})
    options = {
        **init_integration.options,
        CONF_CHECK_IN_TIME: "22:00:00",
        CONF_DELIVERY: {CONF_PERSISTENT: True},  # the sidebar note, off by default
    }
    hass.config_entries.async_update_entry(init_integration, options=options)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED

    # In Los Angeles, 21:30 (the old time) is 05:30 UTC and 22:00 is 06:00 UTC.
    await at(hass, freezer, "2026-11-21 05:30:00+00:00")
    assert NOTIFICATION not in notifications(hass)
    await at(hass, freezer, "2026-11-21 06:00:00+00:00")
    assert NOTIFICATION in notifications(hass)


# A failed unload leaves the entry (and so its timers) to HA until it restarts.
@pytest.mark.parametrize("expected_lingering_timers", [True])
async def test_a_failed_platform_unload_leaves_the_couple_whole(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    assert (await say(hass, "start our check-in")).endswith("from one to five?")
    assert (await say(hass, "four")).startswith("Thank you, Maya.")
    with patch.object(hass.config_entries, "async_unload_platforms", return_value=False):
        assert not await hass.config_entries.async_unload(init_integration.entry_id)
    assert init_integration.state is ConfigEntryState.FAILED_UNLOAD
    # Nothing was torn down half way: the check-in still runs, with its answers,
    # and it was not closed as partial.
    dialogue = init_integration.runtime_data.dialogue
    assert dialogue.checkin is not None
    assert dialogue.checkin.rated == {"a": 4}
    assert dialogue.listening
    stored = hass_storage[f"{DOMAIN}.{ENTRY_ID}"]["data"]
    assert not stored.get("sessions")
    assert len(stored["events"]) == 1


async def test_a_users_own_sentences_file_is_never_overwritten_or_deleted(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, frozen: FrozenDateTimeFactory
) -> None:
    path = Path(hass.config.path(*SENTENCES))
    path.parent.mkdir(parents=True)
    path.write_text(USERS_OWN, encoding="utf-8")
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert path.read_text(encoding="utf-8") == USERS_OWN
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "sentences_file_not_ours")
    assert issue is not None
    assert issue.translation_placeholders == {"path": str(path)}
    # Reconnect still hears its phrases, through sentence triggers.
    assert (await say(hass, "Jordan apologized")).startswith("Noted: Jordan led a repair.")

    assert await hass.config_entries.async_remove(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert path.read_text(encoding="utf-8") == USERS_OWN


async def test_two_couples_set_up_at_once_both_land_in_the_file(
    hass: HomeAssistant, frozen: FrozenDateTimeFactory
) -> None:
    first, second = couple("Maya & Jordan", "Maya", "Jordan"), couple("Ana & Ben", "Ana", "Ben")
    for entry in (first, second):
        entry.add_to_hass(hass)
    reloads = async_capture_events(hass, EVENT_CALL_SERVICE)
    # As at HA's start: setting up the integration sets up every entry at once.
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()
    assert [e.state for e in (first, second)] == [ConfigEntryState.LOADED] * 2

    written = yaml.safe_load(Path(hass.config.path(*SENTENCES)).read_text(encoding="utf-8"))
    names = [v["out"] for v in written["lists"]["reconnect_partner"]["values"]]
    assert names == ["Ana", "Ben", "Jordan", "Maya"]
    # Only English is reloaded, never every language (nor the user's YAML).
    calls = [e.data for e in reloads if e.data["service"] == "reload"]
    assert calls
    assert all(c["service_data"] == {"language": "en"} for c in calls)
    assert (await say(hass, "Ben apologized")).startswith("Noted: Ben led a repair.")
    assert (await say(hass, "Jordan apologized")).startswith("Noted: Jordan led a repair.")


async def test_a_disabled_couples_names_leave_the_sentences(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    other = couple("Ana & Ben", "Ana", "Ben")
    other.add_to_hass(hass)
    assert await hass.config_entries.async_setup(other.entry_id)
    await hass.async_block_till_done()
    path = Path(hass.config.path(*SENTENCES))
    assert "Ana" in path.read_text(encoding="utf-8")

    assert await hass.config_entries.async_set_disabled_by(other.entry_id, ConfigEntryDisabler.USER)
    await hass.async_block_till_done()
    text = path.read_text(encoding="utf-8")
    assert "Ana" not in text
    assert "Maya" in text


async def test_sentences_that_would_not_parse_are_never_written(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    frozen: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = Path(hass.config.path(*SENTENCES))

    def broken(*_args: Any) -> dict[str, Any]:
        return {
            "language": "en",
            "intents": {"ReconnectUndo": {"data": [{"sentences": ["(undo"]}]}},
        }

    monkeypatch.setattr(sentences_module, "custom_sentences", broken)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert not path.exists()
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "sentences_unusable")
    assert issue is not None
    # HA's own English commands keep working.
    assert "Sorry" not in await say(hass, "what time is it")


# What HA says when an integration uses something it is retiring (helpers/frame.py
# report_usage, and the deprecation helpers): in 2026.12 one of them became an error.
DEPRECATION_WORDS = ("stop working in", "deprecated", "report_usage", "detected that custom")


def deprecations(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return the log records in which HA reports a deprecation by Reconnect."""
    return [
        record.getMessage()
        for record in caplog.records
        if "reconnect" in record.getMessage().casefold()
        and any(word in record.getMessage().casefold() for word in DEPRECATION_WORDS)
    ]


async def test_no_deprecation_through_setup_rename_options_reload_and_unload(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    frozen: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("DEBUG")
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    await call(hass, "log_bid", {"bidder": "Maya", "response": "toward"})

    # Reconfigure: a rename reloads the couple, and Assist hears the new name at once.
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PARTNER_A: "Mae", CONF_PARTNER_B: "Jordan"}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert mock_config_entry.title == "Mae & Jordan"
    assert (await say(hass, "Mae apologized")).startswith("Noted: Mae led a repair.")
    coordinator = mock_config_entry.runtime_data.coordinator
    assert [e.partner for e in coordinator.journal.events] == ["a", "a"]

    # Options apply in place: the same coordinator, no reload.
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    defaults = {
        str(key): key.default()
        for key in result["data_schema"].schema
        if str(key) not in ("delivery", "advanced", "helpline")  # sections; no default
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {**defaults, "delivery": {}, "advanced": {}, CONF_CHECK_IN_TIME: "21:00:00"},
    )
    assert result["type"] == "create_entry"
    await hass.async_block_till_done()
    assert mock_config_entry.runtime_data.coordinator is coordinator

    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.NOT_LOADED

    assert deprecations(caplog) == []
