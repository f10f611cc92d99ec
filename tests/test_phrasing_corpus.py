"""The phrasing corpus, scored through HA's real default agent (issue 13).

tests/fixtures/phrasing_corpus.yaml holds utterances written the way couples
talk, each with the intent and slots it should give, split once (fixed seed)
into a `tune` half, which the sentences may be tuned on, and a `check` half,
which they may not. Every utterance goes through `conversation.async_converse`
with Reconnect set up; the score reads back which of our intents ran and what
the journal logged, so a bid counts only if the right partners (by key) and
the right response were stored.

Items marked `alias: true` ("Maia", "Jordon") are how speech-to-text writes the
names. They are scored apart, after the couple's spoken aliases are saved in the
options (ALIASES): each must pass, and none counts toward the bar below.

Run with `-s` to see the per-intent table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
import math
from pathlib import Path
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
import yaml

from custom_components.reconnect.const import CONF_ALIASES_A, CONF_ALIASES_B
from custom_components.reconnect.journal import EventKind, other
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent

from .test_voice import mock_config_entry  # noqa: F401 - Maya & Jordan, linked to persons

CORPUS: dict[str, Any] = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "phrasing_corpus.yaml").read_text(encoding="utf-8")
)
# Issue 13's target for the held-out half: at least 95%, intent and slots. It
# stands at 228/238 on HA 2026.10 (96%; 27/238 before any tuning, 202 after the first round,
# 218 after the third tune set). The score may also never fall below what it
# reached: a sentence change that loses a check item fails here. Both lanes:
# HA 2025.10 (minimum) drops "I want" and "for me" before matching, and
# scores one fewer.
TARGET = 0.95
CHECK_REACHED = 227
TUNE_REACHED = 241
KEYS = {"Maya": "a", "Jordan": "b"}
# The aliases the alias items expect: how speech-to-text writes each name.
ALIASES = {CONF_ALIASES_A: ["Maia"], CONF_ALIASES_B: ["Jordon"]}
NAME_SLOTS = ("bidder", "responder", "hurt", "initiator")


@pytest.fixture
def users(hass: HomeAssistant, hass_admin_user: MockUser) -> dict[str, MockUser]:
    """Two logged-in users, linked to the partners' person entities."""
    jordan = MockUser(name="Jordan").add_to_hass(hass)
    for person, user in (("person.maya", hass_admin_user), ("person.jordan", jordan)):
        hass.states.async_set(person, "home", {"user_id": user.id})
    return {"Maya": hass_admin_user, "Jordan": jordan}


def speaker_of(item: dict[str, Any]) -> str:
    """Who says it: Maya, unless Maya is named (then "me" must be Jordan)."""
    named = {item["slots"].get(k) for k in NAME_SLOTS}
    return "Jordan" if "Maya" in named else "Maya"


def key_of(value: str | None, speaker: str) -> str | None:
    """A partner key for a slot value ("me" is the speaker)."""
    if value is None:
        return None
    return KEYS[speaker] if value == "me" else KEYS[value]


@dataclass
class Outcome:
    """What happened for one utterance."""

    text: str
    expected: str | None
    intent: str | None
    ok: bool
    why: str
    reply: str


@contextmanager
def capture_intents() -> Iterator[list[str]]:
    """Record the type of every intent HA handles, in order."""
    seen: list[str] = []
    original = intent.async_handle

    async def handle(hass: HomeAssistant, platform: str, intent_type: str, *args: Any, **kw: Any):  # type: ignore[no-untyped-def]
        seen.append(intent_type)
        return await original(hass, platform, intent_type, *args, **kw)

    intent.async_handle = handle  # type: ignore[assignment]
    try:
        yield seen
    finally:
        intent.async_handle = original  # type: ignore[assignment]


def judge_bid(slots: dict[str, Any], mine: list[Any], speaker: str) -> tuple[bool, str]:
    """One bid logged, with the right bidder (and so responder) and response."""
    bidder = key_of(slots.get("bidder"), speaker)
    responder = key_of(slots.get("responder"), speaker)
    if bidder is None and responder is not None:
        bidder = other(responder)
    assert bidder is None or responder is None or bidder != responder, slots
    bids = [e for e in mine if e.kind is EventKind.BID]
    got = [(e.partner, str(e.response)) for e in bids]
    return got == [(bidder, slots["response"])], f"logged bids {got}"


def judge_entry(
    want: str, slots: dict[str, Any], mine: list[Any], speaker: str
) -> tuple[bool, str]:
    """A rupture (who is hurt, never who started it) or a repair (who led it, or both)."""
    kind = EventKind.RUPTURE if want == "ReconnectLogRupture" else EventKind.REPAIR
    logged = [e.partner for e in mine if e.kind is kind]
    said = slots.get("hurt" if kind is EventKind.RUPTURE else "initiator")
    expected = "both" if said == "both" else key_of(said, speaker)
    if expected is None and kind is EventKind.REPAIR:
        # Nobody named: Reconnect asks who reached out first, and logs nothing yet.
        return not logged, f"logged {logged}"
    return logged == [expected], f"logged {logged}"


