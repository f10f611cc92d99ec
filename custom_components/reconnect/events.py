"""What the journal holds: events, check-in sessions, and the stored sequence of events.

Pure Python with no Home Assistant imports. Partners are the keys "a" and "b".
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from operator import attrgetter
from typing import NoReturn, overload

PARTNERS = ("a", "b")
# A repair the two partners led together ("both of us"): an initiator, never an author.
BOTH = "both"


class EventKind(StrEnum):
    """What happened."""

    CHECK_IN = "check_in"
    BID = "bid"
    RUPTURE = "rupture"
    REPAIR = "repair"
    APPRECIATION = "appreciation"


RUPTURE_OR_REPAIR = (EventKind.RUPTURE, EventKind.REPAIR)


class Response(StrEnum):
    """How the other partner answered a bid (Gottman)."""

    TOWARD = "toward"
    AWAY = "away"
    AGAINST = "against"


def other(partner: str) -> str:
    """Return the other partner's key."""
    return "b" if partner == "a" else "a"


def involved(partner: str | None) -> tuple[str, ...]:
    """Return the partners an event's `partner` stands for (both, for a shared repair)."""
    if partner == BOTH:
        return PARTNERS
    return (partner,) if partner in PARTNERS else ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """One logged moment.

    `partner` is who checked in, who bid, who led a repair (or BOTH), or, for a
    rupture, who is hurt (never who started it). `author` is who logged it:
    "a", "b", or None when nobody could tell (a shared speaker, an automation).
    """

    id: int
    kind: EventKind
    at: datetime
    partner: str | None = None
    rating: int | None = None
    response: Response | None = None
    text: str | None = None
    # Opened by a rule (a turned-against bid, a low rating), not by a person.
    auto: bool = False
    author: str | None = None
    # A repair logged while a rupture another partner raised was open waits for
    # that partner's say (`awaits`) before it closes anything; `held_open`: they
    # said it does not feel repaired yet.
    awaits: str | None = None
    held_open: bool = False

    @property
    def closes(self) -> bool:
        """Tell whether this repair closes the open ruptures."""
        return self.awaits is None and not self.held_open

    def sort_key(self) -> tuple[datetime, int]:
        """Order events by time, then by logging order."""
        return (self.at, self.id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Removal:
    """The trace an undone or removed entry leaves: what, when, by whom; never its text."""

    kind: EventKind
    at: datetime  # when the removed entry happened
    removed_at: datetime
    removed_by: str | None  # "a", "b", or None (unknown, an automation, an admin)
    author: str | None  # who had logged it


@dataclass(frozen=True, slots=True, kw_only=True)
class Session:
    """One nightly check-in: when it ran and whether it was finished."""

    started_at: datetime
    ended_at: datetime
    complete: bool
    # Who asked for the check-in, when known: starting one is a way of reaching.
    started_by: str | None = None


def not_stored(row: str) -> NoReturn:
    """Refuse a stored row where none was expected."""
    raise TypeError("this journal holds no stored rows")


class EventRows(Sequence[Event]):
    """Events in time order, each kept as its stored row until something reads it.

    Ten years of history then load as one list of strings; undo and the trackers
    read only the rows they need. `head` reads a row's id and kind without
    decoding the rest.
    """

    __slots__ = ("_decode", "_head", "_items")

    def __init__(
        self,
        items: Iterable[Event | str] = (),
        decode: Callable[[str], Event] = not_stored,
        head: Callable[[str], tuple[int, EventKind]] = not_stored,
    ) -> None:
        """Hold events and rows (rows need `decode` and `head`)."""
        self._items: list[Event | str] = list(items)
        self._decode = decode
        self._head = head

    def __len__(self) -> int:
        """Count the events."""
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> list[Event]: ...
    def __getitem__(self, index: int | slice) -> Event | list[Event]:
        """Return an event, decoding its row the first time."""
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._items)))]
        item = self._items[index]
        if isinstance(item, str):
            item = self._items[index] = self._decode(item)
        return item

    def __eq__(self, other: object) -> bool:
        """Compare events with another sequence of events."""
        if isinstance(other, EventRows | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __iter__(self) -> Iterator[Event]:
        """Read every event, oldest first."""
        return (self[i] for i in range(len(self._items)))

    def peek(self, index: int) -> Event:
        """Return an event without keeping its row decoded (see `uncached`)."""
        item = self._items[index]
        return self._decode(item) if isinstance(item, str) else item

    def uncached(self) -> Iterator[Event]:
        """Read every event, oldest first, without keeping the rows decoded.

        For work over every row: 100,000 decoded events kept in memory, even
        for a moment, make a full garbage collection that lands then walk them
        (a loop stall of 30-90 ms measured); undecoded rows are strings, which
        it skips, and an event read and dropped is freed at once.
        """
        decode = self._decode
        return (decode(item) if isinstance(item, str) else item for item in self._items)

    def __reversed__(self) -> Iterator[Event]:
        """Read events newest first (most readers stop after a few)."""
        return (self[i] for i in range(len(self._items) - 1, -1, -1))

    def copy(self, end: int | None = None) -> EventRows:
        """Return a copy (of the events before `end`) that a worker thread may read.

        Only the list is copied: events and rows are immutable, and decoding
        the copy's rows fills the copy alone.
        """
        return EventRows(self._items[:end], self._decode, self._head)

    def id_at(self, index: int) -> int:
        """Return an event's id without decoding its row."""
        item = self._items[index]
        return self._head(item)[0] if isinstance(item, str) else item.id

    def kind_at(self, index: int) -> EventKind:
        """Return an event's kind without decoding its row."""
        item = self._items[index]
        return self._head(item)[1] if isinstance(item, str) else item.kind

    def last_of(self, *kinds: EventKind, before: int | None = None) -> int | None:
        """Return the position of the newest event of these kinds (before a position)."""
        start = len(self._items) if before is None else before
        for index in range(start - 1, -1, -1):
            if self.kind_at(index) in kinds:
                return index
        return None

    def index_of_id(self, ident: int) -> int | None:
        """Find an event by id, searching from the newest."""
        for index in range(len(self._items) - 1, -1, -1):
            if self.id_at(index) == ident:
                return index
        return None

    def last_at(self, kind: EventKind, at: datetime | None) -> int | None:
        """Return the position of the newest event of a kind, known to have happened `at`.

        A search by time, then a short walk back: never a scan of years of rows.
        """
        if at is None:
            return None
        return self.last_of(kind, before=bisect_right(self, at, key=attrgetter("at")))

    def replace(self, index: int, event: Event) -> None:
        """Put an event in place of the one at a position (same id and time)."""
        self._items[index] = event

    def stored(self) -> Iterator[Event | str]:
        """Yield each event, or its row if it was never read (for saving)."""
        return iter(self._items)

    def replace_start(self, end: int, items: list[Event | str]) -> None:
        """Replace the events before position `end` (roll-up keeps a few of them)."""
        self._items[:end] = items

    def insert(self, index: int, event: Event) -> None:
        """Insert an event at a position (bisect.insort uses this)."""
        self._items.insert(index, event)

    def append(self, event: Event) -> None:
        """Add the newest event."""
        self._items.append(event)

    def pop(self, index: int) -> Event:
        """Remove and return the event at a position."""
        event = self[index]
        del self._items[index]
        return event

    def clear(self) -> None:
        """Remove every event."""
        self._items.clear()
