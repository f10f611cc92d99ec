"""Nothing that is not ours is taken (issue 13).

Every command in tests/fixtures/not_ours_corpus.yaml is an ordinary Assist
command (lights, timers, lists, weather, media, ...), many with a partner's
name or a Reconnect word in it. Each must get exactly the reply Home Assistant
gives without Reconnect: the same hass answers them all before Reconnect is set
up and again after, and the replies are compared.
"""

from __future__ import annotations

from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.setup import async_setup_component

COMMANDS: list[str] = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "not_ours_corpus.yaml").read_text(encoding="utf-8")
)["commands"]


async def _replies(hass: HomeAssistant) -> list[str]:
    replies = []
    for text in COMMANDS:
        result = await conversation.async_converse(hass, text, None, Context(), language="en")
        speech = result.response.speech.get("plain", {}).get("speech", "")
        replies.append(f"{result.response.response_type}: {speech}")
    return replies


def test_the_corpus_is_big_enough() -> None:
    assert len(COMMANDS) >= 300
    assert len(set(COMMANDS)) == len(COMMANDS)


async def test_no_command_is_taken(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, frozen: FrozenDateTimeFactory
) -> None:
    # What Reconnect loads with it, loaded on both sides.
    for component in ("conversation", "http", "intent"):
        assert await async_setup_component(hass, component, {})
    await hass.async_block_till_done()
    without = await _replies(hass)

    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    with_us = await _replies(hass)

    taken = [
        f"{text!r}: {before!r} -> {after!r}"
        for text, before, after in zip(COMMANDS, without, with_us, strict=True)
        if before != after
    ]
    assert not taken, f"{len(taken)} taken:\n" + "\n".join(taken)
