"""An invoice's lines: what an InvoiceLineAdd/InvoiceLineMod gives, how QuickBooks prices it, TxnLineIDs
and the invoice's totals.

Rule: the functions here only read the company and raise ``RequestFailed`` (``line_input``, ``priced``,
``modified_lines``, ``checked_subtotal``), or fill in a record the handler has already decided to save
(``numbered``, ``total``). Lines are dicts in InvoiceLineRet order (``LINE_ORDER``), amounts as
QuickBooks writes them.
Decisions taken without a QuickBooks capture are marked "Decision".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..company import Record
from ..qbxml import Element, text
from ..status import invalid_value, object_not_found
from .base import Context
from .refs import resolve
from .txnquery import (decimal_of, fitting_money, fitting_price, is_empty_ref, iso_date, money, quantity,
                       save_error)

KIND = "Invoice"
LINE_WHERE = "Invoice line"
LINE_ORDER = ("TxnLineID", "ItemRef", "Desc", "Quantity", "Rate", "ClassRef", "Amount", "ServiceDate",
              "Other1", "Other2")
LINE_FIELDS = LINE_ORDER[1:]
ITEM_KINDS = ("ItemService",)


def line_input(ctx: Context, line: Element, *, mod: bool) -> Record:
    """What an InvoiceLineAdd/InvoiceLineMod gives, references checked (3140 "… in the Invoice line").
    Intuit's InvoiceMod: ItemRef, Quantity, Rate and Amount cannot be cleared (3210 when sent empty).
    Elements outside ``LINE_FIELDS`` are the caller's business (refused or ignored before this runs)."""
    given: Record = {}
    for child in line:
        tag = child.tag
        if tag == "ItemRef":
            given[tag] = resolve(ctx, child, ITEM_KINDS, LINE_WHERE, "Item")[1]["ListID"]
        elif tag == "ClassRef":
            clear = mod and is_empty_ref(child)
            given[tag] = None if clear else resolve(ctx, child, ("Class",), LINE_WHERE)[1]["ListID"]
        elif tag in ("Quantity", "Rate", "Amount"):
            value = decimal_of(child.text)
            if value is None and mod:
                raise invalid_value(tag, "", "This field cannot be cleared.")
            if value is not None:
                given[tag] = value
        elif tag in ("Desc", "ServiceDate", "Other1", "Other2"):
            given[tag] = iso_date(child.text) if tag == "ServiceDate" else child.text or None
    return given


def priced(ctx: Context, given: Record) -> Record:
    """A line's stored fields (no TxnLineID) in InvoiceLineRet order.

    As QuickBooks does: Desc and Rate default to the item's sales description and price; Amount is
    Quantity × Rate (a blank Quantity counts as 1) rounded half-up to cents. Decision: an Amount given
    with the others wins even when inconsistent; with no Rate, Rate = Amount / Quantity. A line without
    an item is a description line and may not carry a quantity, rate or amount (consolibyte's
    InvoiceLine notes: the item is required for those). A worked-out Rate or Amount beyond what qbXML's
    PRICETYPE/AMTTYPE can carry is refused with 3210 (``fitting_price``/``fitting_money``)."""
    item = ctx.company.get(given["ItemRef"])[1] if given.get("ItemRef") else None
    qty, rate, amount = (given.get(k) for k in ("Quantity", "Rate", "Amount"))
    if item is None:
        if any(v is not None for v in (qty, rate, amount)):
            raise save_error(KIND, "A line with a quantity, rate or amount needs an item.")
        return {k: given[k] for k in LINE_FIELDS if given.get(k) is not None}
    if rate is None and amount is not None and qty != 0:
        rate = amount / (qty if qty is not None else Decimal(1))
    if rate is None:
        rate = decimal_of(_item_sales(item, "Price"))
    if amount is None:
        amount = (qty if qty is not None else Decimal(1)) * (rate or Decimal(0))
    line = {**given, "Quantity": None if qty is None else quantity(qty),
            "Rate": None if rate is None else fitting_price("Rate", rate),
            "Amount": fitting_money("Amount", amount)}
    line.setdefault("Desc", _item_sales(item, "Desc"))
    return {k: line[k] for k in LINE_FIELDS if line.get(k) is not None}


