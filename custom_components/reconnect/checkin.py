"""The nightly check-in as a pure state machine.

Order: each partner rates how connected they felt (1-5); a partner whose
rupture someone else marked as repaired is asked whether it feels repaired for
them; then tonight's question, then an invitation to share an appreciation,
then a warm close. The very first check-in opens by saying, once, what
Reconnect keeps and who can read it.
Every step returns what to say (a phrase key and its placeholders) and what to
record; the Home Assistant glue does the speaking and the recording. Nothing
here knows about HA, and no wording lives here: keys map to sentences/en.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
import re

from .journal import MAX_RATING, MIN_RATING, PARTNERS

# A prompt is not asked again within this many days (the deck is larger).
PROMPT_REST_DAYS = 14

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_NUMBER = re.compile(r"\b(" + "|".join([*NUMBER_WORDS, r"\d+"]) + r")\b")


class Stage(StrEnum):
    """Where the dialogue is."""

    RATING = "rating"
    # "Does it feel repaired for you?", to a partner who raised a rupture.
    REPAIR_SAY = "repair_say"
    APPRECIATION = "appreciation"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Say:
    """A phrase to speak: a key in the responses, with its placeholders."""

    key: str
    values: Mapping[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rating:
    """Record a partner's rating."""

    partner: str
    rating: int


@dataclass(frozen=True, slots=True)
class Appreciation:
    """Record an appreciation, by the speaker if known."""

    partner: str | None
    text: str


@dataclass(frozen=True, slots=True)
class RepairSay:
    """Record whether a repair feels like one to the partner who raised the rupture."""

    partner: str
    repaired: bool


type Record = Rating | Appreciation | RepairSay


@dataclass(frozen=True, slots=True)
class Turn:
    """The result of one step.

    `ack` is said first; `ask` is the next question (asked through the
    satellite when it can listen again); `listen` says whether to open the
    microphone for it.
    """

    ack: Sequence[Say]
    ask: Sequence[Say] = ()
    records: Sequence[Record] = ()
    listen: bool = True

    @property
    def finished(self) -> bool:
        """Tell whether the check-in is over after this turn."""
        return not self.ask


def parse_rating(text: str) -> int | None:
    """Read the number in "four", "a 4", "I'd say four out of five"; None if none."""
    words = _NUMBER.findall(text.casefold())
    if not words:
        return None
    # "four out of five": the first number is the answer.
    first = words[0]
    return NUMBER_WORDS[first] if first in NUMBER_WORDS else int(first)


def pick_prompt(deck: Sequence[str], used: Mapping[str, date], today: date) -> str:
    """Choose the least recently asked prompt, never one asked in the last 14 days."""
    rested = [p for p in deck if p not in used or (today - used[p]).days >= PROMPT_REST_DAYS]
    pool = rested or list(deck)
    # Never asked first, then oldest; deck order breaks ties, so it is deterministic.
    return min(pool, key=lambda p: (p in used, used.get(p, date.min), deck.index(p)))


