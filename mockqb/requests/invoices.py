"""InvoiceAdd, InvoiceMod and InvoiceQuery.

Rule: every check (references, closing date, class tracking, lines) runs before the company changes;
then the header fields are stored, the lines get TxnLineIDs and the totals are recomputed. Lines are
dicts in InvoiceLineRet order under ``InvoiceLineRet``. Elements mockqb does not simulate (sales tax,
terms, groups, …) are refused with 1030 naming them rather than dropped silently. Decisions taken
without a QuickBooks capture are marked "Decision".
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import partial

from ..company import Record
from ..qbxml import Element, text, texts
from ..render import render
from ..status import invalid_reference, invalid_value, object_not_found, unsupported
from .base import Context, Handler, Reply, refuse_attributes, refuse_unsupported
from .query import answer, by_ids, continue_iterator
from .refs import ref_value, resolve
from .txnquery import (apply_fields, by_names, by_ref_number, check_class_tracking, check_closing_date,
                       date_filtered, decimal_of, in_txn_order, is_empty_ref, iso_date, money, price,
                       quantity, record_for_mod, save_error, today, txn_date, visible_order)

KIND = "Invoice"
LINE_WHERE = "Invoice line"
RET_ORDER = ("TxnID", "TimeCreated", "TimeModified", "EditSequence", "TxnNumber", "CustomerRef", "ClassRef",
             "ARAccountRef", "TxnDate", "RefNumber", "BillAddress", "ShipAddress", "IsPending",
             "IsFinanceCharge", "PONumber", "DueDate", "FOB", "ShipDate", "Subtotal", "SalesTaxPercentage",
             "SalesTaxTotal", "AppliedAmount", "BalanceRemaining", "Memo", "IsPaid", "IsToBePrinted",
             "IsToBeEmailed", "Other", "ExternalGUID", "InvoiceLineRet")
LINE_ORDER = ("TxnLineID", "ItemRef", "Desc", "Quantity", "Rate", "ClassRef", "Amount", "ServiceDate",
              "Other1", "Other2")
#: Fields newer than qbXML 2.0 (Intuit's qbxmlops140 comments), left out of answers to older versions.
SINCE = {"IsToBeEmailed": "6.0", "Other": "6.0", "ExternalGUID": "9.0", "Other1": "6.0", "Other2": "6.0"}
TEXTS = ("RefNumber", "PONumber", "FOB", "Memo", "Other")
BOOLS = ("IsPending", "IsFinanceCharge", "IsToBePrinted", "IsToBeEmailed")
#: The header elements mockqb keeps. TemplateRef is not among them: the simulated company has no
#: template list, so it is refused (1030) like the other elements mockqb does not simulate.
HEADER = ("CustomerRef", "ClassRef", "ARAccountRef", "TxnDate", "BillAddress", "ShipAddress", "DueDate",
          "ShipDate", "ExternalGUID", *TEXTS, *BOOLS)
LINE_FIELDS = LINE_ORDER[1:]
#: What the real InvoiceAddRs (flowlink capture) and Conductor's InvoiceRet show for a new invoice.
DEFAULTS = {"IsPending": False, "IsFinanceCharge": False, "IsToBePrinted": True, "IsToBeEmailed": False}
ITEM_KINDS = ("ItemService",)
_DIGITS = re.compile(r"[0-9]+")


# -- header -------------------------------------------------------------------------------------------
def _header(ctx: Context, body: Element, current: Record | None) -> Record:
    """The header fields ``body`` sets, references checked. In a Mod (``current`` given) None marks a
    field the request clears; in an Add an empty element just counts as absent."""
    fields = {**_header_refs(ctx, body, current is not None), **_header_values(body)}
    return fields if current is not None else {k: v for k, v in fields.items() if v is not None}


def _header_refs(ctx: Context, body: Element, mod: bool) -> Record:
    fields: Record = {}
    if body.find("CustomerRef") is not None:
        fields["CustomerRef"] = resolve(ctx, body.find("CustomerRef"), ("Customer",), KIND)[1]["ListID"]
    class_ref = body.find("ClassRef")
    if class_ref is not None:
        clear = mod and is_empty_ref(class_ref)  # ClassRef is clearable; CustomerRef/ARAccountRef are not
        fields["ClassRef"] = None if clear else resolve(ctx, class_ref, ("Class",), KIND)[1]["ListID"]
    if body.find("ARAccountRef") is not None:
        fields["ARAccountRef"] = _ar_account(ctx, body.find("ARAccountRef"))
    return fields


def _header_values(body: Element) -> Record:
    fields: Record = {}
    for child in body:
        tag = child.tag
        if tag in TEXTS or tag == "ExternalGUID":
            fields[tag] = child.text or None
        elif tag in BOOLS and (child.text or "").strip():
            fields[tag] = child.text.strip() in ("true", "1")
        elif tag in ("DueDate", "ShipDate"):
            fields[tag] = iso_date(child.text)
        elif tag in ("BillAddress", "ShipAddress"):
            parts = {part.tag: part.text for part in child if isinstance(part.tag, str) and part.text}
            fields[tag] = parts or None
    return fields


def _ar_account(ctx: Context, ref: Element) -> str:
    """ARAccountRef must name an Accounts Receivable account; any other account is 3140 like a missing one."""
    account = resolve(ctx, ref, ("Account",), KIND)[1]
    if account.get("AccountType") != "AccountsReceivable":
        raise invalid_reference("QuickBooks Account", ref_value(ref), KIND)
    return account["ListID"]


def _new_fields(ctx: Context, fields: Record, day: str) -> Record:
    """A new invoice's header: QuickBooks' defaults (the first A/R account, the next RefNumber, due and
    ship dates equal to TxnDate as in both captured InvoiceRets without terms), then the request's."""
    accounts = ctx.company.records("Account")
    ar_account = next((a["ListID"] for a in accounts if a.get("AccountType") == "AccountsReceivable"
                       and a.get("IsActive", True)), None)
    return {**DEFAULTS, "ARAccountRef": ar_account, "TxnDate": day, "RefNumber": _next_ref_number(ctx),
            "DueDate": day, "ShipDate": day, **fields}


