"""Set up a couple, rename partners, and tune the gentle defaults."""

from __future__ import annotations

from datetime import time
import re
from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.core import HomeAssistant, callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers import area_registry as ar, entity_registry as er
from homeassistant.helpers.selector import (
    BooleanSelector,
    DeviceSelector,
    DeviceSelectorConfig,
    EntityFilterSelectorConfig,
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TimeSelector,
)

from .const import (
    CONF_ADVANCED,
    CONF_ALIASES_A,
    CONF_ALIASES_B,
    CONF_ANNOUNCE,
    CONF_AUTO_RUPTURE,
    CONF_CHECK_IN_TIME,
    CONF_CONSENT,
    CONF_DELIVERY,
    CONF_HELPLINE,
    CONF_KEEP_YEARS,
    CONF_LOW_RATING_RUPTURE,
    CONF_NOTIFY_A,
    CONF_NOTIFY_B,
    CONF_OWN_DEVICES,
    CONF_PARTNER_A,
    CONF_PARTNER_B,
    CONF_PERSISTENT,
    CONF_PERSON_A,
    CONF_PERSON_B,
    CONF_QUIET_END,
    CONF_QUIET_START,
    CONF_REPAIR_REMINDER_DAYS,
    CONF_SATELLITES_A,
    CONF_SATELLITES_B,
    DEFAULT_AUTO_RUPTURE,
    DEFAULT_CHECK_IN_TIME,
    DEFAULT_KEEP_YEARS,
    DEFAULT_LOW_RATING_RUPTURE,
    DEFAULT_OWN_DEVICES,
    DEFAULT_PERSISTENT,
    DEFAULT_QUIET_END,
    DEFAULT_QUIET_START,
    DEFAULT_REPAIR_REMINDER_DAYS,
    DOMAIN,
    MAX_NAME_LENGTH,
)
from .coordinator import ReconnectConfigEntry
from .cycle import Thresholds
from .phones import own_phones
from .routing import words
from .schedule import in_quiet_hours
from .schema import vol

PERSON = EntitySelector(EntitySelectorConfig(domain="person"))
MAX_HELPLINE_LENGTH = 80
NOTIFY_TARGETS = TextSelector(TextSelectorConfig(multiple=True))
ALIASES = TextSelector(TextSelectorConfig(multiple=True))
# Characters with a meaning in Assist's sentence templates: nobody can say them.
UNSPEAKABLE = re.compile(r"[{}\[\]()<>|]")
# (min, max, step) of each heuristic threshold in the advanced options.
THRESHOLD_RANGES: dict[str, tuple[float, float, float]] = {
    "pursuer_share": (0.5, 0.95, 0.05),
    "min_events": (1, 100, 1),
    "low_responsiveness": (0, 100, 5),
    "drop": (0.1, 0.9, 0.05),
    "unmet_share": (0.1, 0.9, 0.05),
    "min_baseline_bids": (1, 50, 1),
    "voice_share": (0.05, 0.5, 0.05),
    "support_days": (1, 60, 1),
    "check_in_gap_days": (1, 30, 1),
    "checking_in_nights": (0, 7, 1),
}
SATELLITES = DeviceSelector(
    DeviceSelectorConfig(
        entity=[EntityFilterSelectorConfig(domain="assist_satellite")], multiple=True
    )
)


def _couple_schema(defaults: dict[str, Any]) -> vol.Schema:
    """Return the form for the two partners, prefilled with `defaults`."""
    fields: dict[vol.Marker, Any] = {}
    for name_key, person_key in ((CONF_PARTNER_A, CONF_PERSON_A), (CONF_PARTNER_B, CONF_PERSON_B)):
        fields[vol.Required(name_key, default=defaults.get(name_key, vol.UNDEFINED))] = (
            TextSelector()
        )
        person = defaults.get(person_key)
        fields[
            vol.Optional(person_key, description={"suggested_value": person})
            if person
            else vol.Optional(person_key)
        ] = PERSON
    return vol.Schema(fields)


