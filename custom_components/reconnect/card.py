"""Serve the dashboard card and tell the frontend to load it."""

from __future__ import annotations

from pathlib import Path

from homeassistant.components.http import StaticPathConfig
from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_integration
from homeassistant.setup import async_when_setup

from .const import DOMAIN

URL_BASE = f"/{DOMAIN}_static"
CARD_URL = f"{URL_BASE}/reconnect-card.js"


async def async_register_card(hass: HomeAssistant) -> str:
    """Serve frontend/ (cached) and add the card, versioned so upgrades bust caches."""
    folder = str(Path(__file__).parent / "frontend")
    static = StaticPathConfig(URL_BASE, folder, cache_headers=True)
    await hass.http.async_register_static_paths([static])
    version = (await async_get_integration(hass, DOMAIN)).version
    url = f"{CARD_URL}?v={version}"

    async def _add(hass: HomeAssistant, _component: str) -> None:
        from homeassistant.components.frontend import add_extra_js_url

        add_extra_js_url(hass, url)

    # Reconnect can be set up (from a config flow) while HA is still starting,
    # before the frontend: add the module whenever the frontend is ready.
    async_when_setup(hass, "frontend", _add)
    return url
