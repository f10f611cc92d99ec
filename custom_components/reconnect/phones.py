"""Each partner's own phones: the companion-app devices of the person they are linked to.

A partner's person entity names their Home Assistant user; every companion app
signed in as that user registered a mobile_app config entry carrying the user's
id, and HA's mobile_app platform offers it as the legacy notify service
`notify.mobile_app_<device name, slugified>` (mobile_app/notify.py and
notify/legacy.py). Only that service takes the companion app's notification
data (actions, tag, lock-screen visibility), so reminders use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.core import HomeAssistant, callback
from homeassistant.util import slugify

MOBILE_APP = "mobile_app"
# The prefix of every companion-app notify service.
SERVICE_PREFIX = f"{MOBILE_APP}_"


@dataclass(frozen=True, slots=True, order=True)
class Phone:
    """One companion-app device: the name it registered, and its notify service."""

    name: str
    service: str


@callback
def person_user_id(hass: HomeAssistant, person: str | None) -> str | None:
    """Return the Home Assistant user a person entity is linked to, if any."""
    state = hass.states.get(person) if person else None
    user_id = state.attributes.get("user_id") if state else None
    return str(user_id) if user_id else None


@callback
def own_phones(hass: HomeAssistant, person: str | None) -> list[Phone]:
    """Return the companion-app devices signed in as the person's user, by name."""
    if (user_id := person_user_id(hass, person)) is None:
        return []
    return sorted(
        Phone(name=name, service=slugify(f"{SERVICE_PREFIX}{name}"))
        for entry in hass.config_entries.async_entries(MOBILE_APP)
        if entry.data.get("user_id") == user_id
        and entry.disabled_by is None
        and (name := str(entry.data.get("device_name") or entry.title))
    )


def is_phone_service(target: str) -> bool:
    """Tell whether a notify target is a companion app's legacy notify service."""
    return target.removeprefix("notify.").startswith(SERVICE_PREFIX)
