"""Spoken aliases, end to end: saved in the options, heard by Assist as the partner."""

from __future__ import annotations

from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
import yaml

from custom_components.reconnect import DATA_SENTENCES
from custom_components.reconnect.const import (
    CONF_ADVANCED,
    CONF_ALIASES_A,
    CONF_ALIASES_B,
    CONF_AUTO_RUPTURE,
    CONF_CHECK_IN_TIME,
    CONF_DELIVERY,
    CONF_QUIET_END,
    CONF_QUIET_START,
    CONF_REPAIR_REMINDER_DAYS,
)
from custom_components.reconnect.journal import EventKind
from homeassistant.components import conversation
from homeassistant.const import EVENT_CALL_SERVICE
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component

from .conftest import Assist
from .test_voice import (  # noqa: F401 - the fixture: Maya & Jordan, linked to persons
    events,
    mock_config_entry,
)


def partner_list(hass: HomeAssistant) -> list[dict[str, str]]:
    """The values of the partner list in the sentences Assist reads."""
    path = Path(hass.config.path("custom_sentences", "en", "reconnect.yaml"))
    written = yaml.safe_load(path.read_text(encoding="utf-8"))
    values: list[dict[str, str]] = written["lists"]["reconnect_partner"]["values"]
    return values


async def set_aliases(
    hass: HomeAssistant, entry: MockConfigEntry, a: list[str], b: list[str]
) -> None:
    """Save aliases through the options form, as a user would."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_REPAIR_REMINDER_DAYS: 3,
            CONF_CHECK_IN_TIME: "21:30:00",
            CONF_QUIET_START: "22:30:00",
            CONF_QUIET_END: "08:00:00",
            CONF_AUTO_RUPTURE: True,
            CONF_ALIASES_A: a,
            CONF_ALIASES_B: b,
            CONF_DELIVERY: {},
            CONF_ADVANCED: {},
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


@pytest.fixture
async def aliased(hass: HomeAssistant, init_integration: MockConfigEntry) -> MockConfigEntry:
    """Maya (also "Maia", "Mo") and Jordan (also "Jordon"), set in the options."""
    await set_aliases(hass, init_integration, ["Maia", "Mo"], ["Jordon"])
    return init_integration


@pytest.mark.parametrize(
    ("text", "speaker", "bidder", "response"),
    [
        # Said by Jordan: Jordan reached out, and Maya (written "Maia") turned toward.
        ("Maia turned toward me", "jordan", "b", "toward"),
        ("Jordon missed maia's bid", "maya", "a", "away"),
        ("I snapped at Jordon", "maya", "b", "against"),
        ("Mo turned away", "jordan", "b", "away"),
    ],
)
async def test_an_alias_said_logs_that_partner_and_the_reply_says_the_name(
    hass: HomeAssistant,
    aliased: MockConfigEntry,
    users: dict[str, MockUser],
    text: str,
    speaker: str | None,
    bidder: str,
    response: str,
) -> None:
    reply = await Assist(hass, users[speaker] if speaker else None)(text)
    (bid, *_auto) = events(aliased)
    assert (bid.kind, bid.partner, bid.response) == (EventKind.BID, bidder, response)
    reached, met = ("Maya", "Jordan") if bidder == "a" else ("Jordan", "Maya")
    said_back = (f"Noted: {reached} reached out and {met} turned", f"Noted: {met} turned toward")
    assert reply.startswith(said_back), reply
    for alias in ("Maia", "Mo ", "Jordon"):
        assert alias not in reply


async def test_ruptures_and_repairs_hear_aliases_too(
    hass: HomeAssistant, aliased: MockConfigEntry
) -> None:
    assert (await Assist(hass)("Maia felt hurt")).startswith("Noted.")
    assert (await Assist(hass)("Jordon apologized")).startswith("Noted: Jordan led a repair.")
    logged = [(e.kind, e.partner) for e in events(aliased)]
    assert logged == [(EventKind.RUPTURE, "a"), (EventKind.REPAIR, "b")]


async def test_changing_aliases_rewrites_the_sentences_at_once(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assert partner_list(hass) == [
        {"in": "Jordan", "out": "Jordan"},
        {"in": "Maya", "out": "Maya"},
    ]
    reloads = async_capture_events(hass, EVENT_CALL_SERVICE)

    await set_aliases(hass, init_integration, ["Maia"], ["Jordon"])
    # An alias is one more way in, and Reconnect hears the partner's name.
    assert partner_list(hass) == [
        {"in": "Jordan", "out": "Jordan"},
        {"in": "Maya", "out": "Maya"},
        {"in": "Jordon", "out": "Jordan"},
        {"in": "Maia", "out": "Maya"},
    ]
    assert [(e.data["domain"], e.data["service"]) for e in reloads] == [("conversation", "reload")]
    assert (await Assist(hass)("Maia apologized")).startswith("Noted: Maya led a repair.")

    # Saving other options leaves the file (and Assist) alone.
    await set_aliases(hass, init_integration, ["Maia"], ["Jordon"])
    assert len(reloads) == 1

    # A removed alias is no longer heard.
    await set_aliases(hass, init_integration, [], ["Jordon"])
    assert {"in": "Maia", "out": "Maya"} not in partner_list(hass)
    assert not (await Assist(hass)("Maia apologized")).startswith("Noted")
    assert [e.kind for e in events(init_integration)] == [EventKind.REPAIR]


async def test_stand_in_triggers_hear_aliases_when_assist_cannot_reload(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,  # noqa: F811 - the fixture
    frozen: FrozenDateTimeFactory,
) -> None:
    async def reload(_call: ServiceCall) -> None:
        raise FileNotFoundError("configuration.yaml")

    assert await async_setup_component(hass, conversation.DOMAIN, {})
    hass.services.async_register(conversation.DOMAIN, "reload", reload)
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options={CONF_ALIASES_A: ["Maia"], CONF_ALIASES_B: ["Jordon"]}
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.data[DATA_SENTENCES].falling_back

    assistant = Assist(hass)
    assert (await assistant("Maia apologized")).startswith("Noted: Maya led a repair.")
    assert (await assistant("log a bid from Jordon that was turned toward")).startswith(
        "Noted: Maya turned toward Jordan."
    )
    # A story is heard by more than one stand-in trigger, and logged once (from a
    # shared speaker, so the reply names no one).
    assert (await assistant("Maia asked Jordon about his day and he kept scrolling")).startswith(
        "Noted. Say undo that if I got it wrong."
    )
    logged = [(e.kind, e.partner) for e in events(mock_config_entry)]
    assert logged == [(EventKind.REPAIR, "a"), (EventKind.BID, "b"), (EventKind.BID, "a")]


async def test_diagnostics_never_show_aliases(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,  # noqa: F811 - the fixture
    hass_client: ClientSessionGenerator,
) -> None:
    # No frozen clock here: HA's diagnostics view imports lazily, which freezegun breaks.
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await set_aliases(hass, mock_config_entry, ["Maia"], ["Jordon"])
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, mock_config_entry)
    assert diagnostics["entry"]["options"][CONF_ALIASES_A] == "**REDACTED**"
    assert "Maia" not in repr(diagnostics)
    assert "Jordon" not in repr(diagnostics)


async def test_an_alias_answers_who_reached_out_first(
    hass: HomeAssistant, aliased: MockConfigEntry
) -> None:
    assistant = Assist(hass)
    assert "Who reached out first" in await assistant("we made up")
    assert (await assistant("Maia did")).startswith("Noted: Maya led a repair.")
    assert [(e.kind, e.partner) for e in events(aliased)] == [(EventKind.REPAIR, "a")]
