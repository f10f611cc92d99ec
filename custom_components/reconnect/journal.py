"""The couple's journal: events, validation and incremental aggregates.

Pure Python with no Home Assistant imports, so the domain rules can be read and
tested on their own. Partners are the keys "a" and "b"; their names live in the
config entry, so renaming a partner never touches history.

Aggregates are kept per local day (in the couple's time zone) and updated on each
event, so logging stays O(1) however many years of history there are. Insights
then sum a handful of day buckets instead of rescanning the journal.

Loading is O(days), not O(events): the store saves the aggregates with the
events (a `Snapshot`), and events stay stored rows (`EventRows`) until something
reads them, which is usually only the newest few.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from enum import StrEnum
from operator import attrgetter
from typing import NoReturn, overload

PARTNERS = ("a", "b")
MAX_TEXT_LENGTH = 500
MIN_RATING = 1
MAX_RATING = 5
# A night may be missed without breaking the streak: two check-in days at most
# this many days apart still belong to one streak. Missing a night is not failure.
STREAK_MAX_GAP_DAYS = 2
# A check-in rating at or below this opens a rupture when auto-rupture is on.
LOW_RATING = 2


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


class JournalError(ValueError):
    """A rejected input; `key` names the translated message."""

    def __init__(self, key: str, **placeholders: str) -> None:
        """Remember the translation key and its placeholders."""
        super().__init__(key)
        self.key = key
        self.placeholders = placeholders


def _totals_of(event: Event) -> Counter[tuple[str, str]]:
    """Return what one event adds to its day's totals."""
    p = event.partner or "-"
    match event.kind:
        case EventKind.CHECK_IN:
            return Counter({("check_ins", p): 1, ("rating_sum", p): event.rating or 0})
        case EventKind.BID:
            return Counter({("bids", p): 1, (str(event.response), p): 1})
        case EventKind.RUPTURE:
            return Counter({("ruptures", p): 1})
        case EventKind.REPAIR:
            return Counter({("repairs", p): 1})
        case _:
            return Counter({("appreciations", p): 1})


def other(partner: str) -> str:
    """Return the other partner's key."""
    return "b" if partner == "a" else "a"


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """One logged moment. `partner` is who checked in, bid, raised or repaired."""

    id: int
    kind: EventKind
    at: datetime
    partner: str | None = None
    rating: int | None = None
    response: Response | None = None
    text: str | None = None
    # Opened by a rule (a turned-against bid, a low rating), not by a person.
    auto: bool = False

    def sort_key(self) -> tuple[datetime, int]:
        """Order events by time, then by logging order."""
        return (self.at, self.id)


@dataclass(frozen=True, slots=True, kw_only=True)
class Session:
    """One nightly check-in: when it ran and whether it was finished."""

    started_at: datetime
    ended_at: datetime
    complete: bool
    # Who asked for the check-in, when known: starting one is a way of reaching.
    started_by: str | None = None


@dataclass(frozen=True, slots=True)
class Couple:
    """The two partners' display names, matched case-insensitively."""

    name_a: str
    name_b: str

    def name(self, partner: str) -> str:
        """Return a partner's display name."""
        return self.name_a if partner == "a" else self.name_b

    def resolve(self, name: str) -> str:
        """Return the key of the partner called `name`."""
        wanted = name.strip().casefold()
        for key in PARTNERS:
            if self.name(key).casefold() == wanted:
                return key
        raise JournalError("unknown_partner", name=name)


def _check_text(text: str | None) -> str | None:
    """Normalise optional free text and enforce its length limit."""
    if text is None:
        return None
    text = text.strip()
    if len(text) > MAX_TEXT_LENGTH:
        raise JournalError("text_too_long", max=str(MAX_TEXT_LENGTH))
    return text or None


def _check_partner(partner: str | None, *, optional: bool = False) -> str | None:
    if partner is None and optional:
        return None
    if partner not in PARTNERS:
        raise JournalError("unknown_partner", name=str(partner))
    return partner


type Totals = Counter[tuple[str, str]]


