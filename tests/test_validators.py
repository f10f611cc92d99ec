"""The repository's own validators' rules that can be checked offline (hassfest, HACS).

hassfest and the HACS action need the network, so the rules they would fail us
on are checked here: every action an integration of this repository registers
has a services.yaml entry, every config and options field has a description,
the brand icons are there, and quality_scale.yaml says so.
"""

from __future__ import annotations

import json
from pathlib import Path
import struct
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.reconnect.const import CONF_ADVANCED, CONF_DELIVERY, DOMAIN
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant

from .satellite_harness import async_setup_satellites

ROOT = Path(__file__).parents[1]
OURS = ROOT / "custom_components" / DOMAIN
SATELLITE = ROOT / "tests" / "testing_config" / "custom_components" / "reconnect_test_satellite"
STRINGS = json.loads((OURS / "strings.json").read_text(encoding="utf-8"))


def services_yaml(folder: Path) -> dict[str, Any]:
    path = folder / "services.yaml"
    assert path.exists(), f"{folder.name} registers actions but has no services.yaml"
    return dict(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


async def test_every_registered_action_has_a_services_yaml_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    await async_setup_satellites(hass, monkeypatch, ["Bedroom"])
    for folder in (OURS, SATELLITE):
        registered = set(hass.services.async_services_for_domain(folder.name))
        assert registered, folder.name
        assert registered == set(services_yaml(folder)), folder.name
    # Ours are described in the translations, as a custom integration's may be.
    for name in services_yaml(OURS):
        assert STRINGS["services"][name]["description"], name
        for field in services_yaml(OURS)[name].get("fields", {}):
            assert STRINGS["services"][name]["fields"][field]["description"], (name, field)
    for name, spec in services_yaml(SATELLITE).items():
        assert spec["description"], name


def fields(schema: Any) -> dict[str, Any]:
    return {str(key): value for key, value in schema.schema.items()}


async def test_every_config_and_options_field_has_a_description(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    config = STRINGS["config"]["step"]
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    steps = {"user": fields(result["data_schema"])}
    result = await init_integration.start_reconfigure_flow(hass)
    steps["reconfigure"] = fields(result["data_schema"])
    for step, keys in steps.items():
        assert set(keys) <= set(config[step]["data_description"]), step
        assert set(keys) <= set(config[step]["data"]), step

    options = STRINGS["options"]["step"]["init"]
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    top = fields(result["data_schema"])
    for name in (CONF_DELIVERY, CONF_ADVANCED):
        section = options["sections"][name]
        keys = set(fields(top.pop(name).schema))
        assert keys <= set(section["data"]), name
        assert keys <= set(section["data_description"]), name
    assert set(top) <= set(options["data"])
    assert set(top) <= set(options["data_description"])


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path.name
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("prefix", ["", "dark_"])
def test_the_brand_icons_follow_the_guidelines(prefix: str) -> None:
    brand = OURS / "brand"
    assert png_size(brand / f"{prefix}icon.png") == (256, 256)
    assert png_size(brand / f"{prefix}icon@2x.png") == (512, 512)
    width, height = png_size(brand / f"{prefix}logo.png")
    assert 128 <= min(width, height) <= 256
    width2, height2 = png_size(brand / f"{prefix}logo@2x.png")
    assert (width2, height2) == (2 * width, 2 * height)


def test_the_quality_scale_marks_brands_done() -> None:
    rules = yaml.safe_load((OURS / "quality_scale.yaml").read_text(encoding="utf-8"))["rules"]
    assert rules["brands"] == "done"
