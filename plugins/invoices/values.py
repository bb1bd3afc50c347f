"""Plain values of an invoice payload: text within QuickBooks' limits, dates, and numbers.

Rule: each parser takes what the host sent (a JSON value, or a string from a CSV cell), returns the value
to store (JSON data: strings, never floats) or raises ``InvalidRecord`` naming the field, the value and
the fix. Numbers are stored as decimal strings and read back as ``Decimal``, so money never passes
through a binary float; ``line_amount`` rounds as QuickBooks does (to the cent, half up).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from qbbridge.core.contract import InvalidRecord

#: QUANTYPE and PRICETYPE (qbxmltypes130/160.xsd): [+-]?[0-9]{1,10}(\.[0-9]{1,5})?
NUMBER_DIGITS, NUMBER_DECIMALS = 10, 5
#: AMTTYPE (the line amounts and the total QuickBooks works out): at most 13 digits before the point.
AMOUNT_DIGITS = 13
CENT = Decimal("0.01")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# What XML 1.0 cannot carry (lxml refuses it): control characters other than tab, newline and carriage
# return, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def text(key: str, field: str, value: Any, *, limit: int, what: str = "") -> str | None:
    """A trimmed string of at most ``limit`` characters, or None when absent or blank.

    Whole numbers are accepted as their digits (a JSON ``1007`` for a reference number); lists,
    mappings, booleans and fractions are refused. Longer text is refused, never cut: ``what`` names the
    QuickBooks field in the message ("QuickBooks invoice numbers").
    """
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise InvalidRecord(key, field, f"must be text, not {_shown(value)}")
    cleaned = value.strip()
    if _NOT_XML.search(cleaned):
        raise InvalidRecord(key, field, f"{_short(cleaned)!r} holds a character QuickBooks cannot "
                                        "store; remove it")
    if len(cleaned) > limit:
        limit_text = f"{what} hold at most {limit}" if what else f"QuickBooks takes at most {limit} here"
        raise InvalidRecord(key, field, f"{_short(cleaned)!r} is {len(cleaned)} characters; {limit_text}. "
                                        "Shorten it")
    return cleaned or None


def required_text(key: str, field: str, value: Any, *, limit: int, what: str = "") -> str:
    """``text`` that must be given."""
    cleaned = text(key, field, value, limit=limit, what=what)
    if cleaned is None:
        raise InvalidRecord(key, field, "is missing; it is required")
    return cleaned


def day(key: str, field: str, value: Any) -> str:
    """A calendar date as ``YYYY-MM-DD`` (a ``date`` is accepted too)."""
    if isinstance(value, date):
        return value.isoformat()
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidRecord(key, field, "is missing; give the invoice date as YYYY-MM-DD")
    given = value.strip() if isinstance(value, str) else value
    if isinstance(given, str) and _DAY.fullmatch(given):
        try:
            return date.fromisoformat(given).isoformat()
        except ValueError:
            pass
    raise InvalidRecord(key, field, f"{_shown(value)} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20")


def number(key: str, field: str, value: Any) -> str:
    """A quantity or rate: an int, a JSON number or a decimal string that fits QUANTYPE/PRICETYPE
    (at most 10 digits before the point and 5 after); stored as its plain decimal text ("2.5", "-10").

    Too many decimals are refused rather than rounded: the host's figure must reach QuickBooks as is.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidRecord(key, field, "is missing; give a number such as 2 or 12.50")
    parsed = _decimal(value)
    if parsed is None:
        raise InvalidRecord(key, field, f"{_shown(value)} is not a number; write it like 2 or 12.50")
    plain = parsed.normalize() if parsed else Decimal(0)  # no "-0", no "0E-5"
    exponent = plain.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if decimals > NUMBER_DECIMALS:
        raise InvalidRecord(key, field, f"{_shown(value)} has {decimals} decimals; QuickBooks keeps at most "
                                        f"{NUMBER_DECIMALS}. Round it")
    if plain.adjusted() >= NUMBER_DIGITS:
        raise InvalidRecord(key, field, f"{_shown(value)} is too large; QuickBooks takes at most "
                                        f"{NUMBER_DIGITS} digits before the decimal point")
    return format(plain, "f")


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)  # the shortest text that reads back as this float: 0.1 -> "0.1"
    if isinstance(value, (int, Decimal)):
        value = str(value)
    if not isinstance(value, str):
        return None
    try:
        parsed = Decimal(value.strip())
    except InvalidOperation:
        return None
    return parsed if parsed.is_finite() else None


def line_amount(quantity: str, rate: str) -> Decimal:
    """Quantity × rate rounded to the cent, half up: the Amount QuickBooks gives the line."""
    return (Decimal(quantity) * Decimal(rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def fits_amount(value: Decimal) -> bool:
    """Whether ``value`` (already in cents) fits AMTTYPE."""
    return not value or value.adjusted() < AMOUNT_DIGITS


def _short(value: str, keep: int = 40) -> str:
    return value if len(value) <= keep else value[:keep] + "…"


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(_short(value))
    return type(value).__name__ if isinstance(value, (list, dict, tuple, set)) else repr(value)
