"""Parsing the single values of a work block: names, ListIDs, dates, durations, billable flags.

Rule: every parser takes what a host sent (JSON values or CSV strings) and returns the normalised value
or raises ``ValueError`` whose text is the problem in plain words (the caller adds the block and the
field). Nothing is rounded or guessed: 7.123 hours is refused, not turned into 7h07.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

#: Characters XML 1.0 cannot carry; QuickBooks (and lxml) would refuse the whole message set.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CLOCK = re.compile(r"([0-9]+):([0-9]{2})")
_ISO_DURATION = re.compile(r"PT(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)S)?", re.IGNORECASE)
MAX_MINUTES = 24 * 60
MAX_LIST_ID = 36  # IDTYPE (PROTOCOL.md §C.4 field limits)
BILLABLE_STATUSES = ("Billable", "NotBillable", "HasBeenBilled")
_TRUE = ("true", "yes", "1")
_FALSE = ("false", "no", "0")


def hours_text(minutes: int) -> str:
    """A duration for people: 480 -> ``8h00``, 45 -> ``0h45``."""
    return f"{minutes // 60}h{minutes % 60:02d}"


def text(value: Any, *, max_length: int) -> str:
    """A non-empty string of at most ``max_length`` characters, trimmed."""
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {_shown(value)}")
    trimmed = value.strip()
    if not trimmed:
        raise ValueError("is empty")
    return _xml_safe(_limited(trimmed, max_length))


def notes(value: Any, *, max_length: int) -> str:
    """Free text kept exactly as given (no trimming), within ``max_length``."""
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {_shown(value)}")
    return _xml_safe(_limited(value, max_length))


def full_name(value: Any, *, max_length: int, segment_length: int) -> str:
    """A hierarchical QuickBooks name (``Customer:Job``): trimmed, within the full and the per-level
    limits, with no empty level. Spacing around ``:`` is kept, as QuickBooks compares it."""
    name = text(value, max_length=max_length)
    for segment in name.split(":"):
        if not segment.strip():
            raise ValueError(f"'{name}' has an empty level (a ':' at the start, the end or twice)")
        if len(segment) > segment_length:
            raise ValueError(f"'{segment}' is longer than QuickBooks' {segment_length} characters per level")
    return name


def list_id(value: Any) -> str:
    """A QuickBooks ListID: text of at most 36 characters without spaces."""
    found = text(value, max_length=MAX_LIST_ID)
    if any(ch.isspace() for ch in found):
        raise ValueError(f"'{found}' is not a QuickBooks ListID (it contains spaces)")
    return found


def iso_date(value: Any) -> str:
    """``YYYY-MM-DD`` of a real day; a ``datetime.date`` is accepted, a ``datetime`` is not (the day
    would depend on the time zone)."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"'{value.isoformat()}' has a time; give the day only (YYYY-MM-DD)")
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError(f"{_shown(value)} is not a date (YYYY-MM-DD)")
    day = value.strip()
    try:
        if not _ISO_DATE.fullmatch(day):
            raise ValueError
        return dt.date.fromisoformat(day).isoformat()
    except ValueError:
        raise ValueError(f"'{day}' is not a date (YYYY-MM-DD)") from None


def hours_minutes(value: Any) -> int:
    """Minutes in ``value`` hours (a number or a numeric string, fractions allowed)."""
    amount = _number(value)
    minutes = amount * 60
    if minutes != minutes.to_integral_value():
        raise ValueError(f"{_plain(amount)} hours is not a whole number of minutes "
                         f"({_plain(minutes)} minutes)")
    return int(minutes)


def whole_minutes(value: Any) -> int:
    """A whole number of minutes, 0 or more (``30``, ``"30"``; ``30.0`` from JSON too)."""
    amount = _number(value)
    if amount != amount.to_integral_value():
        raise ValueError(f"{_plain(amount)} is not a whole number of minutes")
    return int(amount)


def duration_minutes(value: Any) -> int:
    """Minutes in ``"H:MM"`` (``"7:30"``) or ISO ``PT#H#M`` (``"PT7H30M"``; seconds only as whole
    minutes)."""
    if not isinstance(value, str):
        raise ValueError(f"{_shown(value)} is not a duration; write it as H:MM (7:30) or PT7H30M")
    given = value.strip()
    clock = _CLOCK.fullmatch(given)
    if clock:
        hours, minutes = int(clock[1]), int(clock[2])
        if minutes > 59:
            raise ValueError(f"'{given}' has more than 59 minutes")
        return hours * 60 + minutes
    iso = _ISO_DURATION.fullmatch(given)
    if iso is None or not any(iso.groups()):
        raise ValueError(f"'{given}' is not a duration; write it as H:MM (7:30) or PT7H30M")
    hours, minutes, seconds = (int(part or 0) for part in iso.groups())
    if seconds % 60:
        raise ValueError(f"'{given}' is not a whole number of minutes")
    return hours * 60 + minutes + seconds // 60


def billable_status(value: Any) -> str:
    """``Billable``/``NotBillable``/``HasBeenBilled`` from a flag (true/false, yes/no, 1/0) or a status."""
    if isinstance(value, bool):
        return BILLABLE_STATUSES[0] if value else BILLABLE_STATUSES[1]
    if isinstance(value, int) and value in (0, 1):
        return BILLABLE_STATUSES[0] if value else BILLABLE_STATUSES[1]
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in _TRUE:
            return BILLABLE_STATUSES[0]
        if word in _FALSE:
            return BILLABLE_STATUSES[1]
        for status in BILLABLE_STATUSES:
            if word == status.casefold():
                return status
    raise ValueError(f"{_shown(value)} is not one of true, false, {', '.join(BILLABLE_STATUSES)}")


def _number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError(f"{_shown(value)} is not a number")
    try:
        amount = Decimal(str(value).strip())  # str(): 7.1 (a float) is 7.1, not 7.0999…
    except InvalidOperation:
        raise ValueError(f"{_shown(value)} is not a number") from None
    if not amount.is_finite():
        raise ValueError(f"{_shown(value)} is not a number")
    if amount < 0:
        raise ValueError(f"{_plain(amount)} is negative")
    return amount


def _plain(amount: Decimal) -> str:
    return format(amount.normalize(), "f")


def _limited(value: str, max_length: int) -> str:
    if len(value) > max_length:
        raise ValueError(f"is {len(value)} characters long; QuickBooks takes at most {max_length}")
    return value


def _xml_safe(value: str) -> str:
    bad = _NOT_XML.search(value)
    if bad:
        raise ValueError(f"contains the control character U+{ord(bad.group()):04X}, which QuickBooks "
                         "cannot store; remove it")
    return value


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value.strip()}'"
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    return f"a {type(value).__name__}"
