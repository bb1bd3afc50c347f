"""A host part as QuickBooks can take it: the checks behind ``PartsHandler.validate``.

Rule: every field is checked at submit against what QuickBooks' ItemServiceAdd accepts, so a part that
passes never fails for its own shape later. Nothing is cut to fit: a name longer than 31 characters is
refused with the fix, never truncated into a name that could collide. Fields arrive as strings (CSV or
JSON lines) or JSON values; a blank optional field counts as absent. Fields qbbridge does not use are
kept as given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from qbbridge.core import InvalidRecord

NAME_MAX = 31             # ItemServiceAdd Name (XSD-enforced)
DESCRIPTION_MAX = 4095    # SalesOrPurchase Desc
ACCOUNT_MAX = 159         # AccountRef FullName
PRICE_DECIMALS = 5        # PRICETYPE: [+-]?[0-9]{1,10}(\.[0-9]{1,5})?
PRICE_DIGITS = 10
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # what XML 1.0 cannot hold
_LINE_BREAK_OR_TAB = re.compile("[\t\n\r]")
_PRICE = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)")
_PRICE_FIX = "write a number of 0 or more with at most 5 decimals, like 12.50"


def validate_part(local_key: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload to store: ``name`` trimmed; ``description``, ``price`` (a decimal string) and
    ``income_account`` when given; other fields unchanged. Raises ``InvalidRecord`` naming the field."""
    part = dict(payload)
    part["name"] = _name(local_key, payload.get("name"))
    optional = (("description", _description), ("price", _price), ("income_account", _account))
    for field, check in optional:
        value = payload.get(field)
        if _blank(value):
            part.pop(field, None)
        else:
            part[field] = check(local_key, value)
    return part


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _name(key: str, value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a numeric part name in JSON
    name = value.strip() if isinstance(value, str) else ""
    if not name:
        raise InvalidRecord(key, "name", f"is required: the QuickBooks item name, 1 to {NAME_MAX} characters")
    if len(name) > NAME_MAX:
        raise InvalidRecord(key, "name", f"{name!r} is {len(name)} characters; QuickBooks item names hold at "
                                         f"most {NAME_MAX}. Shorten it (qbbridge never cuts names, as cut "
                                         "names can collide)")
    if ":" in name:
        raise InvalidRecord(key, "name", f"{name!r} contains ':', which QuickBooks keeps for sub-items "
                                         "(Parent:Child); use another character, such as '-'")
    if _NOT_XML.search(name) or _LINE_BREAK_OR_TAB.search(name):
        raise InvalidRecord(key, "name", f"{name!r} contains a tab, line break or control character, "
                                         "which QuickBooks item names cannot hold; remove it")
    return name


def _text(key: str, field: str, value: Any, limit: int, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidRecord(key, field, f"{value!r} is not text; give {what} as a string")
    text = value.strip()
    if len(text) > limit:
        raise InvalidRecord(key, field, f"is {len(text)} characters; QuickBooks holds at most {limit} for "
                                        f"{what}. Shorten it")
    if _NOT_XML.search(text):
        raise InvalidRecord(key, field, f"contains a control character QuickBooks cannot hold; remove it "
                                        f"from {what}")
    return text


def _description(key: str, value: Any) -> str:
    return _text(key, "description", value, DESCRIPTION_MAX, "the item's description")


def _account(key: str, value: Any) -> str:
    account = _text(key, "income_account", value, ACCOUNT_MAX, "the income account's full name")
    if _LINE_BREAK_OR_TAB.search(account):
        raise InvalidRecord(key, "income_account", f"{account!r} contains a tab or line break; give the "
                                                   "account's full name as QuickBooks shows it")
    return account


def _price(key: str, value: Any) -> str:
    """PRICETYPE text for a price of 0 or more: ``"12.5"`` stays ``"12.5"``, ``12`` becomes ``"12"``."""
    amount = _decimal(value)
    if amount is None:
        raise InvalidRecord(key, "price", f"{value!r} is not a price; {_PRICE_FIX}")
    if amount < 0:
        raise InvalidRecord(key, "price", f"{value!r} is below 0; QuickBooks item prices here are 0 or more")
    if amount.adjusted() >= PRICE_DIGITS:  # checked first: quantize fails past the context's precision
        raise InvalidRecord(key, "price", f"{value!r} has more than {PRICE_DIGITS} digits before the point; "
                                          "QuickBooks cannot hold it")
    if amount.as_tuple().exponent < -PRICE_DECIMALS:  # type: ignore[operator] - finite, so an int
        exact = amount.quantize(Decimal(1).scaleb(-PRICE_DECIMALS))
        if exact != amount:
            raise InvalidRecord(key, "price", f"{value!r} has more than {PRICE_DECIMALS} decimals; "
                                              f"{_PRICE_FIX}")
        amount = exact  # trailing zeros beyond 5 decimals: the same price, in a form PRICETYPE takes
    return format(abs(amount) if not amount else amount, "f")  # abs: no "-0"


def _decimal(value: Any) -> Decimal | None:
    """The number in ``value`` (str, int, float or Decimal), or None if it is not a finite number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        return Decimal(text) if _PRICE.fullmatch(text) else None
    if isinstance(value, int | float | Decimal):
        # repr: a JSON 12.5 is the price 12.5, not the binary fraction the float holds
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return amount if amount.is_finite() else None
    return None
