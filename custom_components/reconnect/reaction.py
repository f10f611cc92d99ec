"""How a bid was met, read from what was told of it ("and he dropped everything to help").

Couples tell a bid as a story: what one did, then how the other answered it.
The sentences hear the shape ("<bidder> ... and she ..."); this module reads the
answer's words against the same response words the sentences use (the
toward.do, away.do and against.do rules in sentences/<lang>.yaml), so a word
added there is heard in every form. It guesses nothing: it gives a response
only when the words name one, and None when they name none or disagree, and
then Reconnect asks instead of logging.

Pure Python: the rules come in as text, in the template syntax of the sentence
files ((a|b) alternatives, [optional] words).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
import re

_WORD = re.compile(r"[\w'-]+")
# Before a toward word, these turn it round ("didn't really listen"): not toward.
NEGATIONS = frozenset(
    {"not", "never", "no", "didnt", "dont", "wasnt", "barely", "hardly", "wont", "couldnt",
     "without"}
)  # fmt: skip
# Words before a phrase in which a negation counts: "didn't really listen",
# but "said that's not funny in a nasty voice" is still nasty.
_NEGATION_REACH = {"toward": 3, "against": 1}
# Hedges that would read as response words: "was kind of checked out" is not
# "was kind" (a phrase that itself says "kind of cold" still counts).
_HEDGES = frozenset({"kind", "sort"})
TOWARD, AWAY, AGAINST = "toward", "away", "against"


def words(text: str) -> tuple[str, ...]:
    """Split what was said into lower-case words (apostrophes and hyphens kept)."""
    # Apostrophes dropped: speech-to-text writes "didnt" as often as "didn't".
    said = text.casefold().replace("\u2019", "").replace("'", "")
    return tuple(w.strip("-") for w in _WORD.findall(said) if w.strip("-"))


def expand(template: str) -> Iterator[str]:
    """Every text a rule says: (a|b) is one of them, [a] is a or nothing."""
    for option in _expand(template, 0, ")")[0]:
        yield " ".join(option.split())


def phrases(rule: str) -> frozenset[tuple[str, ...]]:
    """Every text a rule says, as words (folded YAML's " |" line starts allowed)."""
    text = " ".join(rule.split()).replace(" |", "|")
    return frozenset(said for t in expand(text) if (said := words(t)))


def _expand(text: str, pos: int, close: str) -> tuple[list[str], int]:
    """Expand from `pos` to the `close` bracket (or the end); return texts and the end."""
    choices: list[str] = []
    current = [""]
    while pos < len(text):
        char = text[pos]
        if char in "([":
            inner, pos = _expand(text, pos + 1, ")" if char == "(" else "]")
            if char == "[":
                inner = [*inner, ""]
            current = [c + i for c in current for i in inner]
        elif char == "|":
            choices += current
            current = [""]
        elif char == close:
            return choices + current, pos
        else:
            current = [c + char for c in current]
        pos += 1
    return choices + current, pos


class Reactions:
    """The response words of one language, looked for in free words."""

    def __init__(self, phrases: Mapping[tuple[str, ...], str]) -> None:
        """Take each phrase (as words) with the response it names."""
        self._phrases = dict(phrases)
        self._longest = max((len(p) for p in self._phrases), default=0)

    @classmethod
    def from_rules(cls, rules: Mapping[str, str]) -> Reactions:
        """Build from rule texts by response ({"toward": "(listened|...)", ...})."""
        found: dict[tuple[str, ...], str] = {}
        for response, rule in rules.items():
            for said in phrases(rule):
                # A phrase in two lists names neither.
                found[said] = response if found.get(said, response) == response else ""
        return cls({p: r for p, r in found.items() if r})

    def found(self, text: str, names: Iterable[str] = ()) -> list[tuple[str, tuple[str, ...]]]:
        """Return the response phrases in `text`, longest first at each word, in order.

        `names` (the partners' names) are read as "them": "made Maya tea" is
        "made them tea".
        """
        for name in sorted(names, key=len, reverse=True):
            text = re.sub(rf"\b{re.escape(name)}(?:'s)?\b", "them", text, flags=re.IGNORECASE)
        said = words(text)
        found: list[tuple[str, tuple[str, ...]]] = []
        i = 0
        while i < len(said):
            for size in range(min(self._longest, len(said) - i), 0, -1):
                phrase = said[i : i + size]
                hedge = phrase[-1] in _HEDGES and said[i + size : i + size + 1] == ("of",)
                if (response := self._phrases.get(phrase)) and not hedge:
                    reach = _NEGATION_REACH.get(response, 0)
                    negated = any(w in NEGATIONS for w in said[max(0, i - reach) : i])
                    # "didn't even smile": a warm word not done is a bid missed;
                    # "not rude, just in her own world": a hostile word not done.
                    if not negated:
                        found.append((response, phrase))
                    elif response == TOWARD:
                        found.append((AWAY, phrase))
                    i += size
                    break
            else:
                i += 1
        return found

    def classify(self, text: str, names: Iterable[str] = ()) -> str | None:
        """Return the one response the words name, or None.

        Hostile words outweigh missed ones ("got defensive and snippy" is
        against); warm words with cold ones ("was busy but listened") are not
        clear enough to log.
        """
        named = {response for response, _ in self.found(text, names)}
        if named == {AWAY, AGAINST}:
            return AGAINST
        return next(iter(named)) if len(named) == 1 else None


# Words between who and how they feel: "Maya is really let down".
BETWEEN = frozenset(
    {"is", "was", "am", "are", "feels", "felt", "feel", "got", "gets", "seems", "has",
     "been", "really", "so", "very", "pretty", "a", "bit", "still", "quite", "properly",
     "well", "feeling", "the", "one", "who", "whos", "that", "thats", "kind", "of"}
)  # fmt: skip
# What the speaker calls the other partner.
SUBJECTS_OTHER = frozenset({"he", "she", "they"})


def hurt_subject(text: str, hurt: frozenset[tuple[str, ...]]) -> str | None:
    """Return who the words say is hurt ("Jordan is hurt", "I'm gutted"), if one is.

    The word before the feeling, past "is", "really" and the like: "i", "im"
    (the speaker), "he", "she" (the other partner), or a word that may be a
    name, perhaps with "s" ("mayas" from "Maya's").
    """
    said = words(text)
    longest = max((len(p) for p in hurt), default=0)
    for i in range(1, len(said)):
        if not any(said[i : i + size] in hurt for size in range(1, longest + 1)):
            continue
        j = i - 1
        while j > 0 and said[j] in BETWEEN:
            j -= 1
        return {"im": "i", "hes": "he", "shes": "she", "theyre": "they"}.get(said[j], said[j])
    return None
