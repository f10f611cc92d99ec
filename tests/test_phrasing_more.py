"""A second tune set, written later by someone who had seen neither the
templates nor the first corpus (tests/fixtures/phrasing_corpus_more.yaml).

Only for tuning: the held-out `check` half of the first corpus stays the one
measure of how Reconnect understands words it was not tuned on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
import yaml

from homeassistant.core import HomeAssistant

from .test_phrasing_corpus import score, table, users  # noqa: F401 - the fixture
from .test_voice import mock_config_entry  # noqa: F401 - Maya & Jordan, linked to persons

FIXTURES = Path(__file__).parent / "fixtures"
ALL_MORE: list[dict[str, Any]] = yaml.safe_load(
    (FIXTURES / "phrasing_corpus_more.yaml").read_text(encoding="utf-8")
)["items"]
FIRST: dict[str, Any] = yaml.safe_load(
    (FIXTURES / "phrasing_corpus.yaml").read_text(encoding="utf-8")
)


def said(text: str) -> str:
    return text.casefold().strip(" ?.!")


# The same words written twice: 16 are in the held-out `check` half and 10 in
# `tune`. They are not tuned on here, and the check score is also given
# without the 16 (test_check_score_without_the_second_sets_words).
IN_FIRST = {said(i["text"]) for half in ("tune", "check") for i in FIRST[half]}
MORE = [i for i in ALL_MORE if said(i["text"]) not in IN_FIRST]
CHECK_UNSEEN = [
    i
    for i in FIRST["check"]
    if not i.get("alias") and said(i["text"]) not in {said(m["text"]) for m in ALL_MORE}
]
# 275 on HA 2026.10; HA 2025.10 reads "turn-toward" as another word.
REACHED = 274
CHECK_UNSEEN_REACHED = 198


def test_the_second_tune_set_is_new_words() -> None:
    texts = [said(i["text"]) for i in ALL_MORE]
    assert len(texts) == len(set(texts)) >= 300
    assert len(MORE) == len(ALL_MORE) - 26
    assert len(CHECK_UNSEEN) == 238 - 16


async def test_second_tune_score(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    users: dict[str, MockUser],  # noqa: F811
) -> None:
    outcomes = await score(hass, init_integration, users, MORE)
    print(f"\n{table('more', outcomes, misses=True)}\n")
    assert sum(o.ok for o in outcomes) >= REACHED, table("more", outcomes, misses=True)


async def test_check_score_without_the_second_sets_words(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    users: dict[str, MockUser],  # noqa: F811
) -> None:
    """The held-out half, less the 16 utterances the second tune set also holds."""
    outcomes = await score(hass, init_integration, users, CHECK_UNSEEN)
    print(f"\n{table('check, unseen words only', outcomes, misses=False)}\n")
    right = sum(o.ok for o in outcomes)
    assert right >= CHECK_UNSEEN_REACHED, table("check unseen", outcomes, misses=False)
