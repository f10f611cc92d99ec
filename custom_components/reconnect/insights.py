"""Derived facts about the couple, as pure functions of the journal and a day.

Nothing here is a grade. `None` means "not enough data yet", which is a real
answer and better than a made-up number.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .cycle import Cycle, Thresholds, assess, checked_in_nights, support_suggested
from .journal import PARTNERS, STREAK_MAX_GAP_DAYS, Journal, Response, other

WINDOW_DAYS = 7
NIGHTS = 14
# Below this many bids in a week, a share of them is mostly noise: none is given.
MIN_BIDS = 5


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
    # The couple, never one partner: nights either checked in, of the last 14.
    nights_checked_in_14d: int = 0
    # Bids either partner made in 7 days, and the share (%) turned toward
    # (None below MIN_BIDS).
    bids_7d: int = 0
    turned_toward_7d: float | None = None
    # The couple's mean rating on each of the last 14 nights (None: no check-in).
    nightly_14d: tuple[float | None, ...] = ()
    # Something has been open long enough that support would be suggested, and
    # the couple have not yet said it is still open: ask them first.
    ask_still_open: bool = False


def nightly(
    journal: Journal, today: date, partners: tuple[str, ...], nights: int = NIGHTS
) -> tuple[float | None, ...]:
    """Return the mean rating of `partners` on each of the last `nights` local days.

    A night is None unless each of `partners` rated it: the couple's line never
    shows one partner's rating as the couple's.
    """
    ratings: list[float | None] = []
    for back in range(nights - 1, -1, -1):
        # Most nights of a fortnight are already counted; an empty one is None.
        day = journal.totals.get(today - timedelta(days=back))
        if not day or not all(day.get(("check_ins", p), 0) for p in partners):
            ratings.append(None)
            continue
        count = sum(day[("check_ins", p)] for p in partners)
        ratings.append(round(sum(day[("rating_sum", p)] for p in partners) / count, 2))
    return tuple(ratings)


def turned_toward(totals: Counter[tuple[str, str]]) -> float | None:
    """Return the share (%) of both partners' bids that were turned toward, from MIN_BIDS."""
    bids = sum(totals["bids", p] for p in PARTNERS)
    toward = sum(totals[str(Response.TOWARD), p] for p in PARTNERS)
    return round(100 * toward / bids, 1) if bids >= MIN_BIDS else None


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
    # Support on an open rupture alone waits until the couple say it is still
    # open: a fight nobody logged the repair of is not proof of a hard time.
    # Only an answer given once it had been open that long, about what is open
    # now (not a rupture repaired since), counts.
    long_open = open_days is not None and open_days >= thresholds.support_days
    confirmed = long_open and still_open_after(journal, thresholds.support_days)
    nightly_14d = nightly(journal, today, PARTNERS)
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
        partners={p: partner_insights(totals, p, nightly(journal, today, (p,))) for p in PARTNERS},
        cycle=cycle,
        support_suggested=support_suggested(
            journal, today, thresholds, open_days if confirmed else None, cycle
        ),
        nights_checked_in_14d=checked_in_nights(journal, today, NIGHTS),
        bids_7d=sum(totals["bids", p] for p in PARTNERS),
        turned_toward_7d=turned_toward(totals),
        nightly_14d=nightly_14d,
        ask_still_open=long_open and not confirmed,
    )


def still_open_after(journal: Journal, days: int) -> bool:
    """Tell whether the couple said "still open" at least `days` local days into what is open."""
    said, oldest = journal.still_open_at, journal.trackers.oldest_open_rupture_at
    if said is None or oldest is None or said < oldest:
        return False
    return _days_between(journal.local_date(oldest), journal.local_date(said)) >= days


def _days_between(earlier: date, today: date) -> int:
    """Count calendar days, never negative even if the clock went backwards."""
    return max(0, (today - earlier).days)
