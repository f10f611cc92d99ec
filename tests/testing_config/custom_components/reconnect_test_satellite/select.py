"""Each satellite's pipeline select (HA's own), starting on the test pipeline."""

from __future__ import annotations

from homeassistant.components.assist_pipeline import OPTION_PREFERRED

# Not re-exported by the package before HA 2026.x; its module has it in both lanes.
from homeassistant.components.assist_pipeline.select import AssistPipelineSelect
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .models import CONF_SATELLITES, DEFAULT_SATELLITES, DOMAIN, PIPELINE_NAME, SatelliteSpec


async def async_setup_entry(
    hass: HomeAssistant, entry: ConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add a pipeline select per satellite."""
    specs = [SatelliteSpec.parse(s) for s in entry.data.get(CONF_SATELLITES, DEFAULT_SATELLITES)]
    async_add_entities(SatellitePipelineSelect(hass, entry, spec) for spec in specs)


class SatellitePipelineSelect(AssistPipelineSelect):
    """HA's pipeline select, named after its satellite, on the test pipeline at first."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, spec: SatelliteSpec) -> None:
        super().__init__(hass, DOMAIN, spec.unique_id(entry.entry_id))
        self._attr_name = f"{spec.name} pipeline"
        self._attr_device_info = spec.device_info(entry.entry_id)

    async def async_added_to_hass(self) -> None:
        """Choose the test pipeline unless a choice was restored."""
        await super().async_added_to_hass()
        if (
            self.current_option == OPTION_PREFERRED
            and PIPELINE_NAME in self.options
            and await self.async_get_last_state() is None
        ):
            self._attr_current_option = PIPELINE_NAME
