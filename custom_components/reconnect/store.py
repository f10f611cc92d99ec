"""Persistence of a couple's journal in Home Assistant's storage.

Layout (version 3): {"next_id": N, "events": [row, ...], "sessions": [...],
"prompts": {prompt id: "YYYY-MM-DD"}, "removals": [row, ...]} where each event
row is one string "<id> <epoch seconds> <kind>[!][@author] <partner|-> <value|->[ <text>]".
HA's Store indents every JSON value, so one string per event keeps the file
about 35 bytes an event instead of ~200. The text comes last, so it may hold
any character. An automatically opened rupture is written with the kind
"rupture!"; "@a" or "@b" says who logged an entry (none: nobody could tell). A
repair's value is "-" (it closed the open ruptures), "awaits:a" (it waits for
that partner's say) or "not_yet" (they said it has not landed yet). A rupture's
partner is who is hurt.

A removal row (the trace of an undone or removed entry, never its text) is
"<removed epoch> <kind> <epoch of the entry> <removed by|-> <logged by|->".

Version 3 added who logged each entry and the removals; migrating from 2
keeps every entry (nobody is known to have logged them) and drops the name on
ruptures a person logged, which said who raised, started or was hurt by them
in one field: Reconnect no longer keeps who started a fight.

A session row is "<start seconds> <end seconds> <complete|partial>".
Version 1 is the readable one-object-per-event layout; it is migrated on load.
Minor version 2 added sessions, prompts, reminder state and "rolled" (day totals
of events older than the kept years: {"YYYY-MM-DD": "field:partner=count ..."});
older files have none.
Minor version 3 added "aggregates": every day's totals and the running trackers,
so a load reads them instead of every event (see aggregates.Snapshot). They are
derived data: if they are missing or do not match the events, they are rebuilt.
"reminders" holds "last_sent", "snoozed_until" and "warning" (the early warning's
course: {"since", "last_risk", "last_sent"}, each "YYYY-MM-DD" or null). A file
without "warning" loads as one with no early warning yet: nothing else changed,
so the layout kept its version.
"still_open_at" (seconds, or null) is when the couple last said that what is open
is still open (asked before support is suggested on an open rupture alone); a
file without it loads as never asked, the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, tzinfo
import re
import threading
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store
from homeassistant.util.async_ import run_callback_threadsafe

from .aggregates import Snapshot, Trackers
from .const import DOMAIN
from .events import PARTNERS, Event, EventKind, EventRows, Removal, Response, Session
from .journal import Journal
from .state import ReminderState, WarningEpisode

STORAGE_VERSION = 3
STORAGE_MINOR_VERSION = 1
AUTO_MARK = "!"
AUTHOR_MARK = "@"
AWAITS = "awaits:"
NOT_YET = "not_yet"
# The early warning's days, kept under "reminders" (see the module docstring).
WARNING_DAYS = ("since", "last_risk", "last_sent")
_TOTALS_ROW = re.compile(r"[a-z_]+:[ab-]=\d+(?: [a-z_]+:[ab-]=\d+)*")


class StorageVersionError(Exception):
    """The file was written by a newer reconnect than this one."""

    def __init__(self, version: int) -> None:
        """Remember the version found."""
        super().__init__(f"storage version {version} is newer than {STORAGE_VERSION}")
        self.version = version


class StorageFormatError(Exception):
    """A stored row could not be read."""


def _value(event: Event) -> str | int:
    if event.rating is not None:
        return event.rating
    if event.response is not None:
        return event.response
    if event.awaits is not None:
        return f"{AWAITS}{event.awaits}"
    return NOT_YET if event.held_open else "-"


def encode_event(event: Event) -> str:
    """Write one event as a compact row."""
    kind = f"{event.kind}{AUTO_MARK if event.auto else ''}"
    if event.author:
        kind += f"{AUTHOR_MARK}{event.author}"
    row = f"{event.id} {int(event.at.timestamp())} {kind} {event.partner or '-'} {_value(event)}"
    return f"{row} {event.text}" if event.text else row


def _kind(field: str) -> tuple[EventKind, bool, str | None]:
    """Read a row's kind field: the kind, whether it was automatic, who logged it."""
    kind, _, author = field.partition(AUTHOR_MARK)
    return (
        EventKind(kind.removesuffix(AUTO_MARK)),
        kind.endswith(AUTO_MARK),
        _partner_field(author) if author else None,
    )


