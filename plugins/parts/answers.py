"""Turning QuickBooks' answers to the parts plugin's requests into outcomes (``acknowledge``).

Rule: every refusal becomes a ``Failed`` whose message names the part, the value QuickBooks refused
and the fix (the core appends QuickBooks' own status code and words). Every answer that shows an item
exists also becomes a fact (``items``), so a later part of the same name in this update is linked to it
rather than added twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from qbbridge.core import Absent, Facts, Failed, Imported, Linked, Outcome, QbResult, QbStatus, SentRequest

from .qbxml import import_row, is_name_query, item_fact, name_key, request_text

NAME_IN_USE = 3100
INVALID_REFERENCE = 3140
FOUND_AFTER_LOST_ANSWER = "found in QuickBooks after a lost answer"


def read_outcomes(request: SentRequest, result: QbResult) -> Sequence[Outcome]:
    """The same-name check's items as facts, or the importables read's rows; nothing if refused."""
    if result.status.is_error:
        return []
    if is_name_query(request.body):
        return [_facts(result)]
    rows = (import_row(ret) for ret in result.rets)
    return [Imported(tuple(row for row in rows if row is not None))]


def lookup_outcomes(request: SentRequest, result: QbResult) -> Sequence[Outcome]:
    """After a lost answer: Linked to the item of the part's name, or Absent (send it again). A refused
    lookup settles nothing: the record stays uncertain and the next update asks again."""
    key = request.local_key or ""
    if result.status.is_error:
        return []
    wanted = name_key(request_text(request.body, "FullName"))
    for ret in result.rets:
        if name_key(ret.findtext("FullName") or "") == wanted and ret.findtext("ListID"):
            return [Linked(key, ret.findtext("ListID") or "", ret.findtext("EditSequence"),
                           note=FOUND_AFTER_LOST_ANSWER), _facts(result)]
    return [Absent(key)]


def add_outcomes(request: SentRequest, result: QbResult) -> Sequence[Outcome]:
    """An added item links its part; a refusal fails it with the fix."""
    key = request.local_key or ""
    if result.status.is_error:
        return [Failed(key, refusal(request, result.status), result.status)]
    if not result.rets or not result.rets[0].findtext("ListID"):
        return []  # an answer without the item: the core keeps the part uncertain and looks it up
    ret = result.rets[0]
    return [Linked(key, ret.findtext("ListID") or "", ret.findtext("EditSequence")), _facts(result)]


def refusal(request: SentRequest, status: QbStatus) -> str:
    """What people read when QuickBooks refused an ItemServiceAdd."""
    label = request.label or f"Part {request.local_key}"
    name = request_text(request.body, "ItemServiceAdd/Name")
    account = request_text(request.body, "ItemServiceAdd/SalesOrPurchase/AccountRef/FullName")
    if status.code == NAME_IN_USE:
        return (f"{label} was not added: the name {name!r} is already used in QuickBooks' Item list. If "
                "that item is a service item, the next update links the part to it; if it is another kind "
                "of item, rename the part or that item in QuickBooks, then update again.")
    if status.code == INVALID_REFERENCE:
        return (f"{label} was not added: QuickBooks has no active account {account!r} for the item's "
                "income. Add or reactivate it in QuickBooks, or name another account in the part's "
                "income_account or in the company setting parts.income_account, then update again.")
    return (f"{label} was not added: QuickBooks refused the item. Check the part's name {name!r} and "
            f"its income account {account!r}, then update again.")


def _facts(result: QbResult) -> Facts:
    items: dict[str, dict] = {}
    for ret in result.rets:
        if ret.findtext("ListID"):
            items.update(item_fact(ret))
    return Facts({"items": items})
