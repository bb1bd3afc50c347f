"""A test plugin for drafts, importables and company settings: two object types, nothing sent.

- ``orders`` (``drafts=True``): submitted as drafts, finalized by the host; settings ``orders.prefix``
  (text of at most 5 characters) and ``orders.copies`` (a whole number, 1 or more).
- ``items`` (a list type): a record needs a ``name`` without "!"; setting ``items.filter`` (any text).
  Importables of ``items`` are put in the store by the tests, with ``data["record"]`` when they carry
  the host record an import creates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qbbridge.core import hookimpl
from qbbridge.core.contract import BaseHandler, CompanySetting, InvalidRecord, Kind, ObjectType


def parse_prefix(value: Any) -> str:
    text = str(value).strip()
    if len(text) > 5:
        raise ValueError("at most 5 characters")
    return text


def parse_copies(value: Any) -> int:
    number = int(value)
    if number < 1:
        raise ValueError("must be 1 or more")
    return number


class OrderHandler(BaseHandler):
    object_type = ObjectType("orders", "Invoice", kind=Kind.TXN, label="order", drafts=True)
    company_settings = (
        CompanySetting("prefix", "Text put before every order number.", "", parse_prefix),
        CompanySetting("copies", "How many copies QuickBooks prints.", 1, parse_copies),
    )


class ItemHandler(BaseHandler):
    object_type = ObjectType("items", "ItemService", kind=Kind.LIST, label="item")
    company_settings = (CompanySetting("filter", "Only items whose name starts with this.", "", str),)

    def validate(self, local_key: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        name = payload.get("name")
        if not isinstance(name, str) or "!" in name:
            raise InvalidRecord(local_key, "name", "must be text without '!'")
        return {**payload, "name": name.strip()}


@hookimpl
def qb_register_object_types(register):
    register(OrderHandler())
    register(ItemHandler())
