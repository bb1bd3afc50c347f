"""Preflight: ask QuickBooks about every name the due blocks use, so that all missing ones are reported
in one message instead of one failed update each.

Rule: ``queries`` asks, per list, for the distinct names (FullName*) and ListIDs (ListID*) the blocks
use — never with ActiveStatus, which the schema's ListQuery choice does not allow beside them — at most
``CHUNK`` per request. ``facts_of`` turns an answer into ``Facts`` values under four keys per list
(``KINDS[i].key``): ``asked:<key>`` (what the request named), ``found:<key>`` (active matches),
``inactive:<key>`` and ``other:<key>`` (a name of another kind: EntityQuery also answers customers),
each a list of case-folded names and ListIDs. ``Known.needs`` reports a name only if it was asked about
and is missing or inactive, so a name no preflight asked about (a failed query, a block submitted since)
is never reported: QuickBooks then decides when the block is sent. A name of the wrong kind is not
reported either: it cannot be added (names are unique across customers, employees, vendors and other
names), so the block goes and QuickBooks' refusal explains it (messages.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from qbbridge.core import Purpose, QbRequest
from qbbridge.core.qbxml import build

CHUNK = 100


@dataclass(frozen=True, slots=True)
class NameKind:
    """One list a block refers to: its payload fields, its query, the Rets that count, its word."""

    key: str
    name_field: str
    id_field: str | None
    query: str
    rets: tuple[str, ...]
    what: str  # how messages call it ("customer/job"); Waiting needs read "<what> '<name>'"
    plural: str


#: Time can be recorded for an employee, a vendor or an other name (never a customer): EntityQuery
#: answers all four kinds, and only the first three count. Messages say "employee" for all three.
KINDS = (
    NameKind("employee", "employee", "employee_id", "EntityQueryRq",
             ("EmployeeRet", "VendorRet", "OtherNameRet"), "employee", "employees, vendors and other names"),
    NameKind("customer", "customer", "customer_id", "CustomerQueryRq", ("CustomerRet",), "customer/job",
             "customers and jobs"),
    NameKind("item", "item", "item_id", "ItemServiceQueryRq", ("ItemServiceRet",), "service item",
             "service items"),
    NameKind("class", "class", None, "ClassQueryRq", ("ClassRet",), "class", "classes"),
    NameKind("payroll_item", "payroll_item", None, "PayrollItemWageQueryRq", ("PayrollItemWageRet",),
             "payroll item", "payroll items"),
)
BY_QUERY = {kind.query: kind for kind in KINDS}
FACTS = ("asked", "found", "inactive", "other")


@dataclass
class Referenced:
    """The distinct names and ListIDs a set of blocks uses, per list (first spelling kept)."""

    names: dict[str, dict[str, str]] = field(default_factory=lambda: {k.key: {} for k in KINDS})
    ids: dict[str, dict[str, str]] = field(default_factory=lambda: {k.key: {} for k in KINDS})

    def add(self, payload: Mapping[str, Any]) -> None:
        for kind in KINDS:
            name = payload.get(kind.name_field)
            if name:
                self.names[kind.key].setdefault(name.casefold(), name)
            list_id = payload.get(kind.id_field) if kind.id_field else None
            if list_id:
                self.ids[kind.key].setdefault(list_id.casefold(), list_id)


def queries(referenced: Referenced) -> Iterator[QbRequest]:
    """READ requests asking for every name and ListID in ``referenced``."""
    for kind in KINDS:
        for tag, values in (("FullName", referenced.names[kind.key]), ("ListID", referenced.ids[kind.key])):
            spelled = list(values.values())
            for start in range(0, len(spelled), CHUNK):
                query = build.element(kind.query)
                for value in spelled[start:start + CHUNK]:
                    build.child(query, tag, value)
                yield QbRequest(body=query, purpose=Purpose.READ,
                                label=f"Preflight: the {kind.plural} the work blocks use")


def is_preflight(body: etree._Element) -> bool:
    return body.tag in BY_QUERY


def facts_of(body: etree._Element, rets: Sequence[etree._Element]) -> dict[str, list[str]]:
    """The ``Facts`` values of one answered preflight query ``body``."""
    kind = BY_QUERY[body.tag]
    asked = [value.casefold() for value in body.xpath("ListID/text() | FullName/text()")]
    sorted_keys: dict[str, list[str]] = {"found": [], "inactive": [], "other": []}
    for ret in rets:
        keys = [value.casefold() for value in (ret.findtext("ListID"), _name(ret)) if value]
        if ret.tag not in kind.rets:
            sorted_keys["other"].extend(keys)
        else:
            sorted_keys["found" if ret.findtext("IsActive") != "false" else "inactive"].extend(keys)
    return {f"asked:{kind.key}": asked, **{f"{fact}:{kind.key}": keys for fact, keys in sorted_keys.items()}}


def _name(ret: etree._Element) -> str | None:
    # Customers, items and classes carry a FullName; employees, vendors, other names and payroll items
    # only a Name (they have no hierarchy).
    return ret.findtext("FullName") or ret.findtext("Name")


class Known:
    """What this update's preflight answers say, for ``export`` (built once per export call)."""

    def __init__(self, facts: Mapping[str, Any]) -> None:
        self._sets = {key: set(values) for key, values in facts.items()
                      if key.split(":", 1)[0] in FACTS and isinstance(values, list)}

    def needs(self, payload: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
        """``(what, name)`` for each name the block uses that QuickBooks lacks or has inactive, e.g.
        ``("customer/job", "Acme Corp:Roof repair")``, ``("inactive employee", "Former Worker")``,
        ``("service item with ListID", "80000009-1")``."""
        found: list[tuple[str, str]] = []
        for kind in KINDS:
            for field_name, suffix in ((kind.name_field, ""), (kind.id_field, " with ListID")):
                value = payload.get(field_name) if field_name else None
                problem = self._problem(kind.key, value) if value else None
                if problem is not None:
                    found.append((f"{problem}{kind.what}{suffix}", value))
        return tuple(found)

    def _problem(self, key: str, value: str) -> str | None:
        folded = value.casefold()
        if folded in self._sets.get(f"found:{key}", ()) or folded in self._sets.get(f"other:{key}", ()):
            return None
        if folded in self._sets.get(f"inactive:{key}", ()):
            return "inactive "
        return "" if folded in self._sets.get(f"asked:{key}", ()) else None