def _clean(user_input: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Trim the names and report what is wrong with them, per field."""
    data = {k: v for k, v in user_input.items() if v not in (None, "")}
    errors: dict[str, str] = {}
    for key in (CONF_PARTNER_A, CONF_PARTNER_B):
        name = str(user_input.get(key, "")).strip()
        data[key] = name
        if not name:
            errors[key] = "name_empty"
        elif len(name) > MAX_NAME_LENGTH:
            errors[key] = "name_too_long"
    if not errors and data[CONF_PARTNER_A].casefold() == data[CONF_PARTNER_B].casefold():
        errors[CONF_PARTNER_B] = "names_not_distinct"
    return data, errors


def _said(text: str) -> str:
    """Return words as Assist compares them: any case, punctuation as spaces."""
    return words(text).strip()


@callback
def _home_words(hass: HomeAssistant) -> set[str]:
    """Return what Assist already calls an area or an entity, as said."""
    names: list[str | None] = []
    for area in ar.async_get(hass).async_list_areas():
        names += [area.name, *area.aliases]
    for entity in er.async_get(hass).entities.values():
        # Entity aliases may also hold a marker for "the entity's own name".
        aliases = [alias for alias in entity.aliases if isinstance(alias, str)]
        names += [entity.name, entity.original_name, *aliases]
    names += [state.name for state in hass.states.async_all()]
    return {said for name in names if name and (said := _said(name))}


def _clean_aliases(
    hass: HomeAssistant, couple_names: tuple[str, str], user_input: dict[str, Any]
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Trim the aliases, drop empty ones, and report the first problem per field.

    Every word said must name one partner only, and never something Assist
    already knows: "turn on the light in Mo's room" must keep working.
    """
    aliases = {
        key: [alias for a in user_input.get(key, []) if (alias := " ".join(str(a).split()))]
        for key in (CONF_ALIASES_A, CONF_ALIASES_B)
    }
    errors: dict[str, str] = {}
    taken = {_said(name) for name in couple_names}
    home = _home_words(hass) if any(aliases.values()) else set()
    for key, values in aliases.items():
        for alias in values:
            said = _said(alias)
            if (
                UNSPEAKABLE.search(alias)
                or not any(c.isalnum() for c in alias)
                or len(alias) > MAX_NAME_LENGTH
            ):
                errors[key] = "alias_invalid"
            elif said in taken:
                errors[key] = "alias_not_unique"
            elif said in home:
                errors[key] = "alias_taken_by_home"
            else:
                taken.add(said)
                continue
            break
    return aliases, errors


def _unique_id(data: dict[str, Any]) -> str:
    """Identify a couple by its two names, in any order and case."""
    return "|".join(sorted(data[k].casefold() for k in (CONF_PARTNER_A, CONF_PARTNER_B)))


def _title(data: dict[str, Any]) -> str:
    return f"{data[CONF_PARTNER_A]} & {data[CONF_PARTNER_B]}"


class ReconnectConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a couple."""

    VERSION = 1
    MINOR_VERSION = 2

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the two partners, and that both agree to use Reconnect."""
        errors: dict[str, str] = {}
        if user_input is not None:
            consent = bool(user_input.get(CONF_CONSENT))
            data, errors = _clean({k: v for k, v in user_input.items() if k != CONF_CONSENT})
            if not consent:
                errors[CONF_CONSENT] = "consent_required"
            if not errors:
                await self.async_set_unique_id(_unique_id(data))
                self._abort_if_unique_id_configured()
                return self.async_create_entry(title=_title(data), data=data)
        return self.async_show_form(
            step_id="user",
            data_schema=_couple_schema(user_input or {}).extend(
                {vol.Required(CONF_CONSENT, default=False): BooleanSelector()}
            ),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Rename a partner or relink a person; history is kept by partner, not name."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data, errors = _clean(user_input)
            if not errors:
                unique_id = _unique_id(data)
                taken = any(
                    e.unique_id == unique_id and e.entry_id != entry.entry_id
                    for e in self._async_current_entries(include_ignore=False)
                )
                if taken:
                    return self.async_abort(reason="already_configured")
                # The entry's update listener reloads the couple (__init__.py):
                # HA 2026.12 refuses async_update_reload_and_abort beside an update
                # listener, and ConfigFlow.async_update_and_abort is newer than 2025.10.
                self.hass.config_entries.async_update_entry(
                    entry, unique_id=unique_id, title=_title(data), data=data
                )
                return self.async_abort(reason="reconfigure_successful")
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=_couple_schema(user_input or dict(entry.data)),
            errors=errors,
        )

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ReconnectConfigEntry) -> OptionsFlow:
        """Return the options flow."""
        return ReconnectOptionsFlow()


