"""Required keywords for sentence templates, so HA's matcher can skip ours cheaply.

Home Assistant's matcher (hassil) skips a group of sentences at once when none
of its `required_keywords` is a word of what was said. Without them it prepares
every group and tries a regular expression per template, for every utterance in
the house. For each template we pick one set of words of which at least one
must be said for it to match (a mandatory word, or one such set from each choice
of a mandatory alternative, joined), preferring rare words; a group's keywords
are the union over its templates. Templates are parsed by hassil's own parser.

Words are compared as said, case included, so each keyword comes lower case,
capitalised and upper case (and names also as written). Only whole words count:
"how" in "how('s| is)" is none, as it may be said as "how's".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from hassil import (
    Alternative,
    Expression,
    ListReference,
    Permutation,
    Sequence,
    TextChunk,
    parse_sentence,
)
from hassil.parser import ParseError

# Words so common in other commands that a group keyed on them is rarely skipped.
COMMON = frozenset(
    {"a", "an", "and", "are", "for", "how", "i", "in", "is", "it", "me", "my", "of", "off",
     "on", "our", "that", "the", "there", "time", "to", "turn", "us", "was", "we", "what", "when",
     "you", "want", "need", "like", "would"}  # the last four: in skip phrases ("I want to")
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Edges:
    """What holds for every text an expression expands to."""

    empty: bool  # it may be empty
    lead: bool  # if not empty, it starts with a space
    trail: bool  # if not empty, it ends with a space


def _edges(exp: Expression) -> _Edges:
    """Return what holds for every text `exp` expands to."""
    if isinstance(exp, TextChunk):
        text = exp.text
        return _Edges(not text, not text or text[0].isspace(), not text or text[-1].isspace())
    if isinstance(exp, Sequence):
        items = exp.items
        return _Edges(
            all(_edges(item).empty for item in items),
            _spaced(items, at_start=True, otherwise=True),
            _spaced(reversed(items), at_start=False, otherwise=True),
        )
    if isinstance(exp, (Alternative, Permutation)):
        each = [_edges(item) for item in exp.items]
        # One choice is said, or every part in some order.
        empty = (any if isinstance(exp, Alternative) else all)(e.empty for e in each)
        return _Edges(empty, all(e.lead for e in each), all(e.trail for e in each))
    # A {list} value or a <rule> (unknown here: maybe empty) may start or end anyhow.
    return _Edges(not isinstance(exp, ListReference), lead=False, trail=False)


def _spaced(items: Iterable[Expression], *, at_start: bool, otherwise: bool) -> bool:
    """Whether the first of `items` to say something starts with a space.

    With at_start=False (items reversed), whether the last ends with one.
    `otherwise` is the answer if they may all be empty.
    """
    for item in items:
        edges = _edges(item)
        if not (edges.lead if at_start else edges.trail):
            return False
        if not edges.empty:
            return True
    return otherwise


def _best(candidates: Iterable[frozenset[str]]) -> frozenset[str] | None:
    """Prefer sets without common words, then smaller sets."""
    ranked = sorted(candidates, key=lambda c: (bool(c & COMMON), len(c), sorted(c)))
    return ranked[0] if ranked else None


def _whole_words(text: str, before: bool, after: bool) -> list[frozenset[str]]:
    """Return the words of a text chunk that are whole words wherever it is said."""
    words = text.split()
    start = 0 if before or text[:1].isspace() else 1
    end = len(words) if after or text[-1:].isspace() else -1
    return [frozenset({word.lower()}) for word in words[start:end]]


def _required(
    exp: Expression, lists: dict[str, frozenset[str]], before: bool, after: bool
) -> list[frozenset[str]]:
    """Return sets of words (lower case), each with a word in any text `exp` expands to.

    `before` (`after`) says that what precedes (follows) it always ends (starts)
    with a space or is the edge of the sentence, so its edge words are whole.
    """
    if isinstance(exp, TextChunk):
        return _whole_words(exp.text, before, after)
    if isinstance(exp, ListReference):
        words = lists.get(exp.list_name)
        return [words] if words and before and after else []
    if isinstance(exp, Sequence):
        items = exp.items
        return [
            found
            for i, item in enumerate(items)
            for found in _required(
                item,
                lists,
                _spaced(reversed(items[:i]), at_start=False, otherwise=before),
                _spaced(items[i + 1 :], at_start=True, otherwise=after),
            )
        ]
    if isinstance(exp, Permutation):  # every part, each in any place
        edges = _edges(exp)
        spaced = (before and edges.trail, after and edges.lead)
        return [found for item in exp.items for found in _required(item, lists, *spaced)]
    if isinstance(exp, Alternative):  # an [optional] part has an empty choice
        each = [_best(_required(item, lists, before, after)) for item in exp.items]
        chosen = [best for best in each if best is not None]
        return [frozenset[str]().union(*chosen)] if each and len(chosen) == len(each) else []
    return []  # a <rule>: unknown here


def template_keywords(template: str, lists: dict[str, frozenset[str]]) -> frozenset[str] | None:
    """Return words (lower case) of which one is in any text the template matches.

    `lists` gives the words of each list that has fixed values; a wildcard list
    has none. None means no such words were found.
    """
    return _template_keywords(template, tuple(sorted(lists.items())))


# The same templates come back with every rewrite of the sentences (a new
# couple, a rename): each is parsed and searched once per process.
@lru_cache(maxsize=8192)
def _template_keywords(
    template: str, list_items: tuple[tuple[str, frozenset[str]], ...]
) -> frozenset[str] | None:
    lists = dict(list_items)
    try:
        sentence = parse_sentence(template)
    except ParseError as err:
        raise ValueError(f"bad template (unclosed or unmatched bracket?): {err}") from err
    found = _required(sentence.expression, lists, before=True, after=True)
    # Prefer a template's own words to the partners' names: the names are in
    # nearly everything a couple says to Reconnect, so a group keyed on them is
    # tried for all of it.
    names = set(lists.values())
    return _best([c for c in found if c not in names]) or _best(found)


def required_keywords(
    templates: Iterable[str], lists: dict[str, frozenset[str]], names: Iterable[str] = ()
) -> list[str] | None:
    """Return a group's required keywords as said (with case variants), or None."""
    words: set[str] = set()
    for template in templates:
        found = template_keywords(template, lists)
        if found is None:
            return None
        words |= found
    said = {form for word in words for form in (word, word.capitalize(), word.upper())}
    # Names as written too ("McKenzie"), when they are keywords.
    said |= {part for name in names for part in name.split() if part.lower() in words}
    return sorted(said)
