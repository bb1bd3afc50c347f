"""What people read when QuickBooks refuses a work block: the block, the value and the fix.

Rule: each message starts with the block's label ("Work block 18 (Jane Doe, 2026-11-20, 8h00)") and ends
with what to do; QuickBooks' own status code and words are appended by the core, so they are not
repeated here. Status codes and texts: PROTOCOL.md §D and the simulator (mockqb/status.py,
mockqb/requests/timetracking.py); a refusal this module does not recognise gets the generic message.
"""

from __future__ import annotations

import re

from lxml import etree

from qbbridge.core import QbStatus

INVALID_REFERENCE = 3140
OBJECT_NOT_FOUND = 3120
FEATURE_DISABLED = 3250
BUSY_CODES = (3170, 3175, 3176, 3180)
AGAIN = "then click Update Selected again."
_REFERENCE_TEXT = re.compile(r'invalid reference to QuickBooks (?P<list>[^"]+?) "(?P<value>[^"]*)"')
_BUSY_TEXT = re.compile(r"modified by another user|could not be locked|acquire the lock|is in use", re.I)
#: reference element -> how messages call it
REF_WHAT = {"EntityRef": "employee", "CustomerRef": "customer/job", "ItemServiceRef": "service item",
            "ClassRef": "class", "PayrollItemWageRef": "payroll item"}
#: the list QuickBooks names in a 3140 -> how messages call it (when the request does not tell)
LIST_WHAT = {"entity": "employee", "employee": "employee", "vendor": "employee", "other name": "employee",
             "customer": "customer/job", "job": "customer/job", "item": "service item",
             "item service": "service item", "class": "class", "payroll item": "payroll item",
             "payroll item wage": "payroll item"}
WHERE = {
    "employee": "Add the employee in QuickBooks (Employee Center), or the vendor (Vendor Center) or other "
                "name (Lists > Other Names List) the time belongs to",
    "customer/job": "Add it in QuickBooks (Customer Center)",
    "service item": "Add it in QuickBooks as a service item (Lists > Item List)",
    "class": "Add it in QuickBooks (Lists > Class List)",
    "payroll item": "Add it in QuickBooks as a wage payroll item (Lists > Payroll Item List)",
}


#: What a name of the wrong kind is, per reference (names are unique across the four name lists).
WRONG_KIND = {
    "employee": "a customer or job, and time is recorded only for an employee, a vendor or an other name",
    "customer/job": "an employee, a vendor or an other name, not a customer/job",
    "service item": "not a service item", "class": "not a class", "payroll item": "not a wage payroll item",
}


def refused(label: str, body: etree._Element, status: QbStatus) -> str:
    """The message for an Add or Mod QuickBooks refused with ``status``."""
    if status.code == INVALID_REFERENCE:
        found = _bad_reference(label, body, status.message)
        if found:
            return found
    if status.code == FEATURE_DISABLED and body.find(".//ClassRef") is not None:
        name = body.findtext(".//ClassRef/FullName") or body.findtext(".//ClassRef/ListID")
        return (f"{label}: class tracking is turned off in QuickBooks, so it cannot take the block's class "
                f"'{name}'. Turn on class tracking in QuickBooks (Edit > Preferences > Accounting > "
                f"Company Preferences > Use class tracking) or remove the class from the block, {AGAIN}")
    if status.code == OBJECT_NOT_FOUND and body.find(".//TxnID") is not None:
        return deleted(label, body.findtext(".//TxnID") or "")
    return _rule(label, body, status) or (
        f"{label}: QuickBooks refused the work block. Correct it if QuickBooks' reason below points at "
        f"one of its fields, {AGAIN}")


def deleted(label: str, txn_id: str) -> str:
    """The entry a synced block was linked to is gone from QuickBooks."""
    return (f"{label}: the QuickBooks time entry {txn_id} this block was sent as no longer exists (it was "
            "deleted in QuickBooks), so the edit cannot be sent. Enter the time in QuickBooks again, or "
            "submit the block under a new id to add it as a new entry.")


def stale(label: str) -> str:
    """A Mod refused because the entry changed in QuickBooks since it was read (3200)."""
    return (f"{label}: the time entry was changed in QuickBooks since qbbridge last read it; it is read "
            "again and the edit sent once more.")


def _bad_reference(label: str, body: etree._Element, text: str) -> str | None:
    match = _REFERENCE_TEXT.search(text)
    if match is None:
        return None
    value = match["value"]
    what, by_id = _reference_of(body, value)
    what = what or LIST_WHAT.get(match["list"].strip().casefold())
    if what is None:
        return None
    named = f"with ListID '{value}'" if by_id else f"'{value}'"
    if "wrong type" in text.casefold():
        return (f"{label}: the name {named} in QuickBooks is {WRONG_KIND[what]}. Correct the block's "
                f"{what}, {AGAIN}")
    return (f"{label}: QuickBooks has no {what} {named}, or it is inactive. {WHERE[what]}, or make it "
            f"active, or correct the work block, {AGAIN}")


def _reference_of(body: etree._Element, value: str) -> tuple[str | None, bool]:
    """Which reference of the request carries ``value``, and whether as a ListID."""
    folded = value.casefold()
    for tag, what in REF_WHAT.items():
        for ref in body.iter(tag):
            if (ref.findtext("ListID") or "").casefold() == folded:
                return what, True
            if (ref.findtext("FullName") or "").casefold() == folded:
                return what, False
    return None, False


def _rule(label: str, body: etree._Element, status: QbStatus) -> str | None:
    """QuickBooks' business rules (3180) and transient lock errors."""
    text = status.message
    if "payroll item" in text.casefold():
        who = body.findtext(".//EntityRef/FullName") or body.findtext(".//EntityRef/ListID")
        item = body.findtext(".//PayrollItemWageRef/FullName")
        return (f"{label}: '{who}' is not an employee (a vendor or other name), so the time cannot carry "
                f"payroll item '{item}'. Remove the payroll item from the block, or record the time for an "
                f"employee, {AGAIN}")
    if "closing date" in text.casefold():
        day = body.findtext(".//TxnDate")
        return (f"{label}: its date {day} is on or before the company file's closing date, so QuickBooks "
                f"locks it. Change the block's date, or have the QuickBooks administrator move the closing "
                f"date (Edit > Preferences > Accounting), {AGAIN}")
    if "billable" in text.casefold():
        return (f"{label}: QuickBooks takes billable time only with a customer/job and a service item. Add "
                f"them to the block or mark it not billable, {AGAIN}")
    if status.code in BUSY_CODES and _BUSY_TEXT.search(text):
        return f"{label}: QuickBooks was busy (someone was changing the same list). Nothing to fix: {AGAIN}"
    return None
