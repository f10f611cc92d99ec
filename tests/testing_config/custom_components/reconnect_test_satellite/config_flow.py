"""A one-form flow, so a real hass (the e2e test) can add the satellites too."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult

from .models import CONF_SATELLITES, DEFAULT_SATELLITES, DOMAIN
from .validation import vol


class SatelliteTestConfigFlow(ConfigFlow, domain=DOMAIN):
    """Ask for satellite names, comma-separated; each gets both features and its own device."""

    VERSION = 1

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show the names field, then create the entry."""
        if user_input is None:
            default = ", ".join(DEFAULT_SATELLITES)
            return self.async_show_form(
                step_id="user",
                data_schema=vol.Schema({vol.Required(CONF_SATELLITES, default=default): str}),
            )
        names = [name.strip() for name in user_input[CONF_SATELLITES].split(",")]
        return self.async_create_entry(
            title="Test satellites",
            data={CONF_SATELLITES: [name for name in names if name] or list(DEFAULT_SATELLITES)},
        )
