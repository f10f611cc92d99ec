"""Actions: log the couple's moments, undo, and read a summary."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import asdict
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from homeassistant.auth.permissions.const import POLICY_CONTROL
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import ServiceValidationError, Unauthorized, UnknownUser
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import async_register_admin_service
from homeassistant.util import dt as dt_util

from . import couples, satellite_checkin
from .const import ATTR_CONFIG_ENTRY_ID, DOMAIN
from .coordinator import ReconnectConfigEntry, ReconnectCoordinator
from .journal import BOTH, Couple, Event, JournalError
from .schema import vol
from .store import export_history

ATTR_WHEN = "when"


def _whole_number(value: Any) -> int:
    """Accept 4, 4.0 and "4"; refuse 4.5, True and words."""
    if isinstance(value, bool):
        raise vol.Invalid("not a whole number")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise vol.Invalid("not a whole number")


_BASE: dict[vol.Marker, Any] = {
    vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
}
_LOGGED: dict[vol.Marker, Any] = {**_BASE, vol.Optional(ATTR_WHEN): cv.datetime}

SCHEMAS: dict[str, vol.Schema] = {
    "log_bid": vol.Schema(
        {
            **_LOGGED,
            vol.Required("bidder"): cv.string,
            vol.Required("response"): cv.string,
            vol.Optional("note"): cv.string,
        }
    ),
    "log_check_in": vol.Schema(
        {
            **_LOGGED,
            vol.Required("partner"): cv.string,
            vol.Required("rating"): _whole_number,
            vol.Optional("appreciation"): cv.string,
        }
    ),
    "log_rupture": vol.Schema(
        {
            **_LOGGED,
            vol.Optional("hurt"): cv.string,
            # Who raised or started it, from automations written before Reconnect
            # stopped keeping it: accepted, and not stored (see log_rupture).
            vol.Optional("partner"): cv.string,
            vol.Optional("note"): cv.string,
        }
    ),
    "log_repair": vol.Schema(
        {**_LOGGED, vol.Required("initiator"): cv.string, vol.Optional("note"): cv.string}
    ),
    "undo_last": vol.Schema(_BASE),
    "remove_entry": vol.Schema(
        {**_BASE, vol.Required("entry"): vol.All(_whole_number, vol.Range(min=1))}
    ),
    "get_summary": vol.Schema(_BASE),
    "still_open": vol.Schema(_BASE),
    "snooze_reminders": vol.Schema(
        {**_BASE, vol.Required("days"): vol.All(_whole_number, vol.Range(min=0, max=30))}
    ),
    "start_check_in": vol.Schema({**_BASE, vol.Optional("satellite"): cv.entity_ids}),
    "export": vol.Schema(_BASE),
    "forget": vol.Schema({**_BASE, vol.Required("confirm"): cv.string}),
}

type ActionFn = Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]
type Handler = Callable[
    [ReconnectCoordinator, dict[str, Any], str | None], Awaitable[ServiceResponse]
]


async def _require_admin(call: ServiceCall) -> None:
    """Refuse a non-admin user, as HA's admin services do."""
    if not call.context.user_id:
        return  # automations and the system act with no user
    user = await call.hass.auth.async_get_user(call.context.user_id)
    if user is None:
        raise UnknownUser(context=call.context, permission=POLICY_CONTROL)
    if not user.is_admin:
        raise Unauthorized(context=call.context, permission=POLICY_CONTROL)


