"""Which partners an utterance names (pure: no Home Assistant)."""

from __future__ import annotations

from custom_components.reconnect.journal import Couple
from custom_components.reconnect.routing import named_partners

MAYA_JORDAN = Couple("Maya", "Jordan", aliases_a=("Maia", "Mo"), aliases_b=("Jordon", "J Dog"))
ANN_SAM = Couple("Ann Marie", "Sam", aliases_a=("Ann",))


def test_names_are_found_in_spoken_order() -> None:
    assert named_partners("Maya and Jordan", [(1, Couple("Maya", "Jordan"))]) == [
        (1, "a"),
        (1, "b"),
    ]
    assert named_partners("Jordan turned toward Maya", [(1, MAYA_JORDAN)]) == [(1, "b"), (1, "a")]


def test_an_alias_names_its_partner_as_a_whole_word() -> None:
    couples = [(1, MAYA_JORDAN)]
    assert named_partners("Maia turned toward me", couples) == [(1, "a")]
    assert named_partners("JORDON reached out and maia listened", couples) == [(1, "b"), (1, "a")]
    assert named_partners("j dog snapped at Mo", couples) == [(1, "b"), (1, "a")]
    # Only whole words: "Mo" is not in "more", nor "Jordon" in "Jordons".
    assert named_partners("I want more time with the Jordons", couples) == []


def test_a_longer_name_wins_over_an_alias_inside_it() -> None:
    assert named_partners("Ann Marie turned away", [(2, ANN_SAM)]) == [(2, "a")]
    assert named_partners("Ann turned away from Sam", [(2, ANN_SAM)]) == [(2, "a"), (2, "b")]


def test_the_same_words_name_one_partner_of_a_couple_but_one_in_each_couple() -> None:
    # A rename made Mo the second partner's name while it is still the first's alias.
    renamed = Couple("Maya", "Mo", aliases_a=("Mo",))
    assert named_partners("Mo turned away", [(1, renamed)]) == [(1, "b")]
    # The same alias in two couples: both are kept, the speaker may tell them apart.
    other = Couple("Moira", "Sam", aliases_a=("Mo",))
    assert named_partners("Mo turned away", [(1, MAYA_JORDAN), (2, other)]) == [
        (1, "a"),
        (2, "a"),
    ]