def _next_ref_number(ctx: Context) -> str:
    """Decision (per the brief): one more than the highest all-digit RefNumber, "1" for the first.
    Real QuickBooks increments the last number entered, which agrees while numbers only grow."""
    numbers = [int(number) for r in ctx.company.records(KIND)
               if _DIGITS.fullmatch(number := r.get("RefNumber") or "")]
    return str(max(numbers, default=0) + 1)


# -- lines --------------------------------------------------------------------------------------------
def _line_input(ctx: Context, line: Element, *, mod: bool) -> Record:
    """What an InvoiceLineAdd/InvoiceLineMod gives, references checked (3140 "… in the Invoice line").
    Intuit's InvoiceMod: ItemRef, Quantity, Rate and Amount cannot be cleared (3210 when sent empty)."""
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


def _priced(ctx: Context, given: Record) -> Record:
    """A line's stored fields (no TxnLineID) in InvoiceLineRet order.

    As QuickBooks does: Desc and Rate default to the item's sales description and price; Amount is
    Quantity × Rate (a blank Quantity counts as 1) rounded half-up to cents. Decision: an Amount given
    with the others wins even when inconsistent; with no Rate, Rate = Amount / Quantity. A line without
    an item is a description line and may not carry a quantity, rate or amount (consolibyte's
    InvoiceLine notes: the item is required for those)."""
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
            "Rate": None if rate is None else price(rate), "Amount": money(amount)}
    line.setdefault("Desc", _item_sales(item, "Desc"))
    return {k: line[k] for k in LINE_FIELDS if line.get(k) is not None}


def _item_sales(item: Record, field: str) -> str | None:
    """The item's sales Desc/Price, from SalesOrPurchase or SalesAndPurchase (SalesDesc/SalesPrice)."""
    if item.get("SalesOrPurchase"):
        return item["SalesOrPurchase"].get(field)
    return (item.get("SalesAndPurchase") or {}).get(f"Sales{field}")


def _modified_lines(ctx: Context, body: Element, record: Record) -> list[Record] | None:
    """The lines after an InvoiceMod, or None when it has no InvoiceLineMod (lines stay as they are).

    Intuit's InvoiceMod: TxnLineID -1 adds a line, an existing TxnLineID edits that line; lines not
    listed are deleted (consolibyte: "existing line items … are deleted … unless you specify they should
    be updated"). An unknown TxnLineID is 3120, like an unknown TxnID."""
    mods = body.findall("InvoiceLineMod")
    if not mods:
        return None
    existing = {line["TxnLineID"]: line for line in record.get("InvoiceLineRet", [])}
    lines = []
    for element in mods:
        line_id = text(element, "TxnLineID") or ""
        if line_id == "-1":
            lines.append(_priced(ctx, _line_input(ctx, element, mod=False)))
        elif line_id in existing:
            merged = _merged(existing[line_id], _line_input(ctx, element, mod=True))
            lines.append({"TxnLineID": line_id, **_priced(ctx, merged)})
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


def _numbered(ctx: Context, record: Record, lines: list[Record]) -> list[Record]:
    """Give new lines a TxnLineID from the company's TxnID counter, with the record's TimeModified, as
    the real InvoiceAddRs shows (TxnID C5-1417118624, line C7-1417118624)."""
    when = dt.datetime.fromisoformat(record["TimeModified"])
    return [line if "TxnLineID" in line else {"TxnLineID": ctx.company.new_id(when), **line}
            for line in lines]


def _total(record: Record) -> None:
    """Totals without sales tax or payments. Decision: a zero balance counts as paid (IsPaid true)."""
    subtotal = sum((Decimal(line["Amount"]) for line in record.get("InvoiceLineRet", []) if "Amount" in line),
                   Decimal(0))
    record.update({"Subtotal": money(subtotal), "SalesTaxPercentage": "0.00", "SalesTaxTotal": "0.00",
                   "AppliedAmount": "0.00", "BalanceRemaining": money(subtotal), "IsPaid": subtotal == 0})


