"""What the test satellites will hear, and what they were made to play."""

from __future__ import annotations

from collections import defaultdict, deque
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from homeassistant.components.assist_pipeline import PipelineEvent
from homeassistant.components.assist_satellite import AssistSatelliteEntityFeature
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.util import slugify
from homeassistant.util.hass_dict import HassKey

DOMAIN: Final = "reconnect_test_satellite"
PIPELINE_NAME: Final = "Reconnect test satellites"
LANGUAGE: Final = "en"

# Config entry data: {"satellites": [spec, ...]}. A spec is a name ("Bedroom") or
# {"name": "Bedroom", "features": ["announce", "start_conversation"], "device": "Bedroom"}:
# "features" defaults to both; "device" defaults to the satellite's own name (one
# device per satellite), satellites naming the same device share it, and None
# leaves the satellite without a device.
CONF_SATELLITES: Final = "satellites"
CONF_NAME: Final = "name"
CONF_FEATURES: Final = "features"
CONF_DEVICE: Final = "device"
FEATURES: Final = {
    "announce": AssistSatelliteEntityFeature.ANNOUNCE,
    "start_conversation": AssistSatelliteEntityFeature.START_CONVERSATION,
}
DEFAULT_FEATURES: Final = ("announce", "start_conversation")
DEFAULT_SATELLITES: Final = ("Bedroom", "Kitchen")

# The satellite whose pipeline is running in this task. A satellite sets it in its
# listening task; HA copies context variables into the tasks it creates, so the STT
# entity, called deep inside that satellite's pipeline, reads the same value.
LISTENING: ContextVar[str | None] = ContextVar(f"{DOMAIN}_listening", default=None)


@dataclass(frozen=True)
class SatelliteSpec:
    """One satellite to create."""

    name: str
    features: AssistSatelliteEntityFeature
    device: str | None

    @classmethod
    def parse(cls, spec: str | dict[str, Any]) -> SatelliteSpec:
        """Read a spec from config entry data."""
        if isinstance(spec, str):
            spec = {CONF_NAME: spec}
        features = AssistSatelliteEntityFeature(0)
        for feature in spec.get(CONF_FEATURES, DEFAULT_FEATURES):
            features |= FEATURES[feature]
        return cls(spec[CONF_NAME], features, spec.get(CONF_DEVICE, spec[CONF_NAME]))

    def unique_id(self, entry_id: str) -> str:
        """Return the satellite's unique id, also the prefix of its pipeline select's."""
        return f"{entry_id}-{slugify(self.name)}"

    def device_info(self, entry_id: str) -> DeviceInfo | None:
        """Return the device the satellite and its select sit on, if any."""
        if self.device is None:
            return None
        return DeviceInfo(
            identifiers={(DOMAIN, f"{entry_id}-{slugify(self.device)}")},
            name=self.device,
            manufacturer="Reconnect tests",
            model="Test satellite",
        )


@dataclass(frozen=True)
class Played:
    """Something a satellite was made to play."""

    kind: Literal["question", "announcement"]
    """"question": through async_start_conversation (ask_question, start_conversation)."""
    message: str
    """The text, as HA passed it (empty when only media was given)."""
    preannounce: bool
    """Whether HA asked for the preannounce sound first."""
    media_id: str
    """The URL HA resolved for the satellite to play."""


@dataclass(frozen=True)
class Moment:
    """One step of a dialogue, for ordering and timing across satellites."""

    at: float
    """time.perf_counter() when it happened (frozen under freezegun)."""
    entity_id: str
    kind: Literal["question", "announcement", "heard"]
    text: str | None
    """What was played, or heard (None: silence)."""


@dataclass
class SatelliteTestData:
    """Scripted answers and recordings, keyed by satellite entity id."""

    transcripts: defaultdict[str, deque[str | None]] = field(
        default_factory=lambda: defaultdict(deque)
    )
    """What each satellite will hear next; an empty string, None or nothing left is silence."""
    heard: defaultdict[str, list[str | None]] = field(default_factory=lambda: defaultdict(list))
    """What each satellite's STT run returned, in order (None for silence)."""
    played: defaultdict[str, list[Played]] = field(default_factory=lambda: defaultdict(list))
    """Questions and announcements each satellite played, in order."""
    events: defaultdict[str, list[PipelineEvent]] = field(default_factory=lambda: defaultdict(list))
    """The events of each satellite's pipeline runs, in order."""
    timeline: list[Moment] = field(default_factory=list)
    """Every question, announcement and transcript of every satellite, in order."""
    spoken: list[str] = field(default_factory=list)
    """Every text the TTS entity synthesized (HA caches audio: a repeated text is not)."""
    pipeline_id: str | None = None
    """The assist pipeline the satellites use."""

    def questions(self, entity_id: str) -> list[str]:
        """Return the text of each question a satellite played, in order."""
        return [p.message for p in self.played[entity_id] if p.kind == "question"]

    def announcements(self, entity_id: str) -> list[str]:
        """Return the text of each announcement a satellite played, in order."""
        return [p.message for p in self.played[entity_id] if p.kind == "announcement"]


DATA: HassKey[SatelliteTestData] = HassKey(DOMAIN)
