"""Preflight: before exporting, ask QuickBooks about the customers and classes the due invoices name.

Rule: ``read`` asks only about names due invoices use (ClassQuery / CustomerQuery by FullName or ListID
lists, which answer for inactive elements too); the answers become ``Facts``; ``export`` then judges
only what was asked. A name not asked about (no preflight ran, or its query failed) is not judged: the
invoice is sent and QuickBooks' own answer decides. Customers match as QuickBooks matches them (case
does not matter); a class must match letter for letter (T9), so a class QuickBooks spells differently
is a problem for the host to fix, not a missing class.

Facts keys: ``classes_asked`` / ``classes`` {FullName: active}, ``customers_asked`` / ``customers``
{folded FullName: active}, ``customer_ids_asked`` / ``customer_ids`` {ListID: active}.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from qbbridge.core.contract import Facts, Purpose, QbRequest, QbResult, SentRequest
from qbbridge.core.qbxml import build

from .dimensions import class_of
from .rules import FIX

CLASS_TRACKING = "class tracking (turn on Edit > Preferences > Accounting > Use class tracking) for class"
INACTIVE_CLASS = "inactive class (make it active)"
INACTIVE_CUSTOMER = "inactive customer/job (make it active)"


def classes_used(payload: Mapping[str, Any]) -> list[str]:
    """The class values of the header and the lines, each once, in order of appearance."""
    values = [class_of(payload.get("dimensions", []))]
    values += [class_of(line.get("dimensions", [])) for line in payload.get("lines", [])]
    return list(dict.fromkeys(v for v in values if v))


def preflight_requests(payloads: Iterable[Mapping[str, Any]]) -> list[QbRequest]:
    """The queries about the customers and classes ``payloads`` use (none when they use none)."""
    classes: dict[str, None] = {}
    names: dict[str, None] = {}
    ids: dict[str, None] = {}
    for payload in payloads:
        classes.update(dict.fromkeys(classes_used(payload)))
        if payload.get("customer_id"):
            ids[payload["customer_id"]] = None
        else:
            names[payload["customer"]] = None
    asks = (("ClassQueryRq", "FullName", classes, "classes"), ("CustomerQueryRq", "FullName", names,
            "customers"), ("CustomerQueryRq", "ListID", ids, "customers by id"))
    return [_query(tag, child, values, label) for tag, child, values, label in asks if values]


def _query(tag: str, child: str, values: Iterable[str], label: str) -> QbRequest:
    body = build.element(tag)
    for value in values:
        build.child(body, child, value)
    return QbRequest(body=body, purpose=Purpose.READ, label=f"{label} used by the due invoices")


def facts_from(sent: SentRequest, result: QbResult) -> Facts | None:
    """What a preflight answer says, or None when QuickBooks refused the query (nothing is judged)."""
    if result.status.is_error:
        return None
    by_id = sent.body.find("ListID") is not None
    asked = [node.text or "" for node in sent.body.iterchildren("ListID" if by_id else "FullName")]
    active = {_ret_key(ret, sent.body.tag, by_id): ret.findtext("IsActive") != "false" for ret in result.rets}
    if sent.body.tag == "ClassQueryRq":
        return Facts({"classes_asked": asked, "classes": active})
    if by_id:
        return Facts({"customer_ids_asked": asked, "customer_ids": active})
    return Facts({"customers_asked": [name.casefold() for name in asked], "customers": active})


def _ret_key(ret: Any, tag: str, by_id: bool) -> str:
    if by_id:
        return ret.findtext("ListID") or ""
    full_name = ret.findtext("FullName") or ""
    return full_name if tag == "ClassQueryRq" else full_name.casefold()


def class_spelling_problem(key: str, payload: Mapping[str, Any], facts: Mapping[str, Any]) -> str | None:
    """The ``Rejected`` reason when a class value matches a QuickBooks class only when case is ignored."""
    known = facts.get("classes", {})
    for value in classes_used(payload):
        if value in known:
            continue
        spelled = next((name for name in known if name.casefold() == value.casefold()), None)
        if spelled is not None:
            return (f"Invoice {key}: class '{value}' does not match the QuickBooks class '{spelled}' "
                    f"exactly; the class dimension must match letter for letter, capitals included. {FIX}")
    return None


def missing_names(payload: Mapping[str, Any], facts: Mapping[str, Any],
                  class_tracking: bool | None) -> tuple[tuple[str, str], ...]:
    """``Waiting`` needs: a customer or class QuickBooks lacks or has inactive, or class tracking off."""
    needs = list(_customer_needs(payload, facts))
    asked, known = set(facts.get("classes_asked", [])), facts.get("classes", {})
    folded = {name.casefold() for name in known}
    for value in classes_used(payload):
        if class_tracking is False:
            needs.append((CLASS_TRACKING, value))
        if value in known and not known[value]:
            needs.append((INACTIVE_CLASS, value))
        elif value in asked and value.casefold() not in folded:
            needs.append(("class", value))
    return tuple(needs)


def _customer_needs(payload: Mapping[str, Any], facts: Mapping[str, Any]) -> list[tuple[str, str]]:
    customer_id = payload.get("customer_id")
    if customer_id:
        asked, known, key = facts.get("customer_ids_asked", []), facts.get("customer_ids", {}), customer_id
    else:
        asked, known = facts.get("customers_asked", []), facts.get("customers", {})
        key = payload["customer"].casefold()
    shown = payload.get("customer") or f"ListID {customer_id}"
    if key in known:
        return [] if known[key] else [(INACTIVE_CUSTOMER, shown)]
    return [("customer/job", shown)] if key in asked else []