@dataclass(slots=True)
class CheckIn:
    """One running check-in of a couple."""

    prompt: str
    started_at: datetime
    order: tuple[str, ...] = PARTNERS
    stage: Stage = Stage.RATING
    index: int = 0
    rated: dict[str, int] = field(default_factory=dict)
    appreciations: int = 0
    # Partners whose say a logged repair waits for, asked after the ratings.
    awaiting: tuple[str, ...] = ()
    # The first check-in says what Reconnect keeps, and who can read it.
    first: bool = False

    @property
    def asking(self) -> str:
        """Return the partner whose rating is asked now."""
        return self.order[self.index]

    @property
    def complete(self) -> bool:
        """Tell whether both partners rated and the dialogue closed normally."""
        return self.stage is Stage.DONE and len(self.rated) == len(self.order)

    def start(self) -> Turn:
        """Greet (the first time, with what is kept) and ask the first partner."""
        return Turn(ack=[Say("greet_first" if self.first else "greet")], ask=[self._ask_rating()])

    def resume(self) -> Turn:
        """Repeat where we are, when someone starts the check-in again."""
        return Turn(ack=[Say("resume")], ask=self._current_ask())

    def answer_rating(self, text: str) -> Turn:
        """Take a spoken rating; out of range gets a kind re-ask and records nothing."""
        if self.stage is not Stage.RATING:
            return Turn(ack=[Say("not_now")], ask=self._current_ask())
        rating = parse_rating(text)
        if rating is None or not MIN_RATING <= rating <= MAX_RATING:
            return Turn(ack=[Say("rating_range")], ask=[self._ask_rating()])
        partner = self.asking
        self.rated[partner] = rating
        return self._advance(
            Say("thanks_rating", {"partner": partner, "rating": rating}), [Rating(partner, rating)]
        )

    def answer_appreciation(self, text: str, speaker: str | None) -> Turn:
        """Take an appreciation and invite another, or "done"."""
        text = text.strip()
        if self.stage is not Stage.APPRECIATION or not text:
            return Turn(ack=[Say("not_now")], ask=self._current_ask())
        self.appreciations += 1
        return Turn(
            ack=[Say("thanks_appreciation")],
            ask=[Say("ask_more_appreciation")],
            records=[Appreciation(speaker, text)],
        )

    def answer_repaired(self, repaired: bool) -> Turn:
        """Take the raiser's say: yes closes the rupture, not yet keeps it open."""
        if self.stage is not Stage.REPAIR_SAY:
            return Turn(ack=[Say("not_now")], ask=self._current_ask())
        partner, self.awaiting = self.awaiting[0], self.awaiting[1:]
        ack = Say("repaired_yes" if repaired else "repaired_not_yet", {"partner": partner})
        return self._after_ratings(ack, [RepairSay(partner, repaired)])

    def skip(self) -> Turn:
        """Skip the current step: a rating is left out, "done" closes the appreciations."""
        if self.stage is Stage.RATING:
            return self._advance(Say("skipped"), [])
        if self.stage is Stage.REPAIR_SAY:
            self.awaiting = self.awaiting[1:]
            return self._after_ratings(Say("skipped"), [])
        self.stage = Stage.DONE
        return Turn(ack=[Say("close")])

    def stop(self) -> Turn:
        """End now; what was said is kept and the check-in counts as partial."""
        self.stage = Stage.DONE
        self.index = len(self.order)
        return Turn(ack=[Say("stopped")])

    def _advance(self, ack: Say, records: list[Record]) -> Turn:
        self.index += 1
        if self.index < len(self.order):
            return Turn(ack=[ack], ask=[self._ask_rating()], records=records)
        self.awaiting = tuple(p for p in self.awaiting if p in self.order)
        return self._after_ratings(ack, records)

    def _after_ratings(self, ack: Say, records: list[Record]) -> Turn:
        if self.awaiting:
            self.stage = Stage.REPAIR_SAY
            return Turn(ack=[ack], ask=[self._ask_repaired()], records=records)
        self.stage = Stage.APPRECIATION
        # The couple talks the question over together: no open microphone.
        return Turn(
            ack=[ack, Say("question", {"prompt": self.prompt})],
            ask=[Say("ask_appreciation")],
            records=records,
            listen=False,
        )

    def _ask_rating(self) -> Say:
        return Say("ask_rating" if self.index == 0 else "ask_rating_next", {"partner": self.asking})

    def _ask_repaired(self) -> Say:
        return Say("ask_repaired", {"partner": self.awaiting[0]})

    def _current_ask(self) -> list[Say]:
        if self.stage is Stage.RATING:
            return [self._ask_rating()]
        if self.stage is Stage.REPAIR_SAY:
            return [self._ask_repaired()]
        return [Say("question", {"prompt": self.prompt}), Say("ask_appreciation")]
