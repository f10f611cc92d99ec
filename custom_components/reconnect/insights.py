"""Derived facts about the couple, as pure functions of the journal and a day.

Nothing here is a grade. `None` means "not enough data yet", which is a real
answer and better than a made-up number.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .cycle import Cycle, Thresholds, assess, support_suggested
from .journal import PARTNERS, STREAK_MAX_GAP_DAYS, Journal, Response, other

WINDOW_DAYS = 7


@dataclass(frozen=True, slots=True, kw_only=True)
class PartnerInsights:
    """One partner's last seven local days."""

    bids_made_7d: int
    # Share (%) of the other partner's bids this partner turned toward.
    responsiveness_7d: float | None
    # Mean nightly connection rating, 1-5.
    connection_7d: float | None
    # Each of the last 14 nights' rating (oldest first; None: no check-in).
    nightly_14d: tuple[float | None, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Insights:
    """The couple's state as of one local day."""

    today: date
    days_since_repair: int | None
    open_ruptures: int
    open_rupture_days: int | None
    repair_overdue: bool
    last_check_in: datetime | None
    checked_in_today: bool
    check_in_streak: int
    partners: dict[str, PartnerInsights]
    cycle: Cycle
    support_suggested: bool


def nightly(
    journal: Journal, today: date, partner: str, nights: int = 14
) -> tuple[float | None, ...]:
    """Return a partner's mean rating on each of the last `nights` local days."""
    ratings: list[float | None] = []
    for back in range(nights - 1, -1, -1):
        # Most nights of a fortnight are already counted; an empty one is None.
        day = journal.totals.get(today - timedelta(days=back))
        count = day.get(("check_ins", partner), 0) if day else 0
        ratings.append(round(day[("rating_sum", partner)] / count, 2) if day and count else None)
    return tuple(ratings)


def partner_insights(
    totals: Counter[tuple[str, str]], partner: str, ratings: tuple[float | None, ...] = ()
) -> PartnerInsights:
    """Summarise one partner from a window's totals."""
    received = totals["bids", other(partner)]
    turned_toward = totals[str(Response.TOWARD), other(partner)]
    checked = totals["check_ins", partner]
    return PartnerInsights(
        bids_made_7d=totals["bids", partner],
        responsiveness_7d=round(100 * turned_toward / received, 1) if received else None,
        connection_7d=round(totals["rating_sum", partner] / checked, 2) if checked else None,
        nightly_14d=ratings,
    )


def compute(
    journal: Journal,
    today: date,
    repair_reminder_days: int,
    thresholds: Thresholds | None = None,
) -> Insights:
    """Compute every insight as of the local day `today`."""
    thresholds = thresholds or Thresholds()
    totals = journal.window(today, WINDOW_DAYS)
    trackers = journal.trackers
    last_repair = trackers.last_repair_at
    oldest_open = trackers.oldest_open_rupture_at
    open_days = _days_between(journal.local_date(oldest_open), today) if oldest_open else None
    streak_end = trackers.streak_end
    streak_alive = streak_end is not None and (today - streak_end).days <= STREAK_MAX_GAP_DAYS
    cycle = assess(journal, today, thresholds)
    return Insights(
        today=today,
        days_since_repair=_days_between(journal.local_date(last_repair), today)
        if last_repair
        else None,
        open_ruptures=trackers.open_ruptures,
        open_rupture_days=open_days,
        repair_overdue=open_days is not None and open_days >= repair_reminder_days,
        last_check_in=trackers.last_check_in_at,
        checked_in_today=any(journal.day(today)["check_ins", p] for p in PARTNERS),
        check_in_streak=trackers.streak_days if streak_alive else 0,
        partners={p: partner_insights(totals, p, nightly(journal, today, p)) for p in PARTNERS},
        cycle=cycle,
        support_suggested=support_suggested(journal, today, thresholds, open_days, cycle),
    )


def _days_between(earlier: date, today: date) -> int:
    """Count calendar days, never negative even if the clock went backwards."""
    return max(0, (today - earlier).days)
