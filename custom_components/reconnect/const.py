"""Constants for reconnect."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "reconnect"
LOGGER = logging.getLogger(__package__)

CONF_PARTNER_A: Final = "partner_a"
CONF_PARTNER_B: Final = "partner_b"
CONF_PERSON_A: Final = "partner_a_person"
CONF_PERSON_B: Final = "partner_b_person"
# Setup only, never stored: both partners agree to use Reconnect.
CONF_CONSENT: Final = "consent"

CONF_REPAIR_REMINDER_DAYS: Final = "repair_reminder_days"
CONF_CHECK_IN_TIME: Final = "check_in_time"
CONF_QUIET_START: Final = "quiet_hours_start"
CONF_QUIET_END: Final = "quiet_hours_end"
CONF_AUTO_RUPTURE: Final = "auto_rupture"
# A nightly rating of 1 or 2 opens a rupture only if the couple asks for it:
# by default a low number is honest information, not a fight.
CONF_LOW_RATING_RUPTURE: Final = "low_rating_rupture"
# Satellites (device ids) in each partner's own room; a shared one is in neither.
CONF_SATELLITES_A: Final = "satellites_a"
CONF_SATELLITES_B: Final = "satellites_b"
# Other words each partner is called by: nicknames, and how speech-to-text writes
# the name ("Maia" for "Maya"). Lists of strings; none by default.
CONF_ALIASES_A: Final = "aliases_a"
CONF_ALIASES_B: Final = "aliases_b"
# Sensors off by default, with no state class: each partner's figures, the
# streak, and days since a repair. An upgrade to entry version 1.2 turns them
# off once and removes what the recorder kept of them.
OFF_BY_DEFAULT: Final = frozenset(
    {"bids_made_7d", "responsiveness_7d", "connection_7d", "check_in_streak", "days_since_repair"}
)
# A local helpline number or address, shown with the card's safety line (optional).
CONF_HELPLINE: Final = "helpline"

DEFAULT_REPAIR_REMINDER_DAYS: Final = 3
DEFAULT_CHECK_IN_TIME: Final = "21:30:00"
DEFAULT_QUIET_START: Final = "22:30:00"
DEFAULT_QUIET_END: Final = "08:00:00"
DEFAULT_AUTO_RUPTURE: Final = True
DEFAULT_LOW_RATING_RUPTURE: Final = False

MAX_NAME_LENGTH: Final = 40

# Delay the save so a burst of logging becomes one write.
SAVE_DELAY_SECONDS: Final = 10

ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"

# Reminders and delivery (options, "delivery" section).
CONF_DELIVERY: Final = "delivery"
CONF_NOTIFY_A: Final = "notify_a"
CONF_NOTIFY_B: Final = "notify_b"
CONF_PERSISTENT: Final = "persistent_notification"
CONF_ANNOUNCE: Final = "announce_satellites"
# Each partner's own companion-app devices (those of their linked person) get
# that partner's reminders; on by default.
CONF_OWN_DEVICES: Final = "own_devices"
DEFAULT_OWN_DEVICES: Final = True
# HA's sidebar notification is seen by every user of this Home Assistant: off
# unless the couple turns it on.
DEFAULT_PERSISTENT: Final = False
# Notification actions on a partner's phone, answered by the
# mobile_app_notification_action event; each ends with the config entry id.
ACTION_READ: Final = "RECONNECT_READ"
ACTION_SNOOZE: Final = "RECONNECT_SNOOZE"
# Heuristic thresholds (options, "advanced" section); names match cycle.Thresholds.
CONF_ADVANCED: Final = "advanced"
# Keep raw events this many years (0: forever); older ones become day totals.
CONF_KEEP_YEARS: Final = "keep_years"
DEFAULT_KEEP_YEARS: Final = 0
