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


# Why Reconnect's sentences are heard through sentence triggers, and what each names.
SENTENCES_ISSUES = {
    "sentences_not_reloaded": "error",
    "sentences_file_not_ours": "path",
    "sentences_unusable": "error",
}


@callback
def async_report_sentences_issue(hass: HomeAssistant, key: str, detail: str) -> None:
    """Say why our sentences file is not in use, so triggers stand in for it."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        key,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=key,
        translation_placeholders={SENTENCES_ISSUES[key]: detail},
    )


@callback
def async_clear_sentences_issue(hass: HomeAssistant) -> None:
    """Withdraw those issues once the file is ours and reloaded."""
    for key in SENTENCES_ISSUES:
        ir.async_delete_issue(hass, DOMAIN, key)
