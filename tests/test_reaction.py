"""A bid told as a story: how it was met is read from the words, or asked (reaction.py)."""

from __future__ import annotations

import pytest

from custom_components.reconnect.reaction import Reactions, expand, hurt_subject, words
from custom_components.reconnect.sentences import SENTENCES_DIR, Language, expand_rules
from homeassistant.util.yaml import load_yaml_dict


def test_rules_expand_like_the_sentence_templates() -> None:
    assert sorted(expand("(was [really] (there|kind)|listened)")) == [
        "listened",
        "was kind",
        "was really kind",
        "was really there",
        "was there",
    ]
    # Apostrophes dropped, as speech-to-text often writes them.
    assert words("She DIDN'T even look up, honestly") == (
        "she",
        "didnt",
        "even",
        "look",
        "up",
        "honestly",
    )


def test_a_phrase_in_two_lists_names_neither() -> None:
    reactions = Reactions.from_rules({"toward": "(laughed|smiled)", "away": "(laughed|sighed)"})
    assert reactions.classify("she laughed") is None
    assert reactions.classify("she smiled") == "toward"


@pytest.fixture(scope="module")
def reactions() -> Reactions:
    """The English response words, as shipped."""
    return Language.load("en").reactions


@pytest.mark.parametrize(
    ("told", "response"),
    [
        ("he dropped everything to come help", "toward"),
        ("she put her phone down and actually listened", "toward"),
        ("she didn't even look up from her laptop", "away"),
        ("he didnt even hear me", "away"),  # as speech-to-text writes it
        ("he never smiled", "away"),  # a warm word not done
        ("he said in a minute and never came", "away"),
        ("she rolled her eyes", "against"),
        ("he got really defensive and snippy", "against"),  # hostile outweighs missed
        (
            "said that's not funny in this really nasty voice",
            "against",
        ),  # "not" is not near "nasty"
        ("not rude, just in her own world", "away"),
        ("was kind of checked out", None),  # "kind of" is a hedge, not "was kind"
        ("was busy but listened", None),  # warm and cold words: ask
        ("went to the shop", None),  # nothing about how it was met: ask
    ],
)
def test_the_response_is_read_only_when_the_words_name_one(
    reactions: Reactions, told: str, response: str | None
) -> None:
    assert reactions.classify(told) == response


def test_every_response_word_of_the_sentences_is_heard_in_a_story(reactions: Reactions) -> None:
    """One lexicon: each word the sentences hear after a name (<toward.do>, ...), a story hears."""
    rules = load_yaml_dict(str(SENTENCES_DIR / "en.yaml"))["rules"]
    for response in ("toward", "away", "against"):
        said = list(
            expand(" ".join(expand_rules(f"<{response}.do>", rules).split()).replace(" |", "|"))
        )
        assert len(said) > 20
        assert [s for s in said if reactions.classify(s) != response] == []


@pytest.fixture(scope="module")
def lang() -> Language:
    """The English language data, as shipped."""
    return Language.load("en")


@pytest.mark.parametrize(
    ("said", "who"),
    [
        ("things got heated and Jordan is hurt", "jordan"),
        ("record a spat, Maya's the one who's hurt", "mayas"),  # the caller drops the "s"
        ("I'm gutted, we had a massive argument", "i"),
        ("we had a spat and I'm a bit sad", "i"),
        ("we're both upset", "both"),  # not a partner: the caller finds no one
        ("we had a fight", None),
    ],
)
def test_who_is_hurt_is_the_word_before_the_feeling(
    lang: Language, said: str, who: str | None
) -> None:
    assert hurt_subject(said, lang.hurt_words) == who
