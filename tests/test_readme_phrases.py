"""Every example in the README's table of phrasing families works as the table says."""

from __future__ import annotations

from pathlib import Path
import re

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.reconnect.journal import EventKind
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant

from .test_phrasing_corpus import capture_intents, users  # noqa: F401 - the fixture
from .test_voice import mock_config_entry  # noqa: F401 - Maya & Jordan, linked to persons

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
TABLE = README[README.index("| Family | For example |") :].split("\n\n", 1)[0]
FAMILIES = {
    "Start the check-in": "ReconnectStartCheckIn",
    "A bid,": "ReconnectLogBid",
    "A bid in the third person": "ReconnectLogBid",
    "A bid told as a story": "ReconnectLogBid",
    "Owning your own part": "ReconnectLogBid",
    "The other partner as he": "ReconnectLogBid",
    "Raising a concern": "ReconnectLogBid",
    "A fight or a hurt": "ReconnectLogRupture",
    "A repair someone led": "ReconnectLogRepair",
    "A repair you led together": "ReconnectLogRepair",
    "Making up": "ReconnectLogRepair",
    "How are we": "ReconnectStatus",
    "Undo": "ReconnectUndo",
}


def examples() -> list[tuple[str, str, str]]:
    """(family, example with the demo names, the intent it must reach)."""
    rows = [line.split("|")[1:4] for line in TABLE.splitlines()[2:]]
    found = []
    for family, said, _does in rows:
        (intent,) = {v for k, v in FAMILIES.items() if family.strip().startswith(k)}
        found.extend(
            (family.strip(), text.replace("Alex", "Maya").replace("Sam", "Jordan"), intent)
            for text in re.findall(r'"([^"]+)"', said)
        )
    return found


def test_the_table_has_every_family() -> None:
    assert len({family for family, _, _ in examples()}) == len(FAMILIES)
    assert len(examples()) >= 40


@pytest.mark.parametrize(("family", "text", "intent"), examples(), ids=lambda v: str(v)[:60])
async def test_each_readme_example(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    users: dict[str, MockUser],  # noqa: F811
    family: str,
    text: str,
    intent: str,
) -> None:
    # Whoever is not named speaks ("I reached out and Maya listened" is Jordan's).
    speaker = "Jordan" if "Maya" in text else "Maya"
    if text == "undo that" or family == "Undo":
        # Something the speaker logged a moment ago: undo takes back only that.
        await init_integration.runtime_data.coordinator.async_record(
            init_integration.runtime_data.coordinator.journal.log_bid,
            author="a" if speaker == "Maya" else "b",
            bidder="a",
            response="toward",
        )
    journal = init_integration.runtime_data.coordinator.journal
    before = len(journal.events)
    with capture_intents() as seen:
        result = await conversation.async_converse(
            hass, text, None, Context(user_id=users[speaker].id), language="en"
        )
    reply = result.response.speech["plain"]["speech"]
    assert next((t for t in seen if t.startswith("Reconnect")), None) == intent, reply
    logged = [e.kind for e in list(journal.events)[before:]]
    if intent == "ReconnectLogBid" and family != "Raising a concern":
        assert logged == [EventKind.BID] or logged[:1] == [EventKind.BID], (reply, logged)
    if family == "A fight or a hurt":
        assert logged == [EventKind.RUPTURE], reply
    if family == "A repair someone led":
        assert logged == [EventKind.REPAIR], reply
    if family == "A repair you led together":
        assert [(e.kind, e.partner) for e in list(journal.events)[before:]] == [
            (EventKind.REPAIR, "both")
        ], reply
    if family == "Undo":
        assert reply.startswith("Removed the last entry"), reply
        assert len(journal.events) == before - 1
