"""qbXML for work blocks: TimeTrackingAdd, TimeTrackingMod and TimeTrackingQuery, and the block's label.

Rule: fields go in the schema's order (qbxmlops130/160: TxnDate, EntityRef, CustomerRef, ItemServiceRef,
Duration, ClassRef, PayrollItemWageRef, Notes, BillableStatus); a reference carries the ListID when the
block gave one, else the FullName. No ExternalGUID, no Rate (QuickBooks Desktop ignores it). Inputs are
normalised payloads (``payload.normalise``), so every value is already within QuickBooks' limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

from qbbridge.core.qbxml import build

from .values import hours_text

#: (name field, ListID field, reference element) of the references a block may carry, in schema order
#: within their group (the duration sits between ItemServiceRef and ClassRef).
HEAD_REFS = (("employee", "employee_id", "EntityRef"), ("customer", "customer_id", "CustomerRef"),
             ("item", "item_id", "ItemServiceRef"))
TAIL_REFS = (("class", None, "ClassRef"), ("payroll_item", None, "PayrollItemWageRef"))


def label(local_key: str, payload: Mapping[str, Any]) -> str:
    """How people see a block: ``Work block 18 (Jane Doe, 2026-11-20, 8h00)``."""
    who = payload.get("employee") or f"employee ListID {payload.get('employee_id', '?')}"
    minutes = payload.get("minutes")
    length = hours_text(minutes) if isinstance(minutes, int) else "?"
    return f"Work block {local_key} ({who}, {payload.get('date', '?')}, {length})"


def add_request(payload: Mapping[str, Any]) -> etree._Element:
    """``<TimeTrackingAddRq><TimeTrackingAdd>…</TimeTrackingAdd></TimeTrackingAddRq>``."""
    add = build.element("TimeTrackingAdd")
    _fields(add, payload, clear_notes=False)
    request = build.element("TimeTrackingAddRq")
    request.append(add)
    return request


def mod_request(payload: Mapping[str, Any], txn_id: str, edit_sequence: str, *,
                clear_notes: bool = False) -> etree._Element:
    """``TimeTrackingModRq`` setting every field of ``payload``; ``clear_notes`` sends an empty Notes
    (the block's notes were removed since QuickBooks got them)."""
    mod = build.element("TimeTrackingMod")
    build.child(mod, "TxnID", txn_id)
    build.child(mod, "EditSequence", edit_sequence)
    _fields(mod, payload, clear_notes=clear_notes)
    request = build.element("TimeTrackingModRq")
    request.append(mod)
    return request


def txn_query(txn_id: str) -> etree._Element:
    """Re-read one entry: ``<TimeTrackingQueryRq><TxnID>…</TxnID></TimeTrackingQueryRq>``."""
    query = build.element("TimeTrackingQueryRq")
    build.child(query, "TxnID", txn_id)
    return query


def entries_query(first_day: str, last_day: str, *, names: Iterable[str] = (), ids: Iterable[str] = (),
                  max_returned: int | None = None) -> etree._Element:
    """Entries dated ``first_day``..``last_day`` of the entities named (by FullName or by ListID; the
    schema's TimeTrackingEntityFilter takes one kind per query, so give one of the two);
    ``max_returned`` sets an iterator's page size."""
    names, ids = list(names), list(ids)
    if bool(names) == bool(ids):
        raise ValueError("entries_query needs entity names or ListIDs, not both or neither")
    query = build.element("TimeTrackingQueryRq")
    build.child(query, "MaxReturned", None if max_returned is None else str(max_returned))
    dates = build.element("TxnDateRangeFilter")
    build.child(dates, "FromTxnDate", first_day)
    build.child(dates, "ToTxnDate", last_day)
    query.append(dates)
    entities = build.element("TimeTrackingEntityFilter")
    for value in ids or names:
        build.child(entities, "ListID" if ids else "FullName", value)
    query.append(entities)
    return query


def _fields(parent: etree._Element, payload: Mapping[str, Any], *, clear_notes: bool) -> None:
    build.child(parent, "TxnDate", payload["date"])
    for name_field, id_field, tag in HEAD_REFS:
        _ref(parent, tag, payload.get(name_field), payload.get(id_field) if id_field else None)
    hours, minutes = divmod(payload["minutes"], 60)
    build.child(parent, "Duration", build.qb_duration(hours, minutes))
    for name_field, _, tag in TAIL_REFS:
        _ref(parent, tag, payload.get(name_field), None)
    build.child(parent, "Notes", payload.get("notes", "" if clear_notes else None))
    build.child(parent, "BillableStatus", payload.get("billable_status"))


def _ref(parent: etree._Element, tag: str, name: str | None, list_id: str | None) -> None:
    if list_id:
        parent.append(build.ref(tag, list_id=list_id))
    elif name:
        parent.append(build.ref(tag, full_name=name))
