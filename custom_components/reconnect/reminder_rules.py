"""When a gentle reminder is due, whether it may go out now, and who gets which words.

Pure rules with no Home Assistant imports; reminders.py schedules and delivers,
and the words are in sentences/<lang>.yaml. Every reminder is an invitation:
at most one a day, never while snoozed, never in quiet hours, and fewer over
time: they back off, then stop, while nothing changes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Final

from .cycle import Cycle, CycleState, Thresholds
from .journal import other
from .schedule import in_quiet_hours

# Days after a reminder first falls due on which it is sent: with the default
# three days before a repair reminder, days 3, 5 and 9 of an open rupture. The
# last one says it is the last, and offers a snooze or a talk; then nothing
# more until a repair or a check-in starts afresh.
BACKOFF_DAYS: Final = (0, 2, 6)

# Roles matter only while the couple is in a cycle; otherwise everyone gets
# the same words.
ROLE_STATES: Final = frozenset(
    {CycleState.PURSUE_WITHDRAW, CycleState.BURNED_OUT_PURSUER_RISK, CycleState.FREEZE_AND_FLEE}
)


class ReminderReason(StrEnum):
    """Why a gentle reminder is due."""

    REPAIR = "repair"
    CHECK_IN = "check_in"


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
    Without clear roles, or outside a cycle (a connected couple), everyone gets
    the same message.
    """
    both = f"{reason}_both"
    if cycle.pursuer is None or cycle.state not in ROLE_STATES:
        return {"a": both, "b": both, "both": both}
    return {
        cycle.pursuer: f"{reason}_pursuer",
        other(cycle.pursuer): f"{reason}_withdrawer",
        "both": both,
    }
