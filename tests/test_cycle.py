"""Roles, the cycle and reminders as pure heuristics, from journals built here."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from custom_components.reconnect.cycle import (
    CycleState,
    Thresholds,
    Voices,
    assess,
    support_suggested,
)
from custom_components.reconnect.journal import BOTH, PARTNERS, Journal, Session
from custom_components.reconnect.reminder_rules import (
    ReminderReason,
    may_send,
    reminder_due,
    reminder_messages,
)

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)
TODAY = date(2026, 11, 20)
T = Thresholds()


def bids(
    j: Journal,
    bidder: str,
    days_ago: range,
    per_day: int,
    response: str,
    author: str | None = BOTH,
) -> None:
    """Log `per_day` bids on each of the given days.

    By default the two partners take turns logging them (both voices); pass
    an author ("a", "b" or None for nobody known) to log them all as one.
    """
    for i, back in enumerate(days_ago):
        for n in range(per_day):
            at = NOW - timedelta(days=back, minutes=n)
            who = PARTNERS[(i + n) % 2] if author == BOTH else author
            j.log_bid(bidder, response, at=at, now=NOW, author=who)


def checking_in(j: Journal, nights: range = range(1, 7, 2)) -> Journal:
    """Both partners check in on the given nights (by default three of the last seven).

    Freeze and burnout are read only while the couple still check in.
    """
    for back in nights:
        for partner in PARTNERS:
            at = NOW - timedelta(days=back)
            j.log_check_in(partner, 3, at=at, now=NOW, author=partner)
    return j


def test_too_little_reaching_is_insufficient_data() -> None:
    j = Journal(BERLIN)
    bids(j, "a", range(3), 1, "toward")
    bids(j, "b", range(3), 1, "toward")
    cycle = assess(j, TODAY, T)
    assert cycle.state is CycleState.INSUFFICIENT_DATA
    assert cycle.pursuer is None
    assert cycle.partners["a"].initiation_share is None


def test_balanced_reaching_and_turning_toward_is_connected() -> None:
    j = Journal(BERLIN)
    bids(j, "a", range(0, 20, 2), 1, "toward")
    bids(j, "b", range(1, 20, 2), 1, "toward")
    cycle = assess(j, TODAY, T)
    assert cycle.state is CycleState.CONNECTED
    assert cycle.pursuer is None
    assert cycle.partners["a"].initiation_share == 0.5


def test_one_reaching_and_the_other_not_turning_toward_is_pursue_withdraw() -> None:
    j = Journal(BERLIN)
    bids(j, "a", range(12), 1, "away")  # Maya reaches daily, mostly missed
    bids(j, "a", range(4), 1, "toward")
    j.log_repair("a", at=NOW - timedelta(days=2), now=NOW)
    bids(j, "b", range(3), 1, "toward")
    cycle = assess(j, TODAY, T)
    assert cycle.state is CycleState.PURSUE_WITHDRAW
    assert (cycle.pursuer, cycle.withdrawer) == ("a", "b")
    assert cycle.partners["b"].responsiveness == 25.0
    assert cycle.partners["a"].initiation_share == pytest.approx(17 / 20, abs=0.001)


def test_one_partners_account_names_no_roles() -> None:
    """The pursue-withdraw journal above, all logged by Maya: her account alone."""
    j = Journal(BERLIN)
    bids(j, "a", range(12), 1, "away", author="a")
    bids(j, "a", range(4), 1, "toward", author="a")
    bids(j, "b", range(3), 1, "toward", author="a")
    cycle = assess(j, TODAY, T)
    assert (cycle.state, cycle.pursuer, cycle.voices) == (
        CycleState.ONE_SIDED,
        None,
        Voices.ONE_SIDED,
    )
    # Jordan logging his own part fills the picture in: a quarter is enough.
    bids(j, "a", range(7), 1, "away", author="b")
    cycle = assess(j, TODAY, T)
    assert (cycle.state, cycle.pursuer, cycle.voices) == (
        CycleState.PURSUE_WITHDRAW,
        "a",
        Voices.BOTH,
    )


@pytest.mark.parametrize(
    ("logged", "voices"),
    [
        ({"a": 15, "b": 5}, Voices.BOTH),  # exactly a quarter
        ({"a": 16, "b": 4}, Voices.ONE_SIDED),
        ({"a": 20}, Voices.ONE_SIDED),
        ({"a": 5, "b": 5, None: 10}, Voices.BOTH),  # half unknown: the known half decides
        ({"a": 5, "b": 4, None: 10}, Voices.UNRECOGNISED),
        ({None: 20}, Voices.UNRECOGNISED),
    ],
)
def test_whose_voices_the_picture_rests_on(logged: dict[str | None, int], voices: Voices) -> None:
    j = Journal(BERLIN)
    for author, count in logged.items():
        bids(j, "a", range(count), 1, "away", author=author)
    cycle = assess(j, TODAY, T)
    assert cycle.voices is voices
    named = voices is Voices.BOTH
    assert cycle.state is (CycleState.PURSUE_WITHDRAW if named else CycleState.ONE_SIDED)
    assert (cycle.pursuer == "a") is named


def test_a_burned_out_pursuer_told_by_one_voice_is_one_sided() -> None:
    j = checking_in(Journal(BERLIN))
    bids(j, "a", range(8, 36), 1, "away", author="a")
    cycle = assess(j, TODAY, T)
    assert (cycle.state, cycle.pursuer) == (CycleState.ONE_SIDED, None)
    assert not support_suggested(j, TODAY, T, None, cycle)


def test_check_ins_started_count_as_reaching() -> None:
    j = Journal(BERLIN)
    bids(j, "b", range(4), 1, "toward")
    for back in range(8):
        start = NOW - timedelta(days=back)
        j.record_session(Session(started_at=start, ended_at=start, complete=True, started_by="a"))
    cycle = assess(j, TODAY, T)
    assert cycle.pursuer == "a"
    assert cycle.partners["a"].initiation_share == pytest.approx(8 / 12, abs=0.001)


def burned_out(j: Journal) -> Journal:
    """Maya reached daily for four weeks, mostly unmet, then went quiet."""
    bids(j, "a", range(8, 36), 1, "away")
    bids(j, "a", range(8, 36, 4), 1, "toward")
    bids(j, "b", range(10, 13), 1, "toward")
    bids(j, "a", range(2, 3), 1, "away")
    return checking_in(j)


def test_a_pursuer_who_goes_quiet_after_unmet_bids_is_at_risk() -> None:
    cycle = assess(burned_out(Journal(BERLIN)), TODAY, T)
    assert cycle.state is CycleState.BURNED_OUT_PURSUER_RISK
    assert cycle.pursuer == "a"
    assert cycle.partners["a"].bid_rate_7d == round(1 / 7, 2)
    # The baseline is the 28 days before the recent week (7-34 days ago): 27 + 7 bids.
    assert cycle.partners["a"].bid_rate_28d == round(34 / 28, 2)


def test_a_pursuer_who_goes_quiet_after_met_bids_is_not_at_risk() -> None:
    j = Journal(BERLIN)
    bids(j, "a", range(8, 36), 1, "toward")
    bids(j, "b", range(12), 1, "toward")
    assert assess(j, TODAY, T).state is not CycleState.BURNED_OUT_PURSUER_RISK


def test_both_pulling_back_is_freeze_and_flee() -> None:
    j = checking_in(Journal(BERLIN))
    bids(j, "a", range(8, 36, 2), 1, "toward")
    bids(j, "b", range(9, 36, 2), 1, "away")
    cycle = assess(j, TODAY, T)
    assert cycle.state is CycleState.FREEZE_AND_FLEE
    # Quiet does not mean fine: with no recent events this is not "insufficient data".
    assert cycle.partners["a"].bid_rate_7d == 0


def test_a_couple_who_stopped_logging_are_not_read_as_frozen_or_burned_out() -> None:
    """Two weeks of nothing logged at all, check-ins included, is quiet, not a pattern."""
    frozen = Journal(BERLIN)
    bids(frozen, "a", range(15, 45, 2), 1, "toward")
    bids(frozen, "b", range(16, 45, 2), 1, "away")
    quiet = Journal(BERLIN)
    bids(quiet, "a", range(15, 45), 1, "away")
    for j in (frozen, quiet):
        assert assess(j, TODAY, T).state is CycleState.INSUFFICIENT_DATA
        assert not support_suggested(j, TODAY, T, None)
    # One night checked in of the last seven is not yet checking in; two are.
    checking_in(frozen, range(1, 2))
    assert assess(frozen, TODAY, T).state is CycleState.INSUFFICIENT_DATA
    checking_in(frozen, range(3, 4))
    assert assess(frozen, TODAY, T).state is CycleState.FREEZE_AND_FLEE
    assert assess(frozen, TODAY, Thresholds(checking_in_nights=3)).state is (
        CycleState.INSUFFICIENT_DATA
    )


def test_thresholds_change_the_answer() -> None:
    j = burned_out(Journal(BERLIN))
    assert assess(j, TODAY, Thresholds(drop=0.95)).state is not CycleState.BURNED_OUT_PURSUER_RISK
    assert assess(j, TODAY, Thresholds(min_events=1000)).state is not CycleState.PURSUE_WITHDRAW


def test_support_is_suggested_when_a_risk_lasts_or_a_rupture_stays_open() -> None:
    # Maya reached, unmet, from 60 to 21 days ago, then stopped: a risk for two
    # weeks, while the couple kept checking in.
    j = checking_in(Journal(BERLIN), range(0, 22, 2))
    bids(j, "a", range(21, 61), 1, "away")
    assert all(
        assess(j, TODAY - timedelta(days=k), T).state is CycleState.BURNED_OUT_PURSUER_RISK
        for k in range(14)
    )
    assert support_suggested(j, TODAY, T, None)
    assert not support_suggested(j, TODAY, Thresholds(support_days=40), None)
    quiet = Journal(BERLIN)
    assert not support_suggested(quiet, TODAY, T, 13)
    assert support_suggested(quiet, TODAY, T, 14)


def test_reminders_are_due_for_an_overdue_repair_or_missed_check_ins() -> None:
    assert reminder_due(repair_overdue=True, last_check_in=None, today=TODAY, t=T) is (
        ReminderReason.REPAIR
    )
    week_ago = TODAY - timedelta(days=7)
    assert reminder_due(repair_overdue=False, last_check_in=week_ago, today=TODAY, t=T) is (
        ReminderReason.CHECK_IN
    )
    two_days = TODAY - timedelta(days=2)
    assert reminder_due(repair_overdue=False, last_check_in=two_days, today=TODAY, t=T) is None
    # A couple who never checked in is not nagged about it.
    assert reminder_due(repair_overdue=False, last_check_in=None, today=TODAY, t=T) is None


@pytest.mark.parametrize(
    ("clock", "last_sent", "snoozed_until", "allowed"),
    [
        ("21:30", None, None, True),
        ("21:30", TODAY, None, False),  # once a day
        ("21:30", TODAY - timedelta(days=1), None, True),
        ("23:00", None, None, False),  # quiet hours
        ("07:59", None, None, False),
        ("21:30", None, TODAY + timedelta(days=1), False),  # snoozed
        ("21:30", None, TODAY, True),  # the snooze ended today
    ],
)
def test_may_send(
    clock: str, last_sent: date | None, snoozed_until: date | None, allowed: bool
) -> None:
    now = datetime.combine(TODAY, time.fromisoformat(clock), BERLIN)
    quiet = (time(22, 30), time(8, 0))
    assert may_send(now, last_sent=last_sent, snoozed_until=snoozed_until, quiet=quiet) is allowed


def test_the_withdrawer_is_invited_and_the_pursuer_may_rest() -> None:
    j = Journal(BERLIN)
    bids(j, "a", range(12), 1, "away")
    bids(j, "b", range(2), 1, "toward")
    cycle = assess(j, TODAY, T)
    assert reminder_messages(ReminderReason.REPAIR, cycle) == {
        "a": "repair_pursuer",
        "b": "repair_withdrawer",
        "both": "repair_both",
    }
    connected = assess(Journal(BERLIN), TODAY, T)
    assert reminder_messages(ReminderReason.CHECK_IN, connected) == {
        "a": "check_in_both",
        "b": "check_in_both",
        "both": "check_in_both",
    }


def test_support_suggested_with_todays_cycle_agrees() -> None:
    lasting = checking_in(Journal(BERLIN), range(0, 22, 2))
    bids(lasting, "a", range(21, 61), 1, "away")
    for j in (lasting, burned_out(Journal(BERLIN)), Journal(BERLIN)):
        for t in (T, Thresholds(support_days=1)):
            cycle = assess(j, TODAY, t)
            assert support_suggested(j, TODAY, t, None, cycle) == support_suggested(
                j, TODAY, t, None
            )
    assert support_suggested(lasting, TODAY, T, None, assess(lasting, TODAY, T))
