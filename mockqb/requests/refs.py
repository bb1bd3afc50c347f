"""Resolving ``…Ref`` elements in requests to company records, with QuickBooks' 3140 on failure.

Rule: a reference that finds no active element of the lists asked for is 3140. Its reason is WRONG_TYPE
when it names an element of another name list (customers, employees, vendors and other names share one
namespace, so the name exists but is of the wrong type), else NOT_IN_LIST (unknown, inactive, or in a
list outside that namespace).
"""

from __future__ import annotations

from ..company import NAME_LISTS, Record
from ..qbxml import Element, text
from ..status import NOT_IN_LIST, WRONG_TYPE, invalid_reference
from .base import Context

#: How QuickBooks names each list in a 3140 "invalid reference to QuickBooks <label>" message.
LABELS = {
    "Customer": "Customer",
    "Employee": "Employee",
    "Vendor": "Vendor",
    "OtherName": "Other Name",
    "ItemService": "Item",
    "Class": "Class",
    "PayrollItemWage": "Payroll Item",
    "Account": "Account",
}


def ref_value(ref: Element) -> str:
    """The ListID if given, else the FullName: what QuickBooks looks up and names in its message."""
    return text(ref, "ListID") or text(ref, "FullName") or ""


def resolve(ctx: Context, ref: Element, kinds: tuple[str, ...], where: str, label: str | None = None,
            *, allow_inactive: bool = False) -> tuple[str, Record]:
    """Find the list element ``ref`` points to among ``kinds``, or raise 3140 naming it.

    ListID wins over FullName when both are given. FullName matches case-insensitively. A reference to
    an inactive element is refused unless ``allow_inactive`` (QuickBooks will not use inactive names on
    new transactions). The 3140's reason follows the module rule (``_reason``).
    """
    label = label or LABELS[kinds[0]]
    list_id, full_name = text(ref, "ListID"), text(ref, "FullName")
    found = None
    if list_id:
        candidate = ctx.company.get(list_id)
        found = candidate if candidate and candidate[0] in kinds else None
    elif full_name:
        found = ctx.company.find_by_name(kinds, full_name)
    if found is None or (not allow_inactive and found[1].get("IsActive") is False):
        reason = NOT_IN_LIST if found else _reason(ctx, list_id, full_name, kinds)
        raise invalid_reference(f"QuickBooks {label}", ref_value(ref), where, reason)
    return found


def _reason(ctx: Context, list_id: str | None, full_name: str | None, kinds: tuple[str, ...]) -> str:
    """WRONG_TYPE when the reference names an element of another name list, else NOT_IN_LIST.

    The captured wrong-type case is by name; Decision (no capture): a ListID of such an element is
    answered the same way."""
    if not set(kinds) & set(NAME_LISTS):
        return NOT_IN_LIST
    if list_id:
        other = ctx.company.get(list_id)
    else:
        other = ctx.company.find_by_name(NAME_LISTS, full_name) if full_name else None
    return WRONG_TYPE if other and other[0] in NAME_LISTS else NOT_IN_LIST


def resolve_optional(ctx: Context, parent: Element, tag: str, kinds: tuple[str, ...], where: str,
                     label: str | None = None) -> str | None:
    """ListID of the element referenced by ``parent/tag``, None when the request leaves it out."""
    ref = parent.find(tag)
    if ref is None:
        return None
    return resolve(ctx, ref, kinds, where, label)[1]["ListID"]
