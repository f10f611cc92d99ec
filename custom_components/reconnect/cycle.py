"""The couple's cycle (EFT's pursue-withdraw pattern) as pure heuristics.

Every number here is a heuristic, not a diagnosis, and each one can be changed
in the options. "Insufficient data" is a real answer and beats a false alarm.
Sources and reasoning: README, "Sources behind every heuristic".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .journal import PARTNERS, Journal, Response, other

RECENT_DAYS = 7
BASELINE_DAYS = 28
ROLE_DAYS = 30
# Whose accounts the picture rests on is judged over every day the roles read.
VOICE_DAYS = RECENT_DAYS + BASELINE_DAYS


class CycleState(StrEnum):
    """What the pattern of the last weeks looks like."""

    INSUFFICIENT_DATA = "insufficient_data"
    CONNECTED = "connected"
    PURSUE_WITHDRAW = "pursue_withdraw"
    BURNED_OUT_PURSUER_RISK = "burned_out_pursuer_risk"
    FREEZE_AND_FLEE = "freeze_and_flee"
    # The pattern would name roles, but the picture rests on one voice (see Voices).
    ONE_SIDED = "one_sided"


class Voices(StrEnum):
    """Whose accounts the picture of the last weeks rests on."""

    # Each partner logged their share, or nothing was logged about the other.
    BOTH = "both"
    # One partner logged nearly all of it: their account of the two of them.
    ONE_SIDED = "one_sided"
    # Most was logged where nobody could tell who spoke (a shared speaker).
    UNRECOGNISED = "unrecognised"


RISK_STATES = (CycleState.BURNED_OUT_PURSUER_RISK, CycleState.FREEZE_AND_FLEE)
# The states that name a pursuer and a withdrawer.
ROLE_STATES = (CycleState.PURSUE_WITHDRAW, CycleState.BURNED_OUT_PURSUER_RISK)


@dataclass(frozen=True, slots=True, kw_only=True)
class Thresholds:
    """The heuristics' knobs, with their documented defaults."""

    # A partner doing at least this share of the reaching is the pursuer.
    pursuer_share: float = 0.60
    # Fewer reaching events than this in 30 days: no roles.
    min_events: int = 10
    # pursue_withdraw: the withdrawer turned toward fewer than this % of bids.
    low_responsiveness: float = 50.0
    # A bid rate this far below its own baseline counts as a drop.
    drop: float = 0.50
    # Burnout needs a baseline in which fewer than this share of bids were met.
    unmet_share: float = 0.50
    # A baseline needs at least this many bids to compare against.
    min_baseline_bids: int = 4
    # Roles need both voices: each partner logged at least this share of the
    # bids, ruptures and repairs whose author is known.
    voice_share: float = 0.25
    # Support is suggested once a risk (or an open rupture) lasts this long.
    support_days: int = 14
    # A reminder is due after this many days without a check-in.
    check_in_gap_days: int = 3
    # Freeze and burnout are read only while the couple still checks in on at
    # least this many of the last 7 nights: a couple who stopped logging
    # altogether have told us nothing, and "freeze" would be a guess.
    checking_in_nights: int = 2


@dataclass(frozen=True, slots=True, kw_only=True)
class PartnerCycle:
    """One partner's share of the reaching and bid rates (bids a day)."""

    initiation_share: float | None
    bid_rate_7d: float
    bid_rate_28d: float
    responsiveness: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Cycle:
    """The assessed cycle, and who pursues (if anyone clearly does and both voices tell it)."""

    state: CycleState
    pursuer: str | None
    partners: dict[str, PartnerCycle]
    voices: Voices = Voices.BOTH

    @property
    def withdrawer(self) -> str | None:
        """Return the other partner of the pursuer."""
        return other(self.pursuer) if self.pursuer else None


def _reaching(totals: Counter[tuple[str, str]], partner: str) -> int:
    """Count a partner's reaching: bids, check-ins started and repairs led."""
    return (
        totals["bids", partner] + totals["sessions_started", partner] + totals["repairs", partner]
    )


def roles(
    totals: Counter[tuple[str, str]], t: Thresholds
) -> tuple[str | None, dict[str, float | None]]:
    """Return the pursuer (or None) and each partner's share of the reaching."""
    counts = {p: _reaching(totals, p) for p in PARTNERS}
    total = sum(counts.values())
    if total < t.min_events:
        return None, dict.fromkeys(PARTNERS)
    shares: dict[str, float | None] = {p: round(counts[p] / total, 3) for p in PARTNERS}
    pursuer = next((p for p in PARTNERS if (shares[p] or 0) >= t.pursuer_share), None)
    return pursuer, shares


def _responsiveness(totals: Counter[tuple[str, str]], partner: str) -> float | None:
    """Share (%) of the other partner's bids this partner turned toward."""
    received = totals["bids", other(partner)]
    return (
        round(100 * totals[str(Response.TOWARD), other(partner)] / received, 1)
        if received
        else None
    )


