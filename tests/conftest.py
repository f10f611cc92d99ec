"""Shared fixtures: a couple called Maya and Jordan."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion
from syrupy.location import PyTestLocation

from custom_components.reconnect.const import (
    CONF_PARTNER_A,
    CONF_PARTNER_B,
    DOMAIN,
)
from homeassistant.components import conversation
from homeassistant.components.conversation.default_agent import DefaultAgent
from homeassistant.const import MAJOR_VERSION, MINOR_VERSION
from homeassistant.core import Context, HomeAssistant
from homeassistant.setup import async_setup_component

ENTRY_ID = "01JRECONNECT0000000000TEST"
# A Friday afternoon in Los Angeles (the test zone), far from any DST switch.
NOW = "2026-11-20 22:00:00+00:00"

# The greeting of a couple's first check-in: once, what Reconnect keeps and who can read it.
FIRST_WELCOME = (
    "Welcome to your first check-in. Before we start: Reconnect keeps what you log on this"
    " home's Home Assistant, with who logged it, and never who started a fight. Anyone who"
    " administers it can read the notes. Say stop at any time, and Reconnect can be paused"
    " in its settings whenever you like."
)


@pytest.fixture
async def core_components(hass: HomeAssistant) -> None:
    """Load what a real HA always has (Assist needs it)."""
    assert await async_setup_component(hass, "homeassistant", {})


_SENTENCES: dict[tuple[object, ...], Any] = {}


@pytest.fixture(autouse=True)
def share_home_assistants_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    """Load HA's English sentences once per test process, not in every test.

    Our sentences go through HA's matcher, which parses thousands of built-in
    templates on first use (about a second). The result depends only on the
    language and the custom sentence files, which are the cache key, so a test
    that renames a partner still gets its own load. Nothing is asserted on it.
    """
    original = DefaultAgent._load_intents

    def load(agent: DefaultAgent, language: str) -> Any:
        folder = Path(agent.hass.config.path("custom_sentences"))
        files = sorted(
            (str(path.relative_to(folder)), path.read_text(encoding="utf-8"))
            for path in (folder.rglob("*.yaml") if folder.is_dir() else ())
        )
        # The intents from configuration.yaml: `_config_intents` up to HA 2025.x,
        # `_config_intents_config` after. setattr below fails loudly if
        # `_load_intents` itself is ever renamed.
        config = getattr(agent, "_config_intents_config", None)
        if config is None:
            config = agent._config_intents
        key = (language, tuple(files), repr(config))
        if key not in _SENTENCES:
            _SENTENCES[key] = original(agent, language)
        return _SENTENCES[key]

    monkeypatch.setattr(DefaultAgent, "_load_intents", load)


@pytest.fixture(autouse=True)
def ha_test_setup(request: pytest.FixtureRequest) -> None:
    """Prepare tests that use hass; leave the others (pure, browser) alone."""
    if "hass" in request.fixturenames:
        if "recorder_mock" in request.fixturenames:
            request.getfixturevalue("recorder_mock")  # phcc: before hass exists
        request.getfixturevalue("enable_custom_integrations")
        # Each test its own config dir: Reconnect writes custom sentences there.
        hass: HomeAssistant = request.getfixturevalue("hass")
        hass.config.config_dir = str(request.getfixturevalue("tmp_path"))
        request.getfixturevalue("core_components")


class PerReleaseSnapshotExtension(HomeAssistantSnapshotExtension):
    """HA's serialiser, with one snapshot folder per HA release a lane tests.

    Registry entries gain and change fields between releases (aliases became a
    list in 2026.x), so each lane compares against what its own HA produces.
    """

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        """Return tests/snapshots/ha-<major.minor>."""
        folder = Path(super().dirname(test_location=test_location))
        return str(folder / f"ha-{MAJOR_VERSION}.{MINOR_VERSION}")


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Use HA's snapshot serialiser (stable ids, readable states)."""
    return snapshot.use_extension(PerReleaseSnapshotExtension)


@pytest.fixture
def frozen(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    """Freeze time at a known instant so states and snapshots are stable."""
    freezer.move_to(NOW)
    return freezer


@pytest.fixture
def users(hass: HomeAssistant, hass_admin_user: MockUser) -> dict[str, MockUser]:
    """Two logged-in users, linked to the partners' persons (Jordan is not an admin)."""
    jordan = MockUser(name="Jordan").add_to_hass(hass)
    for person, user in (("person.maya", hass_admin_user), ("person.jordan", jordan)):
        hass.states.async_set(person, "home", {"user_id": user.id})
    return {"maya": hass_admin_user, "jordan": jordan}


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """Return the config entry of Maya & Jordan."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Maya & Jordan",
        data={CONF_PARTNER_A: "Maya", CONF_PARTNER_B: "Jordan"},
        unique_id="jordan|maya",
        entry_id=ENTRY_ID,
        minor_version=2,
    )


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Turn on every entity, those off by default too (as HA core's fixture of this name)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, frozen: FrozenDateTimeFactory
) -> MockConfigEntry:
    """Set up reconnect for Maya & Jordan."""
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


async def call(
    hass: HomeAssistant, service: str, data: dict[str, Any] | None = None, **kwargs: Any
) -> Any:
    """Call a reconnect action and return its response, if any."""
    return await hass.services.async_call(DOMAIN, service, data or {}, blocking=True, **kwargs)


class Assist:
    """Talk to HA's built-in agent as one speaker (a logged-in user, or nobody known)."""

    def __init__(self, hass: HomeAssistant, user: MockUser | None = None) -> None:
        self.hass = hass
        self.context = Context(user_id=user.id if user else None)
        self.conversation_id: str | None = None

    async def __call__(self, text: str) -> str:
        result = await conversation.async_converse(
            self.hass, text, self.conversation_id, self.context, language="en"
        )
        self.conversation_id = result.conversation_id
        return str(result.response.speech["plain"]["speech"])
