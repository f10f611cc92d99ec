"""The couple's journal: the event log, its validation, and the aggregates it keeps current.

Pure Python with no Home Assistant imports, so the domain rules can be read and
tested on their own. Partners are the keys "a" and "b"; their names live in the
config entry, so renaming a partner never touches history.

Aggregates are kept per local day (in the couple's time zone) and updated on each
event, so logging stays O(1) however many years of history there are. Insights
then sum a handful of day buckets instead of rescanning the journal.

Loading is O(days), not O(events): the store saves the aggregates with the
events (a `Snapshot`), and events stay stored rows (`EventRows`) until something
reads them, which is usually only the newest few.

The journal also carries the couple's state that is not events (state.py):
the check-in history, which feeds the day totals, and the reminder state.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Final

from .aggregates import STREAK_MAX_GAP_DAYS, DayTotals, Snapshot, Totals, Trackers
from .events import (
    BOTH,
    PARTNERS,
    RUPTURE_OR_REPAIR,
    Event,
    EventKind,
    EventRows,
    Removal,
    Response,
    Session,
    not_stored,
    other,
)
from .rollup import Rezone, RollUp
from .state import CheckInHistory, ReminderState

__all__ = [
    "BOTH",
    "MAX_RATING",
    "MAX_TEXT_LENGTH",
    "MIN_RATING",
    "PARTNERS",
    "STREAK_MAX_GAP_DAYS",
    "Couple",
    "Event",
    "EventKind",
    "Journal",
    "JournalError",
    "Removal",
    "Response",
    "Session",
    "other",
]

MAX_TEXT_LENGTH = 500
MIN_RATING = 1
MAX_RATING = 5
# A check-in rating at or below this opens a rupture when auto-rupture is on.
LOW_RATING = 2
# Undo takes back only the entry logged last, and only this soon after: it is
# for a slip of the tongue, never a way back through the history.
UNDO_WINDOW = timedelta(minutes=10)


class JournalError(ValueError):
    """A rejected input; `key` names the translated message."""

    def __init__(self, key: str, **placeholders: str) -> None:
        """Remember the translation key and its placeholders."""
        super().__init__(key)
        self.key = key
        self.placeholders = placeholders


@dataclass(frozen=True, slots=True)
class Couple:
    """The two partners' display names and spoken aliases, matched case-insensitively.

    An alias is another word a partner is called by: a nickname, or how
    speech-to-text writes the name ("Maia" for "Maya"). Only the display name is
    ever spoken back.
    """

    name_a: str
    name_b: str
    aliases_a: tuple[str, ...] = ()
    aliases_b: tuple[str, ...] = ()

    def name(self, partner: str) -> str:
        """Return a partner's display name."""
        return self.name_a if partner == "a" else self.name_b

    def aliases(self, partner: str) -> tuple[str, ...]:
        """Return a partner's spoken aliases."""
        return self.aliases_a if partner == "a" else self.aliases_b

    def spoken(self, partner: str) -> tuple[str, ...]:
        """Return every way a partner may be called: the name first, then the aliases."""
        return (self.name(partner), *self.aliases(partner))

    def name_of(self, partner: str) -> str:
        """Return a partner's display name, or both names for a repair led together."""
        if partner == BOTH:
            return f"{self.name_a} & {self.name_b}"
        return self.name(partner)

    def resolve(self, name: str) -> str:
        """Return the key of the partner called `name` (by name, else by alias)."""
        wanted = name.strip().casefold()
        # Names before aliases: a rename may make one partner's name another's alias.
        for key in PARTNERS:
            if self.name(key).strip().casefold() == wanted:
                return key
        for key in PARTNERS:
            if any(alias.strip().casefold() == wanted for alias in self.aliases(key)):
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


def _check_partner(
    partner: str | None, *, optional: bool = False, both: bool = False
) -> str | None:
    if partner is None and optional:
        return None
    if partner not in PARTNERS and not (both and partner == BOTH):
        raise JournalError("unknown_partner", name=str(partner))
    return partner


def _check_rating(rating: int) -> int:
    if isinstance(rating, bool) or not isinstance(rating, int):
        raise JournalError("rating_out_of_range")
    if not MIN_RATING <= rating <= MAX_RATING:
        raise JournalError("rating_out_of_range")
    return rating


def _check_response(response: str) -> Response:
    try:
        return Response(response)
    except ValueError:
        raise JournalError("unknown_response", response=str(response)) from None


def _in_order(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=Event.sort_key)


def _check_time(at: datetime, now: datetime) -> None:
    if at.tzinfo is None:
        raise JournalError("naive_timestamp")
    if at > now:
        raise JournalError("future_timestamp")