def decode_event(row: str) -> Event:
    """Read one compact row back into an event."""
    try:
        ident, stamp, kind, partner, value, *text = row.split(" ", 5)
        event_kind, auto, author = _kind(kind)
        repair = event_kind is EventKind.REPAIR
        return Event(
            id=int(ident),
            kind=event_kind,
            at=datetime.fromtimestamp(int(stamp), UTC),
            partner=None if partner == "-" else partner,
            rating=int(value) if event_kind is EventKind.CHECK_IN else None,
            response=Response(value) if event_kind is EventKind.BID else None,
            text=text[0] if text else None,
            auto=auto,
            author=author,
            awaits=_partner_field(value.removeprefix(AWAITS))
            if repair and value.startswith(AWAITS)
            else None,
            held_open=repair and value == NOT_YET,
        )
    except (ValueError, TypeError) as err:
        raise StorageFormatError(f"unreadable event row: {err}") from err


def row_head(row: str) -> tuple[int, EventKind]:
    """Read an event row's id and kind without decoding the rest."""
    try:
        ident, _stamp, kind, _rest = row.split(" ", 3)
        return int(ident), EventKind(kind.partition(AUTHOR_MARK)[0].removesuffix(AUTO_MARK))
    except ValueError as err:
        raise StorageFormatError(f"unreadable event row: {err}") from err


def encode_removal(removal: Removal) -> str:
    """Write the trace of a removed entry as a compact row (it has no text)."""
    return (
        f"{int(removal.removed_at.timestamp())} {removal.kind} {int(removal.at.timestamp())} "
        f"{removal.removed_by or '-'} {removal.author or '-'}"
    )


def decode_removal(row: str) -> Removal:
    """Read the trace of a removed entry."""
    try:
        removed_at, kind, at, by, author = row.split(" ")
        return Removal(
            kind=EventKind(kind),
            at=datetime.fromtimestamp(int(at), UTC),
            removed_at=datetime.fromtimestamp(int(removed_at), UTC),
            removed_by=None if by == "-" else _partner_field(by),
            author=None if author == "-" else _partner_field(author),
        )
    except (AttributeError, ValueError) as err:
        raise StorageFormatError(f"unreadable removal row: {err}") from err


def removal_to_dict(removal: Removal) -> dict[str, Any]:
    """Describe a removal readably (the export)."""
    return {
        "kind": str(removal.kind),
        "at": removal.at.isoformat(),
        "removed_at": removal.removed_at.isoformat(),
        "removed_by": removal.removed_by,
        "author": removal.author,
    }


def _stamp(moment: datetime | None) -> str:
    return str(int(moment.timestamp())) if moment else "-"


def _moment(field: str) -> datetime | None:
    return None if field == "-" else datetime.fromtimestamp(int(field), UTC)


def encode_snapshot(snapshot: Snapshot) -> dict[str, Any]:
    """Write the aggregates saved beside the events."""
    trackers = snapshot.trackers
    streak_end = trackers.streak_end.isoformat() if trackers.streak_end else "-"
    return {
        "time_zone": snapshot.time_zone,
        "events": snapshot.events,
        "next_id": snapshot.next_id,
        "trackers": " ".join(
            [
                _stamp(trackers.last_repair_at),
                str(trackers.open_ruptures),
                _stamp(trackers.oldest_open_rupture_at),
                _stamp(trackers.last_check_in_at),
                streak_end,
                str(trackers.streak_days),
            ]
        ),
        "days": {
            day.isoformat(): t if isinstance(t, str) else encode_totals(t)
            for day, t in snapshot.days.items()
            if t
        },
    }


