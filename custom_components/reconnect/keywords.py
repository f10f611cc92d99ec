"""Required keywords for sentence templates, so HA's matcher can skip ours cheaply.

Home Assistant's matcher (hassil) skips a group of sentences at once when none
of its `required_keywords` is a word of what was said. Without them it prepares
every group and tries a regular expression per template, for every utterance in
the house. For each template we pick one set of words of which at least one
must be said for it to match (a mandatory word, or all the first words of a
mandatory alternative), preferring rare words; a group's keywords are the union
over its templates. Pure Python: a small parser for the template syntax we use,
(a|b) alternatives, [optional] parts and {list} references.

Words are compared as said, case included, so each keyword comes lower case,
capitalised and upper case (and names also as written).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
import re

# Words so common in other commands that a group keyed on them is rarely skipped.
COMMON = frozenset(
    {"a", "an", "and", "are", "for", "how", "i", "in", "is", "it", "me", "my", "of", "off",
     "on", "our", "that", "the", "there", "to", "turn", "us", "was", "we", "what", "when",
     "you"}
)  # fmt: skip
_WORD = re.compile(r"[^\s]+")
_TOKEN = re.compile(r"\{[^}]*\}|[()\[\]|]|[^()\[\]|{]+")
_CLOSE = {"(": ")", "[": "]"}


@dataclass(frozen=True, slots=True)
class _Alternative:
    choices: list[list[object]]
    optional: bool


@dataclass(frozen=True, slots=True)
class _List:
    name: str


def _parse(parts: list[str], index: int = 0, closer: str = "") -> tuple[list[list[object]], int]:
    """Parse parts until `closer`; return the alternatives (lists of items) and the end."""
    choices: list[list[object]] = [[]]
    while index < len(parts):
        part = parts[index]
        index += 1
        if part in _CLOSE:
            inner, index = _parse(parts, index, _CLOSE[part])
            choices[-1].append(_Alternative(inner, optional=part == "["))
        elif part == closer:
            return choices, index
        elif part == "|":
            choices.append([])
        elif part.startswith("{"):
            choices[-1].append(_List(part[1:-1].split(":")[0]))
        else:
            choices[-1].append(part)
    if closer:
        raise ValueError(f"unclosed template: missing {closer!r}")
    return choices, index


def _best(candidates: Iterable[frozenset[str]]) -> frozenset[str] | None:
    """Prefer sets without common words, then smaller sets."""
    ranked = sorted(candidates, key=lambda c: (bool(c & COMMON), len(c), sorted(c)))
    return ranked[0] if ranked else None


def _of_items(items: list[object], lists: dict[str, frozenset[str]]) -> frozenset[str] | None:
    """Words of which one must be said for this sequence of items to match."""
    candidates: list[frozenset[str]] = []
    for item in items:
        if isinstance(item, str):
            candidates += [frozenset({word.lower()}) for word in _WORD.findall(item)]
        elif isinstance(item, _List):
            if words := lists.get(item.name):
                candidates.append(words)
        elif isinstance(item, _Alternative) and not item.optional:
            each = [_of_items(choice, lists) for choice in item.choices]
            if each and all(each):
                candidates.append(frozenset().union(*each))  # type: ignore[arg-type]
    return _best(candidates)


def template_keywords(template: str, lists: dict[str, frozenset[str]]) -> frozenset[str] | None:
    """Return words (lower case) of which one is in any text the template matches.

    `lists` gives the words of each list that has fixed values; a wildcard list
    has none. None means no such words were found.
    """
    choices, _ = _parse(_TOKEN.findall(template))
    each = [_of_items(choice, lists) for choice in choices]
    if not each or not all(each):
        return None
    return frozenset().union(*each)  # type: ignore[arg-type]


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
