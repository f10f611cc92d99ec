"""reconnect: help a couple stay connected, locally, through Home Assistant."""

from __future__ import annotations

from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType
from homeassistant.util import dt as dt_util

from .card import async_register_card
from .const import DOMAIN
from .coordinator import ReconnectConfigEntry, ReconnectCoordinator
from .intents import async_register_intents
from .issues import async_report_corrupt_journal
from .reminders import Reminders
from .services import async_setup_services
from .store import (
    ReconnectStore,
    StorageFormatError,
    StorageVersionError,
    decode_journal,
    encode_journal,
)
from .voice import DATA_VOICE, Language, Voice

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
PLATFORMS: list[Platform] = [Platform.BINARY_SENSOR, Platform.EVENT, Platform.SENSOR]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions and the voice skill, shared by every couple."""
    async_setup_services(hass)
    await async_register_card(hass)
    lang = await hass.async_add_executor_job(Language.load, "en")
    voice = hass.data[DATA_VOICE] = Voice(hass, lang)
    async_register_intents(voice)

    @callback
    def _stop(_event: Event) -> None:
        voice.async_unload()

    hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, _stop)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ReconnectConfigEntry) -> bool:
    """Load one couple's journal and add its entities."""
    store = ReconnectStore(hass, entry.entry_id)
    try:
        stored = await store.async_load()
        if stored is None:
            # A new couple, or HA moved an unreadable file aside: say where it is.
            await async_report_corrupt_journal(hass, store.key, entry.title)
        journal = decode_journal(stored, dt_util.get_default_time_zone())
    except StorageVersionError as err:
        # Refuse to run rather than overwrite a newer file: a downgrade loses nothing.
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="storage_too_new",
            translation_placeholders={"version": str(err.version)},
        ) from err
    except StorageFormatError as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN, translation_key="storage_unreadable"
        ) from err

    coordinator = ReconnectCoordinator(hass, entry, store, journal)
    coordinator.async_roll_up()
    await coordinator.async_config_entry_first_refresh()
    coordinator.async_start()
    entry.runtime_data = coordinator
    # Options (thresholds) apply at once; renames reload through reconfigure.
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    voice = hass.data[DATA_VOICE]
    await voice.async_add_couple(coordinator)
    Reminders(hass, coordinator, voice.lang.messages).async_start()
    return True


async def _async_options_updated(hass: HomeAssistant, entry: ReconnectConfigEntry) -> None:
    entry.runtime_data.async_push()


async def async_unload_entry(hass: HomeAssistant, entry: ReconnectConfigEntry) -> bool:
    """Write any pending change, then remove the entities."""
    coordinator = entry.runtime_data
    await hass.data[DATA_VOICE].async_entry_unloading(coordinator)
    # Flush now: a reload reads the file before a delayed save would land.
    await coordinator.store.async_save(encode_journal(coordinator.journal))
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: ReconnectConfigEntry) -> None:
    """Delete the couple's journal and their names from our Assist sentences."""
    await ReconnectStore(hass, entry.entry_id).async_remove()
    if (voice := hass.data.get(DATA_VOICE)) is not None:
        await voice.async_write_sentences(removing=entry.entry_id)
