"""The validation library this Home Assistant validates with, as ``vol``.

As custom_components/reconnect/schema.py does: HA 2026.10 and later validate
with probatio, earlier releases with voluptuous. (Either kind of schema worked
in both test lanes; this keeps HA's own kind.)
"""

from __future__ import annotations

try:
    import probatio as vol
except ImportError:  # HA before 2026.10
    import voluptuous as vol  # type: ignore[no-redef]

__all__ = ["vol"]
