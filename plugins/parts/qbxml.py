"""The qbXML of the parts plugin: the requests it builds and what it reads from an ``ItemServiceRet``.

Rule: elements follow the schema order of qbXML 13.0 and 16.0 (identical for these requests); values
enter only through ``core.qbxml.build``. Item names compare as QuickBooks compares them, ignoring case
(``name_key``), so "labor" finds the item "Labor".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lxml import etree

from qbbridge.core import ImportRow
from qbbridge.core.qbxml import build
from qbbridge.plugins.classes.reading import list_row

PAGE_SIZE = 100  # items per iterator page of the importables read


def name_key(name: str) -> str:
    """How QuickBooks tells item names apart: case-insensitively."""
    return name.casefold()


def item_add(payload: Mapping[str, Any], account: str) -> etree._Element:
    """``ItemServiceAddRq`` for a validated part: Name, then SalesOrPurchase {Desc, Price, AccountRef}."""
    add = build.element("ItemServiceAdd")
    build.child(add, "Name", payload["name"])
    sales = build.element("SalesOrPurchase")
    build.child(sales, "Desc", payload.get("description"))
    build.child(sales, "Price", payload.get("price"))
    sales.append(build.ref("AccountRef", full_name=account))
    add.append(sales)
    request = build.element("ItemServiceAddRq")
    request.append(add)
    return request


def items_named(names: Sequence[str]) -> etree._Element:
    """``ItemServiceQueryRq`` for the service items with these full names (a name QuickBooks lacks is
    left out of the answer, with status 500)."""
    query = build.element("ItemServiceQueryRq")
    for name in names:
        build.child(query, "FullName", name)
    return query


def all_items(criterion: tuple[str, str] | None) -> etree._Element:
    """``ItemServiceQueryRq`` for every service item, active or not, matching ``criterion``
    ((MatchCriterion, Name) for QuickBooks' NameFilter; None: no filter); pages of ``PAGE_SIZE``."""
    query = build.element("ItemServiceQueryRq")
    build.child(query, "MaxReturned", str(PAGE_SIZE))
    build.child(query, "ActiveStatus", "All")
    if criterion is not None:
        name_filter = build.element("NameFilter")
        build.child(name_filter, "MatchCriterion", criterion[0])
        build.child(name_filter, "Name", criterion[1])
        query.append(name_filter)
    return query


def is_name_query(body: etree._Element) -> bool:
    """Whether a sent ``ItemServiceQueryRq`` asked for items by name (not the importables read)."""
    return body.find("FullName") is not None


def request_text(body: etree._Element, path: str) -> str:
    """Text at ``path`` in a sent request body (``"ItemServiceAdd/Name"``), "" when absent."""
    return body.findtext(path) or ""


def item_fact(ret: etree._Element) -> dict[str, dict[str, Any]]:
    """What export needs to link a part to this existing item, keyed by ``name_key`` of its FullName."""
    full_name = ret.findtext("FullName") or ret.findtext("Name") or ""
    return {name_key(full_name): {"list_id": ret.findtext("ListID") or "", "full_name": full_name,
                                  "edit_sequence": ret.findtext("EditSequence"),
                                  "is_active": ret.findtext("IsActive") != "false"}}


def import_row(ret: etree._Element) -> ImportRow | None:
    """An importable named by the item's FullName (``Labor:Overtime``); ``data["record"]`` is the part
    an import creates: the item's own Name (``Overtime``), description, price and income account."""
    sales = ret.find("SalesOrPurchase")
    fields = ("Desc", "Price", "AccountRef/FullName")
    if sales is None:
        sales = ret.find("SalesAndPurchase")
        fields = ("SalesDesc", "SalesPrice", "IncomeAccountRef/FullName")
    record = {"name": ret.findtext("Name") or ""}
    if sales is not None:
        for key, path in zip(("description", "price", "income_account"), fields, strict=True):
            value = sales.findtext(path)
            if value:
                record[key] = value
    return list_row(ret, record)
