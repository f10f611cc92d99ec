"""When a gentle reminder is due, whether it may go out now, and who gets which words.

Pure rules with no Home Assistant imports; reminders.py schedules and delivers,
and the words are in sentences/<lang>.yaml. Every reminder is an invitation:
at most one a day, never while snoozed, never in quiet hours, and fewer over
time: they back off, then stop, while nothing changes. The early warning (when
burnout risk starts) follows the same rules, and goes only to each partner's
own devices.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Final

from .cycle import ROLE_STATES, Cycle, CycleState, Thresholds, Voices
from .journal import other
from .schedule import in_quiet_hours
from .state import WarningEpisode

# Days after a reminder first falls due on which it is sent: with the default
# three days before a repair reminder, days 3, 5 and 9 of an open rupture. The
# last one says it is the last, and offers a snooze or a talk; then nothing
# more until a repair or a check-in starts afresh.
BACKOFF_DAYS: Final = (0, 2, 6)

# A risk that comes and goes is one early-warning episode, backing off as one:
# a new one starts only after this many days without the risk.
WARNING_RESET_DAYS: Final = 14
# Snoozed from a phone's notification, or by voice with no time said.
DEFAULT_SNOOZE_DAYS: Final = 7
MAX_SNOOZE_DAYS: Final = 30
WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class ReminderReason(StrEnum):
    """Why a gentle reminder is due."""

    REPAIR = "repair"
    CHECK_IN = "check_in"
    # Burnout risk started: a private note on each partner's own devices.
    EARLY_WARNING = "early_warning"


def reminder_due(
    *,
    repair_overdue: bool,
    last_check_in: date | None,
    today: date,
    t: Thresholds,
) -> ReminderReason | None:
    """Return why a reminder is due today, or None."""
    if repair_overdue:
        return ReminderReason.REPAIR
    if last_check_in is not None and (today - last_check_in).days >= t.check_in_gap_days:
        return ReminderReason.CHECK_IN
    return None


def due_since(
    reason: ReminderReason,
    *,
    today: date,
    open_rupture_days: int | None,
    repair_reminder_days: int,
    last_check_in: date | None,
    t: Thresholds,
) -> date:
    """Return the first local day the reminder for `reason` fell due.

    `today` is the day `open_rupture_days` was counted to.
    """
    if reason is ReminderReason.REPAIR and open_rupture_days is not None:
        return today - timedelta(days=max(0, open_rupture_days - repair_reminder_days))
    if last_check_in is not None:
        return last_check_in + timedelta(days=t.check_in_gap_days)
    return today


def backoff_step(since: date, today: date, last_sent: date | None) -> int | None:
    """Return which backoff step is due today (0, 1, 2), or None.

    A step missed to a snooze or quiet hours goes out once, late; a step that
    went out is not repeated; after the last step nothing more is sent.
    """
    age = (today - since).days
    if age < 0:
        return None
    step = max(i for i, days in enumerate(BACKOFF_DAYS) if days <= age)
    if last_sent is not None and last_sent >= since + timedelta(days=BACKOFF_DAYS[step]):
        return None
    return step


def is_last_step(step: int) -> bool:
    """Tell whether this is the last reminder before they stop."""
    return step == len(BACKOFF_DAYS) - 1


def may_send(
    now: datetime, *, last_sent: date | None, snoozed_until: date | None, quiet: tuple[time, time]
) -> bool:
    """At most one a day, never while snoozed, never in quiet hours (`now` is local)."""
    today = now.date()
    if last_sent == today or (snoozed_until is not None and today < snoozed_until):
        return False
    return not in_quiet_hours(now.time(), *quiet)


def reminder_messages(reason: ReminderReason, cycle: Cycle) -> dict[str, str]:
    """Choose the message key for each partner ("a", "b") and for shared places ("both").

    The withdrawer is invited to step forward and lead; the pursuer is given
    permission to rest and to name how they feel, never asked to push harder.
    Roles are named only in pursue-withdraw and burnout risk, told by both
    voices (cycle.pursuer is None otherwise). In freeze-and-flee both have
    pulled back: nobody is told to rest, and both get the couple's words. The
    early warning is in couple words too: the cycle is the problem, not a person.
    """
    both = f"{reason}_both"
    if (
        reason is ReminderReason.EARLY_WARNING
        or cycle.pursuer is None
        or cycle.state not in ROLE_STATES
    ):
        return {"a": both, "b": both, "both": both}
    return {
        cycle.pursuer: f"{reason}_pursuer",
        other(cycle.pursuer): f"{reason}_withdrawer",
        "both": both,
    }


def reminder_extras(cycle: Cycle, *, last: bool, support: bool) -> list[str]:
    """Name the messages added after the words, in order.

    In freeze-and-flee, one small invitation; "last" when reminders stop after
    this one; "support" while outside support is suggested.
    """
    extra = []
    if cycle.state is CycleState.FREEZE_AND_FLEE:
        extra.append("freeze_invitation")
    if last:
        extra.append("last")
    if support:
        extra.append("support")
    return extra


def early_warning_risk(cycle: Cycle) -> bool:
    """Tell whether the early warning applies: burnout risk, in a picture told by both.

    A one-sided or unrecognised picture never names roles (its state is then
    ONE_SIDED), and never sends the warning either.
    """
    return cycle.state is CycleState.BURNED_OUT_PURSUER_RISK and cycle.voices is Voices.BOTH


def track_warning(episode: WarningEpisode, *, risk: bool, today: date) -> WarningEpisode:
    """Move the early warning's course on to `today`, seen with or without the risk.

    The risk starting after `WARNING_RESET_DAYS` without it is a new episode;
    a day or two out of it is the same one, still backing off.
    """
    if not risk:
        return episode
    if (
        episode.since is None
        or episode.last_risk is None
        or (today - episode.last_risk).days > WARNING_RESET_DAYS
    ):
        return replace(episode, since=today, last_risk=today)
    return replace(episode, last_risk=today)


def early_warning_step(episode: WarningEpisode, *, risk: bool, today: date) -> int | None:
    """Return which of the early warning's backoff steps is due today, or None."""
    if not risk or episode.since is None:
        return None
    return backoff_step(episode.since, today, episode.last_sent)


def snooze_until(
    today: date, *, days: int | None = None, weekday: str | None = None
) -> date | None:
    """Return the local day reminders resume; None resumes them now.

    `days` from today (0 resumes now), else the next `weekday` ("monday"; a
    week on when it is today), else a week.
    """
    if days is not None:
        return today + timedelta(days=min(days, MAX_SNOOZE_DAYS)) if days > 0 else None
    if weekday is not None:
        ahead = (WEEKDAYS.index(weekday) - today.weekday()) % 7
        return today + timedelta(days=ahead or 7)
    return today + timedelta(days=DEFAULT_SNOOZE_DAYS)
