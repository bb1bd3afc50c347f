"""The company settings of the timesheets object type and their parsing.

Rule: each setting is stored as ``"timesheets.<name>"`` in the company's settings. Every parse function
accepts what an operator typed (text on a command line, any JSON value) *and* its own output, returns a
JSON value, and raises ``ValueError`` naming the setting and the accepted values. ``Options.of`` reads
the settings through the same functions, so a value stored unparsed still means what it says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from qbbridge.core import CompanySetting

PREFIX = "timesheets."
EDITS = ("keep", "update")
_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


def parse_period_bound(value: Any, name: str = "period bound") -> str | None:
    """An ISO date ``YYYY-MM-DD`` (text or ``datetime.date``), or None/"" for no bound."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise ValueError(f"{name}: {value!r} is not a date; give YYYY-MM-DD, or nothing for no bound")


def parse_edits(value: Any) -> str:
    """``keep`` (edits after sync stay local, seed rule S7) or ``update`` (send them as a Mod)."""
    word = value.strip().casefold() if isinstance(value, str) else value
    if word not in EDITS:
        raise ValueError(f"edits: {value!r} is not one of {', '.join(EDITS)}")
    return word


def parse_flag(value: Any, name: str = "setting") -> bool:
    """True/False from a bool or the words true/false, yes/no, on/off, 1/0."""
    if isinstance(value, bool):
        return value
    word = value.strip().casefold() if isinstance(value, str) else value
    if word in _TRUE or word == 1:
        return True
    if word in _FALSE or word == 0:
        return False
    raise ValueError(f"{name}: {value!r} is not true or false")


def _named(parse: Callable[[Any, str], Any], name: str) -> Callable[[Any], Any]:
    """``parse`` with its messages naming setting ``name``."""
    return lambda value: parse(value, name)


COMPANY_SETTINGS = (
    CompanySetting("period_start", "First day of work blocks to send (YYYY-MM-DD); empty: no bound",
                   None, _named(parse_period_bound, "period_start")),
    CompanySetting("period_end", "Last day of work blocks to send (YYYY-MM-DD); empty: no bound",
                   None, _named(parse_period_bound, "period_end")),
    CompanySetting("edits", "keep: blocks edited after they synced stay as QuickBooks has them and show "
                            "'changed after sync'; update: the edit is sent as a TimeTrackingMod",
                   "keep", parse_edits),
    CompanySetting("duplicate_check", "true: before adding, look for the same time already in QuickBooks "
                                      "(same person, date, customer/job, item, duration) and link it",
                   False, _named(parse_flag, "duplicate_check")),
    CompanySetting("preflight", "true: before sending, check that every name the blocks use exists and is "
                                "active in QuickBooks, and list all missing ones in one message",
                   True, _named(parse_flag, "preflight")),
)


@dataclass(frozen=True, slots=True)
class Options:
    """The timesheets settings of one company, parsed."""

    period_start: str | None = None
    period_end: str | None = None
    edits: str = "keep"
    duplicate_check: bool = False
    preflight: bool = True

    @classmethod
    def of(cls, settings: Mapping[str, Any]) -> Options:
        """Read the ``timesheets.*`` settings, defaults for those not set."""
        parsed = {setting.name: setting.parse(settings[PREFIX + setting.name])
                  if settings.get(PREFIX + setting.name) is not None else setting.default
                  for setting in COMPANY_SETTINGS}
        return cls(**parsed)

    def in_period(self, day: str) -> bool:
        """Whether a block dated ``day`` (``YYYY-MM-DD``) is inside the selected period (S1)."""
        return (self.period_start is None or day >= self.period_start) and (
            self.period_end is None or day <= self.period_end)
