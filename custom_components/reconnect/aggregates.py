"""What the journal keeps current as events come and go, so insights never rescan it.

Pure Python with no Home Assistant imports.

- `DayTotals`: each local day's totals, and cached sums of runs of past days.
- `Trackers`: the last repair, the open ruptures and the check-in streak.
- `Snapshot`: both, as saved with the events, so a load needs no pass over them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from .events import (
    PARTNERS,
    RUPTURE_OR_REPAIR,
    Event,
    EventKind,
    EventRows,
    Session,
    involved,
    not_stored,
)

# A night may be missed without breaking the streak: two check-in days at most
# this many days apart still belong to one streak. Missing a night is not failure.
STREAK_MAX_GAP_DAYS = 2

type Totals = Counter[tuple[str, str]]
type LocalDate = Callable[[datetime], date]


def totals_of(event: Event) -> Totals:
    """Return what one event adds to its day's totals.

    Bids, ruptures and repairs are each one partner's account of what happened:
    "accounts" counts them by who logged them ("-": nobody could tell), so the
    insights can tell a picture drawn by both from one drawn by one.
    """
    p = event.partner or "-"
    match event.kind:
        case EventKind.CHECK_IN:
            return Counter({("check_ins", p): 1, ("rating_sum", p): event.rating or 0})
        case EventKind.BID:
            totals = Counter({("bids", p): 1, (str(event.response), p): 1})
        case EventKind.RUPTURE:
            totals = Counter({("ruptures", p): 1})
        case EventKind.REPAIR:
            # A repair led together is each partner's reaching.
            totals = Counter({("repairs", q): 1 for q in involved(event.partner) or ("-",)})
        case _:
            return Counter({("appreciations", p): 1})
    if not event.auto:
        totals["accounts", event.author or "-"] += 1
    return totals


class DayTotals:
    """Each local day's totals (a stored row until first read), and windows over them.

    The days before today rarely change (logging is about today), so the sums of
    runs of past days are kept until an event lands on one of them.
    """

    __slots__ = ("_days", "_decode", "_past", "_past_end", "local_date")

    def __init__(self, local_date: LocalDate, decode: Callable[[str], Totals] = not_stored) -> None:
        """Start empty; `local_date` gives an instant's day, `decode` reads a stored day row."""
        self.local_date = local_date
        self._decode = decode
        self._days: dict[date, Totals | str] = {}
        # Sums over runs of past days (start, end) -> totals; see window().
        self._past: dict[tuple[int, int], Totals] = {}
        self._past_end = 0

    def reset(self, days: Mapping[date, Totals | str]) -> None:
        """Start again from these days (copied)."""
        self._days = {d: t if isinstance(t, str) else Counter(t) for d, t in days.items()}
        self._past.clear()
        self._past_end = 0

    def rebuild(
        self, rolled: Mapping[date, Totals], events: Iterable[Event], sessions: Iterable[Session]
    ) -> None:
        """Count every day again, from the rolled-up totals, the events and the sessions."""
        self.reset(rolled)
        for event in events:
            self.count(event)
        for session in sessions:
            self.count_session(session)

    def adopt(self, other: DayTotals) -> None:
        """Take another's days (counted elsewhere, in this journal's zone)."""
        self.reset(other.stored())

    def stored(self) -> dict[date, Totals | str]:
        """Return every day, still a row if never read (for the snapshot)."""
        return dict(self._days)

    def get(self, day: date) -> Totals | None:
        """Return a day's totals, decoding a stored row the first time."""
        totals = self._days.get(day)
        if isinstance(totals, str):
            totals = self._days[day] = self._decode(totals)
        return totals

    def day(self, day: date) -> Totals:
        """Return one local day's totals (empty if nothing was logged)."""
        return self.get(day) or Counter()

    def has_check_in(self, day: date) -> bool:
        """Tell whether either partner checked in on a day."""
        totals = self.get(day)
        return totals is not None and any(totals["check_ins", p] for p in PARTNERS)

    def window(self, today: date, days: int) -> Totals:
        """Sum the totals of `today` and the `days - 1` days before it."""
        end = today.toordinal()
        key = (end - days + 1, end)
        past = self._past.get(key)
        if past is None:
            past = Counter()
            for ordinal in range(*key):
                if totals := self.get(date.fromordinal(ordinal)):
                    past.update(totals)
            self._past[key] = past
            self._past_end = max(self._past_end, end)
        total = past.copy()
        if totals := self.get(today):
            total.update(totals)
        return total

    def count(self, event: Event, sign: int = 1) -> None:
        """Add (or, with sign -1, subtract) one event to its day's totals."""
        self.add(self.local_date(event.at), totals_of(event), sign)

    def count_session(self, session: Session) -> None:
        """Count a check-in started by a partner: starting one is a way of reaching."""
        if session.started_by in PARTNERS:
            day = self.local_date(session.started_at)
            self.add(day, {("sessions_started", session.started_by): 1})

    def add(self, day: date, totals: Mapping[tuple[str, str], int], sign: int = 1) -> None:
        """Add (or, with sign -1, subtract) totals to a day's."""
        if day.toordinal() < self._past_end:
            # A past day changed: forget the sums that may include it.
            self._past.clear()
            self._past_end = 0
        counted = self.get(day)
        if counted is None:
            counted = self._days[day] = Counter()
        for key, value in totals.items():
            counted[key] += sign * value
        # Drop zeroed keys so an emptied day really is empty.
        for key in [k for k, v in counted.items() if not v]:
            del counted[key]
        if not counted:
            del self._days[day]


