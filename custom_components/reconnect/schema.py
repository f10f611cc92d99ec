"""The validation library Home Assistant validates with, under one name.

HA 2026.10 and later validate with probatio (and install it under the name
voluptuous as well, for code that still imports that); earlier releases use
voluptuous. Importing it from here gives schemas of the kind the running HA
expects, and type checkers the types HA's own signatures name.
"""

from __future__ import annotations

try:
    import probatio as vol
except ImportError:  # HA before 2026.10
    import voluptuous as vol  # type: ignore[no-redef]

__all__ = ["vol"]
