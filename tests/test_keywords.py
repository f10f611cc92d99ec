"""Required keywords never hide one of our sentences from HA's matcher."""

from __future__ import annotations

from dataclasses import replace
import random

from hassil import Intents, parse_sentence, recognize_all, sample_expression
from hassil.intents import TextSlotList
from home_assistant_intents import get_intents
import pytest

from custom_components.reconnect.keywords import template_keywords
from custom_components.reconnect.sentences import (
    SENTENCES_DIR,
    Language,
    custom_sentences,
    expand_intents,
)
from homeassistant.util.yaml import load_yaml_dict

# Home Assistant drops these before matching English (home-assistant-intents).
SKIP_WORDS = get_intents("en")["skip_words"]
NAMES = ["Maya", "Jordan", "Ann Marie", "McKenzie"]


def _ours(with_keywords: bool) -> Intents:
    # Without the optional words every sentence may start with (rules.pre):
    # optional words are never keywords, and with them each template expands
    # twenty-fold. test_a_sentence_may_start_with_a_filler_word checks them.
    # The same holds for the other optional openings (filler words, "log that",
    # "after dinner"): one short stand-in each keeps the expansions countable.
    raw = load_yaml_dict(str(SENTENCES_DIR / "en.yaml"))
    rules = {k: v for k, v in raw["rules"].items() if k != "pre" and not k.startswith("pre.")}
    rules |= {"filler": "[um]", "log_that": "(log that)", "when_pre": "(tonight)"}
    lang = replace(Language.load("en"), intents=expand_intents(raw["intents"], rules))
    data = custom_sentences(lang, NAMES)
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


# Our templates expand to about 23,000 sentences; every template is tried with
# up to this many of its expansions, picked with a fixed seed.
PER_TEMPLATE = 6
SEED = 20261127


def _sampled(intents: Intents) -> list[tuple[str, str]]:
    """Up to PER_TEMPLATE expansions of every template of ours, the same each run."""
    rng = random.Random(SEED)
    lists = {
        **intents.slot_lists,
        "reconnect_other": TextSlotList.from_strings(["purple"]),
    }
    sampled = []
    for name, intent in sorted(intents.intents.items()):
        for group in intent.data:
            for sentence in group.sentences:
                texts = sorted(
                    set(
                        sample_expression(
                            sentence.expression,
                            slot_lists=lists,
                            expansion_rules=intents.expansion_rules,
                        )
                    )
                )
                assert texts, sentence.text
                sampled += [(name, t) for t in rng.sample(texts, min(PER_TEMPLATE, len(texts)))]
    return sampled


def test_every_sentence_still_matches_with_its_required_keywords() -> None:
    plain, keyed = _ours(with_keywords=False), _ours(with_keywords=True)
    assert any(group.required_keywords for i in keyed.intents.values() for group in i.data)
    sampled = _sampled(plain)
    templates = sum(len(g.sentences) for i in plain.intents.values() for g in i.data)
    assert len(sampled) > 3 * templates > 500
    for intent_name, text in sampled:
        for said in _said(text):
            expected = {r.intent.name for r in recognize_all(said, plain)}
            assert intent_name in expected, said
            assert {r.intent.name for r in recognize_all(said, keyed)} == expected, said


LISTS = {"reconnect_partner": frozenset({"maya", "jordan"})}
TEMPLATES = [
    ("undo that", {"undo"}),  # "that" is common: the rarer word is the key
    ("(start|begin) [our|the] check-in", {"check-in"}),
    ("[it's] (check-in|check in) time", {"check-in", "check"}),  # "time": "what time is it"
    ("(he|she|they) turned away", {"away"}),  # ties: the first alphabetically
    ("{reconnect_partner:responder} apologized", {"apologized"}),
    ("{reconnect_partner:x} {reconnect_other:y}", {"maya", "jordan"}),
    ("(a|[b]) c", {"c"}),
    ("[only optional]", None),
    ("{reconnect_other:y}", None),
    ("(one|two three)|four", {"one", "three", "four"}),
    # Only whole words: "check" is said as part of "check-in" here.
    ("check(-in| in) time", {"time"}),
    ("apologi(zed|sed)", None),
    ("how('s| is) our (relationship|connection)", {"relationship", "connection"}),
    ("{reconnect_partner:x}'s turn", {"turn"}),  # "Maya's" is said, not "'s"
    ("[{reconnect_partner:x}] (sorry|thanks)", {"sorry", "thanks"}),
    ("[please ]undo", {"undo"}),
    # An expansion rule is not known here; a permutation needs all its parts.
    ("<number> out of five", {"five"}),
    ("<number>", None),
    ("(red;{reconnect_partner:x})", {"red"}),
    ("(red;blue) [(green;yellow)]", {"blue"}),
]


@pytest.mark.parametrize(("template", "keywords"), TEMPLATES)
def test_template_keywords(template: str, keywords: set[str] | None) -> None:
    found = template_keywords(template, LISTS)
    assert (None if found is None else set(found)) == keywords


@pytest.mark.parametrize("template", [t for t, keywords in TEMPLATES if keywords])
def test_every_expansion_says_a_keyword(template: str) -> None:
    found = template_keywords(template, LISTS)
    assert found
    texts = list(
        sample_expression(
            parse_sentence(template).expression,
            slot_lists={
                "reconnect_partner": TextSlotList.from_strings(["Maya", "Jordan"]),
                "reconnect_other": TextSlotList.from_strings(["purple"]),
            },
            expansion_rules={"number": parse_sentence("(one|two)")},
        )
    )
    assert texts
    for text in texts:
        assert found & set(text.lower().split()), text


@pytest.mark.parametrize("template", ["(start our", "start) our", "[start our"])
def test_an_unclosed_template_is_an_error(template: str) -> None:
    with pytest.raises(ValueError, match="unclosed"):
        template_keywords(template, {})


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hey, start our check-in", "ReconnectStartCheckIn"),
        ("ok so Maya turned toward me", "ReconnectLogBid"),
        ("just so you know, we made up", "ReconnectLogRepair"),
        ("right, how are we doing", "ReconnectStatus"),
    ],
)
def test_a_sentence_may_start_with_a_filler_word(text: str, intent: str) -> None:
    keyed = Intents.from_dict(custom_sentences(Language.load("en"), NAMES))
    keyed.skip_words = list(SKIP_WORDS)
    assert intent in {r.intent.name for r in recognize_all(text, keyed)}
