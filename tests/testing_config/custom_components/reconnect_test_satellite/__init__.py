"""Test-only voice satellites that hear scripted transcripts, for Reconnect's tests.

A config entry creates an STT entity (it returns the transcripts a test scripted),
a TTS entity (it records what it is asked to say), an assist pipeline using both
with HA's built-in conversation agent, and satellites. Each satellite sits on its
own device with a pipeline select (like ESPHome's) set to that pipeline. Scripted
transcripts and recordings live in ``hass.data[DATA]`` (see models.py); from
outside the process (a real hass), the ``say`` and ``recordings`` actions reach them.

In pytest, tests/satellite_harness.py loads it. In a real hass (the e2e test),
copy or symlink this folder into <config>/custom_components/, add it with its
config flow (satellite names, comma-separated), queue answers with
``reconnect_test_satellite.say`` {"entity_id", "transcripts": [str | None]} and
read what happened with ``reconnect_test_satellite.recordings`` (response only).
"""

from __future__ import annotations

from dataclasses import asdict

from homeassistant.components import conversation
from homeassistant.components.assist_pipeline import (
    async_create_default_pipeline,
    async_get_pipelines,
    async_update_pipeline,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import config_validation as cv, entity_registry as er
from homeassistant.helpers.typing import ConfigType

from .models import DATA, DOMAIN, LANGUAGE, PIPELINE_NAME, SatelliteTestData
from .validation import vol

ENGINES = [Platform.STT, Platform.TTS]
SATELLITES = [Platform.SELECT, Platform.ASSIST_SATELLITE]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
SAY_SCHEMA = vol.Schema(
    {
        vol.Required("entity_id"): cv.entity_id,
        vol.Required("transcripts"): [vol.Any(str, None)],
    }
)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions that script and read the satellites from outside."""
    data = hass.data.setdefault(DATA, SatelliteTestData())

    async def say(call: ServiceCall) -> None:
        """Queue transcripts for a satellite: {"entity_id", "transcripts": [str | None]}."""
        data.transcripts[call.data["entity_id"]].extend(call.data["transcripts"])

    async def recordings(call: ServiceCall) -> ServiceResponse:
        """Return what each satellite played and heard, and what the TTS said."""
        satellites = set(data.played) | set(data.heard) | set(data.transcripts)
        return {
            "satellites": {
                entity_id: {
                    "played": [asdict(played) for played in data.played[entity_id]],
                    "heard": list(data.heard[entity_id]),
                    "unheard": list(data.transcripts[entity_id]),
                }
                for entity_id in sorted(satellites)
            },
            "spoken": list(data.spoken),
        }

    hass.services.async_register(DOMAIN, "say", say, schema=SAY_SCHEMA)
    hass.services.async_register(
        DOMAIN, "recordings", recordings, supports_response=SupportsResponse.ONLY
    )
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Set up the engines, the pipeline, then the satellites that use it."""
    data = hass.data.setdefault(DATA, SatelliteTestData())
    await hass.config_entries.async_forward_entry_setups(entry, ENGINES)
    data.pipeline_id = await _async_ensure_pipeline(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, SATELLITES)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Unload the platforms; the pipeline and the recordings stay for inspection."""
    return await hass.config_entries.async_unload_platforms(entry, [*SATELLITES, *ENGINES])


async def _async_ensure_pipeline(hass: HomeAssistant, entry: ConfigEntry) -> str:
    """Create (or re-point) the pipeline: our STT and TTS, HA's built-in agent, English."""
    registry = er.async_get(hass)
    stt_engine = registry.async_get_entity_id(Platform.STT, DOMAIN, f"{entry.entry_id}-stt")
    tts_engine = registry.async_get_entity_id(Platform.TTS, DOMAIN, f"{entry.entry_id}-tts")
    if stt_engine is None or tts_engine is None:
        raise ConfigEntryError("The test STT and TTS entities were not created")
    pipeline = next((p for p in async_get_pipelines(hass) if p.name == PIPELINE_NAME), None)
    if pipeline is None:
        pipeline = await async_create_default_pipeline(
            hass, stt_engine_id=stt_engine, tts_engine_id=tts_engine, pipeline_name=PIPELINE_NAME
        )
        if pipeline is None:
            raise ConfigEntryError("HA would not create a pipeline with the test engines")
    # The default pipeline follows hass.config.language; these tests speak English.
    await async_update_pipeline(
        hass,
        pipeline,
        conversation_engine=conversation.HOME_ASSISTANT_AGENT,
        conversation_language=LANGUAGE,
        language=LANGUAGE,
        stt_engine=stt_engine,
        stt_language=LANGUAGE,
        tts_engine=tts_engine,
        tts_language=LANGUAGE,
        tts_voice=None,
        wake_word_entity=None,
        wake_word_id=None,
    )
    return pipeline.id