def decode_snapshot(data: Any) -> Snapshot | None:
    """Read the saved aggregates; None if there are none (older files) or they are unreadable.

    They are derived data, so an unreadable one is rebuilt, not an error.
    """
    if not isinstance(data, dict):
        return None
    try:
        repair, open_count, oldest, check_in, streak_end, streak_days = data["trackers"].split()
        days = data["days"]
        # Day rows are decoded when first read, so check their shape now (cheap).
        if not all(isinstance(row, str) and _TOTALS_ROW.fullmatch(row) for row in days.values()):
            return None
        return Snapshot(
            time_zone=str(data["time_zone"]),
            events=int(data["events"]),
            next_id=int(data["next_id"]),
            days={date.fromisoformat(day): row for day, row in days.items()},
            trackers=Trackers(
                last_repair_at=_moment(repair),
                open_ruptures=int(open_count),
                oldest_open_rupture_at=_moment(oldest),
                last_check_in_at=_moment(check_in),
                streak_end=None if streak_end == "-" else date.fromisoformat(streak_end),
                streak_days=int(streak_days),
            ),
        )
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


def event_to_dict(event: Event) -> dict[str, Any]:
    """Describe an event as a readable object (the version 1 layout, also the export)."""
    return {
        "id": event.id,
        "kind": str(event.kind),
        "at": event.at.isoformat(),
        "partner": event.partner,
        "rating": event.rating,
        "response": str(event.response) if event.response else None,
        "text": event.text,
        "auto": event.auto,
        "author": event.author,
        "awaits": event.awaits,
        "held_open": event.held_open,
    }


def event_from_dict(data: dict[str, Any]) -> Event:
    """Read a readable object (the version 1 layout) back into an event."""
    return Event(
        id=int(data["id"]),
        kind=EventKind(data["kind"]),
        at=datetime.fromisoformat(data["at"]).astimezone(UTC),
        partner=data.get("partner"),
        rating=data.get("rating"),
        response=Response(data["response"]) if data.get("response") else None,
        text=data.get("text"),
        auto=bool(data.get("auto", False)),
    )


def export_history(
    events: EventRows,
    sessions: Sequence[Session],
    prompts: Mapping[str, date],
    removals: Sequence[Removal] = (),
) -> dict[str, Any]:
    """Describe every event, session, prompt and removal readably (the export; reads every row).

    An event's "author" is who logged it ("a", "b", or None: nobody could tell).
    """
    return {
        "events": [event_to_dict(e) for e in events],
        "removals": [removal_to_dict(r) for r in removals],
        "sessions": [
            {
                "started_at": s.started_at.isoformat(),
                "ended_at": s.ended_at.isoformat(),
                "complete": s.complete,
                "started_by": s.started_by,
            }
            for s in sessions
        ],
        "prompts_used": {k: v.isoformat() for k, v in prompts.items()},
    }


def encode_session(session: Session) -> str:
    """Write one check-in session as a compact row."""
    status = "complete" if session.complete else "partial"
    row = f"{int(session.started_at.timestamp())} {int(session.ended_at.timestamp())} {status}"
    return f"{row} {session.started_by}" if session.started_by else row


def decode_session(row: str) -> Session:
    """Read one check-in session row."""
    try:
        start, end, status, *by = row.split(" ", 3)
        return Session(
            started_at=datetime.fromtimestamp(int(start), UTC),
            ended_at=datetime.fromtimestamp(int(end), UTC),
            complete=status == "complete",
            started_by=_partner_field(by[0]) if by else None,
        )
    except ValueError as err:
        raise StorageFormatError(f"unreadable session row: {err}") from err


def encode_totals(totals: Counter[tuple[str, str]]) -> str:
    """Write one day's totals as "field:partner=count ..."."""
    return " ".join(
        f"{field}:{partner}={count}" for (field, partner), count in sorted(totals.items())
    )


def decode_totals(row: str) -> Counter[tuple[str, str]]:
    """Read one day's totals back."""
    totals: Counter[tuple[str, str]] = Counter()
    for item in row.split():
        key, count = item.rsplit("=", 1)
        field, partner = key.rsplit(":", 1)
        totals[field, partner] = int(count)
    return totals