def _action(name: str) -> Callable[[Handler], ActionFn]:
    """Validate a call, find its couple, and translate domain errors."""

    def decorate(handler: Handler) -> ActionFn:
        @wraps(handler)
        async def run(call: ServiceCall) -> ServiceResponse:
            # Validate here rather than at registration: HA logs the whole call
            # data when a registered schema fails, and notes are private.
            try:
                data = SCHEMAS[name](dict(call.data))
            except (vol.Invalid, TypeError, ValueError) as err:
                # Some HA validators raise TypeError on odd input (cv.entity_ids(False)).
                path = err.path if isinstance(err, vol.Invalid) else []
                field = ".".join(str(p) for p in path) or "data"
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="invalid_field",
                    translation_placeholders={"field": field[:60]},
                ) from None
            # An empty id (as a blueprint passes it) means "not given".
            coordinator = _coordinator(call.hass, data.get(ATTR_CONFIG_ENTRY_ID) or None)
            # Who acts: the partner whose linked person is the calling user (a
            # card tap, the app); None for automations and anyone else.
            author = couples.speaker(call.hass, coordinator, call.context, None)
            try:
                return await handler(coordinator, data, author)
            except JournalError as err:
                placeholders = {"partners": _partner_names(coordinator), **err.placeholders}
                placeholders.pop("name", None)
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key=err.key,
                    translation_placeholders=placeholders,
                ) from None

        return run

    return decorate


def _partner_names(coordinator: ReconnectCoordinator) -> str:
    couple = coordinator.couple
    return f"{couple.name_a}, {couple.name_b}"


def _coordinator(hass: HomeAssistant, entry_id: str | None) -> ReconnectCoordinator:
    """Find the couple a call is for; the id is needed only with several couples."""
    entries: list[ReconnectConfigEntry] = hass.config_entries.async_loaded_entries(DOMAIN)
    if entry_id is not None:
        entries = [e for e in entries if e.entry_id == entry_id]
        if not entries:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="entry_not_found"
            )
    if not entries:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="not_set_up")
    if len(entries) > 1:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="ambiguous_entry")
    return entries[0].runtime_data.coordinator


def _when(data: dict[str, Any]) -> dict[str, Any]:
    """Pass an explicit time through, reading a naive one as local time."""
    when: datetime | None = data.get(ATTR_WHEN)
    return {"at": dt_util.as_utc(when)} if when is not None else {}


def describe(event: Event, coordinator: ReconnectCoordinator) -> dict[str, Any]:
    """Describe an event for a response, without its free text.

    `partner`: who checked in, bid or led a repair, or, for a rupture, who is hurt.
    """
    couple = coordinator.couple
    described = {
        "id": event.id,
        "kind": str(event.kind),
        "at": event.at.isoformat(),
        "partner": couple.name_of(event.partner) if event.partner else None,
        "rating": event.rating,
        "response": str(event.response) if event.response else None,
        "automatic": event.auto,
        "logged_by": couple.name(event.author) if event.author else None,
    }
    if event.awaits:
        described["awaits"] = couple.name(event.awaits)
    return described


def initiator(couple: Couple, name: str) -> str:
    """Resolve who led a repair: a partner, or "both" when they did it together."""
    return BOTH if name.strip().casefold() == BOTH else couple.resolve(name)


def _logged(events: list[Event], coordinator: ReconnectCoordinator) -> ServiceResponse:
    return {"events": [describe(e, coordinator) for e in events]}


@_action("log_bid")
async def _log_bid(
    coordinator: ReconnectCoordinator, data: dict[str, Any], author: str | None
) -> ServiceResponse:
    events = await coordinator.async_record(
        coordinator.journal.log_bid,
        author=author,
        bidder=coordinator.couple.resolve(data["bidder"]),
        response=data["response"].strip().lower(),
        note=data.get("note"),
        auto_rupture=coordinator.auto_rupture,
        **_when(data),
    )
    return _logged(events, coordinator)


@_action("log_check_in")
async def _log_check_in(
    coordinator: ReconnectCoordinator, data: dict[str, Any], author: str | None
) -> ServiceResponse:
    events = await coordinator.async_record(
        coordinator.journal.log_check_in,
        author=author,
        partner=coordinator.couple.resolve(data["partner"]),
        rating=data["rating"],
        appreciation=data.get("appreciation"),
        auto_rupture=coordinator.rupture_on_low_rating,
        **_when(data),
    )
    return _logged(events, coordinator)


