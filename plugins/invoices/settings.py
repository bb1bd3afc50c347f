"""The invoices' company settings (T8): whether a line's description is built from its part.

Rule: stored as ``invoices.<name>`` in the company's settings; ``parse`` accepts what an operator types
(true/false, yes/no, on/off, 1/0, any case) or a JSON boolean, and refuses anything else with a
``ValueError`` naming the value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qbbridge.core.contract import CompanySetting

INCLUDE_PART_NAME = "include_part_name"
INCLUDE_PART_DESCRIPTION = "include_part_description"
_TRUE, _FALSE = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}


def parse_bool(value: Any) -> bool:
    """``True``/``False`` from a JSON boolean or an operator's word; ``ValueError`` otherwise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    word = value.strip().lower() if isinstance(value, str) else None
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"{value!r} is not on or off; use true or false")


COMPANY_SETTINGS = (
    CompanySetting(INCLUDE_PART_NAME, "Include Part Number Name On Invoice By Default: a line without its "
                   "own description gets the part's name", True, parse_bool),
    CompanySetting(INCLUDE_PART_DESCRIPTION, "Include Part Number Description On Invoice By Default: a line "
                   "without its own description gets the part's description", True, parse_bool),
)


def setting(settings: Mapping[str, Any], name: str) -> bool:
    """The stored setting ``invoices.<name>``, or its default while it is not set (or unreadable)."""
    default = next(s.default for s in COMPANY_SETTINGS if s.name == name)
    try:
        return parse_bool(settings.get(f"invoices.{name}", default))
    except ValueError:  # the core stores parsed values; a hand-edited one must not stop an update
        return default