def _item_sales(item: Record, field: str) -> str | None:
    """The item's sales Desc/Price, from SalesOrPurchase or SalesAndPurchase (SalesDesc/SalesPrice)."""
    if item.get("SalesOrPurchase"):
        return item["SalesOrPurchase"].get(field)
    return (item.get("SalesAndPurchase") or {}).get(f"Sales{field}")


def modified_lines(ctx: Context, body: Element, record: Record) -> list[Record] | None:
    """The lines after an InvoiceMod, or None when it has no InvoiceLineMod (lines stay as they are).

    Intuit's InvoiceMod: TxnLineID -1 adds a line, an existing TxnLineID edits that line; lines not
    listed are deleted (consolibyte: "existing line items … are deleted … unless you specify they should
    be updated"). An unknown TxnLineID is 3120, like an unknown TxnID. Decision (no capture): a TxnLineID
    listed twice is 3180 naming it (two lines cannot share an id, and either edit could be meant)."""
    mods = body.findall("InvoiceLineMod")
    if not mods:
        return None
    existing = {line["TxnLineID"]: line for line in record.get("InvoiceLineRet", [])}
    lines: list[Record] = []
    for element in mods:
        line_id = text(element, "TxnLineID") or ""
        if line_id != "-1" and any(line.get("TxnLineID") == line_id for line in lines):
            raise save_error(KIND, f'The line with TxnLineID "{line_id}" is listed more than once.')
        if line_id == "-1":
            lines.append(priced(ctx, line_input(ctx, element, mod=False)))
        elif line_id in existing:
            merged = _merged(existing[line_id], line_input(ctx, element, mod=True))
            lines.append({"TxnLineID": line_id, **priced(ctx, merged)})
        else:
            raise object_not_found(line_id)
    return lines


def _merged(old: Record, given: Record) -> Record:
    """An edited line's input: its old values, less those the edit makes QuickBooks work out again
    (Desc and Rate follow a new item; Rate follows a new Amount; Amount follows new Quantity/Rate)."""
    base = {k: old.get(k) for k in LINE_FIELDS}
    base.update({k: decimal_of(old.get(k)) for k in ("Quantity", "Rate", "Amount")})
    if "ItemRef" in given and given["ItemRef"] != old.get("ItemRef"):
        del base["Desc"], base["Rate"]
    if "Amount" in given and "Rate" not in given:
        base.pop("Rate", None)
    if "Amount" not in given and any(k in given for k in ("ItemRef", "Quantity", "Rate")):
        del base["Amount"]
    return {**base, **given}


def numbered(ctx: Context, record: Record, lines: list[Record]) -> list[Record]:
    """Give new lines a TxnLineID from the company's TxnID counter, with the record's TimeModified, as
    the real InvoiceAddRs shows (TxnID C5-1417118624, line C7-1417118624)."""
    when = dt.datetime.fromisoformat(record["TimeModified"])
    return [line if "TxnLineID" in line else {"TxnLineID": ctx.company.new_id(when), **line}
            for line in lines]


def checked_subtotal(lines: list[Record]) -> Decimal:
    """The lines' Subtotal, refused when QuickBooks would not save it: 3210 when it is beyond AMTTYPE
    (``fitting_money``); 3180 when it is below zero. Decision (no capture in our sources): QuickBooks
    Desktop's known refusal of a negative sales form, "Transactions must total zero or greater.", as the
    reason; a zero total is accepted."""
    subtotal = _sum(lines)
    fitting_money("Subtotal", subtotal)
    if subtotal < 0:
        raise save_error(KIND, "Transactions must total zero or greater.")
    return subtotal


def _sum(lines: list[Record]) -> Decimal:
    return sum((Decimal(line["Amount"]) for line in lines if "Amount" in line), Decimal(0))


def total(record: Record) -> None:
    """Totals without sales tax or payments, for lines ``checked_subtotal`` has passed. Decision: a zero
    balance counts as paid (IsPaid true)."""
    subtotal = _sum(record.get("InvoiceLineRet", []))
    record.update({"Subtotal": money(subtotal), "SalesTaxPercentage": "0.00", "SalesTaxTotal": "0.00",
                   "AppliedAmount": "0.00", "BalanceRemaining": money(subtotal), "IsPaid": subtotal == 0})
