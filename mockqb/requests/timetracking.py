"""TimeTrackingAdd, TimeTrackingMod and TimeTrackingQuery.

Rule: one ``_checked`` turns a TimeTrackingAdd/Mod element into the record's new fields, raising every
QuickBooks refusal first; Add stores them, Mod merges them into the record and touches it. Decisions
taken without a QuickBooks capture are marked "Decision" below.
"""

from __future__ import annotations

import re
from functools import partial

from ..company import Record
from ..qbxml import Element, text, texts
from ..render import render
from ..status import OK, Status, invalid_value
from .base import Context, Handler, Reply, field_not_supported, refuse_attributes
from .query import answer, by_ids, continue_iterator
from .refs import resolve, resolve_optional
from .txnquery import (apply_fields, check_class_tracking, check_closing_date, date_filtered, in_txn_order,
                       named_ids, record_for_mod, save_error, today, txn_date, visible_order)

KIND = "TimeTracking"
RET_ORDER = ("TxnID", "TimeCreated", "TimeModified", "EditSequence", "TxnNumber", "TxnDate", "EntityRef",
             "CustomerRef", "ItemServiceRef", "Duration", "ClassRef", "PayrollItemWageRef", "Notes",
             "BillableStatus", "ExternalGUID")
#: Fields added after qbXML 1.0, left out of answers to older versions (Intuit's qbxmlops140 comments).
SINCE = {"BillableStatus": "6.0", "ExternalGUID": "9.0"}
ENTITY_KINDS = ("Employee", "Vendor", "OtherName")
#: Decision: captured 3140 texts name the reference's role, not its list ("QuickBooks SalesRep" for
#: SalesRepRef), so EntityRef, which may be an employee, vendor or other name, is "QuickBooks Entity".
ENTITY_LABEL = "Entity"
OPTIONAL_REFS = (("CustomerRef", ("Customer",)), ("ItemServiceRef", ("ItemService",)),
                 ("ClassRef", ("Class",)), ("PayrollItemWageRef", ("PayrollItemWage",)))
_DURATION = re.compile(r"([+-]?)PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?")


def normalise_duration(value: str | None) -> str:
    """A TIMEINTERVALTYPE as QuickBooks returns it: ``PT#H#M0S`` (``PT90M`` → ``PT1H30M0S``).

    QuickBooks keeps whole minutes (Conductor's QBD docs: seconds "are not returned"); Decision: seconds
    round half-up to the nearest minute. No upper limit (over 24 hours) is enforced: none is documented.
    An empty Duration (the schema's union with "" lets it through) is refused with 3210, and so is a
    negative one (the schema's duration allows ``-PT2H``; time worked cannot be below zero). Decision (no
    capture): the negative case's reason is our wording; a zero (or ``-PT0M``) duration is accepted.
    """
    match = _DURATION.fullmatch((value or "").strip())
    if match is None or not any(match.groups()[1:]):
        raise invalid_value("Duration", value or "", "A time duration such as PT1H30M is required.")
    sign, hours, minutes, seconds = match.groups()
    total = (int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds or 0) + 30) // 60
    if sign == "-" and total:
        raise invalid_value("Duration", value or "", "A time duration cannot be negative.")
    return f"PT{total // 60}H{total % 60}M0S"


def _checked(ctx: Context, body: Element, current: Record | None) -> Record:
    """The fields ``body`` sets, after every check; ``current`` is the record a Mod changes.

    Order of checks: class tracking (3250), references in schema order (3140), Duration (3210), the
    closing date (3180), then the billable and payroll-item rules (3180)."""
    check_class_tracking(ctx, body)
    entity_kind, entity = resolve(ctx, body.find("EntityRef"), ENTITY_KINDS, KIND, ENTITY_LABEL)
    fields: Record = {"EntityRef": entity["ListID"]}
    for tag, kinds in OPTIONAL_REFS:
        list_id = resolve_optional(ctx, body, tag, kinds, KIND)
        if list_id is not None:
            fields[tag] = list_id
    fields["Duration"] = normalise_duration(text(body, "Duration"))
    fields["TxnDate"] = txn_date(body, current["TxnDate"] if current else today(ctx).isoformat())
    check_closing_date(ctx, KIND, fields["TxnDate"], current and current["TxnDate"])
    if body.find("Notes") is not None:
        fields["Notes"] = text(body, "Notes") or None  # an empty Notes clears them (Mod)
    for tag in ("BillableStatus", "ExternalGUID"):
        if text(body, tag):
            fields[tag] = text(body, tag)
    merged = {**(current or {}), **fields}
    merged.setdefault("BillableStatus", _default_billable(merged))
    fields["BillableStatus"] = merged["BillableStatus"]
    _check_rules(merged, entity_kind)
    return fields