def _not_stored(row: str) -> NoReturn:
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
        decode: Callable[[str], Event] = _not_stored,
        head: Callable[[str], tuple[int, EventKind]] = _not_stored,
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

    def __reversed__(self) -> Iterator[Event]:
        """Read events newest first (most readers stop after a few)."""
        return (self[i] for i in range(len(self._items) - 1, -1, -1))

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

    def newest(self, below: int) -> int:
        """Return the position of the highest id (ids count up, all under `below`).

        Searching from the end, it usually stops at once: the last logged entry
        is the last one in time unless it was backdated.
        """
        best, best_id = 0, -1
        for index in range(len(self._items) - 1, -1, -1):
            ident = self.id_at(index)
            if ident > best_id:
                best, best_id = index, ident
                if ident == below - 1:
                    break
        return best

    def index_of_id(self, ident: int) -> int | None:
        """Find an event by id, searching from the newest."""
        for index in range(len(self._items) - 1, -1, -1):
            if self.id_at(index) == ident:
                return index
        return None

    def stored(self) -> Iterator[Event | str]:
        """Yield each event, or its row if it was never read (for saving)."""
        return iter(self._items)

    def replace_start(self, end: int, events: list[Event]) -> None:
        """Replace the events before position `end` (roll-up keeps a few of them)."""
        self._items[:end] = events

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


@dataclass(slots=True, kw_only=True)
class Snapshot:
    """The aggregates saved with the events, so loading needs no pass over them.

    It is used only if it matches: the same zone, event count and next id.
    Day totals may be stored rows too, decoded when a day is first read.
    """

    time_zone: str
    events: int
    next_id: int
    days: dict[date, Totals | str]
    last_repair_at: datetime | None
    open_ruptures: int
    oldest_open_rupture_at: datetime | None
    last_check_in_at: datetime | None
    streak_end: date | None
    streak_days: int


