"""The couples set up, and who is speaking to them: Home Assistant's facts for routing.py."""

from __future__ import annotations

from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er

from . import routing
from .const import CONF_PERSON_A, CONF_PERSON_B, CONF_SATELLITES_A, CONF_SATELLITES_B, DOMAIN
from .coordinator import ReconnectConfigEntry, ReconnectCoordinator, ReconnectData
from .journal import PARTNERS
from .phones import MOBILE_APP


def loaded(hass: HomeAssistant) -> list[ReconnectData]:
    """Return every couple set up and loaded."""
    entries: list[ReconnectConfigEntry] = hass.config_entries.async_loaded_entries(DOMAIN)
    return [entry.runtime_data for entry in entries]


def heard_on(hass: HomeAssistant, device_id: str | None, satellite_id: str | None) -> str | None:
    """Return the device that heard the words: the satellite's, when HA names it."""
    if satellite_id and (entry := er.async_get(hass).async_get(satellite_id)):
        return entry.device_id or device_id
    return device_id


def speaker(
    hass: HomeAssistant,
    coordinator: ReconnectCoordinator,
    context: Context | None,
    device_id: str | None,
    satellite_id: str | None = None,
) -> str | None:
    """Tell which partner is speaking: by logged-in user, then by the satellite's space."""
    entry = coordinator.config_entry
    users = {}
    for key, person_key in zip(PARTNERS, (CONF_PERSON_A, CONF_PERSON_B), strict=True):
        person = hass.states.get(entry.data.get(person_key) or "")
        users[key] = person.attributes.get("user_id") if person is not None else None
    satellites = {
        key: entry.options.get(option, [])
        for key, option in zip(PARTNERS, (CONF_SATELLITES_A, CONF_SATELLITES_B), strict=True)
    }
    return routing.speaker(
        context.user_id if context else None,
        heard_on(hass, device_id, satellite_id),
        users,
        satellites,
    )


def heard_privately(
    hass: HomeAssistant,
    coordinator: ReconnectCoordinator,
    context: Context | None,
    device_id: str | None,
    satellite_id: str | None = None,
) -> bool:
    """Tell whether a partner spoke on their own device, where only they hear the reply.

    Their own satellite; the companion app on their own phone (a mobile_app
    device signed in as their user); or their own login with no device named
    (typed in Assist). Any other device may be shared: a kitchen satellite, a
    voice device we cannot place. (A wall tablet signed in as one partner
    looks like that partner: the README says so.)
    """
    who = speaker(hass, coordinator, context, device_id, satellite_id)
    heard = heard_on(hass, device_id, satellite_id)
    if who is None:
        return False
    if heard is None:
        return True
    own = coordinator.config_entry.options.get(
        CONF_SATELLITES_A if who == PARTNERS[0] else CONF_SATELLITES_B, []
    )
    if heard in own:
        return True
    device = dr.async_get(hass).async_get(heard)
    user_id = context.user_id if context else None
    if device is None or user_id is None:
        return False
    return any(
        (entry := hass.config_entries.async_get_entry(entry_id)) is not None
        and entry.domain == MOBILE_APP
        and entry.data.get("user_id") == user_id
        for entry_id in device.config_entries
    )


def couple_for(
    hass: HomeAssistant,
    context: Context | None,
    device_id: str | None,
    satellite_id: str | None,
    named_text: str = "",
    hint: str | None = None,
) -> ReconnectData | None:
    """Choose the couple an utterance is about, or None if it is unclear."""
    couples = loaded(hass)
    if len(couples) == 1 and not hint:
        return couples[0]  # the usual home: nothing to choose between
    hinted = None
    if hint:
        hint = hint.casefold()
        hinted = [
            c
            for c in couples
            if hint
            in (
                c.coordinator.config_entry.entry_id.casefold(),
                c.coordinator.config_entry.title.casefold(),
            )
        ]
    named = [
        c
        for c, _ in routing.named_partners(named_text, [(c, c.coordinator.couple) for c in couples])
    ]
    speaking = [
        c for c in couples if speaker(hass, c.coordinator, context, device_id, satellite_id)
    ]
    return routing.choose(couples, named, hinted, speaking)