@_action("log_rupture")
async def _log_rupture(
    coordinator: ReconnectCoordinator, data: dict[str, Any], author: str | None
) -> ServiceResponse:
    hurt = data.get("hurt")
    events = await coordinator.async_record(
        coordinator.journal.log_rupture,
        author=author,
        hurt=coordinator.couple.resolve(hurt) if hurt else None,
        note=data.get("note"),
        **_when(data),
    )
    return _logged(events, coordinator)


@_action("log_repair")
async def _log_repair(
    coordinator: ReconnectCoordinator, data: dict[str, Any], author: str | None
) -> ServiceResponse:
    events = await coordinator.async_record(
        coordinator.journal.log_repair,
        author=author,
        initiator=initiator(coordinator.couple, data["initiator"]),
        note=data.get("note"),
        **_when(data),
    )
    return _logged(events, coordinator)


@_action("undo_last")
async def _undo_last(
    coordinator: ReconnectCoordinator, data: dict[str, Any], author: str | None
) -> ServiceResponse:
    removed = await coordinator.async_undo(author)
    return {"removed": [describe(e, coordinator) for e in removed]}


@_action("remove_entry")
async def _remove_entry(
    coordinator: ReconnectCoordinator, data: dict[str, Any], author: str | None
) -> ServiceResponse:
    removed = await coordinator.async_remove(data["entry"], author)
    return {"removed": [describe(e, coordinator) for e in removed]}


@_action("get_summary")
async def _get_summary(
    coordinator: ReconnectCoordinator, data: dict[str, Any], author: str | None
) -> ServiceResponse:
    insights = coordinator.data
    couple = coordinator.couple
    return {
        "config_entry_id": coordinator.config_entry.entry_id,
        "title": coordinator.config_entry.title,
        "couple": {
            "days_since_repair": insights.days_since_repair,
            "open_ruptures": insights.open_ruptures,
            "open_rupture_days": insights.open_rupture_days,
            "repair_overdue": insights.repair_overdue,
            "last_check_in": insights.last_check_in.isoformat() if insights.last_check_in else None,
            "checked_in_today": insights.checked_in_today,
            "check_in_streak": insights.check_in_streak,
            "nights_checked_in_14d": insights.nights_checked_in_14d,
            "bids_7d": insights.bids_7d,
            "turned_toward_7d": insights.turned_toward_7d,
            "nightly_14d": list(insights.nightly_14d),
            "ask_still_open": insights.ask_still_open,
        },
        "partners": [
            {
                "key": key,
                "name": couple.name(key),
                **asdict(partner),
                "nightly_14d": list(partner.nightly_14d),
            }
            for key, partner in insights.partners.items()
        ],
    }


@_action("still_open")
async def _still_open(
    coordinator: ReconnectCoordinator, data: dict[str, Any], author: str | None
) -> ServiceResponse:
    coordinator.async_confirm_open()
    return {"still_open": True}


async def _summary_for_caller(call: ServiceCall) -> ServiceResponse:
    """Give each partner's figures to admins (and automations) only; the couple's to anyone."""
    summary = await _get_summary(call)
    if summary is not None and not await _is_admin(call):
        summary.pop("partners")
    return summary


async def _is_admin(call: ServiceCall) -> bool:
    """Tell whether an admin, or the system (automations, scripts), made the call."""
    if not call.context.user_id:
        return True
    user = await call.hass.auth.async_get_user(call.context.user_id)
    return user is not None and user.is_admin


@_action("snooze_reminders")
async def _snooze_reminders(
    coordinator: ReconnectCoordinator, data: dict[str, Any], author: str | None
) -> ServiceResponse:
    days: int = data["days"]
    until = dt_util.now().date() + timedelta(days=days) if days else None
    coordinator.async_snooze(until)
    return {"snoozed_until": until.isoformat() if until else None}