class Journal:
    """All events of one couple plus the aggregates insights are computed from."""

    # Running trackers, kept current on every change.
    last_repair_at: datetime | None
    open_ruptures: int
    oldest_open_rupture_at: datetime | None
    last_check_in_at: datetime | None
    streak_end: date | None
    streak_days: int
    # Local day -> totals; a stored row until the day is first read.
    _days: dict[date, Totals | str]

    def __init__(
        self,
        tz: tzinfo,
        events: Iterable[Event] = (),
        next_id: int = 1,
        *,
        sessions: Iterable[Session] = (),
        prompts_used: dict[str, date] | None = None,
        rolled: dict[date, Counter[tuple[str, str]]] | None = None,
        snapshot: Snapshot | None = None,
        decode_totals: Callable[[str], Totals] = _not_stored,
    ) -> None:
        """Load events and build the aggregates once, or take them from a snapshot.

        Events may come in any order, except `EventRows`, which are in time order.
        """
        self._tz = tz
        self._decode_totals = decode_totals
        # Sums over runs of past days (start, end) -> totals; see window().
        self._past: dict[tuple[int, int], Totals] = {}
        self._past_end = 0
        # Day totals of events rolled up out of the raw journal (see roll_up).
        self.rolled: dict[date, Counter[tuple[str, str]]] = {
            day: Counter(totals) for day, totals in (rolled or {}).items()
        }
        self.sessions: list[Session] = list(sessions)
        # When each nightly prompt was last asked, so prompts rotate.
        self.prompts_used: dict[str, date] = dict(prompts_used or {})
        # Reminders: the last day one was sent, and a snooze.
        self.last_reminder: date | None = None
        self.snoozed_until: date | None = None
        if not isinstance(events, EventRows):
            ordered: list[Event] = sorted(events, key=Event.sort_key)
            events = EventRows(ordered)
        self._events = events
        if (
            snapshot is not None
            and snapshot.events == len(self._events)
            and (snapshot.next_id == next_id and snapshot.time_zone == self.time_zone_name)
        ):
            self.next_id = self._ids_below = next_id
            self._restore(snapshot)
            return
        # Without usable aggregates every event is read: check the order too.
        ordered = sorted(self._events, key=Event.sort_key)
        self._events = EventRows(ordered)
        self.next_id = max([next_id, *(e.id + 1 for e in self._events)])
        # Every id is below this; undo searches for the highest from here.
        self._ids_below = self.next_id
        self._rebuild()

    def snapshot(self) -> Snapshot:
        """Return the aggregates to save with the events."""
        return Snapshot(
            time_zone=self.time_zone_name,
            events=len(self._events),
            next_id=self.next_id,
            days=dict(self._days),
            last_repair_at=self.last_repair_at,
            open_ruptures=self.open_ruptures,
            oldest_open_rupture_at=self.oldest_open_rupture_at,
            last_check_in_at=self.last_check_in_at,
            streak_end=self.streak_end,
            streak_days=self.streak_days,
        )

    def _restore(self, snapshot: Snapshot) -> None:
        self._days = dict(snapshot.days)
        self.last_repair_at = snapshot.last_repair_at
        self.open_ruptures = snapshot.open_ruptures
        self.oldest_open_rupture_at = snapshot.oldest_open_rupture_at
        self.last_check_in_at = snapshot.last_check_in_at
        self.streak_end = snapshot.streak_end
        self.streak_days = snapshot.streak_days

    # ----- reading -----

    @property
    def events(self) -> EventRows:
        """Return every event, oldest first."""
        return self._events

    @property
    def time_zone_name(self) -> str:
        """Name the zone that defines the couple's days."""
        return str(self._tz)

    def local_date(self, moment: datetime) -> date:
        """Return the couple's calendar day of an instant."""
        return moment.astimezone(self._tz).date()

    def day(self, day: date) -> Counter[tuple[str, str]]:
        """Return one local day's totals (empty if nothing was logged)."""
        return self._totals(day) or Counter()

    def _totals(self, day: date) -> Totals | None:
        """Return a day's totals, decoding a stored row the first time."""
        totals = self._days.get(day)
        if isinstance(totals, str):
            totals = self._days[day] = self._decode_totals(totals)
        return totals

    # ----- logging -----

    def log_check_in(
        self,
        partner: str,
        rating: int,
        appreciation: str | None = None,
        *,
        at: datetime,
        now: datetime,
        auto_rupture: bool = False,
    ) -> list[Event]:
        """Record a partner's nightly rating; a low one may open a rupture."""
        _check_partner(partner)
        if isinstance(rating, bool) or not isinstance(rating, int):
            raise JournalError("rating_out_of_range")
        if not MIN_RATING <= rating <= MAX_RATING:
            raise JournalError("rating_out_of_range")
        text = _check_text(appreciation)
        self._check_time(at, now)
        events = [self._new(EventKind.CHECK_IN, at, partner, rating=rating, text=text)]
        if auto_rupture and rating <= LOW_RATING and not self.open_ruptures:
            events.append(self._new(EventKind.RUPTURE, at, partner, auto=True))
        return self._add_all(events)

    def log_bid(
        self,
        bidder: str,
        response: str,
        note: str | None = None,
        *,
        at: datetime,
        now: datetime,
        auto_rupture: bool = False,
    ) -> list[Event]:
        """Record a bid and how the other partner turned; against may open a rupture."""
        _check_partner(bidder)
        try:
            answer = Response(response)
        except ValueError:
            raise JournalError("unknown_response", response=str(response)) from None
        text = _check_text(note)
        self._check_time(at, now)
        events = [self._new(EventKind.BID, at, bidder, response=answer, text=text)]
        if auto_rupture and answer is Response.AGAINST and not self.open_ruptures:
            events.append(self._new(EventKind.RUPTURE, at, bidder, auto=True))
        return self._add_all(events)

    def log_rupture(
        self,
        partner: str | None = None,
        note: str | None = None,
        *,
        at: datetime,
        now: datetime,
    ) -> list[Event]:
        """Record a fight, a hurt or a disconnect, optionally with who raised it."""
        _check_partner(partner, optional=True)
        text = _check_text(note)
        self._check_time(at, now)
        return self._add_all([self._new(EventKind.RUPTURE, at, partner, text=text)])

    def log_repair(
        self,
        initiator: str,
        note: str | None = None,
        *,
        at: datetime,
        now: datetime,
    ) -> list[Event]:
        """Record an attempt to reconnect and who led it."""
        _check_partner(initiator)
        text = _check_text(note)
        self._check_time(at, now)
        return self._add_all([self._new(EventKind.REPAIR, at, initiator, text=text)])

    def log_appreciation(
        self, partner: str | None, text: str, *, at: datetime, now: datetime
    ) -> list[Event]:
        """Record something one partner appreciated (who, if known)."""
        _check_partner(partner, optional=True)
        clean = _check_text(text)
        if clean is None:
            raise JournalError("text_empty")
        self._check_time(at, now)
        return self._add_all([self._new(EventKind.APPRECIATION, at, partner, text=clean)])

    def record_session(self, session: Session) -> None:
        """Remember a finished or partial check-in."""
        self.sessions.append(session)
        self._count_session(session)

    def window(self, today: date, days: int) -> Counter[tuple[str, str]]:
        """Sum the day totals of `today` and the `days - 1` days before it.

        The days before `today` rarely change (logging is about today), so their
        sum is kept until an event lands on one of them.
        """
        end = today.toordinal()
        key = (end - days + 1, end)
        past = self._past.get(key)
        if past is None:
            past = Counter()
            for ordinal in range(*key):
                if totals := self._totals(date.fromordinal(ordinal)):
                    past.update(totals)
            self._past[key] = past
            self._past_end = max(self._past_end, end)
        total = past.copy()
        if totals := self._totals(today):
            total.update(totals)
        return total

    def undo_last(self) -> list[Event]:
        """Remove the newest logged event and the rupture it opened automatically."""
        events = self._events
        if not events:
            raise JournalError("nothing_to_undo")
        newest = events.newest(below=self._ids_below)
        removed = [events.pop(newest)]
        if removed[0].auto:
            # An automatic rupture is logged right after the event that opened it.
            opener = events.index_of_id(removed[0].id - 1)
            if opener is not None:
                removed.append(events.pop(opener))
        for event in removed:
            self._count(event, -1)
        # Every id left is lower, so the next undo stops at once if ids run on.
        self._ids_below = min(e.id for e in removed)
        self._after_change(removed, appended=False)
        return removed

    def roll_up(self, before: date) -> int:
        """Keep only day totals for events of local days before `before`; return how many.

        Insights read day totals, so they stay the same. Events the running
        trackers may need again (the last repair and all after it, the last
        check-in) always stay raw.
        """
        events = self._events
        # Events are in time order: find the first of a local day on or after
        # `before` (reading a few rows), then settle it by the local date itself.
        end = bisect_left(
            events, datetime.combine(before, time.min, self._tz), key=attrgetter("at")
        )
        while end < len(events) and self.local_date(events[end].at) < before:
            end += 1
        while end and self.local_date(events[end - 1].at) >= before:
            end -= 1
        repair = events.last_of(EventKind.REPAIR)
        check_in = events.last_of(EventKind.CHECK_IN)
        kept: list[Event] = []
        moved = 0
        for index in range(end):
            event = events[index]
            if index == check_in or (repair is not None and index >= repair):
                kept.append(event)
            else:
                day = self.local_date(event.at)
                self.rolled.setdefault(day, Counter()).update(_totals_of(event))
                moved += 1
        events.replace_start(end, kept)
        return moved

    def forget(self) -> None:
        """Wipe everything the couple logged (ids keep counting, so none is reused)."""
        self.rolled.clear()
        self._events.clear()
        self.sessions.clear()
        self.prompts_used.clear()
        self.last_reminder = self.snoozed_until = None
        self._rebuild()

    def set_time_zone(self, tz: tzinfo) -> None:
        """Re-bucket every event into the new zone's local days."""
        if tz != self._tz:
            self._tz = tz
            self._rebuild()

    # ----- internals -----

    def _check_time(self, at: datetime, now: datetime) -> None:
        if at.tzinfo is None:
            raise JournalError("naive_timestamp")
        if at > now:
            raise JournalError("future_timestamp")

    def _new(self, kind: EventKind, at: datetime, partner: str | None, **fields: object) -> Event:
        # Whole seconds: what is stored is exactly what is in memory.
        at = at.replace(microsecond=0)
        event = Event(id=self.next_id, kind=kind, at=at, partner=partner, **fields)  # type: ignore[arg-type]
        self.next_id += 1
        self._ids_below = self.next_id
        return event

    def _add_all(self, events: list[Event]) -> list[Event]:
        newest = self._events[-1].sort_key() if self._events else None
        appended = newest is None or events[0].sort_key() > newest
        for event in events:
            if appended:
                self._events.append(event)
            else:
                at = bisect_right(self._events, event.sort_key(), key=Event.sort_key)
                self._events.insert(at, event)
            self._count(event, +1)
        self._after_change(events, appended=appended)
        return events

    def _count(self, event: Event, sign: int) -> None:
        """Add (or, with sign -1, subtract) one event from its day's totals."""
        day = self.local_date(event.at)
        self._changed(day)
        totals = self._totals(day)
        if totals is None:
            totals = self._days[day] = Counter()
        for key, value in _totals_of(event).items():
            totals[key] += sign * value
        # Drop zeroed keys so an emptied day really is empty.
        for key in [k for k, v in totals.items() if not v]:
            del totals[key]
        if not totals:
            del self._days[day]

    def _count_session(self, session: Session) -> None:
        if session.started_by in PARTNERS:
            day = self.local_date(session.started_at)
            self._changed(day)
            totals = self._totals(day)
            if totals is None:
                totals = self._days[day] = Counter()
            totals["sessions_started", session.started_by] += 1

    def _changed(self, day: date) -> None:
        """Forget the sums of past days if this day is one of them."""
        if day.toordinal() < self._past_end:
            self._past.clear()
            self._past_end = 0

    def _after_change(self, events: Sequence[Event], *, appended: bool) -> None:
        """Update the running trackers, cheaply when events were appended."""
        kinds = {e.kind for e in events}
        if kinds & {EventKind.RUPTURE, EventKind.REPAIR}:
            if appended:
                for event in events:
                    self._track_rupture_or_repair(event)
            else:
                self._recount_ruptures()
        if EventKind.CHECK_IN in kinds:
            check_ins = [e for e in events if e.kind is EventKind.CHECK_IN]
            if appended:
                for event in check_ins:
                    self._track_check_in(event)
            else:
                self._recount_check_ins()

    def _track_rupture_or_repair(self, event: Event) -> None:
        if event.kind is EventKind.REPAIR:
            self.last_repair_at = event.at
            self.open_ruptures = 0
            self.oldest_open_rupture_at = None
        elif event.kind is EventKind.RUPTURE:
            self.open_ruptures += 1
            self.oldest_open_rupture_at = self.oldest_open_rupture_at or event.at

    def _recount_ruptures(self) -> None:
        """Walk back to the last repair; only the tail after it matters."""
        self.last_repair_at = None
        self.open_ruptures = 0
        self.oldest_open_rupture_at = None
        index = None
        while (index := self._events.last_of(*RUPTURE_OR_REPAIR, before=index)) is not None:
            event = self._events[index]
            if event.kind is EventKind.REPAIR:
                self.last_repair_at = event.at
                break
            self.open_ruptures += 1
            self.oldest_open_rupture_at = event.at

    def _track_check_in(self, event: Event) -> None:
        self.last_check_in_at = event.at
        day = self.local_date(event.at)
        if self.streak_end is None or (day - self.streak_end).days > STREAK_MAX_GAP_DAYS:
            self.streak_end, self.streak_days = day, 1
        elif day > self.streak_end:
            self.streak_end, self.streak_days = day, self.streak_days + 1

    def _recount_check_ins(self) -> None:
        """Find the last check-in and walk its streak back day by day."""
        self.last_check_in_at = None
        self.streak_end, self.streak_days = None, 0
        index = self._events.last_of(EventKind.CHECK_IN)
        if index is None:
            return
        last = self._events[index]
        self.last_check_in_at = last.at
        day = self.streak_end = self.local_date(last.at)
        self.streak_days, missed = 1, 0
        while missed < STREAK_MAX_GAP_DAYS:
            day = date.fromordinal(day.toordinal() - 1)
            if self._has_check_in(day):
                self.streak_days, missed = self.streak_days + 1, 0
            else:
                missed += 1

    def _has_check_in(self, day: date) -> bool:
        totals = self._totals(day)
        return totals is not None and any(totals["check_ins", p] for p in PARTNERS)

    def _rebuild(self) -> None:
        self._past.clear()
        self._past_end = 0
        self._days = {day: Counter(totals) for day, totals in self.rolled.items()}
        for event in self._events:
            self._count(event, +1)
        for session in self.sessions:
            self._count_session(session)
        self._recount_ruptures()
        self._recount_check_ins()
