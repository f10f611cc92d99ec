"""Voice satellites that hear scripted answers, through HA's real ask_question path.

The test-only custom integration ``reconnect_test_satellite``
(tests/testing_config/custom_components/) provides satellites, a scripted STT
entity, a recording TTS entity and an assist pipeline using both with HA's
built-in agent. ``assist_satellite.ask_question`` then runs as on a real
satellite: HA synthesizes the question, the satellite "plays" it and listens,
HA's pipeline runs STT and stops there, and HA matches the transcript against
the answers itself.

Either call the function (it needs no fixture registration)::

    from tests.satellite_harness import async_setup_satellites

    async def test_rating(hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch) -> None:
        sats = await async_setup_satellites(hass, monkeypatch)  # Bedroom, Kitchen
        bedroom = sats.satellites["Bedroom"]
        sats.say(bedroom, "I'd say four")
        answer = await sats.ask(bedroom, "How connected did you feel?", ANSWERS)
        assert answer["slots"] == {"rating": "four"}

or use the ``satellite_harness`` fixture: list ``"tests.satellite_harness"`` in
``pytest_plugins`` of tests/conftest.py, or import ``satellite_harness_fixture``
into the test module (it registers the fixture under the name
``satellite_harness``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
import sys
from typing import TYPE_CHECKING, Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.loader import DATA_CUSTOM_COMPONENTS

if TYPE_CHECKING:
    from custom_components.reconnect_test_satellite.models import (
        Moment,
        Played,
        SatelliteTestData,
    )
    from homeassistant.components.assist_pipeline import PipelineEvent

TESTING_CONFIG = Path(__file__).parent / "testing_config"
DOMAIN = "reconnect_test_satellite"
PIPELINE_NAME = "Reconnect test satellites"
# Satellite specs, as the integration reads them (its models.py documents the keys).
ASKING = ("announce", "start_conversation")
BEDROOM_AND_KITCHEN: tuple[str | dict[str, Any], ...] = ("Bedroom", "Kitchen")


@dataclass
class SatelliteHarness:
    """The satellites of one config entry, and what they hear and play."""

    hass: HomeAssistant
    entry: MockConfigEntry
    satellites: dict[str, str]
    """Satellite entity ids by name."""
    device_ids: dict[str, str | None]
    """Device ids by satellite name (None for a satellite without a device)."""
    pipeline_selects: dict[str, str]
    """Each satellite's pipeline select entity id, by satellite name."""
    stt_entity_id: str
    tts_entity_id: str

    @property
    def data(self) -> SatelliteTestData:
        """Everything scripted and recorded (shared by every entry in this hass)."""
        return self.hass.data[DOMAIN]  # type: ignore[no-any-return]

    @property
    def pipeline_id(self) -> str:
        """The pipeline the satellites start on (STT/TTS here, HA's built-in agent)."""
        assert self.data.pipeline_id is not None
        return self.data.pipeline_id

    def say(self, entity_id: str, *transcripts: str | None) -> None:
        """Queue what the satellite hears the next times it listens; "" or None is silence."""
        if entity_id not in self.satellites.values():
            raise ValueError(f"{entity_id} is not one of {sorted(self.satellites.values())}")
        self.data.transcripts[entity_id].extend(transcripts)

    def unheard(self, entity_id: str) -> list[str | None]:
        """Return what was queued for the satellite and not heard yet."""
        return list(self.data.transcripts[entity_id])

    def heard(self, entity_id: str) -> list[str | None]:
        """Return what the satellite heard each time it listened (None: silence)."""
        return list(self.data.heard[entity_id])

    def questions(self, entity_id: str) -> list[str]:
        """Return the text of each question the satellite played, in order."""
        return self.data.questions(entity_id)

    def announcements(self, entity_id: str) -> list[str]:
        """Return the text of each announcement the satellite played, in order."""
        return self.data.announcements(entity_id)

    def played(self, entity_id: str) -> list[Played]:
        """Return everything the satellite played, with kind, preannounce and media URL."""
        return list(self.data.played[entity_id])

    def events(self, entity_id: str) -> list[PipelineEvent]:
        """Return the events of the satellite's pipeline runs, in order."""
        return list(self.data.events[entity_id])

    @property
    def timeline(self) -> list[Moment]:
        """Return every question, announcement and transcript, of every satellite, in order."""
        return list(self.data.timeline)

    @property
    def spoken(self) -> list[str]:
        """Return every text the TTS entity synthesized (HA caches repeated texts)."""
        return list(self.data.spoken)

    async def ask(
        self,
        entity_id: str,
        question: str,
        answers: Sequence[dict[str, Any]] | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Call HA's assist_satellite.ask_question and return its response."""
        data: dict[str, Any] = {"entity_id": entity_id, "question": question, **extra}
        if answers is not None:
            data["answers"] = list(answers)
        response = await self.hass.services.async_call(
            "assist_satellite", "ask_question", data, blocking=True, return_response=True
        )
        assert response is not None
        return dict(response)

    async def use_pipeline(self, entity_id: str, pipeline_name: str) -> None:
        """Point a satellite's pipeline select at another pipeline (by name, or "preferred")."""
        name = next(n for n, e in self.satellites.items() if e == entity_id)
        await self.hass.services.async_call(
            Platform.SELECT,
            "select_option",
            {"entity_id": self.pipeline_selects[name], "option": pipeline_name},
            blocking=True,
        )


def use_testing_config(hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch) -> None:
    """Let HA's loader find the integrations in tests/testing_config/custom_components.

    HA lists custom integrations from the ``custom_components`` package's
    ``__path__``. Here that is a namespace package (the repo root has no
    ``custom_components/__init__.py``), whose path Python recomputes from
    ``sys.path``; prepending tests/testing_config adds our folder to it until
    the test ends. HA caches the list per hass, so that cache is dropped too.
    """
    if str(TESTING_CONFIG) not in sys.path:
        monkeypatch.syspath_prepend(str(TESTING_CONFIG))
    hass.data.pop(DATA_CUSTOM_COMPONENTS, None)


async def async_setup_satellites(
    hass: HomeAssistant,
    monkeypatch: pytest.MonkeyPatch,
    satellites: Sequence[str | dict[str, Any]] = BEDROOM_AND_KITCHEN,
) -> SatelliteHarness:
    """Set up test satellites, their STT, TTS and pipeline; return their handle.

    A satellite is a name ("Bedroom": both features, its own device) or a dict:
    {"name": "Hall", "features": [] or ["announce"] or ASKING, "device": "Hall"};
    "device" None gives no device, and satellites naming the same device share
    it. Put every satellite a test needs in one call (one entry).
    """
    use_testing_config(hass, monkeypatch)
    entry = MockConfigEntry(
        domain=DOMAIN, title="Test satellites", data={"satellites": list(satellites)}
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    registry = er.async_get(hass)
    entities = {
        (e.domain, e.original_name): e
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
    }
    satellite = {n: e for (d, n), e in entities.items() if d == "assist_satellite"}
    return SatelliteHarness(
        hass=hass,
        entry=entry,
        satellites={name: e.entity_id for name, e in satellite.items()},
        device_ids={name: e.device_id for name, e in satellite.items()},
        pipeline_selects={
            name: entities[Platform.SELECT, f"{name} pipeline"].entity_id for name in satellite
        },
        stt_entity_id=entities[Platform.STT, "Reconnect test STT"].entity_id,
        tts_entity_id=entities[Platform.TTS, "Reconnect test TTS"].entity_id,
    )


@pytest.fixture(name="satellite_harness")
async def satellite_harness_fixture(
    hass: HomeAssistant,
    monkeypatch: pytest.MonkeyPatch,
    enable_custom_integrations: None,
    request: pytest.FixtureRequest,
) -> SatelliteHarness:
    """Set up Bedroom and Kitchen, each on its own device and able to ask questions.

    Other satellites: ``@pytest.mark.parametrize("satellite_harness", [specs],
    indirect=True)``, with specs as ``async_setup_satellites`` takes them.
    """
    specs = getattr(request, "param", BEDROOM_AND_KITCHEN)
    return await async_setup_satellites(hass, monkeypatch, specs)
