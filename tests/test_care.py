"""Care and safety: what a couple sees at setup, in the entities and in the docs."""

from __future__ import annotations

from datetime import date, timedelta
import json
from pathlib import Path

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.reconnect.binary_sensor import BINARY_SENSORS
from custom_components.reconnect.const import DEFAULT_LOW_RATING_RUPTURE, DOMAIN
from custom_components.reconnect.cycle import Cycle, CycleState
from custom_components.reconnect.reminder_rules import (
    ReminderReason,
    backoff_step,
    is_last_step,
    reminder_messages,
)
from custom_components.reconnect.sentences import Language
from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations

ROOT = Path(__file__).parents[1]
STRINGS = json.loads((ROOT / "custom_components" / DOMAIN / "strings.json").read_text())
README = " ".join((ROOT / "README.md").read_text().split())
HELP = "local emergency services, or a domestic-violence hotline"


async def test_the_setup_screen_carries_the_safety_note(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["step_id"] == "user"
    translations = await async_get_translations(hass, "en", "config", [DOMAIN])
    description = translations[f"component.{DOMAIN}.config.step.user.description"]
    assert "not therapy" in description
    assert "fears the other" in description
    assert HELP in description


def test_the_support_suggestion_carries_the_safety_pointer() -> None:
    support = STRINGS["entity"]["binary_sensor"]["support_suggested"]["state_attributes"]
    words = support["suggestion"]["state"]["couples_support"]
    assert "not a diagnosis" in words
    # Going alone helps too; where to find a therapist; a helpline first for
    # control that is not physical; emergency services for danger now.
    assert "Going on your own helps too" in words
    assert "ICEEFT directory" in words
    assert "Gottman Referral Network" in words
    assert "even with no violence" in words
    assert "talk with a domestic-violence helpline first" in words
    assert "If anyone is in danger now, call emergency services." in words


async def test_no_entity_reads_as_a_problem_or_a_diagnosis(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assert all(d.device_class is None for d in BINARY_SENSORS)
    shown = " ".join(_words(STRINGS["entity"])).lower()
    for word in ("burnout", "burning out", "problem", "risk"):
        assert word not in shown, word
    for state in hass.states.async_all("binary_sensor"):
        assert state.attributes.get("device_class") != "problem", state.entity_id


def test_a_low_rating_opens_no_rupture_by_default() -> None:
    assert DEFAULT_LOW_RATING_RUPTURE is False


def test_the_readme_states_the_care_rules_and_the_safety_note() -> None:
    care = README.split("## Care ", 1)[1].split(" ## ", 1)[0]
    for rule in (
        "no blame on shared screens",
        "no diagnosis",
        "no streak guilt",
        "at most one reminder a day",
        "safety first",
    ):
        assert rule in care.lower(), rule
    assert HELP in care
    privacy = README.split("## Privacy ", 1)[1].split(" ## ", 1)[0]
    assert "any Home Assistant admin" in privacy
    assert "activity event" in privacy


def _words(node: object) -> list[str]:
    """Every text a user may see (values, not keys)."""
    if isinstance(node, dict):
        return [w for value in node.values() for w in _words(value)]
    return [node] if isinstance(node, str) else []


def test_reminders_back_off_catch_up_once_and_stop() -> None:
    since = date(2026, 11, 3)
    day = lambda n: since + timedelta(days=n)  # noqa: E731
    assert backoff_step(since, day(-1), None) is None
    assert backoff_step(since, day(0), None) == 0
    assert backoff_step(since, day(1), day(0)) is None
    assert backoff_step(since, day(2), day(0)) == 1
    # Snoozed through day 6: the last one goes out once, late, then nothing.
    assert backoff_step(since, day(8), day(2)) == 2
    assert is_last_step(2)
    assert backoff_step(since, day(9), day(8)) is None
    assert backoff_step(since, day(30), day(8)) is None


def test_role_words_only_in_a_cycle() -> None:
    for state in CycleState:
        cycle = Cycle(state=state, pursuer="a", partners={})
        keys = reminder_messages(ReminderReason.REPAIR, cycle)
        # In freeze-and-flee both have pulled back: nobody is told to rest (issue 23).
        in_cycle = state in (CycleState.PURSUE_WITHDRAW, CycleState.BURNED_OUT_PURSUER_RISK)
        assert (keys["a"] == "repair_pursuer") is in_cycle, state
        assert keys["both"] == "repair_both"


def test_replies_name_no_demo_partner_and_keep_no_score() -> None:
    """Issue 16, point 5: replies use the couple's names, and a missed bid is not scored."""
    responses = Language.load("en").responses
    for key, text in responses.items():
        for demo in ("Maya", "Jordan", "Alex"):
            assert demo not in text, key
    assert "noticed" not in responses["bid_logged_away"]
    assert "okay" not in responses["rupture_logged"].lower()
