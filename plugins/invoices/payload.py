"""Checking an invoice the host submits (types and QuickBooks' limits) and storing it normalised.

Rule: submit checks what each field IS (text within its limit, a date, numbers QuickBooks can carry);
what the invoice MEANS (T10: lines, quantities above 0, a total of 0 or more) is checked at export by
``rules.py``, because a draft may still be incomplete. The stored payload is JSON data, and cleaning it
again gives the same payload.

Stored shape: ``customer`` and/or ``customer_id``, ``date`` (YYYY-MM-DD), ``ref_number``, ``memo``?,
``dimensions`` (list), ``lines`` (list of ``part``, ``quantity``, ``rate`` as decimal text,
``description``?, ``dimensions``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from qbbridge.core.contract import InvalidRecord

from .dimensions import clean_dimensions
from .values import day, fits_amount, line_amount, number, required_text, text

CUSTOMER_LIMIT = 209   # FullName in a CustomerRef
LIST_ID_LIMIT = 36     # IDTYPE
REF_NUMBER_LIMIT = 11  # InvoiceAdd RefNumber
TEXT_LIMIT = 4095      # Memo, line Desc
PART_KEY_LIMIT = 255   # a part's local key: the host's id, not a QuickBooks name


def clean_invoice(key: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload to store for invoice ``key``, or ``InvalidRecord`` naming the field and the fix."""
    customer = text(key, "customer", payload.get("customer"), limit=CUSTOMER_LIMIT,
                    what="QuickBooks customer:job names")
    customer_id = text(key, "customer_id", payload.get("customer_id"), limit=LIST_ID_LIMIT,
                       what="QuickBooks list ids")
    if customer is None and customer_id is None:
        raise InvalidRecord(key, "customer", "is missing; give the QuickBooks customer:job name (customer) "
                                             "or its ListID (customer_id)")
    cleaned: dict[str, Any] = {}
    if customer is not None:
        cleaned["customer"] = customer
    if customer_id is not None:
        cleaned["customer_id"] = customer_id
    cleaned["date"] = day(key, "date", payload.get("date"))
    cleaned["ref_number"] = _ref_number(key, payload.get("ref_number"))
    memo = text(key, "memo", payload.get("memo"), limit=TEXT_LIMIT, what="QuickBooks memos")
    if memo is not None:
        cleaned["memo"] = memo
    cleaned["dimensions"] = clean_dimensions(key, "dimensions", payload.get("dimensions"))
    cleaned["lines"] = _lines(key, payload.get("lines"))
    return cleaned


def _ref_number(key: str, given: Any) -> str:
    """The RefNumber: the one given, else the invoice's own id when it fits in 11 characters."""
    ref_number = text(key, "ref_number", given, limit=REF_NUMBER_LIMIT, what="QuickBooks invoice numbers")
    if ref_number is not None:
        return ref_number
    own = key.strip()
    if not own or len(own) > REF_NUMBER_LIMIT:
        raise InvalidRecord(key, "ref_number", f"is missing, and the invoice id {own!r} is {len(own)} "
                                               f"characters while QuickBooks invoice numbers hold at most "
                                               f"{REF_NUMBER_LIMIT}. Give a ref_number of at most "
                                               f"{REF_NUMBER_LIMIT} characters")
    return own


def _lines(key: str, given: Any) -> list[dict[str, Any]]:
    if given is None or (isinstance(given, str) and not given.strip()):
        return []
    if isinstance(given, str):
        try:
            given = json.loads(given)
        except ValueError:
            raise InvalidRecord(key, "lines", "is text that is not a JSON list; write it like "
                                              '[{"part": "PN-1", "quantity": 2, "rate": "12.50"}]') from None
    if not isinstance(given, list):
        raise InvalidRecord(key, "lines", f"must be a list of lines, not {type(given).__name__}")
    lines = [_line(key, number_, line) for number_, line in enumerate(given, 1)]
    total = sum((line_amount(line["quantity"], line["rate"]) for line in lines), Decimal(0))
    if not fits_amount(total):
        raise InvalidRecord(key, "lines", f"the total {total} is too large for a QuickBooks amount "
                                          "(at most 13 digits before the decimal point)")
    return lines


def _line(key: str, position: int, given: Any) -> dict[str, Any]:
    where = f"line {position}"
    if not isinstance(given, Mapping):
        raise InvalidRecord(key, where, f"must be an object with part, quantity and rate, not "
                                        f"{type(given).__name__}")
    line: dict[str, Any] = {
        "part": required_text(key, f"{where} part", given.get("part"), limit=PART_KEY_LIMIT),
        "quantity": number(key, f"{where} quantity", given.get("quantity")),
        "rate": number(key, f"{where} rate", given.get("rate")),
    }
    description = text(key, f"{where} description", given.get("description"), limit=TEXT_LIMIT,
                       what="QuickBooks line descriptions")
    if description is not None:
        line["description"] = description
    line["dimensions"] = clean_dimensions(key, f"{where} dimensions", given.get("dimensions"))
    if not fits_amount(line_amount(line["quantity"], line["rate"])):
        raise InvalidRecord(key, where, f"quantity {line['quantity']} × rate {line['rate']} is too large for "
                                        "a QuickBooks amount (at most 13 digits before the decimal point)")
    return line