def voices(totals: Counter[tuple[str, str]], t: Thresholds) -> Voices:
    """Tell whose accounts (bids, ruptures, repairs) the window's picture rests on.

    Unrecognised: more than half were logged by a voice nobody could tell.
    One-sided: of those whose author is known, one partner logged less than
    `voice_share`. A pursuer logs more than a withdrawer, so a 60/40 split is
    still both voices; below a quarter, the picture is one partner's account.
    """
    logged = {p: totals["accounts", p] for p in PARTNERS}
    known = sum(logged.values())
    if totals["accounts", "-"] > known:
        return Voices.UNRECOGNISED
    if known and min(logged.values()) < t.voice_share * known:
        return Voices.ONE_SIDED
    return Voices.BOTH


def checked_in_nights(journal: Journal, today: date, nights: int) -> int:
    """Count the local days among the last `nights` on which either partner checked in."""
    return sum(
        1
        for back in range(nights)
        if any(journal.day(today - timedelta(days=back))["check_ins", p] for p in PARTNERS)
    )


def _dropped(recent: int, baseline: int, t: Thresholds) -> bool:
    """Tell whether a bid rate fell by `drop` or more against a usable baseline."""
    if baseline < t.min_baseline_bids:
        return False
    return recent / RECENT_DAYS <= (1 - t.drop) * baseline / BASELINE_DAYS


def _burned_out(
    before: Counter[tuple[str, str]], dropped: dict[str, bool], t: Thresholds
) -> str | None:
    """Return the partner who pursued, went mostly unmet, and then stopped reaching.

    The pursuer is judged over the weeks before the drop: one who has stopped
    reaching no longer looks like a pursuer in the latest 30 days.
    """
    earlier_pursuer, _ = roles(before, t)
    if earlier_pursuer is None or not dropped[earlier_pursuer]:
        return None
    met = before[str(Response.TOWARD), earlier_pursuer]
    return earlier_pursuer if met < t.unmet_share * before["bids", earlier_pursuer] else None


def assess(journal: Journal, today: date, t: Thresholds) -> Cycle:
    """Assess the cycle as of the local day `today`."""
    recent = journal.window(today, RECENT_DAYS)
    before = journal.window(today - timedelta(days=RECENT_DAYS), BASELINE_DAYS)
    last_30 = journal.window(today, ROLE_DAYS)
    pursuer, shares = roles(last_30, t)
    partners = {
        p: PartnerCycle(
            initiation_share=shares[p],
            bid_rate_7d=round(recent["bids", p] / RECENT_DAYS, 2),
            bid_rate_28d=round(before["bids", p] / BASELINE_DAYS, 2),
            responsiveness=_responsiveness(last_30, p),
        )
        for p in PARTNERS
    }

    heard = voices(journal.window(today, VOICE_DAYS), t)

    def cycle(state: CycleState, who: str | None = pursuer) -> Cycle:
        if heard is not Voices.BOTH:
            # Roles need both voices: name none, and say the picture is one-sided.
            if state in ROLE_STATES:
                state = CycleState.ONE_SIDED
            who = None
        return Cycle(state=state, pursuer=who, partners=partners, voices=heard)

    dropped = {p: _dropped(recent["bids", p], before["bids", p], t) for p in PARTNERS}
    burned_out = _burned_out(before, dropped, t)
    frozen = all(dropped.values())
    if (frozen or burned_out) and checked_in_nights(journal, today, RECENT_DAYS) < (
        t.checking_in_nights
    ):
        # Fewer bids logged while nobody checks in either is quiet, not a
        # pattern: no freeze or burnout is read from it.
        return cycle(CycleState.INSUFFICIENT_DATA)
    if frozen:
        return cycle(CycleState.FREEZE_AND_FLEE)
    if burned_out:
        return cycle(CycleState.BURNED_OUT_PURSUER_RISK, burned_out)
    if sum(_reaching(last_30, p) for p in PARTNERS) < t.min_events:
        return cycle(CycleState.INSUFFICIENT_DATA)
    if pursuer:
        responsiveness = partners[other(pursuer)].responsiveness
        if responsiveness is not None and responsiveness < t.low_responsiveness:
            return cycle(CycleState.PURSUE_WITHDRAW)
    return cycle(CycleState.CONNECTED)


def support_suggested(
    journal: Journal,
    today: date,
    t: Thresholds,
    open_rupture_days: int | None,
    today_cycle: Cycle | None = None,
) -> bool:
    """Suggest early outside support when a risk or an open rupture has lasted.

    Pass today's cycle if it is known; it is the day most often not a risk.
    """
    if open_rupture_days is not None and open_rupture_days >= t.support_days:
        return True
    if today_cycle is not None and today_cycle.state not in RISK_STATES:
        return False
    return all(
        assess(journal, today - timedelta(days=back), t).state in RISK_STATES
        for back in range(t.support_days)
    )
