"""T10: the invoice rules checked when a finalized invoice is exported, never sent when broken.

Rule: an invoice needs at least one line, every quantity above 0, and a total of 0 or more. The total
is what QuickBooks will compute: the sum of the line amounts, each quantity × rate rounded to the cent
(half up), in ``Decimal``. A zero or negative rate is allowed (a discount line), as long as the total
stays at 0 or more; a total of exactly 0 is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .values import line_amount

FIX = "Fix the invoice and submit it again; it is sent with the next update."


def invoice_total(payload: Mapping[str, Any]) -> Decimal:
    """The total QuickBooks will give the invoice (no sales tax is sent)."""
    return sum((line_amount(line["quantity"], line["rate"]) for line in payload.get("lines", [])), Decimal(0))


def t10_problem(key: str, payload: Mapping[str, Any]) -> str | None:
    """Why invoice ``key`` must not go to QuickBooks (the ``Rejected`` reason), or None if it may."""
    lines = payload.get("lines") or []
    if not lines:
        return f"Invoice {key} has no lines; QuickBooks invoices need at least one line. {FIX}"
    for position, line in enumerate(lines, 1):
        quantity = Decimal(line["quantity"])
        if quantity <= 0:
            return (f"Invoice {key}: quantity on line {position} is {line['quantity']}; QuickBooks invoices "
                    f"need quantities above 0. {FIX}")
    total = invoice_total(payload)
    if total < 0:
        return (f"Invoice {key}: the total is {total}; QuickBooks invoices cannot total less than 0 (a line "
                f"with a negative rate is fine while the total stays 0 or more). {FIX}")
    return None
