"""InvoiceAdd, InvoiceMod and InvoiceQuery: the invoice header, the requests and the query.

Rule: every check (references, closing date, class tracking, lines, the total and the balances it leads
to) runs before the company changes; then the header fields are stored, the lines get TxnLineIDs and the
totals are recomputed. The lines' rules (input, pricing, TxnLineIDs, totals) live in invoice_lines.py;
the customers' balances follow in the same request (balances.py). The elements Intuit's catalogue marks
"not in QBD" (qbxmlops140.xml) are ignored with the 530 warning the items, name lists and TimeTracking
use; every other element mockqb does not simulate (sales tax codes, terms, groups, …) is refused with
1030 naming it rather than dropped silently. Decisions taken without a QuickBooks capture are marked
"Decision".
"""

from __future__ import annotations

import re
from functools import partial

from ..company import Record
from ..qbxml import Element, text, texts
from ..render import render
from ..status import OK, Status, invalid_reference, unsupported
from .balances import Plan, apply, planned, posting
from .base import Context, Handler, Reply, field_not_supported, refuse_attributes, refuse_unsupported
from .invoice_lines import (KIND, LINE_FIELDS, LINE_ORDER, checked_subtotal, line_input, modified_lines,
                            numbered, priced, total)
from .query import answer, by_ids, continue_iterator
from .refs import ref_value, resolve
from .txnquery import (apply_fields, by_names, by_ref_number, check_class_tracking, check_closing_date,
                       date_filtered, in_txn_order, is_empty_ref, iso_date, money, record_for_mod, today,
                       txn_date, visible_order)

RET_ORDER = ("TxnID", "TimeCreated", "TimeModified", "EditSequence", "TxnNumber", "CustomerRef", "ClassRef",
             "ARAccountRef", "TxnDate", "RefNumber", "BillAddress", "ShipAddress", "IsPending",
             "IsFinanceCharge", "PONumber", "DueDate", "FOB", "ShipDate", "Subtotal", "SalesTaxPercentage",
             "SalesTaxTotal", "AppliedAmount", "BalanceRemaining", "Memo", "IsPaid", "IsToBePrinted",
             "IsToBeEmailed", "Other", "ExternalGUID", "InvoiceLineRet")
#: Fields newer than qbXML 2.0 (Intuit's qbxmlops140 comments), left out of answers to older versions.
SINCE = {"IsToBeEmailed": "6.0", "Other": "6.0", "ExternalGUID": "9.0", "Other1": "6.0", "Other2": "6.0"}
TEXTS = ("RefNumber", "PONumber", "FOB", "Memo", "Other")
BOOLS = ("IsPending", "IsFinanceCharge", "IsToBePrinted", "IsToBeEmailed")
#: The header elements mockqb keeps. TemplateRef is not among them: the simulated company has no
#: template list, so it is refused (1030) like the other elements mockqb does not simulate.
HEADER = ("CustomerRef", "ClassRef", "ARAccountRef", "TxnDate", "BillAddress", "ShipAddress", "DueDate",
          "ShipDate", "ExternalGUID", *TEXTS, *BOOLS)
#: Elements qbxmlops140.xml marks "not in QBD", per body and line: QuickBooks Desktop ignores them, and so
#: does mockqb (530). Those nested in elements mockqb refuses (SetCredit's TxnLineID, a line group's Desc
#: and ServiceDate) never get here: their parent is refused with 1030 first.
NOT_IN_QBD: dict[str, tuple[str, ...]] = {
    "InvoiceAdd": ("IsTaxIncluded", "DiscountLineAdd", "SalesTaxLineAdd", "ShippingLineAdd"),
    "InvoiceMod": ("IsTaxIncluded",),
    "InvoiceLineAdd": ("TaxAmount", "IsTaxable"),
    "InvoiceLineMod": ("TaxAmount",),
}
#: What the real InvoiceAddRs (flowlink capture) and Conductor's InvoiceRet show for a new invoice.
DEFAULTS = {"IsPending": False, "IsFinanceCharge": False, "IsToBePrinted": True, "IsToBeEmailed": False}
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


_HIGHEST_REF = "invoice-highest-refnumber"


def _next_ref_number(ctx: Context) -> str:
    """Decision (per the brief): one more than the highest all-digit RefNumber, "1" for the first.
    Real QuickBooks increments the last number entered, which agrees while numbers only grow.
    The highest number is found once per loaded company and then kept up to date (``cache``)."""
    if _HIGHEST_REF not in ctx.company.cache:
        numbers = [int(number) for r in ctx.company.records(KIND)
                   if _DIGITS.fullmatch(number := r.get("RefNumber") or "")]
        ctx.company.cache[_HIGHEST_REF] = max(numbers, default=0)
    return str(ctx.company.cache[_HIGHEST_REF] + 1)


