"""A TTS entity that records what it is asked to say and returns a tiny silent MP3."""

from __future__ import annotations

from typing import Any

from homeassistant.components.tts import TextToSpeechEntity, TtsAudioType
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .models import DATA, LANGUAGE, SatelliteTestData

# Three MPEG-1 Layer III frames (32 kbit/s, 48 kHz, mono) of silence: valid enough
# for HA's ID3 tagging. MP3 is HA's default format, so nothing calls ffmpeg.
_FRAME = bytes([0xFF, 0xFB, 0x14, 0xC4]) + bytes(92)
SILENT_MP3 = _FRAME * 3


async def async_setup_entry(
    hass: HomeAssistant, entry: ConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add the recording TTS entity."""
    async_add_entities([RecordingTextToSpeech(entry, hass.data[DATA])])


class RecordingTextToSpeech(TextToSpeechEntity):
    """Says anything, instantly, and remembers what."""

    _attr_name = "Reconnect test TTS"
    _attr_default_language = LANGUAGE
    _attr_supported_languages = [LANGUAGE]  # noqa: RUF012 (HA's attribute type)

    def __init__(self, entry: ConfigEntry, data: SatelliteTestData) -> None:
        self._attr_unique_id = f"{entry.entry_id}-tts"
        self._data = data

    async def async_get_tts_audio(
        self, message: str, language: str, options: dict[str, Any]
    ) -> TtsAudioType:
        """Record the text; return the silent MP3."""
        self._data.spoken.append(message)
        return "mp3", SILENT_MP3