def _default_billable(fields: Record) -> str:
    # Decision: QuickBooks marks time for a customer billable, and Intuit's TimeTrackingAdd reference
    # says billable time needs both CustomerRef and ItemServiceRef, so the default needs both too.
    return "Billable" if fields.get("CustomerRef") and fields.get("ItemServiceRef") else "NotBillable"


def _check_rules(fields: Record, entity_kind: str) -> None:
    """Intuit: billable time needs a customer and a service item. DOMAIN d.2: only employees are paid
    through payroll, so a vendor or other name cannot carry a payroll item."""
    billable_ok = fields.get("CustomerRef") and fields.get("ItemServiceRef")
    if fields["BillableStatus"] == "Billable" and not billable_ok:
        raise save_error(KIND, "Billable time needs a customer:job and a service item.")
    if fields.get("PayrollItemWageRef") and entity_kind != "Employee":
        raise save_error(KIND, "Only an employee's time can have a payroll item.")


def _status(body: Element) -> Status:
    """Rate is "not in QBD" (Intuit's catalogue). Decision: store the rest and warn with Intuit's 530
    "unsupported field" status rather than refuse the whole entry."""
    return field_not_supported("Rate") if body.find("Rate") is not None else OK


def _render(ctx: Context, record: Record, include: set[str] | None) -> Element:
    return render(ctx.company, "TimeTrackingRet", record, visible_order(ctx, RET_ORDER, SINCE), include)


def _include(rq: Element) -> set[str] | None:
    return set(texts(rq, "IncludeRetElement")) or None


def time_tracking_add(ctx: Context, rq: Element) -> Reply:
    body = rq.find("TimeTrackingAdd")
    refuse_attributes(body, "TimeTrackingAdd")
    fields = _checked(ctx, body, None)
    record = ctx.company.add(KIND, fields)
    return Reply([_render(ctx, record, _include(rq))], _status(body))


def time_tracking_mod(ctx: Context, rq: Element) -> Reply:
    body = rq.find("TimeTrackingMod")
    record = record_for_mod(ctx, KIND, body)
    fields = _checked(ctx, body, record)
    apply_fields(record, fields)
    ctx.company.touch(record)
    return Reply([_render(ctx, record, _include(rq))], _status(body))


def time_tracking_query(ctx: Context, rq: Element) -> Reply:
    """TxnID* | (MaxReturned, ModifiedDateRangeFilter | TxnDateRangeFilter, TimeTrackingEntityFilter)."""
    render_one = partial(_render, ctx)
    if rq.get("iterator") in ("Continue", "Stop"):
        return continue_iterator(ctx, rq, render_one)
    if rq.find("TxnID") is not None:
        matches, status = by_ids(ctx, texts(rq, "TxnID"), (KIND,), by_name=False)
        return answer(ctx, rq, matches, render_one, status)
    records = date_filtered(ctx, rq, list(ctx.company.records(KIND)))
    entity_filter = rq.find("TimeTrackingEntityFilter")
    if entity_filter is not None:
        wanted = named_ids(ctx.company, entity_filter, ENTITY_KINDS)
        records = [r for r in records if r["EntityRef"] in wanted]
    return answer(ctx, rq, in_txn_order(records), render_one)


HANDLERS: dict[str, Handler] = {
    "TimeTrackingAddRq": time_tracking_add,
    "TimeTrackingModRq": time_tracking_mod,
    "TimeTrackingQueryRq": time_tracking_query,
}
