"""Time-of-day rules (quiet hours), as pure functions."""

from __future__ import annotations

from datetime import time


def in_quiet_hours(moment: time, start: time, end: time) -> bool:
    """Tell whether `moment` falls in [start, end), which may wrap past midnight."""
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end
