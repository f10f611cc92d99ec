"""Setting up a couple, reconfiguring names, and options."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.reconnect.const import (
    CONF_ADVANCED,
    CONF_ALIASES_A,
    CONF_ALIASES_B,
    CONF_AUTO_RUPTURE,
    CONF_CHECK_IN_TIME,
    CONF_CONSENT,
    CONF_DELIVERY,
    CONF_HELPLINE,
    CONF_NOTIFY_A,
    CONF_NOTIFY_B,
    CONF_PARTNER_A,
    CONF_PARTNER_B,
    CONF_PERSON_A,
    CONF_PERSON_B,
    CONF_QUIET_END,
    CONF_QUIET_START,
    CONF_REPAIR_REMINDER_DAYS,
    CONF_SATELLITES_A,
    CONF_SATELLITES_B,
    DOMAIN,
)
from custom_components.reconnect.schema import vol
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import area_registry as ar, entity_registry as er
from homeassistant.helpers.translation import async_get_translations

from .conftest import call

pytestmark = pytest.mark.usefixtures("frozen")


async def test_user_step_creates_the_couple(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_PARTNER_A: "  Maya ",
            CONF_PERSON_A: "person.maya",
            CONF_PARTNER_B: "Jordan",
            CONF_CONSENT: True,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Maya & Jordan"
    assert result["data"] == {
        CONF_PARTNER_A: "Maya",
        CONF_PERSON_A: "person.maya",
        CONF_PARTNER_B: "Jordan",
    }
    assert result["result"].unique_id == "jordan|maya"
    await hass.async_block_till_done()
    assert hass.states.get("sensor.maya_jordan_open_ruptures").state == "0"


@pytest.mark.parametrize(
    ("names", "errors"),
    [
        (("", "Jordan"), {CONF_PARTNER_A: "name_empty"}),
        (("Maya", "   "), {CONF_PARTNER_B: "name_empty"}),
        (("M" * 41, "Jordan"), {CONF_PARTNER_A: "name_too_long"}),
        (("Maya", "J" * 41), {CONF_PARTNER_B: "name_too_long"}),
        (("Maya", "MAYA"), {CONF_PARTNER_B: "names_not_distinct"}),
    ],
)
async def test_bad_names_are_form_errors_and_create_nothing(
    hass: HomeAssistant, names: tuple[str, str], errors: dict[str, str]
) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PARTNER_A: names[0], CONF_PARTNER_B: names[1], CONF_CONSENT: True}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert hass.config_entries.async_entries(DOMAIN) == []

    # The form recovers once the names are fixed.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PARTNER_A: "Maya", CONF_PARTNER_B: "Jordan", CONF_CONSENT: True}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_setup_needs_both_partners_to_agree(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert CONF_CONSENT in {str(key) for key in result["data_schema"].schema}
    for consent in ({}, {CONF_CONSENT: False}):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_PARTNER_A: "Maya", CONF_PARTNER_B: "Jordan", **consent}
        )
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {CONF_CONSENT: "consent_required"}
    assert hass.config_entries.async_entries(DOMAIN) == []
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PARTNER_A: "Maya", CONF_PARTNER_B: "Jordan", CONF_CONSENT: True}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # Agreeing is asked, not stored.
    assert CONF_CONSENT not in result["data"]


async def test_forty_characters_is_allowed(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PARTNER_A: "M" * 40, CONF_PARTNER_B: "Jordan", CONF_CONSENT: True}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_the_same_pair_twice_is_aborted_in_any_order_or_case(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PARTNER_A: "jordan", CONF_PARTNER_B: "MAYA", CONF_CONSENT: True}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_a_second_couple_is_allowed(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PARTNER_A: "Sam", CONF_PARTNER_B: "Alex", CONF_CONSENT: True}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert len(hass.config_entries.async_entries(DOMAIN)) == 2


async def test_reconfigure_renames_a_partner_and_keeps_history(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    await call(hass, "log_bid", {"bidder": "Maya", "response": "toward"})
    result = await init_integration.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_PARTNER_A: "Mae", CONF_PERSON_A: "person.mae", CONF_PARTNER_B: "Jordan"},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()

    assert init_integration.title == "Mae & Jordan"
    assert init_integration.unique_id == "jordan|mae"
    assert init_integration.data[CONF_PERSON_A] == "person.mae"
    # The bid made under the old name is still Mae's.
    summary = await call(hass, "get_summary", return_response=True)
    assert summary["partners"][0]["name"] == "Mae"
    assert summary["partners"][0]["bids_made_7d"] == 1
    await call(hass, "log_bid", {"bidder": "mae", "response": "away"})


async def test_reconfigure_shows_errors_and_refuses_a_taken_pair(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    other = MockConfigEntry(
        domain=DOMAIN,
        title="Sam & Alex",
        data={CONF_PARTNER_A: "Sam", CONF_PARTNER_B: "Alex"},
        unique_id="alex|sam",
    )
    other.add_to_hass(hass)
    result = await init_integration.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PARTNER_A: "", CONF_PARTNER_B: "Jordan"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_PARTNER_A: "name_empty"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PARTNER_A: "Alex", CONF_PARTNER_B: "Sam"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert init_integration.title == "Maya & Jordan"


async def test_options_have_gentle_defaults_and_apply_at_once(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    await call(hass, "log_rupture", {"when": "2026-11-18T10:00:00"})
    assert hass.states.get("binary_sensor.maya_jordan_repair_waiting").state == "off"

    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["type"] is FlowResultType.FORM
    schema = result["data_schema"].schema
    defaults = {
        str(key): key.default()
        for key in schema
        if str(key) not in (CONF_DELIVERY, CONF_ADVANCED, CONF_HELPLINE)
    }
    # No helpline unless the couple add their own.
    (helpline,) = (key for key in schema if str(key) == CONF_HELPLINE)
    assert helpline.description == {"suggested_value": None}
    assert defaults == {
        CONF_REPAIR_REMINDER_DAYS: 3,
        CONF_CHECK_IN_TIME: "21:30:00",
        CONF_QUIET_START: "22:30:00",
        CONF_QUIET_END: "08:00:00",
        CONF_AUTO_RUPTURE: True,
        # A low nightly rating is honest information, not a fight.
        "low_rating_rupture": False,
        "keep_years": 0,
        CONF_SATELLITES_A: [],
        CONF_SATELLITES_B: [],
        CONF_ALIASES_A: [],
        CONF_ALIASES_B: [],
    }
    sections = {
        str(key): value.schema.schema
        for key, value in schema.items()
        if str(key) in (CONF_DELIVERY, CONF_ADVANCED)
    }
    assert {str(k): k.default() for k in sections[CONF_ADVANCED]} == {
        "pursuer_share": 0.6,
        "min_events": 10,
        "low_responsiveness": 50.0,
        "drop": 0.5,
        "unmet_share": 0.5,
        "min_baseline_bids": 4,
        "voice_share": 0.25,
        "support_days": 14,
        "check_in_gap_days": 3,
        "checking_in_nights": 2,
    }
    # Each partner's own phones by default; the sidebar note (seen by every user) off.
    assert {str(k): k.default() for k in sections[CONF_DELIVERY]} == {
        "own_devices": True,
        "notify_a": [],
        "notify_b": [],
        "persistent_notification": False,
        "announce_satellites": [],
    }
    defaults |= {CONF_DELIVERY: {}, CONF_ADVANCED: {"support_days": 21.0}}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**defaults, CONF_REPAIR_REMINDER_DAYS: 2.0}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_REPAIR_REMINDER_DAYS] == 2
    assert init_integration.options[CONF_ADVANCED]["support_days"] == 21
    assert isinstance(init_integration.options[CONF_ADVANCED]["support_days"], int)
    assert init_integration.runtime_data.coordinator.thresholds.support_days == 21
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.maya_jordan_repair_waiting").state == "on"

    # The form opens with the saved values.
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    saved = {
        str(k): k.default() for k in result["data_schema"].schema if k.default is not vol.UNDEFINED
    }
    assert saved[CONF_REPAIR_REMINDER_DAYS] == 2


async def test_options_refuse_a_check_in_time_inside_quiet_hours(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    settings = {
        CONF_REPAIR_REMINDER_DAYS: 3,
        CONF_CHECK_IN_TIME: "23:00:00",
        CONF_QUIET_START: "22:30:00",
        CONF_QUIET_END: "08:00:00",
        CONF_AUTO_RUPTURE: False,
        CONF_DELIVERY: {},
        CONF_ADVANCED: {},
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], settings)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_CHECK_IN_TIME: "check_in_in_quiet_hours"}
    assert init_integration.options == {}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**settings, CONF_CHECK_IN_TIME: "21:00:00"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_AUTO_RUPTURE] is False


async def test_options_refuse_a_satellite_in_both_partners_spaces(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    settings = {
        CONF_REPAIR_REMINDER_DAYS: 3,
        CONF_CHECK_IN_TIME: "21:30:00",
        CONF_QUIET_START: "22:30:00",
        CONF_QUIET_END: "08:00:00",
        CONF_AUTO_RUPTURE: True,
        CONF_SATELLITES_A: ["dev-1", "dev-2"],
        CONF_SATELLITES_B: ["dev-2"],
        CONF_DELIVERY: {},
        CONF_ADVANCED: {},
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], settings)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_SATELLITES_B: "satellite_in_both"}
    assert init_integration.options == {}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**settings, CONF_SATELLITES_B: ["dev-3"]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_SATELLITES_A] == ["dev-1", "dev-2"]


# Every option at its default, as the form sends it.
SETTINGS = {
    CONF_REPAIR_REMINDER_DAYS: 3,
    CONF_CHECK_IN_TIME: "21:30:00",
    CONF_QUIET_START: "22:30:00",
    CONF_QUIET_END: "08:00:00",
    CONF_AUTO_RUPTURE: True,
    CONF_DELIVERY: {},
    CONF_ADVANCED: {},
}


async def test_a_local_helpline_is_shown_with_the_safety_line_and_never_spoken(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    support = "binary_sensor.maya_jordan_support_suggested"
    assert "helpline" not in (hass.states.get(support).attributes or {})
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    bad = {**SETTINGS, CONF_HELPLINE: "<script>"}
    result = await hass.config_entries.options.async_configure(result["flow_id"], bad)
    assert result["errors"] == {CONF_HELPLINE: "helpline_invalid"}
    assert init_integration.options == {}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**SETTINGS, CONF_HELPLINE: "  0808 2000 247 "}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_HELPLINE] == "0808 2000 247"
    await hass.async_block_till_done()
    assert hass.states.get(support).attributes["helpline"] == "0808 2000 247"
    # Cleared, it is gone.
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**SETTINGS, CONF_HELPLINE: " "}
    )
    assert CONF_HELPLINE not in init_integration.options
    await hass.async_block_till_done()
    assert "helpline" not in (hass.states.get(support).attributes or {})


def aliases_shown(result: Any) -> tuple[list[str], list[str]]:
    """The aliases the options form shows for each partner."""
    shown = {
        str(k): k.default()
        for k in result["data_schema"].schema
        if str(k) in (CONF_ALIASES_A, CONF_ALIASES_B)
    }
    return shown[CONF_ALIASES_A], shown[CONF_ALIASES_B]


async def test_options_save_spoken_aliases_and_the_couple_answers_to_them(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {**SETTINGS, CONF_ALIASES_A: [" Maia ", "", "  ", "Mo  Mo"], CONF_ALIASES_B: ["Jordon"]},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # Trimmed, and empty ones dropped.
    assert init_integration.options[CONF_ALIASES_A] == ["Maia", "Mo Mo"]
    assert init_integration.options[CONF_ALIASES_B] == ["Jordon"]
    couple = init_integration.runtime_data.coordinator.couple
    assert (couple.resolve("maia"), couple.resolve("JORDON")) == ("a", "b")
    assert couple.name("a") == "Maya"
    await call(hass, "log_bid", {"bidder": "Mo Mo", "response": "toward"})
    summary = await call(hass, "get_summary", return_response=True)
    assert summary["partners"][0]["bids_made_7d"] == 1

    # The form opens with the saved aliases.
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert aliases_shown(result) == (["Maia", "Mo Mo"], ["Jordon"])


@pytest.fixture
def home(hass: HomeAssistant) -> None:
    """A home whose areas and devices Assist already knows by name."""
    ar.async_get(hass).async_create("Kitchen", aliases={"Cookhouse"})
    entities = er.async_get(hass)
    lamp = entities.async_get_or_create("light", "test", "lamp", original_name="Desk Lamp")
    # Entity aliases are a set up to HA 2025.x and a list after.
    entities.async_update_entity(lamp.entity_id, aliases=type(lamp.aliases)(["Reading Nook"]))
    fan = entities.async_get_or_create("fan", "test", "fan", original_name="Fan")
    entities.async_update_entity(fan.entity_id, name="Big Breeze")
    hass.states.async_set("light.porch", "off", {"friendly_name": "Porch Glow"})


@pytest.mark.usefixtures("home")
@pytest.mark.parametrize(
    ("aliases", "errors"),
    [
        # Reconnect could not tell who was meant.
        ((["Mo"], ["mo"]), {CONF_ALIASES_B: "alias_not_unique"}),
        ((["Mo", " MO "], []), {CONF_ALIASES_A: "alias_not_unique"}),
        (([], ["maya"]), {CONF_ALIASES_B: "alias_not_unique"}),
        ((["Jordan"], []), {CONF_ALIASES_A: "alias_not_unique"}),
        ((["Maya!"], []), {CONF_ALIASES_A: "alias_not_unique"}),
        # "Turn on the light in the kitchen" must keep working.
        ((["kitchen"], []), {CONF_ALIASES_A: "alias_taken_by_home"}),
        (([], ["Cookhouse"]), {CONF_ALIASES_B: "alias_taken_by_home"}),
        ((["desk lamp"], []), {CONF_ALIASES_A: "alias_taken_by_home"}),
        ((["Reading Nook"], []), {CONF_ALIASES_A: "alias_taken_by_home"}),
        ((["BIG BREEZE"], []), {CONF_ALIASES_A: "alias_taken_by_home"}),
        (([], ["Porch Glow"]), {CONF_ALIASES_B: "alias_taken_by_home"}),
        # Nothing anyone could say.
        ((["?!"], []), {CONF_ALIASES_A: "alias_invalid"}),
        (([], ["Mo (home)"]), {CONF_ALIASES_B: "alias_invalid"}),
        ((["{name}"], []), {CONF_ALIASES_A: "alias_invalid"}),
        ((["M" * 41], []), {CONF_ALIASES_A: "alias_invalid"}),
        # Each field shows its own problem.
        (
            (["Mo|Momo"], ["Kitchen"]),
            {CONF_ALIASES_A: "alias_invalid", CONF_ALIASES_B: "alias_taken_by_home"},
        ),
    ],
)
async def test_options_refuse_an_alias_that_is_ambiguous_taken_or_unspeakable(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    aliases: tuple[list[str], list[str]],
    errors: dict[str, str],
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    settings = {**SETTINGS, CONF_ALIASES_A: aliases[0], CONF_ALIASES_B: aliases[1]}
    result = await hass.config_entries.options.async_configure(result["flow_id"], settings)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert init_integration.options == {}
    assert init_integration.runtime_data.coordinator.couple.aliases("a") == ()
    # The form keeps what was typed, to be corrected.
    assert aliases_shown(result) == aliases

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**settings, CONF_ALIASES_A: ["Maia"], CONF_ALIASES_B: []}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_ALIASES_A] == ["Maia"]


async def with_linked_persons(
    hass: HomeAssistant, entry: MockConfigEntry, users: dict[str, MockUser]
) -> None:
    """Link Maya and Jordan to their persons; only Maya has a companion app."""
    hass.config_entries.async_update_entry(
        entry,
        data={**entry.data, CONF_PERSON_A: "person.maya", CONF_PERSON_B: "person.jordan"},
    )
    MockConfigEntry(
        domain="mobile_app",
        title="Maya's Pixel",
        data={"user_id": users["maya"].id, "device_name": "Maya's Pixel"},
    ).add_to_hass(hass)
    await hass.async_block_till_done()


async def test_options_show_where_each_partners_words_go(
    hass: HomeAssistant, init_integration: MockConfigEntry, users: dict[str, MockUser]
) -> None:
    await with_linked_persons(hass, init_integration, users)
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["description_placeholders"] == {
        "name_a": "Maya",
        "phones_a": "Maya's Pixel",
        "name_b": "Jordan",
        # No companion app is signed in as Jordan's user: the text says what to do.
        "phones_b": "-",
    }
    words = await async_get_translations(hass, "en", "options", {DOMAIN})
    delivery = f"component.{DOMAIN}.options.step.init.sections.delivery"
    description = words[f"{delivery}.description"].format(**result["description_placeholders"])
    assert "- Maya's reminders go to: Maya's Pixel" in description
    assert "- Jordan's reminders go to: -" in description
    assert "no linked person, or no Home Assistant app signed in" in description
    assert '"Reconnect has a note for you."' in description
    # Free-text targets: the form says plainly who reads them.
    for key in ("notify_a", "notify_b"):
        assert "Whoever holds that device" in words[f"{delivery}.data_description.{key}"]
    assert (
        "Every user of this Home Assistant sees it"
        in (words[f"{delivery}.data_description.persistent_notification"])
    )


async def test_options_refuse_the_other_partners_phone_in_a_partners_targets(
    hass: HomeAssistant, init_integration: MockConfigEntry, users: dict[str, MockUser]
) -> None:
    await with_linked_persons(hass, init_integration, users)
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    crossed = {**SETTINGS, CONF_DELIVERY: {CONF_NOTIFY_B: ["notify.mobile_app_maya_s_pixel"]}}
    result = await hass.config_entries.options.async_configure(result["flow_id"], crossed)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "target_of_other_partner"}
    assert init_integration.options == {}

    # Maya's own phone in Maya's own list is fine (it is hers already).
    own = {
        **SETTINGS,
        CONF_DELIVERY: {CONF_NOTIFY_A: ["notify.mobile_app_maya_s_pixel"], CONF_NOTIFY_B: []},
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], own)
    assert result["type"] is FlowResultType.CREATE_ENTRY