# -- requests -----------------------------------------------------------------------------------------
def _refuse_unsupported(body: Element, where: str, line_tag: str) -> None:
    """1030 for any element mockqb does not simulate (InvoiceLineGroupAdd/Mod, sales tax, terms, …) and
    for a defMacro on the invoice or a line."""
    refuse_attributes(body, where)
    refuse_unsupported(body, ("TxnID", "EditSequence", *HEADER, line_tag), where)
    for line in body.findall(line_tag):
        refuse_attributes(line, line_tag)
        refuse_unsupported(line, ("TxnLineID", *LINE_FIELDS), line_tag)


def _render(ctx: Context, lines: bool, record: Record, include: set[str] | None) -> Element:
    """InvoiceRet in schema order; lines only when asked for; no fields newer than the request's version."""
    order = visible_order(ctx, RET_ORDER if lines else RET_ORDER[:-1], SINCE)
    line_order = visible_order(ctx, LINE_ORDER, SINCE)
    shown = {**record, "InvoiceLineRet": [{k: line[k] for k in line_order if k in line}
                                          for line in record.get("InvoiceLineRet", [])]}
    return render(ctx.company, "InvoiceRet", shown, order, include)


def _include(rq: Element) -> set[str] | None:
    return set(texts(rq, "IncludeRetElement")) or None


def invoice_add(ctx: Context, rq: Element) -> Reply:
    body = rq.find("InvoiceAdd")
    _refuse_unsupported(body, "InvoiceAdd", "InvoiceLineAdd")
    check_class_tracking(ctx, body)
    fields = _header(ctx, body, None)
    lines = [_priced(ctx, _line_input(ctx, line, mod=False)) for line in body.findall("InvoiceLineAdd")]
    day = txn_date(body, today(ctx).isoformat())
    check_closing_date(ctx, KIND, day)
    record = ctx.company.add(KIND, _new_fields(ctx, fields, day))
    record["InvoiceLineRet"] = _numbered(ctx, record, lines)
    _total(record)
    return Reply([_render(ctx, True, record, _include(rq))])


def invoice_mod(ctx: Context, rq: Element) -> Reply:
    body = rq.find("InvoiceMod")
    _refuse_unsupported(body, "InvoiceMod", "InvoiceLineMod")
    record = record_for_mod(ctx, KIND, body)
    check_class_tracking(ctx, body)
    fields = _header(ctx, body, record)
    lines = _modified_lines(ctx, body, record)
    fields["TxnDate"] = txn_date(body, record["TxnDate"])
    check_closing_date(ctx, KIND, fields["TxnDate"], record["TxnDate"])
    apply_fields(record, fields)
    ctx.company.touch(record)
    if lines is not None:
        record["InvoiceLineRet"] = _numbered(ctx, record, lines)
    _total(record)
    return Reply([_render(ctx, True, record, _include(rq))])


def invoice_query(ctx: Context, rq: Element) -> Reply:
    """TxnID* | RefNumber* | RefNumberCaseSensitive* | filters; lines only with IncludeLineItems true.

    IncludeLinkedTxns and OwnerID are honoured by adding nothing: no invoice has linked transactions
    (payments are not simulated; LinkToTxnID and SetCredit are refused) and the simulated company has no
    data extensions (DataExtDef and DataExt requests are refused)."""
    lines = (text(rq, "IncludeLineItems") or "").strip() in ("true", "1")
    render_one = partial(_render, ctx, lines)
    if rq.get("iterator") in ("Continue", "Stop"):
        return continue_iterator(ctx, rq, render_one)
    if rq.find("TxnID") is not None:
        matches, status = by_ids(ctx, texts(rq, "TxnID"), (KIND,), by_name=False)
        return answer(ctx, rq, matches, render_one, status)
    return answer(ctx, rq, _selected(ctx, rq), render_one)


def _selected(ctx: Context, rq: Element) -> list[Record]:
    """Decision: RefNumber lists act as a filter (status 1 when none match), unlike TxnIDs (500),
    because RefNumbers need not be unique."""
    records = list(ctx.company.records(KIND))
    wanted, exact = texts(rq, "RefNumber"), texts(rq, "RefNumberCaseSensitive")
    if wanted or exact:
        keys = {w.casefold() for w in wanted}
        return in_txn_order(r for r in records if r.get("RefNumber") is not None
                            and (r["RefNumber"] in exact or r["RefNumber"].casefold() in keys))
    if rq.find("CurrencyFilter") is not None:
        raise unsupported("CurrencyFilter (multicurrency)")
    records = by_names(ctx, rq, date_filtered(ctx, rq, records), "CustomerRef", "ARAccountRef")
    records = by_ref_number(rq, records)
    paid = text(rq, "PaidStatus") or "All"
    if paid != "All":
        records = [r for r in records if r["IsPaid"] is (paid == "PaidOnly")]
    return in_txn_order(records)


HANDLERS: dict[str, Handler] = {
    "InvoiceAddRq": invoice_add,
    "InvoiceModRq": invoice_mod,
    "InvoiceQueryRq": invoice_query,
}
