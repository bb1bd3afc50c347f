"""Time entries QuickBooks returns (``TimeTrackingRet``) as plain data, and whether one is a given block.

Rule: ``entry_of`` turns a Ret into a JSON dict (names case-folded, as QuickBooks compares names without
case; the duration in whole minutes), so entries can travel as ``Facts``. ``matches`` compares a block's
normalised payload with an entry on the fields asked for: a reference compares by ListID when the block
gave one, else by FullName; a reference the block leaves out must be absent from the entry too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

from .values import duration_minutes

#: What the duplicate check compares (DOMAIN S8: same person, date, customer:job, item, duration).
DUPLICATE_FIELDS = ("employee", "date", "customer", "item", "minutes")
#: What a lookup compares: everything the block sets, so only the entry it became matches.
LOOKUP_FIELDS = ("employee", "date", "customer", "item", "minutes", "class", "payroll_item", "notes",
                 "billable_status")
#: block field -> (its ListID field or None, the entry's key prefix, the Ret's reference element)
REFERENCES = {
    "employee": ("employee_id", "entity", "EntityRef"),
    "customer": ("customer_id", "customer", "CustomerRef"),
    "item": ("item_id", "item", "ItemServiceRef"),
    "class": (None, "class", "ClassRef"),
    "payroll_item": (None, "payroll_item", "PayrollItemWageRef"),
}


def entry_of(ret: etree._Element) -> dict[str, Any]:
    """A ``TimeTrackingRet`` as data: txn_id, edit_sequence, date, minutes, notes, billable_status and,
    per reference, ``<key>_id`` (ListID) and ``<key>`` (case-folded FullName)."""
    entry: dict[str, Any] = {
        "txn_id": ret.findtext("TxnID"), "edit_sequence": ret.findtext("EditSequence"),
        "date": ret.findtext("TxnDate"), "minutes": _minutes(ret.findtext("Duration")),
        "notes": ret.findtext("Notes"), "billable_status": ret.findtext("BillableStatus")}
    for _, key, tag in REFERENCES.values():
        name = ret.findtext(f"{tag}/FullName")
        entry[f"{key}_id"] = ret.findtext(f"{tag}/ListID")
        entry[key] = name.casefold() if name else None
    return entry


def matches(payload: Mapping[str, Any], entry: Mapping[str, Any], fields: Iterable[str]) -> bool:
    """Whether ``entry`` carries the block's value for each of ``fields``."""
    return all(_same(payload, entry, field) for field in fields)


def _same(payload: Mapping[str, Any], entry: Mapping[str, Any], field: str) -> bool:
    if field in REFERENCES:
        return _same_reference(payload, entry, field)
    if field == "notes":
        return (payload.get("notes") or "") == (entry.get("notes") or "")
    if field == "billable_status":  # left out, QuickBooks chose it: any value is the block's
        return payload.get(field) is None or payload[field] == entry.get(field)
    return payload.get(field) == entry.get(field)


def _same_reference(payload: Mapping[str, Any], entry: Mapping[str, Any], field: str) -> bool:
    id_field, key, _ = REFERENCES[field]
    list_id = payload.get(id_field) if id_field else None
    name = payload.get(field)
    if list_id:
        return entry.get(f"{key}_id") == list_id
    if name:
        return entry.get(key) == name.casefold()
    return not entry.get(f"{key}_id") and not entry.get(key)


def _minutes(duration: str | None) -> int | None:
    try:
        return duration_minutes(duration or "")
    except ValueError:
        return None  # a duration we cannot read matches no block