def _partner_field(value: str) -> str:
    if value not in PARTNERS:
        raise ValueError(f"not a partner: {value[:10]!r}")
    return value


def encode_journal(journal: Journal) -> dict[str, Any]:
    """Return the stored form of a journal (on the event loop: it reads the live journal)."""
    reminders = journal.reminders
    return {
        "next_id": journal.next_id,
        # Rows never read since the load are written back as they were.
        "events": [r if isinstance(r, str) else encode_event(r) for r in journal.events.stored()],
        "sessions": [encode_session(s) for s in journal.sessions],
        "prompts": {key: day.isoformat() for key, day in journal.prompts_used.items()},
        "removals": [encode_removal(r) for r in journal.removals],
        "intro_told": intro.isoformat() if (intro := journal.history.intro_told) else None,
        "still_open_at": _stamp(journal.still_open_at) if journal.still_open_at else None,
        "rolled": {day.isoformat(): encode_totals(t) for day, t in sorted(journal.rolled.items())},
        "reminders": {
            "last_sent": reminders.last_sent.isoformat() if reminders.last_sent else None,
            "snoozed_until": (
                reminders.snoozed_until.isoformat() if reminders.snoozed_until else None
            ),
            "warning": {
                key: day.isoformat() if (day := getattr(reminders.warning, key)) else None
                for key in WARNING_DAYS
            },
        },
        "aggregates": encode_snapshot(
            Snapshot(
                time_zone=journal.time_zone_name,
                events=len(journal.events),
                next_id=journal.next_id,
                days=journal.totals.stored(),
                trackers=journal.trackers,
            )
        ),
    }


def decode_journal(data: dict[str, Any] | None, tz: tzinfo, *, full: bool = False) -> Journal:
    """Build a journal from its stored form (None means a new couple).

    Event rows are decoded when first read, and day totals come from the saved
    aggregates when they match. `full` decodes and checks every row now.
    """
    if data is None:
        return Journal(tz, decode_totals=decode_totals)
    rows = data.get("events", [])
    # The row types are checked in one C-speed pass: a load must stay quick.
    if not isinstance(rows, list) or not set(map(type, rows)) <= {str}:
        raise StorageFormatError("events are not rows")
    events = EventRows(
        [decode_event(row) for row in rows] if full else rows, decode=decode_event, head=row_head
    )
    snapshot = None if full else decode_snapshot(data.get("aggregates"))
    try:
        prompts = {key: date.fromisoformat(day) for key, day in data.get("prompts", {}).items()}
        intro = date.fromisoformat(told) if (told := data.get("intro_told")) else None
        still_open = _moment(str(said)) if (said := data.get("still_open_at")) else None
        reminders = data.get("reminders", {})
        last_sent, snoozed = (
            date.fromisoformat(day) if (day := reminders.get(key)) else None
            for key in ("last_sent", "snoozed_until")
        )
        warned = reminders.get("warning", {})
        warning = WarningEpisode(
            **{
                key: date.fromisoformat(day) if (day := warned.get(key)) else None
                for key in WARNING_DAYS
            }
        )
    except (AttributeError, TypeError, ValueError) as err:
        raise StorageFormatError(f"unreadable prompt or reminder state: {err}") from err
    try:
        rolled = {
            date.fromisoformat(day): decode_totals(row)
            for day, row in data.get("rolled", {}).items()
        }
    except (AttributeError, TypeError, ValueError) as err:
        raise StorageFormatError(f"unreadable day totals: {err}") from err
    return Journal(
        tz,
        events,
        next_id=int(data.get("next_id", 1)),
        sessions=[decode_session(row) for row in data.get("sessions", [])],
        prompts_used=prompts,
        rolled=rolled,
        snapshot=snapshot,
        decode_totals=decode_totals,
        reminders=ReminderState(last_sent, snoozed, warning),
        removals=[decode_removal(row) for row in data.get("removals", [])],
        intro_told=intro,
        still_open_at=still_open,
    )


