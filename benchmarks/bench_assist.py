"""Figures 3 and 5: Assist latency, ours against HA's built-ins, and what we add to theirs.

All in one Home Assistant process, on HA's real default agent with a template
"Kitchen light". Each round measures HA's built-in commands without Reconnect,
then adds the couple and measures them again and ours, then removes the couple.
Every command is timed twice over: with HA's intent cache as it is after the
first call ("repeat") and with the cache emptied before each call ("fresh", as
for words not said recently). Rounds alternate, and the ratio is taken between
the medians of all rounds, so drift on a noisy machine hits both sides alike.
"""

from __future__ import annotations

import gc
from pathlib import Path
import statistics
import time

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.reconnect.const import CONF_PARTNER_A, CONF_PARTNER_B, DOMAIN
from custom_components.reconnect.voice import CUSTOM_SENTENCES_FILE
from homeassistant.components import conversation
from homeassistant.components.conversation.const import DATA_DEFAULT_ENTITY
from homeassistant.core import Context, HomeAssistant
from homeassistant.setup import async_setup_component

from .conftest import real_hass, record

BUILT_IN = ("what time is it", "turn on the kitchen light")
OURS = ("start our check-in", "Maya turned toward me")
ROUNDS = 12
CALLS = 20
INTERLEAVED_CALLS = 300


async def _converse(hass: HomeAssistant, text: str) -> str:
    result = await conversation.async_converse(hass, text, None, Context(), language="en")
    return str(result.response.speech.get("plain", {}).get("speech", ""))


async def _time(hass: HomeAssistant, text: str, *, fresh: bool) -> list[float]:
    agent = hass.data[DATA_DEFAULT_ENTITY]
    gc.collect()  # each batch starts from the same heap
    samples = []
    for _ in range(CALLS):
        if fresh:
            agent._intent_cache.clear()
        start = time.perf_counter()
        await _converse(hass, text)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


async def _built_ins(hass: HomeAssistant, into: dict[tuple[str, bool], list[float]]) -> None:
    for text in BUILT_IN:  # untimed: the first call after a change loads what changed
        await _converse(hass, text)
    for text in BUILT_IN:
        for fresh in (False, True):
            into.setdefault((text, fresh), []).extend(await _time(hass, text, fresh=fresh))


async def _interleaved(hass: HomeAssistant) -> None:
    """Built-ins with and without our sentences, alternating call by call.

    Idle, Reconnect adds nothing to HA's pipeline but its custom sentences (no
    sentence trigger is live outside a check-in). So HA's agent is given its
    sentences loaded with and without our file in turn, emptying the intent
    cache before each call: a precise ratio on a noisy machine.
    """
    agent = hass.data[DATA_DEFAULT_ENTITY]
    path = Path(hass.config.path(*CUSTOM_SENTENCES_FILE))
    assert "stop here" in await _converse(hass, "stop the check-in")
    assert not agent.trigger_sentences
    with_us = await agent.async_get_or_load_intents("en")
    hidden = path.rename(path.with_suffix(".hidden"))
    await agent.async_reload("en")
    without = await agent.async_get_or_load_intents("en")
    hidden.rename(path)
    assert with_us is not None
    assert without is not None
    assert "ReconnectLogBid" in with_us.intents.intents
    assert "ReconnectLogBid" not in without.intents.intents
    for text in BUILT_IN:
        samples: dict[bool, list[float]] = {False: [], True: []}
        gc.collect()
        for call in range(INTERLEAVED_CALLS):
            for ours in (call % 2 == 0, call % 2 == 1):
                agent._lang_intents["en"] = with_us if ours else without
                agent._intent_cache.clear()
                start = time.perf_counter()
                await _converse(hass, text)
                samples[ours].append((time.perf_counter() - start) * 1000)
        before, after = statistics.median(samples[False]), statistics.median(samples[True])
        record(
            "5. HA's built-in commands, with Reconnect ÷ without",
            command=text,
            cache="fresh, interleaved",
            without_ms=round(before, 3),
            with_ms=round(after, 3),
            ratio=round(after / before, 3),
        )
    agent._lang_intents["en"] = with_us


async def test_assist_latency(tmp_path: Path) -> None:
    """Ours against built-ins, and built-ins with and without Reconnect."""
    async with real_hass(tmp_path) as hass:
        for domain in ("conversation", "intent"):
            assert await async_setup_component(hass, domain, {})
        kitchen = {"friendly_name": "Kitchen light", "turn_on": [], "turn_off": []}
        light = {"platform": "template", "lights": {"kitchen_light": kitchen}}
        assert await async_setup_component(hass, "light", {"light": [light]})
        await hass.async_block_till_done()
        assert "turned on" in (await _converse(hass, "turn on the kitchen light")).lower()

        without: dict[tuple[str, bool], list[float]] = {}
        with_us: dict[tuple[str, bool], list[float]] = {}
        ours: dict[tuple[str, bool], list[float]] = {}
        for _ in range(ROUNDS):
            await _built_ins(hass, without)
            entry = MockConfigEntry(
                domain=DOMAIN,
                title="Maya & Jordan",
                data={CONF_PARTNER_A: "Maya", CONF_PARTNER_B: "Jordan"},
                unique_id="jordan|maya",
            )
            entry.add_to_hass(hass)
            assert await hass.config_entries.async_setup(entry.entry_id)
            await hass.async_block_till_done()
            assert "Noted" in await _converse(hass, "Maya turned toward me")
            await _built_ins(hass, with_us)
            for text in OURS:
                for fresh in (False, True):
                    ours.setdefault((text, fresh), []).extend(await _time(hass, text, fresh=fresh))
            assert entry.runtime_data.journal.events
            if _ == ROUNDS - 1:
                await _interleaved(hass)
            assert await hass.config_entries.async_remove(entry.entry_id)
            await hass.async_block_till_done()

        median = statistics.median
        for text in BUILT_IN:
            for fresh in (False, True):
                before, after = median(without[text, fresh]), median(with_us[text, fresh])
                record(
                    "5. HA's built-in commands, with Reconnect ÷ without",
                    command=text,
                    cache="fresh" if fresh else "repeat",
                    without_ms=round(before, 3),
                    with_ms=round(after, 3),
                    ratio=round(after / before, 3),
                )
        for fresh in (False, True):
            reference = median(with_us[BUILT_IN[0], fresh])
            for text in OURS:
                mine = median(ours[text, fresh])
                record(
                    "3. Assist latency, ours ÷ built-in",
                    command=text,
                    cache="fresh" if fresh else "repeat",
                    ms=round(mine, 3),
                    built_in=BUILT_IN[0],
                    built_in_ms=round(reference, 3),
                    ratio=round(mine / reference, 3),
                )
