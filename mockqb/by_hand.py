"""What a person does in QuickBooks' own windows, for tests: enter a time entry, change one.

Rule: a change by hand obeys the same QuickBooks rules as the qbXML request that would make it — the
TimeTrackingAdd and TimeTrackingMod handlers do the work — so names resolve case-insensitively, an
unknown, inactive or wrong-type name is refused, Duration is normalised, and a change gets a new
EditSequence and TimeModified from the company clock. A refusal raises ``RequestFailed`` with the status
the request would get (``.code``, ``.message``) and leaves the company unchanged. Nothing here is a
request: ``QuickBooks.requests_seen``, error-recovery records and open iterators are untouched. Call these
between updates (or while holding ``QuickBooks.lock``), as a person cannot type while QuickBooks is
answering a request.

To mark any record changed without changing a field (a user opened it and clicked Save & Close), use
``CompanyFile.touch(record)``.
"""

from __future__ import annotations

import random

from lxml import etree

from .company import CompanyFile, Record
from .qbxml import Element, sub
from .requests.base import Context, SessionState
from .requests.timetracking import time_tracking_add, time_tracking_mod

#: The version the handlers answer in; the Ret they render is not used, only the stored record.
_VERSION = "16.0"
#: The by-hand fields in TimeTrackingAdd/Mod order (after TxnID and EditSequence), each with its element
#: and, for references, the record field holding the current ListID.
_FIELDS = (("date", "TxnDate"), ("entity", "EntityRef"), ("customer", "CustomerRef"),
           ("item", "ItemServiceRef"), ("duration", "Duration"), ("class_name", "ClassRef"),
           ("payroll_item", "PayrollItemWageRef"), ("notes", "Notes"), ("billable_status", "BillableStatus"))


def enter_time(company: CompanyFile, *, entity: str, duration: str, date: str | None = None,
               customer: str | None = None, item: str | None = None, class_name: str | None = None,
               payroll_item: str | None = None, notes: str | None = None,
               billable_status: str | None = None) -> Record:
    """Enter a time entry by hand and return its stored record.

    Names are FullNames: ``entity`` an employee, vendor or other name; ``customer`` a customer or
    ``Customer:Job``; ``item`` a service item; ``class_name`` a class; ``payroll_item`` a wage item.
    ``duration`` is qbXML's form (``PT1H30M``); ``date`` is ``YYYY-MM-DD`` (default: today on the company
    clock); ``billable_status`` is Billable, NotBillable or HasBeenBilled (default as TimeTrackingAdd).
    """
    given = {"date": date, "entity": entity, "customer": customer, "item": item, "duration": duration,
             "class_name": class_name, "payroll_item": payroll_item, "notes": notes,
             "billable_status": billable_status}
    rq = etree.Element("TimeTrackingAddRq")
    _fill(sub(rq, "TimeTrackingAdd"), given, {})
    reply = time_tracking_add(_context(company), rq)
    return _stored(company, reply.rets[0])


def change_time(company: CompanyFile, txn_id: str, **changes: str) -> Record:
    """Change the time entry ``txn_id`` by hand and return its record, with a new EditSequence.

    ``changes`` uses ``enter_time``'s keywords (names as FullNames); the fields not named keep their
    values. ``notes=""`` clears the notes. The entry's other references must still be valid (active), as
    for a TimeTrackingMod. An unknown keyword is a ``TypeError``; an unknown TxnID is 3120.
    """
    unknown = set(changes) - {keyword for keyword, _ in _FIELDS}
    if unknown:
        raise TypeError(f"change_time() got unknown fields {sorted(unknown)}; use {[k for k, _ in _FIELDS]}")
    found = company.get(txn_id)
    current = found[1] if found and found[0] == "TimeTracking" else {}
    rq = etree.Element("TimeTrackingModRq")
    mod = sub(rq, "TimeTrackingMod")
    sub(mod, "TxnID", txn_id)
    sub(mod, "EditSequence", current.get("EditSequence", ""))
    _fill(mod, changes, current)
    reply = time_tracking_mod(_context(company), rq)
    return _stored(company, reply.rets[0])


def _fill(body: Element, given: dict[str, str | None], current: Record) -> None:
    """Append each field in schema order: the value ``given`` (a name for a reference), else the current
    record's (a ListID for a reference); a field with neither is left out."""
    for keyword, tag in _FIELDS:
        value = given.get(keyword)
        if value is not None:
            if tag.endswith("Ref"):
                sub(sub(body, tag), "FullName", value)
            else:
                sub(body, tag, value)
        elif current.get(tag) is not None:
            if tag.endswith("Ref"):
                sub(sub(body, tag), "ListID", current[tag])
            else:
                sub(body, tag, current[tag])


def _context(company: CompanyFile) -> Context:
    """A context of its own: the handlers need a session, which by hand has no iterators to share."""
    return Context(company, SessionState(app_name="QuickBooks user", rng=random.Random(0)), _VERSION)


def _stored(company: CompanyFile, ret: Element) -> Record:
    return company.get(ret.findtext("TxnID"))[1]