@dataclass(slots=True, kw_only=True)
class Trackers:
    """The running facts insights read at once, kept current on every change."""

    last_repair_at: datetime | None = None
    open_ruptures: int = 0
    oldest_open_rupture_at: datetime | None = None
    last_check_in_at: datetime | None = None
    streak_end: date | None = None
    streak_days: int = 0

    @classmethod
    def recounted(cls, events: EventRows, totals: DayTotals) -> Trackers:
        """Return the trackers found by walking back from the newest events."""
        trackers = cls()
        trackers.recount_ruptures(events)
        trackers.recount_check_ins(events, totals)
        return trackers

    def follow(
        self, changed: Sequence[Event], *, appended: bool, events: EventRows, totals: DayTotals
    ) -> None:
        """Update after a change: step by step if the events were appended, else recount."""
        kinds = {e.kind for e in changed}
        if kinds.intersection(RUPTURE_OR_REPAIR):
            if appended:
                for event in changed:
                    self._rupture_or_repair(event)
            else:
                self.recount_ruptures(events)
        if EventKind.CHECK_IN in kinds:
            if appended:
                for event in changed:
                    if event.kind is EventKind.CHECK_IN:
                        self._check_in(event, totals.local_date(event.at))
            else:
                self.recount_check_ins(events, totals)

    def _rupture_or_repair(self, event: Event) -> None:
        if event.kind is EventKind.REPAIR:
            self.last_repair_at = event.at
            if event.closes:
                self.open_ruptures = 0
                self.oldest_open_rupture_at = None
        elif event.kind is EventKind.RUPTURE:
            self.open_ruptures += 1
            self.oldest_open_rupture_at = self.oldest_open_rupture_at or event.at

    def recount_ruptures(self, events: EventRows) -> None:
        """Walk back to the last repair that closed; only the tail after it matters.

        A repair still waiting for the raiser's say, or that they said has not
        landed yet, is an attempt: it counts as the last repair, and leaves
        the ruptures open.
        """
        self.last_repair_at = None
        self.open_ruptures = 0
        self.oldest_open_rupture_at = None
        index = None
        while (index := events.last_of(*RUPTURE_OR_REPAIR, before=index)) is not None:
            event = events[index]
            if event.kind is EventKind.REPAIR:
                self.last_repair_at = self.last_repair_at or event.at
                if event.closes:
                    break
                continue
            self.open_ruptures += 1
            self.oldest_open_rupture_at = event.at

    def _check_in(self, event: Event, day: date) -> None:
        self.last_check_in_at = event.at
        if self.streak_end is None or (day - self.streak_end).days > STREAK_MAX_GAP_DAYS:
            self.streak_end, self.streak_days = day, 1
        elif day > self.streak_end:
            self.streak_end, self.streak_days = day, self.streak_days + 1

    def recount_check_ins(self, events: EventRows, totals: DayTotals) -> None:
        """Find the last check-in and walk its streak back day by day."""
        self.last_check_in_at = None
        self.streak_end, self.streak_days = None, 0
        index = events.last_of(EventKind.CHECK_IN)
        if index is None:
            return
        last = events[index]
        self.last_check_in_at = last.at
        day = self.streak_end = totals.local_date(last.at)
        self.streak_days, missed = 1, 0
        while missed < STREAK_MAX_GAP_DAYS:
            day = date.fromordinal(day.toordinal() - 1)
            if totals.has_check_in(day):
                self.streak_days, missed = self.streak_days + 1, 0
            else:
                missed += 1


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
    trackers: Trackers

    def fits(self, events: int, next_id: int, time_zone: str) -> bool:
        """Tell whether these aggregates belong to a journal of this size, next id and zone."""
        return (self.events, self.next_id, self.time_zone) == (events, next_id, time_zone)
