"""An STT entity that ignores the audio and returns the listening satellite's next transcript."""

from __future__ import annotations

from collections.abc import AsyncIterable
import logging
import time

from homeassistant.components.stt import (
    AudioBitRates,
    AudioChannels,
    AudioCodecs,
    AudioFormats,
    AudioSampleRates,
    SpeechMetadata,
    SpeechResult,
    SpeechResultState,
    SpeechToTextEntity,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .models import DATA, LANGUAGE, LISTENING, Moment, SatelliteTestData

_LOGGER = logging.getLogger(__name__)


async def async_setup_entry(
    hass: HomeAssistant, entry: ConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add the scripted STT entity."""
    async_add_entities([ScriptedSpeechToText(entry, hass.data[DATA])])


class ScriptedSpeechToText(SpeechToTextEntity):
    """Hears what the test scripted for the satellite whose pipeline calls it."""

    _attr_name = "Reconnect test STT"

    def __init__(self, entry: ConfigEntry, data: SatelliteTestData) -> None:
        self._attr_unique_id = f"{entry.entry_id}-stt"
        self._data = data

    @property
    def supported_languages(self) -> list[str]:
        return [LANGUAGE]

    @property
    def supported_formats(self) -> list[AudioFormats]:
        return [AudioFormats.WAV]

    @property
    def supported_codecs(self) -> list[AudioCodecs]:
        return [AudioCodecs.PCM]

    @property
    def supported_bit_rates(self) -> list[AudioBitRates]:
        return [AudioBitRates.BITRATE_16]

    @property
    def supported_sample_rates(self) -> list[AudioSampleRates]:
        return [AudioSampleRates.SAMPLERATE_16000]

    @property
    def supported_channels(self) -> list[AudioChannels]:
        return [AudioChannels.CHANNEL_MONO]

    async def async_process_audio_stream(
        self, metadata: SpeechMetadata, stream: AsyncIterable[bytes]
    ) -> SpeechResult:
        """Drain the audio, then return the next transcript ("" is silence)."""
        async for _chunk in stream:
            pass
        satellite = LISTENING.get()
        if satellite is None:
            _LOGGER.warning("Audio from outside a test satellite: heard nothing")
            return SpeechResult("", SpeechResultState.SUCCESS)
        queue = self._data.transcripts[satellite]
        text = (queue.popleft() if queue else None) or None
        self._data.heard[satellite].append(text)
        self._data.timeline.append(Moment(time.perf_counter(), satellite, "heard", text))
        # Empty text ends HA's pipeline with "stt-no-text-recognized": nobody answered.
        return SpeechResult(text or "", SpeechResultState.SUCCESS)
