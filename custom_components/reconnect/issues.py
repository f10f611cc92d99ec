"""Home Assistant Repairs issues: system problems only (a relationship "repair" is not one)."""

from __future__ import annotations

from pathlib import Path

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN


def _corrupt_copies(storage: Path, key: str) -> list[Path]:
    return sorted(storage.glob(f"{key}.corrupt.*"))


async def async_report_corrupt_journal(hass: HomeAssistant, key: str, title: str) -> bool:
    """Tell the user where HA kept an unreadable journal; return whether there was one.

    HA's Store renames a file it cannot decode to <file>.corrupt.<time> and
    starts empty. Reconnect never writes to that copy.
    """
    storage = Path(hass.config.path(".storage"))
    copies = await hass.async_add_executor_job(_corrupt_copies, storage, key)
    if not copies:
        return False
    ir.async_create_issue(
        hass,
        DOMAIN,
        f"corrupt_journal_{copies[-1].name}",
        is_fixable=False,
        is_persistent=True,
        severity=ir.IssueSeverity.ERROR,
        translation_key="corrupt_journal",
        translation_placeholders={"couple": title, "path": str(copies[-1])},
    )
    return True


SENTENCES_NOT_RELOADED = "sentences_not_reloaded"


@callback
def async_report_sentences_not_reloaded(hass: HomeAssistant, error: str) -> None:
    """Say that Assist could not reload our sentences, so triggers stand in for them."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        SENTENCES_NOT_RELOADED,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=SENTENCES_NOT_RELOADED,
        translation_placeholders={"error": error},
    )


@callback
def async_clear_sentences_not_reloaded(hass: HomeAssistant) -> None:
    """Withdraw that issue once a reload worked."""
    ir.async_delete_issue(hass, DOMAIN, SENTENCES_NOT_RELOADED)
