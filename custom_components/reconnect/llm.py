"""Reconnect's intents as tools for LLM agents, through HA's Assist API.

HA 2026.8 and later ask each integration's llm.py for its tools; earlier
releases offered every registered intent as a tool by itself, so this module
is only ever loaded where `homeassistant.components.llm` exists.
"""

from __future__ import annotations

from homeassistant.components.llm import LLMTools
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import intent
from homeassistant.helpers.llm import LLM_API_ASSIST, IntentTool, LLMContext, ToolAnnotations

from .const import DOMAIN
from .intent import HANDLERS, Status, Undo

# What each tool does to the couple's journal, for agents that ask before acting.
# Everything stays in Home Assistant: no tool reaches outside it.
_LOGS = ToolAnnotations(destructive=False, open_world=False)
_ANNOTATIONS = {
    Status.intent_type: ToolAnnotations(read_only=True, destructive=False, open_world=False),
    Undo.intent_type: ToolAnnotations(destructive=True, open_world=False),
}
_OURS = {handler.intent_type for handler in HANDLERS}


@callback
def async_get_tools(hass: HomeAssistant, llm_context: LLMContext, api_id: str) -> LLMTools | None:
    """Offer Reconnect's intents to the Assist API while a couple is set up."""
    if api_id != LLM_API_ASSIST or not hass.config_entries.async_loaded_entries(DOMAIN):
        return None
    return LLMTools(
        tools=[
            IntentTool(
                f"{DOMAIN}__{handler.intent_type}",
                handler,
                integration=DOMAIN,
                annotations=_ANNOTATIONS.get(handler.intent_type, _LOGS),
            )
            for handler in intent.async_get(hass)
            if handler.intent_type in _OURS
        ]
    )
