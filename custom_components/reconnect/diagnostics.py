"""Diagnostics: counts and settings only. Names, notes and appreciations never leave."""

from __future__ import annotations

from collections import Counter
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .const import (
    CONF_ALIASES_A,
    CONF_ALIASES_B,
    CONF_DELIVERY,
    CONF_PARTNER_A,
    CONF_PARTNER_B,
    CONF_PERSON_A,
    CONF_PERSON_B,
    CONF_SATELLITES_A,
    CONF_SATELLITES_B,
)
from .coordinator import ReconnectConfigEntry
from .events import EventRows

TO_REDACT = {
    "title",
    "unique_id",
    CONF_PARTNER_A,
    CONF_PARTNER_B,
    CONF_PERSON_A,
    CONF_PERSON_B,
    CONF_SATELLITES_A,
    CONF_SATELLITES_B,
    CONF_DELIVERY,
    # Nicknames say who the couple are as much as their names do.
    CONF_ALIASES_A,
    CONF_ALIASES_B,
}


def count_events(events: EventRows) -> dict[str, Any]:
    """Count the events, by kind, with text and automatic (reads every row)."""
    kinds: Counter[str] = Counter()
    with_text = automatic = 0
    for event in events:
        kinds[str(event.kind)] += 1
        with_text += bool(event.text)
        automatic += event.auto
    return {
        "events": len(events),
        "by_kind": dict(sorted(kinds.items())),
        "with_text": with_text,
        "automatic": automatic,
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: ReconnectConfigEntry
) -> dict[str, Any]:
    """Return what helps debugging without anything a couple said or who they are."""
    coordinator = entry.runtime_data.coordinator
    journal = coordinator.journal
    insights = coordinator.data
    # Counting reads every row: in the executor, from a copy taken now.
    counts = await hass.async_add_executor_job(count_events, journal.events.copy())
    return {
        "entry": async_redact_data(
            {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            TO_REDACT,
        ),
        "journal": {
            **counts,
            "sessions": len(journal.sessions),
            "complete_sessions": sum(1 for s in journal.sessions if s.complete),
            "prompts_used": len(journal.prompts_used),
            "snoozed": journal.snoozed_until is not None,
            "time_zone": journal.time_zone_name,
        },
        "insights": {
            "days_since_repair": insights.days_since_repair,
            "open_ruptures": insights.open_ruptures,
            "check_in_streak": insights.check_in_streak,
            "cycle": str(insights.cycle.state),
            "support_suggested": insights.support_suggested,
        },
        "store": {"version": coordinator.store.version, "minor": coordinator.store.minor_version},
    }