class Journal:
    """One couple's event log: validated logging and undo, with its aggregates kept current."""

    def __init__(
        self,
        tz: tzinfo,
        events: Iterable[Event] = (),
        next_id: int = 1,
        *,
        sessions: Iterable[Session] = (),
        prompts_used: Mapping[str, date] | None = None,
        rolled: Mapping[date, Totals] | None = None,
        snapshot: Snapshot | None = None,
        decode_totals: Callable[[str], Totals] = not_stored,
        reminders: ReminderState | None = None,
        removals: Iterable[Removal] = (),
        intro_told: date | None = None,
        still_open_at: datetime | None = None,
    ) -> None:
        """Load events and build the aggregates once, or take them from a snapshot.

        Events may come in any order, except `EventRows`, which are in time order.
        """
        self._tz = tz
        self.totals: Final = DayTotals(self.local_date, decode_totals)
        self.trackers = Trackers()
        self.history: Final = CheckInHistory(sessions, prompts_used, intro_told)
        self.reminders: Final = reminders or ReminderState()
        # The trace of every entry undone or removed (never its text).
        self.removals: list[Removal] = list(removals)
        # When the couple last said something was still open between them
        # (asked before support is suggested on an open rupture alone).
        self.still_open_at = still_open_at
        # The ids logged last, and when: what undo may take back (not kept on disk).
        self._last_logged: tuple[tuple[int, ...], datetime] | None = None
        # Day totals of events rolled up out of the raw journal (see roll_up).
        self.rolled: dict[date, Totals] = {d: Counter(t) for d, t in (rolled or {}).items()}
        # Counts changes, so work done on a copy (rollup.py) knows if it still fits.
        self._revision = 0
        self._events = events if isinstance(events, EventRows) else EventRows(_in_order(events))
        if snapshot is not None and snapshot.fits(len(self._events), next_id, self.time_zone_name):
            self.next_id = next_id
            self.totals.reset(snapshot.days)
            self.trackers = replace(snapshot.trackers)
            return
        # Without usable aggregates every event is read: check the order too.
        self._events = EventRows(_in_order(self._events))
        self.next_id = max([next_id, *(e.id + 1 for e in self._events)])
        self._rebuild()

    @property
    def events(self) -> EventRows:
        """Return every event, oldest first."""
        return self._events

    @property
    def sessions(self) -> Sequence[Session]:
        """Return the check-ins held, oldest first."""
        return self.history.sessions

    @property
    def prompts_used(self) -> Mapping[str, date]:
        """Return when each nightly prompt was last asked (read-only)."""
        return self.history.prompts_used

    @property
    def snoozed_until(self) -> date | None:
        """Return the day reminders resume, if they are snoozed."""
        return self.reminders.snoozed_until

    @property
    def time_zone_name(self) -> str:
        """Name the zone that defines the couple's days."""
        return str(self._tz)

    def local_date(self, moment: datetime) -> date:
        """Return the couple's calendar day of an instant."""
        return moment.astimezone(self._tz).date()

    def day(self, day: date) -> Totals:
        """Return one local day's totals (empty if nothing was logged)."""
        return self.totals.day(day)

    def window(self, today: date, days: int) -> Totals:
        """Sum the day totals of `today` and the `days - 1` days before it."""
        return self.totals.window(today, days)

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
        author: str | None = None,
    ) -> list[Event]:
        """Record a partner's nightly rating; a low one may open a rupture."""
        _check_partner(partner)
        _check_rating(rating)
        text = _check_text(appreciation)
        _check_partner(author, optional=True)
        _check_time(at, now)
        events = [
            self._new(EventKind.CHECK_IN, at, partner, rating=rating, text=text, author=author)
        ]
        if auto_rupture and rating <= LOW_RATING and not self.trackers.open_ruptures:
            events.append(self._new(EventKind.RUPTURE, at, partner, auto=True, author=author))
        return self._add_all(events, now)

    def log_bid(
        self,
        bidder: str,
        response: str,
        note: str | None = None,
        *,
        at: datetime,
        now: datetime,
        auto_rupture: bool = False,
        author: str | None = None,
    ) -> list[Event]:
        """Record a bid and how the other partner turned; against may open a rupture.

        The rupture opened by a turned-against bid names the bidder as the one hurt.
        """
        _check_partner(bidder)
        answer = _check_response(response)
        text = _check_text(note)
        _check_partner(author, optional=True)
        _check_time(at, now)
        events = [self._new(EventKind.BID, at, bidder, response=answer, text=text, author=author)]
        if auto_rupture and answer is Response.AGAINST and not self.trackers.open_ruptures:
            events.append(self._new(EventKind.RUPTURE, at, bidder, auto=True, author=author))
        return self._add_all(events, now)

    def log_rupture(
        self,
        hurt: str | None = None,
        note: str | None = None,
        *,
        at: datetime,
        now: datetime,
        author: str | None = None,
    ) -> list[Event]:
        """Record a fight, a hurt or a disconnect, optionally with who is hurt.

        Who started it is never recorded: that ledger is what a couple works to
        put down. Who raised it is whoever logged it (`author`).
        """
        _check_partner(hurt, optional=True)
        text = _check_text(note)
        _check_partner(author, optional=True)
        _check_time(at, now)
        return self._add_all(
            [self._new(EventKind.RUPTURE, at, hurt, text=text, author=author)], now
        )

    def log_repair(
        self,
        initiator: str,
        note: str | None = None,
        *,
        at: datetime,
        now: datetime,
        author: str | None = None,
    ) -> list[Event]:
        """Record an attempt to reconnect and who led it (a partner, or BOTH).

        A repair belongs to both: when an open rupture was raised by the other
        partner (or it is unknown who logs the repair), it waits for the
        raiser's say, asked at the next check-in, before it closes anything.
        """
        _check_partner(initiator, both=True)
        text = _check_text(note)
        _check_partner(author, optional=True)
        _check_time(at, now)
        raisers = self.raisers()
        awaits = next((p for p in PARTNERS if p in raisers and p != author), None)
        return self._add_all(
            [self._new(EventKind.REPAIR, at, initiator, text=text, author=author, awaits=awaits)],
            now,
        )

    def log_appreciation(
        self,
        partner: str | None,
        text: str,
        *,
        at: datetime,
        now: datetime,
        author: str | None = None,
    ) -> list[Event]:
        """Record something one partner appreciated (who, if known)."""
        _check_partner(partner, optional=True)
        clean = _check_text(text)
        if clean is None:
            raise JournalError("text_empty")
        _check_partner(author, optional=True)
        _check_time(at, now)
        return self._add_all(
            [self._new(EventKind.APPRECIATION, at, partner, text=clean, author=author)], now
        )

    def raisers(self) -> set[str]:
        """Return who raised the ruptures still open (those who logged them, when known)."""
        found: set[str] = set()
        if not self.trackers.open_ruptures:
            return found  # nothing open: no walk back through years without a repair
        index = None
        while (index := self._events.last_of(*RUPTURE_OR_REPAIR, before=index)) is not None:
            event = self._events[index]
            if event.kind is EventKind.REPAIR:
                if event.closes:
                    break
                continue
            if event.author is not None:
                found.add(event.author)
        return found

    def awaiting_say(self) -> list[Event]:
        """Return the repairs that wait for a partner's say, oldest first."""
        waiting: list[Event] = []
        if not self.trackers.open_ruptures:
            return waiting  # a repair waits only while its rupture is open
        index = None
        while (index := self._events.last_of(EventKind.REPAIR, before=index)) is not None:
            event = self._events[index]
            if event.closes:
                break
            if event.awaits is not None:
                waiting.append(event)
        return waiting[::-1]

    def settle_repair(self, partner: str, repaired: bool) -> list[Event]:
        """Take the raiser's say on the repairs that wait for it.

        Yes: they close the open ruptures. Not yet: they stay attempts, and the
        ruptures stay open until a later repair.
        """
        changed: list[Event] = []
        for event in self.awaiting_say():
            if event.awaits != partner:
                continue
            index = self._events.index_of_id(event.id)
            if index is None:  # pragma: no cover - found a moment ago
                continue
            settled = replace(event, awaits=None, held_open=not repaired)
            self._events.replace(index, settled)
            changed.append(settled)
        if changed:
            self._follow(changed, appended=False)
        return changed

    def record_session(self, session: Session) -> None:
        """Keep a finished or partial check-in (starting one counts as reaching)."""
        self.history.add(session)
        self.totals.count_session(session)
        self._revision += 1

    def undo_last(self, by: str | None, now: datetime) -> list[Event]:
        """Take back the entry logged last (and the rupture it opened by itself).

        Only within UNDO_WINDOW of logging it, only by the voice that logged it
        (a partner, or an unknown voice for an entry nobody could attribute),
        and never further back: once taken back, there is nothing more to undo.
        """
        last = self._last_logged
        if last is None or now - last[1] > UNDO_WINDOW:
            raise JournalError("nothing_to_undo")
        ids, _ = last
        index = self._events.index_of_id(ids[0])
        if index is None:
            raise JournalError("nothing_to_undo")
        if self._events[index].author != by:
            raise JournalError("undo_not_yours")
        self._last_logged = None
        return self._remove(ids, by, now)

    def remove(self, ident: int, by: str | None, now: datetime) -> list[Event]:
        """Remove one entry by id, and the rupture it opened by itself (an admin's action)."""
        index = self._events.index_of_id(ident)
        if index is None:
            raise JournalError("event_not_found", id=str(ident))
        opened = self._events.index_of_id(ident + 1)
        ids = [ident]
        if opened is not None and self._events[opened].auto:
            ids.append(ident + 1)
        if self._last_logged is not None and ident in self._last_logged[0]:
            self._last_logged = None
        return self._remove(ids, by, now)

    def _remove(self, ids: Sequence[int], by: str | None, now: datetime) -> list[Event]:
        removed = []
        for ident in ids:
            index = self._events.index_of_id(ident)
            if index is not None:
                removed.append(self._events.pop(index))
        for event in removed:
            self.totals.count(event, -1)
            self.removals.append(
                Removal(
                    kind=event.kind,
                    at=event.at,
                    removed_at=now.replace(microsecond=0),
                    removed_by=by,
                    author=event.author,
                )
            )
        self._follow(removed, appended=False)
        return removed

    def plan_roll_up(self, before: date) -> RollUp | None:
        """Plan keeping only day totals for the events of local days before `before`."""
        return RollUp.plan(
            self._events, before, tz=self._tz, trackers=self.trackers, revision=self._revision
        )

    def apply_roll_up(self, done: RollUp) -> bool:
        """Keep the rolled events as day totals; False if the journal changed since the plan."""
        if done.revision != self._revision:
            return False
        self._events.replace_start(done.end, done.kept)
        for day, totals in done.rolled.items():
            self.rolled.setdefault(day, Counter()).update(totals)
        self._revision += 1
        return True

    def roll_up(self, before: date) -> int:
        """Keep only day totals for events of local days before `before`; return how many."""
        plan = self.plan_roll_up(before)
        return plan.moved if plan is not None and self.apply_roll_up(plan.run()) else 0

    def confirm_open(self, at: datetime) -> None:
        """Remember that the couple said, at a moment, that something is still open."""
        if not self.trackers.open_ruptures:
            raise JournalError("nothing_open")
        self.still_open_at = at

    def forget(self) -> None:
        """Wipe everything the couple logged (ids keep counting, so none is reused)."""
        self.rolled.clear()
        self._events.clear()
        self.removals.clear()
        self._last_logged = None
        self.history.clear()
        self.reminders.clear()
        self.still_open_at = None
        self._rebuild()

    def plan_time_zone(self, tz: tzinfo) -> Rezone | None:
        """Plan re-bucketing every event into a new zone's local days; None if it is the same."""
        if tz == self._tz:
            return None
        rolled = {day: Counter(totals) for day, totals in self.rolled.items()}
        rows, sessions = self._events.copy(), self.sessions
        return Rezone(revision=self._revision, tz=tz, rows=rows, rolled=rolled, sessions=sessions)

    def apply_time_zone(self, done: Rezone) -> bool:
        """Take the re-bucketed aggregates; False if the journal changed since the plan."""
        if done.revision != self._revision:
            return False
        self._tz = done.tz
        self.totals.adopt(done.totals)
        self.trackers = done.trackers
        self._revision += 1
        return True

    def set_time_zone(self, tz: tzinfo) -> None:
        """Re-bucket every event into the new zone's local days."""
        if (plan := self.plan_time_zone(tz)) is not None:
            self.apply_time_zone(plan.run())

    def _new(self, kind: EventKind, at: datetime, partner: str | None, **fields: object) -> Event:
        # Whole seconds: what is stored is exactly what is in memory.
        at = at.replace(microsecond=0)
        event = Event(id=self.next_id, kind=kind, at=at, partner=partner, **fields)  # type: ignore[arg-type]
        self.next_id += 1
        return event

    def _add_all(self, events: list[Event], now: datetime) -> list[Event]:
        newest = self._events[-1].sort_key() if self._events else None
        appended = newest is None or events[0].sort_key() > newest
        for event in events:
            if appended:
                self._events.append(event)
            else:
                at = bisect_right(self._events, event.sort_key(), key=Event.sort_key)
                self._events.insert(at, event)
            self.totals.count(event)
        self._last_logged = (tuple(e.id for e in events), now)
        self._follow(events, appended=appended)
        return events

    def _follow(self, changed: Sequence[Event], *, appended: bool) -> None:
        """Update the trackers after events were added or removed."""
        self._revision += 1
        self.trackers.follow(changed, appended=appended, events=self._events, totals=self.totals)

    def _rebuild(self) -> None:
        self._revision += 1
        self.totals.rebuild(self.rolled, self._events.uncached(), self.history.sessions)
        self.trackers = Trackers.recounted(self._events, self.totals)