def judge(item: dict[str, Any], ran: str | None, new: list[Any], speaker: str) -> tuple[bool, str]:
    """Whether the right intent ran and the journal got the right slots."""
    want = item["intent"]
    if ran != want:
        return False, f"intent {ran}"
    mine = [e for e in new if not getattr(e, "auto", False)]
    if want == "ReconnectLogBid":
        return judge_bid(item["slots"], mine, speaker)
    if want in ("ReconnectLogRupture", "ReconnectLogRepair"):
        return judge_entry(want, item["slots"], mine, speaker)
    return True, ""  # Status, Undo, StartCheckIn: the intent is all


async def score(
    hass: HomeAssistant, entry: MockConfigEntry, users: dict[str, MockUser], items: list[Any]
) -> list[Outcome]:
    """Say every item to Assist, from a clean dialogue, and judge it."""
    data = entry.runtime_data
    outcomes = []
    with capture_intents() as seen:
        for item in items:
            data.dialogue.async_unload()
            data.dialogue.pending = None
            journal = data.coordinator.journal
            last = max((e.id for e in journal.events), default=0)
            seen.clear()
            speaker = speaker_of(item)
            result = await conversation.async_converse(
                hass, item["text"], None, Context(user_id=users[speaker].id), language="en"
            )
            reply = str(result.response.speech.get("plain", {}).get("speech", ""))
            ran = next((t for t in seen if t.startswith("Reconnect")), None)
            new = [e for e in journal.events if e.id > last]
            ok, why = judge(item, ran, new, speaker)
            outcomes.append(Outcome(item["text"], item["intent"], ran, ok, why, reply))
    data.dialogue.async_unload()
    return outcomes


def table(name: str, outcomes: list[Outcome], *, misses: bool) -> str:
    """Per-intent scores, then (for `tune` only: `check` is not tuned on) the misses."""
    total, right = Counter[str](), Counter[str]()
    for o in outcomes:
        total[o.expected] += 1
        right[o.expected] += o.ok
    lines = [f"{name}: {sum(right.values())}/{len(outcomes)}"]
    lines += [
        f"  {k or 'not ours'}: {right[k]}/{total[k]} ({right[k] / total[k]:.0%})"
        for k in sorted(total, key=str)
    ]
    if misses:
        lines += [
            f"  MISS {o.text!r}: want {o.expected}, {o.why}; said {o.reply!r}"
            for o in outcomes
            if not o.ok
        ]
    return "\n".join(lines)


async def _run(
    hass: HomeAssistant, entry: MockConfigEntry, users: dict[str, MockUser], half: str
) -> tuple[list[Outcome], list[Outcome]]:
    items = CORPUS[half]
    plain = await score(hass, entry, users, [i for i in items if not i.get("alias")])
    # Saved as the options flow saves them: Assist's sentences follow at once.
    hass.config_entries.async_update_entry(entry, options={**entry.options, **ALIASES})
    await hass.async_block_till_done()
    aliases = await score(hass, entry, users, [i for i in items if i.get("alias")])
    tuning = half == "tune"
    print(f"\n{table(half, plain, misses=tuning)}\n")
    print(table(f"{half} (aliases)", aliases, misses=tuning))
    return plain, aliases


def test_corpus_is_split_once() -> None:
    assert CORPUS["seed"] == 20261127
    assert len(CORPUS["tune"]) + len(CORPUS["check"]) >= 400
    texts = [i["text"] for half in ("tune", "check") for i in CORPUS[half]]
    assert len(texts) == len(set(texts))


async def test_tune_score(
    hass: HomeAssistant, init_integration: MockConfigEntry, users: dict[str, MockUser]
) -> None:
    """The half the sentences were tuned on (aliases apart)."""
    plain, aliases = await _run(hass, init_integration, users, "tune")
    assert sum(o.ok for o in plain) >= TUNE_REACHED, table("tune", plain, misses=True)
    assert all(o.ok for o in aliases), table("tune (aliases)", aliases, misses=True)


async def test_check_score_never_falls(
    hass: HomeAssistant, init_integration: MockConfigEntry, users: dict[str, MockUser]
) -> None:
    """The held-out half: at least 95%, and never below what it reached."""
    plain, aliases = await _run(hass, init_integration, users, "check")
    right = sum(o.ok for o in plain)
    assert right >= math.ceil(TARGET * len(plain)), table("check", plain, misses=False)
    assert right >= CHECK_REACHED, table("check", plain, misses=False)
    # With the aliases saved, a name as speech-to-text writes it is the partner.
    assert all(o.ok for o in aliases), table("check (aliases)", aliases, misses=False)