def _remember_ref_number(ctx: Context, record: Record) -> None:
    number = record.get("RefNumber") or ""
    if _HIGHEST_REF in ctx.company.cache and _DIGITS.fullmatch(number):
        ctx.company.cache[_HIGHEST_REF] = max(ctx.company.cache[_HIGHEST_REF], int(number))


# -- requests -----------------------------------------------------------------------------------------
def _refuse_unsupported(body: Element, where: str, line_tag: str) -> None:
    """1030 for any element mockqb neither keeps nor ignores (InvoiceLineGroupAdd/Mod, sales tax codes,
    terms, …) and for a defMacro on the invoice or a line."""
    refuse_attributes(body, where)
    refuse_unsupported(body, ("TxnID", "EditSequence", *HEADER, *NOT_IN_QBD[where], line_tag), where)
    for line in body.findall(line_tag):
        refuse_attributes(line, line_tag)
        refuse_unsupported(line, ("TxnLineID", *LINE_FIELDS, *NOT_IN_QBD[line_tag]), line_tag)


def _status(body: Element, line_tag: str) -> Status:
    """530 naming the first element, in document order, that QuickBooks Desktop ignores (only one status
    fits a reply), else OK. Only called once the request has succeeded: an error outranks the warning."""
    for child in body:
        if child.tag in NOT_IN_QBD[body.tag]:
            return field_not_supported(child.tag)
        if child.tag == line_tag:
            ignored = next(child.iterchildren(*NOT_IN_QBD[line_tag]), None)
            if ignored is not None:
                return field_not_supported(ignored.tag)
    return OK


def _balances(ctx: Context, record: Record | None, fields: Record, lines: list[Record] | None) -> Plan:
    """The last checks before an invoice is stored: its total (``checked_subtotal``: 3210 beyond AMTTYPE,
    3180 below zero) and the customers' balances it leads to (``planned``: 3210 beyond AMTTYPE). Returns
    the balance changes to ``apply`` once stored. ``record`` is the invoice a Mod changes (None for an
    Add), ``fields`` its new header, ``lines`` its new lines (None: a Mod keeps them)."""
    subtotal = checked_subtotal(lines if lines is not None else record["InvoiceLineRet"])
    after = dict(record or {})
    apply_fields(after, fields)
    after["BalanceRemaining"] = money(subtotal)
    return planned(ctx.company, posting(record) if record else None, posting(after))


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
    """Add an invoice; its customer's Balance and the TotalBalance of it and its ancestors follow."""
    body = rq.find("InvoiceAdd")
    _refuse_unsupported(body, "InvoiceAdd", "InvoiceLineAdd")
    check_class_tracking(ctx, body)
    fields = _header(ctx, body, None)
    lines = [priced(ctx, line_input(ctx, line, mod=False)) for line in body.findall("InvoiceLineAdd")]
    day = txn_date(body, today(ctx).isoformat())
    check_closing_date(ctx, KIND, day)
    balances = _balances(ctx, None, fields, lines)
    record = ctx.company.add(KIND, _new_fields(ctx, fields, day))
    _finish(ctx, record, lines, balances)
    return Reply([_render(ctx, True, record, _include(rq))], _status(body, "InvoiceLineAdd"))


def invoice_mod(ctx: Context, rq: Element) -> Reply:
    """Change an invoice. The balances follow for its customer, and for the one it had before when the
    Mod moves it to another customer (with both customers' ancestors)."""
    body = rq.find("InvoiceMod")
    _refuse_unsupported(body, "InvoiceMod", "InvoiceLineMod")
    record = record_for_mod(ctx, KIND, body)
    check_class_tracking(ctx, body)
    fields = _header(ctx, body, record)
    lines = modified_lines(ctx, body, record)
    fields["TxnDate"] = txn_date(body, record["TxnDate"])
    check_closing_date(ctx, KIND, fields["TxnDate"], record["TxnDate"])
    balances = _balances(ctx, record, fields, lines)
    apply_fields(record, fields)
    ctx.company.touch(record)
    _finish(ctx, record, lines, balances)
    return Reply([_render(ctx, True, record, _include(rq))], _status(body, "InvoiceLineMod"))


def _finish(ctx: Context, record: Record, lines: list[Record] | None, balances) -> None:
    """Store the checked lines (None: keep them), the totals, the customers' balances and the number."""
    if lines is not None:
        record["InvoiceLineRet"] = numbered(ctx, record, lines)
    total(record)
    apply(balances)
    _remember_ref_number(ctx, record)


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
