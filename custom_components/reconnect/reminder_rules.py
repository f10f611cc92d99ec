"""When a gentle reminder is due, whether it may go out now, and who gets which words.

Pure rules with no Home Assistant imports; reminders.py schedules and delivers,
and the words are in sentences/<lang>.yaml. Every reminder is an invitation:
at most one a day, never while snoozed, never in quiet hours.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from .cycle import Cycle, Thresholds
from .journal import other
from .schedule import in_quiet_hours


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
    Without clear roles, everyone gets the same message.
    """
    both = f"{reason}_both"
    if cycle.pursuer is None:
        return {"a": both, "b": both, "both": both}
    return {
        cycle.pursuer: f"{reason}_pursuer",
        other(cycle.pursuer): f"{reason}_withdrawer",
        "both": both,
    }