class ReconnectOptionsFlow(OptionsFlow):
    """Tune reminders and rules."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show the options, with gentle defaults."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data = self.config_entry.data
            aliases, errors = _clean_aliases(
                self.hass, (data[CONF_PARTNER_A], data[CONF_PARTNER_B]), user_input
            )
            check_in = time.fromisoformat(user_input[CONF_CHECK_IN_TIME])
            quiet = (
                time.fromisoformat(user_input[CONF_QUIET_START]),
                time.fromisoformat(user_input[CONF_QUIET_END]),
            )
            shared = set(user_input.get(CONF_SATELLITES_A, [])) & set(
                user_input.get(CONF_SATELLITES_B, [])
            )
            helpline = str(user_input.get(CONF_HELPLINE, "")).strip()
            if len(helpline) > MAX_HELPLINE_LENGTH or any(c in helpline for c in "<>"):
                errors[CONF_HELPLINE] = "helpline_invalid"
            if in_quiet_hours(check_in, *quiet):
                errors[CONF_CHECK_IN_TIME] = "check_in_in_quiet_hours"
            elif shared:
                errors[CONF_SATELLITES_B] = "satellite_in_both"
            elif self._crossed_targets(user_input.get(CONF_DELIVERY, {})):
                errors["base"] = "target_of_other_partner"
            if not errors:
                defaults = Thresholds()
                advanced = {
                    key: type(getattr(defaults, key))(value)
                    for key, value in user_input.get(CONF_ADVANCED, {}).items()
                }
                return self.async_create_entry(
                    data={
                        **{k: v for k, v in user_input.items() if k != CONF_HELPLINE},
                        **aliases,
                        CONF_REPAIR_REMINDER_DAYS: int(user_input[CONF_REPAIR_REMINDER_DAYS]),
                        CONF_KEEP_YEARS: int(user_input.get(CONF_KEEP_YEARS, DEFAULT_KEEP_YEARS)),
                        CONF_ADVANCED: advanced,
                    }
                    | ({CONF_HELPLINE: helpline} if helpline else {})
                )
        current = {**self.config_entry.options, **(user_input or {})}
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_REPAIR_REMINDER_DAYS,
                    default=current.get(CONF_REPAIR_REMINDER_DAYS, DEFAULT_REPAIR_REMINDER_DAYS),
                ): NumberSelector(
                    NumberSelectorConfig(min=1, max=30, step=1, mode=NumberSelectorMode.BOX)
                ),
                vol.Required(
                    CONF_CHECK_IN_TIME,
                    default=current.get(CONF_CHECK_IN_TIME, DEFAULT_CHECK_IN_TIME),
                ): TimeSelector(),
                vol.Required(
                    CONF_QUIET_START, default=current.get(CONF_QUIET_START, DEFAULT_QUIET_START)
                ): TimeSelector(),
                vol.Required(
                    CONF_QUIET_END, default=current.get(CONF_QUIET_END, DEFAULT_QUIET_END)
                ): TimeSelector(),
                vol.Required(
                    CONF_AUTO_RUPTURE, default=current.get(CONF_AUTO_RUPTURE, DEFAULT_AUTO_RUPTURE)
                ): BooleanSelector(),
                vol.Required(
                    CONF_LOW_RATING_RUPTURE,
                    default=current.get(CONF_LOW_RATING_RUPTURE, DEFAULT_LOW_RATING_RUPTURE),
                ): BooleanSelector(),
                vol.Required(
                    CONF_KEEP_YEARS, default=current.get(CONF_KEEP_YEARS, DEFAULT_KEEP_YEARS)
                ): NumberSelector(
                    NumberSelectorConfig(min=0, max=50, step=1, mode=NumberSelectorMode.BOX)
                ),
                vol.Optional(
                    CONF_SATELLITES_A, default=current.get(CONF_SATELLITES_A, [])
                ): SATELLITES,
                vol.Optional(
                    CONF_SATELLITES_B, default=current.get(CONF_SATELLITES_B, [])
                ): SATELLITES,
                vol.Optional(CONF_ALIASES_A, default=current.get(CONF_ALIASES_A, [])): ALIASES,
                vol.Optional(CONF_ALIASES_B, default=current.get(CONF_ALIASES_B, [])): ALIASES,
                vol.Optional(
                    CONF_HELPLINE, description={"suggested_value": current.get(CONF_HELPLINE)}
                ): TextSelector(),
                vol.Required(CONF_DELIVERY): section(
                    _delivery_schema(current.get(CONF_DELIVERY, {})), {"collapsed": True}
                ),
                vol.Required(CONF_ADVANCED): section(
                    _advanced_schema(current.get(CONF_ADVANCED, {})), {"collapsed": True}
                ),
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=schema,
            errors=errors,
            description_placeholders=self._phones_placeholders(),
        )

    def _phones(self) -> dict[str, list[str]]:
        """Return each partner's own phones: the notify services of their person's apps."""
        data = self.config_entry.data
        return {
            key: [f"notify.{phone.service}" for phone in own_phones(self.hass, data.get(person))]
            for key, person in (("a", CONF_PERSON_A), ("b", CONF_PERSON_B))
        }

    def _crossed_targets(self, delivery: dict[str, Any]) -> bool:
        """Tell whether a partner's targets hold the other partner's own phone."""
        phones = self._phones()
        return bool(
            set(delivery.get(CONF_NOTIFY_A, [])) & set(phones["b"])
            or set(delivery.get(CONF_NOTIFY_B, [])) & set(phones["a"])
        )

    def _phones_placeholders(self) -> dict[str, str]:
        """Name each partner and the devices their own reminders go to ("-": none)."""
        data = self.config_entry.data
        placeholders = {"name_a": data[CONF_PARTNER_A], "name_b": data[CONF_PARTNER_B]}
        for key, person in (("a", CONF_PERSON_A), ("b", CONF_PERSON_B)):
            names = [phone.name for phone in own_phones(self.hass, data.get(person))]
            placeholders[f"phones_{key}"] = ", ".join(names) or "-"
        return placeholders


def _delivery_schema(current: dict[str, Any]) -> vol.Schema:
    """Where reminders go: each partner's own phones and targets, and shared places."""
    return vol.Schema(
        {
            vol.Required(
                CONF_OWN_DEVICES, default=current.get(CONF_OWN_DEVICES, DEFAULT_OWN_DEVICES)
            ): BooleanSelector(),
            vol.Optional(CONF_NOTIFY_A, default=current.get(CONF_NOTIFY_A, [])): NOTIFY_TARGETS,
            vol.Optional(CONF_NOTIFY_B, default=current.get(CONF_NOTIFY_B, [])): NOTIFY_TARGETS,
            vol.Required(
                CONF_PERSISTENT, default=current.get(CONF_PERSISTENT, DEFAULT_PERSISTENT)
            ): BooleanSelector(),
            vol.Optional(CONF_ANNOUNCE, default=current.get(CONF_ANNOUNCE, [])): EntitySelector(
                EntitySelectorConfig(domain="assist_satellite", multiple=True)
            ),
        }
    )


def _advanced_schema(current: dict[str, Any]) -> vol.Schema:
    """Every heuristic threshold, defaulting to the documented values."""
    defaults = Thresholds()
    return vol.Schema(
        {
            vol.Required(key, default=current.get(key, getattr(defaults, key))): NumberSelector(
                NumberSelectorConfig(min=low, max=high, step=step, mode=NumberSelectorMode.BOX)
            )
            for key, (low, high, step) in THRESHOLD_RANGES.items()
        }
    )
