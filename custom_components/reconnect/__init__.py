"""reconnect: help a couple stay connected, locally, through Home Assistant."""

from __future__ import annotations

from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .card import async_register_card
from .const import DOMAIN, OFF_BY_DEFAULT
from .coordinator import ReconnectConfigEntry, ReconnectCoordinator, ReconnectData
from .dialogue import Dialogue
from .intent import DATA_LANGUAGE
from .issues import async_report_corrupt_journal
from .recorded import async_forget_recorded, async_turn_off_figures
from .reminders import Reminders
from .sentences import LANGUAGE, Language, SentencesFile
from .services import async_setup_services
from .store import (
    ReconnectStore,
    StorageFormatError,
    StorageVersionError,
    encode_journal,
)

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
PLATFORMS: list[Platform] = [Platform.BINARY_SENSOR, Platform.EVENT, Platform.SENSOR]
DATA_SENTENCES: HassKey[SentencesFile] = HassKey(f"{DOMAIN}_sentences")
# The entry's minor version from which OFF_BY_DEFAULT sensors are off by default.
FIGURES_OFF_BY_DEFAULT = 2


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, the card and the words, shared by every couple.

    The intents come through HA's intent platform (intent.py), LLM tools
    through llm.py.
    """
    async_setup_services(hass)
    await async_register_card(hass)
    lang = hass.data[DATA_LANGUAGE] = await hass.async_add_executor_job(Language.load, LANGUAGE)
    sentences = hass.data[DATA_SENTENCES] = SentencesFile(hass, lang)

    @callback
    def _stop(_event: Event) -> None:
        sentences.async_unload()

    hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, _stop)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: ReconnectConfigEntry) -> bool:
    """Bring an older couple's entry up to date; refuse a newer major version.

    1.2: each partner's figures, the streak and days since a repair are off by
    default and kept out of long-term statistics (no partner's figure on a
    shared surface, no count that reads as a grade).
    """
    if entry.version > 1:
        return False
    if entry.minor_version < FIGURES_OFF_BY_DEFAULT:
        await async_turn_off_figures(hass, entry.entry_id, OFF_BY_DEFAULT)
        hass.config_entries.async_update_entry(entry, minor_version=FIGURES_OFF_BY_DEFAULT)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ReconnectConfigEntry) -> bool:
    """Load one couple's journal and add its entities."""
    store = ReconnectStore(hass, entry.entry_id)
    try:
        stored = await store.async_load()
        if stored is None:
            # A new couple, or HA moved an unreadable file aside: say where it is.
            await async_report_corrupt_journal(hass, store.key, entry.title)
        journal = await store.async_decode(stored, dt_util.get_default_time_zone())
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
    lang = hass.data[DATA_LANGUAGE]
    dialogue = Dialogue(hass, coordinator, lang)
    reminders = Reminders(hass, coordinator, lang.messages)
    entry.runtime_data = ReconnectData(coordinator, dialogue, reminders, dict(entry.data))

    @callback
    def _stop(_event: Event) -> None:
        # Answer triggers must not outlive HA; a check-in under way is kept as partial.
        dialogue.async_unload()

    entry.async_on_unload(hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, _stop))
    # The entry's one update listener (HA 2026.12 refuses reconfigure's reload
    # beside a second mechanism): options apply at once, a rename reloads.
    entry.async_on_unload(entry.add_update_listener(_async_entry_updated))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    await hass.data[DATA_SENTENCES].async_update()
    reminders.async_start()
    return True


async def _async_entry_updated(hass: HomeAssistant, entry: ReconnectConfigEntry) -> None:
    """Reload after a rename or relink; apply changed options in place.

    Names are in every entity and device name, so a change to the entry's data
    (reconfigure) reloads the couple. Options (thresholds, the check-in time,
    reminders, spoken aliases) need no reload.
    """
    data = entry.runtime_data
    if dict(entry.data) != data.set_up_with:
        hass.config_entries.async_schedule_reload(entry.entry_id)
        return
    data.coordinator.async_push()
    data.reminders.async_options_changed()
    # Rewrites the sentences only if an alias changed (the file records its inputs).
    await hass.data[DATA_SENTENCES].async_update()


async def async_unload_entry(hass: HomeAssistant, entry: ReconnectConfigEntry) -> bool:
    """Remove the entities, then stop listening and write any pending change.

    HA's order: platforms first, so a failed platform unload leaves the couple
    whole and loaded; the entry's unload callbacks (timers, listeners) run after.
    """
    coordinator = entry.runtime_data.coordinator
    coordinator.async_flush()  # entity writes an Assist reply held back
    if not await hass.config_entries.async_unload_platforms(entry, PLATFORMS):
        return False
    # A running check-in is kept as partial, then everything is flushed now: a
    # reload reads the file before a delayed save would land.
    entry.runtime_data.dialogue.async_unload()
    await coordinator.store.async_save(encode_journal(coordinator.journal))
    if entry.disabled_by is not None:
        # A disabled couple's names leave the sentences (a reload keeps them).
        await hass.data[DATA_SENTENCES].async_update()
    return True


async def async_remove_entry(hass: HomeAssistant, entry: ReconnectConfigEntry) -> None:
    """Delete the couple's journal, its recorded history, and their names from our sentences."""
    await ReconnectStore(hass, entry.entry_id).async_remove()
    await async_forget_recorded(hass, entry.entry_id)
    if (sentences := hass.data.get(DATA_SENTENCES)) is not None:
        await sentences.async_update(removing=entry.entry_id)
