"""Required keywords never hide one of our sentences from HA's matcher."""

from __future__ import annotations

from hassil import Intents, recognize_all
from hassil.intents import TextSlotList
from hassil.sample import sample_intents
from home_assistant_intents import get_intents
import pytest

from custom_components.reconnect.keywords import template_keywords
from custom_components.reconnect.sentences import Language, custom_sentences

# Home Assistant drops these before matching English (home-assistant-intents).
SKIP_WORDS = get_intents("en")["skip_words"]
NAMES = ["Maya", "Jordan", "Ann Marie", "McKenzie"]


def _ours(with_keywords: bool) -> Intents:
    data = custom_sentences(Language.load("en"), NAMES)
    if not with_keywords:
        for intent in data["intents"].values():
            for group in intent["data"]:
                group.pop("required_keywords", None)
    intents = Intents.from_dict(data)
    intents.skip_words = list(SKIP_WORDS)
    return intents


def _said(text: str) -> list[str]:
    """The ways a speech engine may write one sentence."""
    return [
        text,
        text.lower(),
        text[:1].upper() + text[1:],
        f"{text[:1].upper()}{text[1:]}.",
        text.upper(),
    ]


def test_every_sentence_still_matches_with_its_required_keywords() -> None:
    plain, keyed = _ours(with_keywords=False), _ours(with_keywords=True)
    assert any(group.required_keywords for i in keyed.intents.values() for group in i.data)
    sampled = list(
        sample_intents(
            plain,
            slot_lists={"reconnect_other": TextSlotList.from_strings(["purple"])},
            exclude_sentences_with_wildcards=False,
        )
    )
    assert len(sampled) > 500
    for intent_name, text in sampled:
        for said in _said(text):
            expected = {r.intent.name for r in recognize_all(said, plain)}
            assert intent_name in expected, said
            assert {r.intent.name for r in recognize_all(said, keyed)} == expected, said


@pytest.mark.parametrize(
    ("template", "keywords"),
    [
        ("undo that", {"undo"}),  # "that" is common: the rarer word is the key
        ("(start|begin) [our|the] check-in", {"check-in"}),
        ("[it's] (check-in|check in) time", {"time"}),
        ("(he|she|they) turned away", {"away"}),  # ties: the first in order
        ("{reconnect_partner:responder} apologized", {"apologized"}),
        ("{reconnect_partner:x} {reconnect_other:y}", {"maya", "jordan"}),
        ("(a|[b]) c", {"c"}),
        ("[only optional]", None),
        ("{reconnect_other:y}", None),
        ("(one|two three)|four", {"one", "three", "four"}),
    ],
)
def test_template_keywords(template: str, keywords: set[str] | None) -> None:
    lists = {"reconnect_partner": frozenset({"maya", "jordan"})}
    found = template_keywords(template, lists)
    assert (None if found is None else set(found)) == keywords


def test_an_unclosed_template_is_an_error() -> None:
    with pytest.raises(ValueError, match="unclosed"):
        template_keywords("(start our", {})
