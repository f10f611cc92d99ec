"""The couple's state that is not events: check-ins held and prompts asked, and reminders.

Pure Python with no Home Assistant imports. Each object is read freely and
changed only through its methods, which the coordinator calls (and saves after).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from .events import Session


class CheckInHistory:
    """Every check-in held, each prompt's last day asked, and when the intro was told.

    Prompts rotate by their last day; the intro (what Reconnect keeps, who can
    read it) is told at the couple's first check-in.
    """

    __slots__ = ("_prompts", "_sessions", "intro_told")

    def __init__(
        self,
        sessions: Iterable[Session] = (),
        prompts_used: Mapping[str, date] | None = None,
        intro_told: date | None = None,
    ) -> None:
        """Hold the stored history."""
        self._sessions: list[Session] = list(sessions)
        self._prompts: dict[str, date] = dict(prompts_used or {})
        self.intro_told = intro_told

    @property
    def sessions(self) -> Sequence[Session]:
        """Return the check-ins held, oldest first."""
        return tuple(self._sessions)

    @property
    def prompts_used(self) -> Mapping[str, date]:
        """Return each prompt's last day asked (a read-only view)."""
        return MappingProxyType(self._prompts)

    def add(self, session: Session) -> None:
        """Keep a finished or partial check-in."""
        self._sessions.append(session)

    def use_prompt(self, prompt_id: str, day: date) -> None:
        """Remember that a prompt was asked on a day."""
        self._prompts[prompt_id] = day

    def tell_intro(self, day: date) -> None:
        """Remember that the couple heard what Reconnect keeps."""
        self.intro_told = day

    def clear(self) -> None:
        """Forget every check-in and prompt (the intro is told again)."""
        self._sessions.clear()
        self._prompts.clear()
        self.intro_told = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WarningEpisode:
    """The early warning's course: when burnout risk began, was last seen, and the note last sent.

    The rules that move it on are in reminder_rules.py (track_warning).
    """

    since: date | None = None
    last_risk: date | None = None
    last_sent: date | None = None


class ReminderState:
    """The last day a reminder was sent, the day a snooze ends, and the early warning's course."""

    __slots__ = ("_last_sent", "_snoozed_until", "_warning")

    def __init__(
        self,
        last_sent: date | None = None,
        snoozed_until: date | None = None,
        warning: WarningEpisode | None = None,
    ) -> None:
        """Hold the stored state."""
        self._last_sent = last_sent
        self._snoozed_until = snoozed_until
        self._warning = warning or WarningEpisode()

    @property
    def last_sent(self) -> date | None:
        """Return the last day a reminder was sent."""
        return self._last_sent

    @property
    def snoozed_until(self) -> date | None:
        """Return the day reminders resume, if they are snoozed."""
        return self._snoozed_until

    def mark_sent(self, day: date) -> None:
        """Remember that today's reminder went out."""
        self._last_sent = day

    @property
    def warning(self) -> WarningEpisode:
        """Return the early warning's course."""
        return self._warning

    def snooze(self, until: date | None) -> None:
        """Hold reminders until a day (None resumes them)."""
        self._snoozed_until = until

    def set_warning(self, episode: WarningEpisode) -> None:
        """Keep the early warning's new course."""
        self._warning = episode

    def clear(self) -> None:
        """Forget all of it."""
        self._last_sent = self._snoozed_until = None
        self._warning = WarningEpisode()