@_action("start_check_in")
async def _start_check_in(
    coordinator: ReconnectCoordinator, data: dict[str, Any], author: str | None
) -> ServiceResponse:
    dialogue = coordinator.config_entry.runtime_data.dialogue
    satellites: list[str] = data.get("satellite", [])
    started = await satellite_checkin.async_start_on(coordinator.hass, dialogue, satellites)
    return {"started_on": list[Any](started)}


async def _export(call: ServiceCall) -> ServiceResponse:
    # HA 2025.4 admin services cannot return data, so check the rights here.
    await _require_admin(call)
    return await _export_journal(call)


@_action("export")
async def _export_journal(
    coordinator: ReconnectCoordinator, data: dict[str, Any], author: str | None
) -> ServiceResponse:
    journal = coordinator.journal
    couple = coordinator.couple
    # Every row is decoded: in the executor, from copies taken now (rows and
    # sessions are immutable), never on the event loop.
    history = await coordinator.hass.async_add_executor_job(
        export_history,
        journal.events.copy(),
        journal.sessions,
        dict(journal.prompts_used),
        list(journal.removals),
    )
    return {
        "format": "reconnect-export",
        "version": 2,
        # What the fields mean, for whoever reads the file later.
        "about": {
            "author": "Who logged the entry: a, b, or null when nobody could tell.",
            "partner": (
                "Who checked in, who reached out (a bid), who led a repair (a, b or both),"
                " or, for a rupture, who is hurt. Who started a fight is never stored."
            ),
            "removals": "Entries undone or removed: what, when and by whom, never their text.",
        },
        "exported_at": dt_util.utcnow().isoformat(),
        "partners": {"a": couple.name_a, "b": couple.name_b},
        **history,
    }


@_action("forget")
async def _forget(
    coordinator: ReconnectCoordinator, data: dict[str, Any], author: str | None
) -> ServiceResponse:
    if data["confirm"].strip() != coordinator.config_entry.title:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="confirm_mismatch",
            translation_placeholders={"title": coordinator.config_entry.title},
        )
    await coordinator.async_forget()
    return None


ACTIONS: dict[str, tuple[ActionFn, SupportsResponse]] = {
    "log_bid": (_log_bid, SupportsResponse.OPTIONAL),
    "log_check_in": (_log_check_in, SupportsResponse.OPTIONAL),
    "log_rupture": (_log_rupture, SupportsResponse.OPTIONAL),
    "log_repair": (_log_repair, SupportsResponse.OPTIONAL),
    "undo_last": (_undo_last, SupportsResponse.OPTIONAL),
    "get_summary": (_summary_for_caller, SupportsResponse.ONLY),
    "still_open": (_still_open, SupportsResponse.OPTIONAL),
    "snooze_reminders": (_snooze_reminders, SupportsResponse.OPTIONAL),
    "start_check_in": (_start_check_in, SupportsResponse.OPTIONAL),
}


def async_setup_services(hass: HomeAssistant) -> None:
    """Register every reconnect action once, for all couples."""
    for name, (handler, supports_response) in ACTIONS.items():
        hass.services.async_register(DOMAIN, name, handler, supports_response=supports_response)
    # The couple's whole history: admins only.
    hass.services.async_register(DOMAIN, "export", _export, supports_response=SupportsResponse.ONLY)

    async def _forget_as_admin(call: ServiceCall) -> None:
        await _forget(call)

    async def _remove_as_admin(call: ServiceCall) -> None:
        await _remove_entry(call)

    # Validation happens in the handler, as for every action. Removing anything
    # but the entry just logged (undo) is for admins only.
    for name, handler in (("forget", _forget_as_admin), ("remove_entry", _remove_as_admin)):
        async_register_admin_service(
            hass, DOMAIN, name, handler, schema=vol.Schema({}, extra=vol.ALLOW_EXTRA)
        )
