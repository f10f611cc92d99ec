"""Diagnostics: counts and settings only. Names, notes and appreciations never leave."""

from __future__ import annotations

from collections import Counter
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .const import (
    CONF_DELIVERY,
    CONF_PARTNER_A,
    CONF_PARTNER_B,
    CONF_PERSON_A,
    CONF_PERSON_B,
    CONF_SATELLITES_A,
    CONF_SATELLITES_B,
)
from .coordinator import ReconnectConfigEntry

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
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: ReconnectConfigEntry
) -> dict[str, Any]:
    """Return what helps debugging without anything a couple said or who they are."""
    coordinator = entry.runtime_data.coordinator
    journal = coordinator.journal
    insights = coordinator.data
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
            "events": len(journal.events),
            "by_kind": dict(sorted(Counter(str(e.kind) for e in journal.events).items())),
            "with_text": sum(1 for e in journal.events if e.text),
            "automatic": sum(1 for e in journal.events if e.auto),
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
