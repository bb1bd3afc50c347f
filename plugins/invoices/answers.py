"""Reading QuickBooks' answers to the invoices' InvoiceAdd and RefNumber lookup requests.

Rule: an answered Add is ``Linked`` (TxnID, EditSequence); a refused one is ``Failed`` with a message
that names the invoice, the refused value and the fix (3140 per list, 3250 class tracking, else
QuickBooks' own words). A lookup is ``Linked`` only for an invoice with exactly the RefNumber, date and
customer asked about, else ``Absent``; a lookup QuickBooks refused gives no outcome, so the engine keeps
the record uncertain rather than risk adding it twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

from qbbridge.core.contract import Absent, Failed, Linked, Outcome, QbResult, QbStatus, SentRequest

INVALID_REFERENCE, FEATURE_OFF = 3140, 3250
FOUND_NOTE = "found in QuickBooks after a lost answer"
AGAIN = "then click Update Selected again."
# "There is an invalid reference to QuickBooks Customer "Joe Smith" in the Invoice." (PROTOCOL.md §D)
_REFERENCE = re.compile(r'invalid reference to QuickBooks (?P<list>[A-Za-z ]+?) "(?P<value>.*?)" in the')


def add_outcomes(sent: SentRequest, result: QbResult) -> Sequence[Outcome]:
    key = sent.local_key or ""
    if result.status.is_error:
        return [Failed(key, failure_message(sent, result.status), result.status)]
    if not result.rets:
        return []  # no InvoiceRet: the engine keeps it uncertain and looks it up
    ret = result.rets[0]
    return [Linked(key, ret.findtext("TxnID") or "", ret.findtext("EditSequence"))]


def failure_message(sent: SentRequest, status: QbStatus) -> str:
    """What people read when QuickBooks refused an invoice."""
    label = sent.label or f"Invoice {sent.local_key}"
    match = _REFERENCE.search(status.message) if status.code == INVALID_REFERENCE else None
    if match:
        value = match["value"]
        shown = sent.context.get("items", {}).get(value, value) if match["list"] == "Item" else value
        return f"{label} was not sent: {_reference_problem(sent.body, match['list'], value, shown)}"
    classes = _classes(sent.body)
    if status.code == FEATURE_OFF and classes:
        return (f"{label} was not sent: it uses class {classes}, but class tracking is off in QuickBooks. "
                "Turn on Edit > Preferences > Accounting > Company Preferences > Use class tracking (or "
                f"remove the class from the invoice), {AGAIN}")
    return (f"{label} was not sent: QuickBooks answered status {status.code}: {status.message.strip()} "
            f"Fix the invoice or QuickBooks, {AGAIN}")


def _reference_problem(body: etree._Element, list_name: str, value: str, shown: str) -> str:
    if list_name == "Customer":
        shown = body.findtext(".//CustomerRef/FullName") or value
        return (f"QuickBooks has no active customer/job '{shown}'. Add it (or make it active) in "
                f"QuickBooks, or correct the invoice's customer, {AGAIN}")
    if list_name == "Item":
        return (f"the QuickBooks item of {_lines_with_item(body, value)} ({shown}) is missing or inactive. "
                f"Make the item active in QuickBooks, or link the part to another item, {AGAIN}")
    if list_name == "Class":
        return (f"QuickBooks has no active class '{value}'. Add the class (or make it active) in "
                f"QuickBooks, or correct the invoice's class dimension, {AGAIN}")
    if list_name == "Account":
        return (f"QuickBooks refused the account '{value}' (missing, inactive or of the wrong type). "
                f"Check the account in QuickBooks, {AGAIN}")
    return (f"QuickBooks has no active {list_name.lower()} '{value}'. Add it or make it active in "
            f"QuickBooks, {AGAIN}")


def _lines_with_item(body: etree._Element, value: str) -> str:
    numbers = [str(n) for n, line in enumerate(body.iter("InvoiceLineAdd"), 1)
               if value in (line.findtext("ItemRef/ListID"), line.findtext("ItemRef/FullName"))]
    if not numbers:
        return "a line"
    return f"line {numbers[0]}" if len(numbers) == 1 else f"lines {', '.join(numbers)}"


def _classes(body: etree._Element) -> str:
    refs = body.iter("ClassRef")
    names = dict.fromkeys(ref.findtext("FullName") or ref.findtext("ListID") or "" for ref in refs)
    return ", ".join(f"'{name}'" for name in names)


def lookup_outcomes(sent: SentRequest, result: QbResult) -> Sequence[Outcome]:
    """The RefNumber lookup's answer: the matching invoice, or ``Absent``."""
    key = sent.local_key or ""
    if result.status.is_error:
        return []
    wanted = _asked(sent.body)
    for ret in result.rets:
        if _matches(ret, *wanted):
            return [Linked(key, ret.findtext("TxnID") or "", ret.findtext("EditSequence"), note=FOUND_NOTE)]
    return [Absent(key)]


def _asked(body: etree._Element) -> tuple[str, str, str | None, str | None]:
    return (body.findtext("RefNumberRangeFilter/FromRefNumber") or "",
            body.findtext("TxnDateRangeFilter/FromTxnDate") or "",
            body.findtext("EntityFilter/ListID"), body.findtext("EntityFilter/FullName"))


def _matches(ret: etree._Element, ref_number: str, day: str, list_id: str | None, name: str | None) -> bool:
    if ret.findtext("RefNumber") != ref_number or ret.findtext("TxnDate") != day:
        return False
    if list_id:
        return ret.findtext("CustomerRef/ListID") == list_id
    return (ret.findtext("CustomerRef/FullName") or "").casefold() == (name or "").casefold()