class ReconnectStore(Store[dict[str, Any]]):
    """One couple's journal file, private to the HA user, written atomically."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Create the store for one config entry."""
        super().__init__(
            hass,
            STORAGE_VERSION,
            f"{DOMAIN}.{entry_id}",
            private=True,
            atomic_writes=True,
            minor_version=STORAGE_MINOR_VERSION,
        )

    async def async_load(self) -> dict[str, Any] | None:
        """Load the journal; a newer major version is a StorageVersionError on every HA."""
        try:
            return await super().async_load()
        except HomeAssistantError as err:
            # HA 2026.x refuses a newer major version itself (UnsupportedStorageVersionError),
            # before _async_migrate_func would; older HA leaves that to us.
            if (found := getattr(err, "found_version", None)) is None:
                raise
            raise StorageVersionError(found) from err

    async def async_decode(self, data: dict[str, Any] | None, tz: tzinfo) -> Journal:
        """Build the journal from loaded data in the executor.

        A load from saved aggregates is quick, but one without them (an older
        file, a new time zone) reads every row: never on the event loop.
        """
        return await self.hass.async_add_executor_job(decode_journal, data, tz)

    @callback
    def async_delay_save(self, data_func: Callable[[], dict[str, Any]], delay: float = 0) -> None:
        """Save after a delay, building the data on the event loop on every HA.

        HA before 2026 calls `data_func` in a worker thread, where reading the
        live journal would race the loop's changes to it.
        """
        loop, loop_thread = self.hass.loop, self.hass.loop_thread_id

        def on_the_loop() -> dict[str, Any]:
            if threading.get_ident() == loop_thread:
                return data_func()
            return run_callback_threadsafe(loop, data_func).result()

        super().async_delay_save(on_the_loop, delay)

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        """Upgrade older layouts; refuse newer ones so a downgrade loses nothing."""
        if old_major_version > STORAGE_VERSION:
            raise StorageVersionError(old_major_version)
        # Every row is read: in the executor. The loaded data is ours alone until returned.
        return await self.hass.async_add_executor_job(migrate, old_major_version, old_data)


def migrate(old_major_version: int, data: dict[str, Any]) -> dict[str, Any]:
    """Return an older layout in the current one, having read every row of it."""
    if old_major_version == 1:
        events = [event_from_dict(e) for e in data.get("events", [])]
        data = {
            "next_id": max([int(data.get("next_id", 1)), *(e.id + 1 for e in events)]),
            "events": [encode_event(e) for e in sorted(events, key=Event.sort_key)],
        }
    if old_major_version <= 2:  # noqa: PLR2004 - the layout before authorship
        data = _without_blame(data)
    # Minor 3 only adds derived aggregates: they are built on load.
    # HA saves what this returns: read it all first, so a file we cannot
    # read is never rewritten. Then drop the decoded events at once: a journal
    # refers to itself, so they would otherwise wait for a full garbage
    # collection, which walks all 100,000 when it comes (a 30-90 ms loop stall).
    decode_journal(data, UTC, full=True).events.clear()
    return data


def _without_blame(data: dict[str, Any]) -> dict[str, Any]:
    """Drop the name on ruptures a person logged: it held "raised by", "started it" or "is hurt".

    The rupture, its time and its note stay. Rolled-up day totals lose the name
    the same way, and the saved aggregates are rebuilt on load (they are derived).
    """
    rows = []
    for row in data.get("events", []):
        event = decode_event(row)
        if event.kind is EventKind.RUPTURE and not event.auto and event.partner is not None:
            rows.append(encode_event(replace(event, partner=None)))
        else:
            rows.append(row)
    migrated = {**{k: v for k, v in data.items() if k != "aggregates"}, "events": rows}
    if "rolled" in data:
        rolled: dict[str, str] = {}
        for day, row in data["rolled"].items():
            totals = decode_totals(row)
            for partner in PARTNERS:
                if count := totals.pop(("ruptures", partner), 0):
                    totals["ruptures", "-"] += count
            rolled[day] = encode_totals(totals)
        migrated["rolled"] = rolled
    return migrated
