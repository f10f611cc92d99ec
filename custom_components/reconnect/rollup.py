"""Work over every row, done on a copy away from the journal (in a worker thread).

Pure Python with no Home Assistant imports. The journal plans the work and
hands over copies; `run` touches nothing else, so it may run in a worker
thread; the journal takes the result only if it has not changed since
(`revision`), else the work is planned again.

- `RollUp`: old events kept only as day totals. Insights read day totals, so a
  roll-up changes none of them; it only makes the raw journal shorter.
- `Rezone`: every event and session counted again in a new time zone's days.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from operator import attrgetter

from .aggregates import DayTotals, Totals, Trackers, totals_of
from .events import Event, EventKind, EventRows, Session


@dataclass(slots=True, kw_only=True)
class RollUp:
    """The events before position `end` that are to be kept only as day totals.

    The events the trackers may need again (the last check-in; the last repair
    and all after it) stay raw, exactly as they were stored.
    """

    revision: int
    end: int
    rows: EventRows
    last_check_in: int | None
    last_repair: int | None
    # The zone when planned: a time zone change since makes the plan stale.
    tz: tzinfo
    kept: list[Event | str] = field(default_factory=list)
    rolled: dict[date, Totals] = field(default_factory=dict)
    moved: int = 0

    @classmethod
    def plan(
        cls,
        events: EventRows,
        before: date,
        *,
        tz: tzinfo,
        trackers: Trackers,
        revision: int,
    ) -> RollUp | None:
        """Plan rolling up the events of local days before `before`; None if there are none."""
        # Events are in time order: find the first of a local day on or after
        # `before` (reading a few rows), then settle it by the local date itself.
        end = bisect_left(events, datetime.combine(before, time.min, tz), key=attrgetter("at"))
        while end < len(events) and events[end].at.astimezone(tz).date() < before:
            end += 1
        while end and events[end - 1].at.astimezone(tz).date() >= before:
            end -= 1
        if not end:
            return None
        return cls(
            revision=revision,
            end=end,
            rows=events.copy(end),
            last_check_in=events.last_at(EventKind.CHECK_IN, trackers.last_check_in_at),
            last_repair=events.last_at(EventKind.REPAIR, trackers.last_repair_at),
            tz=tz,
        )

    def run(self) -> RollUp:
        """Sort the rows into kept ones and day totals; return self."""
        repair = self.end if self.last_repair is None else self.last_repair
        for index, item in enumerate(self.rows.stored()):
            if index == self.last_check_in or index >= repair:
                self.kept.append(item)
            else:
                event = self.rows.peek(index)
                day = event.at.astimezone(self.tz).date()
                self.rolled.setdefault(day, Counter()).update(totals_of(event))
                self.moved += 1
        return self


@dataclass(slots=True, kw_only=True)
class Rezone:
    """The day totals and trackers of a journal in a new time zone."""

    revision: int
    tz: tzinfo
    rows: EventRows
    rolled: Mapping[date, Totals]
    sessions: Sequence[Session]
    totals: DayTotals = field(init=False)
    trackers: Trackers = field(default_factory=Trackers)

    def run(self) -> Rezone:
        """Count every event and session in the new zone's days; return self."""
        tz = self.tz
        self.totals = DayTotals(lambda moment: moment.astimezone(tz).date())
        self.totals.rebuild(self.rolled, self.rows.uncached(), self.sessions)
        self.trackers = Trackers.recounted(self.rows, self.totals)
        return self
