"""Test satellites: they play instantly, then listen like a real one, through HA's pipeline."""

from __future__ import annotations

from collections.abc import AsyncIterator
import logging
import time
from typing import Literal

from homeassistant.components.assist_pipeline import (
    PipelineEvent,
    PipelineEventType,
    PipelineStage,
)
from homeassistant.components.assist_satellite import (
    AssistSatelliteAnnouncement,
    AssistSatelliteConfiguration,
    AssistSatelliteEntity,
    AssistSatelliteEntityFeature,
)
from homeassistant.components.assist_satellite.entity import AssistSatelliteState
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .models import (
    CONF_SATELLITES,
    DATA,
    DEFAULT_SATELLITES,
    DOMAIN,
    LISTENING,
    Moment,
    Played,
    SatelliteSpec,
    SatelliteTestData,
)

_LOGGER = logging.getLogger(__name__)

# 0.3 s of 16 kHz, 16-bit mono silence, in 10 ms chunks: the STT entity ignores it.
_CHUNK = bytes(320)
_CHUNKS = 30


async def async_setup_entry(
    hass: HomeAssistant, entry: ConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add one satellite per spec in the entry."""
    specs = [SatelliteSpec.parse(s) for s in entry.data.get(CONF_SATELLITES, DEFAULT_SATELLITES)]
    async_add_entities(TestSatellite(entry, spec, hass.data[DATA]) for spec in specs)


class TestSatellite(AssistSatelliteEntity):
    """A satellite whose speaker is instant and whose microphone hears the script."""

    def __init__(self, entry: ConfigEntry, spec: SatelliteSpec, data: SatelliteTestData) -> None:
        self._attr_name = spec.name
        self._attr_unique_id = spec.unique_id(entry.entry_id)
        self._attr_device_info = spec.device_info(entry.entry_id)
        self._attr_supported_features = self._features = spec.features
        self._data = data
        self._config = AssistSatelliteConfiguration(
            available_wake_words=[], active_wake_words=[], max_active_wake_words=1
        )

    @property
    def pipeline_entity_id(self) -> str | None:
        """Return this satellite's pipeline select, as ESPHome satellites do."""
        return er.async_get(self.hass).async_get_entity_id(
            Platform.SELECT, DOMAIN, f"{self.unique_id}-pipeline"
        )

    @callback
    def async_get_configuration(self) -> AssistSatelliteConfiguration:
        return self._config

    async def async_set_configuration(self, config: AssistSatelliteConfiguration) -> None:
        self._config = config

    async def async_announce(self, announcement: AssistSatelliteAnnouncement) -> None:
        """Play an announcement (instantly), if this satellite can."""
        if not self._features & AssistSatelliteEntityFeature.ANNOUNCE:
            await super().async_announce(announcement)  # raises NotImplementedError
        self._record("announcement", announcement)

    async def async_start_conversation(
        self, start_announcement: AssistSatelliteAnnouncement
    ) -> None:
        """Play the question (instantly), then listen once it has returned, like a real one.

        A satellite without START_CONVERSATION behaves as HA's base class does:
        NotImplementedError, which is what ask_question raises for it.
        """
        if not self._features & AssistSatelliteEntityFeature.START_CONVERSATION:
            await super().async_start_conversation(start_announcement)
        self._record("question", start_announcement)
        assert self.platform.config_entry is not None
        self.platform.config_entry.async_create_task(
            self.hass, self._async_listen(), f"{self.entity_id} listens", eager_start=False
        )

    async def _async_listen(self) -> None:
        """Stream a little silence into HA's pipeline from the STT stage."""
        LISTENING.set(self.entity_id)  # this task's context, copied into the pipeline's
        try:
            await self.async_accept_pipeline_from_satellite(
                self._audio(), start_stage=PipelineStage.STT
            )
        except Exception as err:
            # HA 2025.10 raises a pipeline's validation error here (2026.x sends it
            # as an ERROR event, then RUN_END). End the run as 2026.x does, so a
            # waiting ask_question raises "No answer" instead of waiting forever.
            _LOGGER.warning("%s could not run its pipeline: %r", self.entity_id, err)
            self._internal_on_pipeline_event(PipelineEvent(PipelineEventType.RUN_END))

    @staticmethod
    async def _audio() -> AsyncIterator[bytes]:
        for _ in range(_CHUNKS):
            yield _CHUNK

    def on_pipeline_event(self, event: PipelineEvent) -> None:
        """Keep the events; finish "playing" a spoken response at once."""
        self._data.events[self.entity_id].append(event)
        if (
            event.type is PipelineEventType.RUN_END
            and self.state == AssistSatelliteState.RESPONDING
        ):
            self.tts_response_finished()

    def _record(
        self, kind: Literal["question", "announcement"], announcement: AssistSatelliteAnnouncement
    ) -> None:
        self._data.played[self.entity_id].append(
            Played(
                kind=kind,
                message=announcement.message,
                preannounce=announcement.preannounce_media_id is not None,
                media_id=announcement.media_id,
            )
        )
        moment = Moment(time.perf_counter(), self.entity_id, kind, announcement.message)
        self._data.timeline.append(moment)
