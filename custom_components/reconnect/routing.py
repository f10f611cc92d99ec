"""Who is speaking, which couple an utterance is about, and which partners it names.

Pure Python: the Home Assistant side (people, satellites, loaded couples)
gathers the facts and couples.py asks these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
import re

from .journal import PARTNERS, Couple

# What a speaker calls themselves; an intent slot with one of these means "whoever spoke".
SPEAKER_WORDS = frozenset({"i", "me", "my", "myself", "mine"})


def words(text: str) -> str:
    """Lower-case words separated by single spaces, padded so names match whole words."""
    return " " + " ".join(re.sub(r"[^\w']+", " ", text.casefold()).split()) + " "


def named_partners[T](text: str, couples: Iterable[tuple[T, Couple]]) -> list[tuple[T, str]]:
    """Find the partners named in the words said, in spoken order, as (couple, partner key).

    A partner is named by their name or by one of their spoken aliases.
    """
    said = words(text)
    found = sorted(
        (
            (match.start(), -len(name), index, rank, owner, key)
            for index, (owner, couple) in enumerate(couples)
            for key in PARTNERS
            # Rank 0 is the name: it wins over an alias said in the same words.
            for rank, spoken in enumerate(couple.spoken(key))
            if (name := words(spoken).strip())
            for match in re.finditer(re.escape(f" {name} "), said)
        ),
        key=lambda item: item[:4],
    )
    # Skip a shorter name inside a longer one ("Ann" in "Ann Marie"), but keep
    # the same name in two couples: the speaker may tell them apart. Within one
    # couple, the same words name one partner only.
    result: list[tuple[T, str]] = []
    end, kept, kept_in = -1, (-1, 0), set[int]()
    for start, negative_length, index, _rank, owner, key in found:
        if start >= end:
            kept_in = set()
        elif (start, negative_length) != kept or index in kept_in:
            continue
        result.append((owner, key))
        end, kept = start - negative_length, (start, negative_length)
        kept_in.add(index)
    return result


def speaker(
    user_id: str | None,
    device_id: str | None,
    users: Mapping[str, str | None],
    satellites: Mapping[str, Sequence[str]],
) -> str | None:
    """Tell which partner is speaking: by logged-in user, then by a satellite in their space."""
    if user_id:
        for key in PARTNERS:
            if users.get(key) == user_id:
                return key
    if device_id:
        for key in PARTNERS:
            if device_id in satellites.get(key, ()):
                return key
    return None


def choose[T](
    couples: Sequence[T], named: Sequence[T], hinted: Sequence[T] | None, speaking: Sequence[T]
) -> T | None:
    """Choose the couple an utterance is about, or None if it is unclear.

    A hint (an entry id or title given by an automation or an LLM) narrows first,
    then the couples whose partners were named, then those with a known speaker.
    """
    if hinted is not None:
        couples = [c for c in couples if c in hinted]
    if len(couples) > 1 and named:
        couples = [c for c in couples if c in named]
    if len(couples) > 1:
        # Nobody known speaking leaves it unclear rather than guessing.
        couples = [c for c in couples if c in speaking] or couples
    return couples[0] if len(couples) == 1 else None
