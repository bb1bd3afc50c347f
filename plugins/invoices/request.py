"""Building the InvoiceAddRq of one finalized invoice, and its RefNumber lookup.

Rule: elements in the qbXML schema's order (InvoiceAdd: CustomerRef, ClassRef, TxnDate, RefNumber, Memo,
InvoiceLineAdd*; InvoiceLineAdd: ItemRef, Desc, Quantity, Rate, ClassRef), valid in qbXML 13.0 and 16.0.
A line's item is the ListID of its synced part; a part not synced yet is named by its QuickBooks name,
but such an invoice is held by the engine (``depends_on``) until the part syncs, so that body is never
sent. Quantities and rates go out as the decimal text the payload stores (QUANTYPE/PRICETYPE).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lxml import etree

from qbbridge.core.contract import Purpose, QbRequest, Record, RecordRef
from qbbridge.core.qbxml import build

from .dimensions import class_of
from .payload import TEXT_LIMIT
from .rules import invoice_total


def invoice_label(key: str, payload: Mapping[str, Any]) -> str:
    """How people see the invoice in messages: "Invoice INV-7 (Acme Corp, 2026-11-20, 250.00)"."""
    customer = payload.get("customer") or f"customer {payload.get('customer_id')}"
    return f"Invoice {key} ({customer}, {payload['date']}, {invoice_total(payload)})"


def line_description(line: Mapping[str, Any], part: Mapping[str, Any], *, with_name: bool,
                     with_description: bool) -> str:
    """T8: the line's own description wins; else the part's name and/or description (one per line of
    text) as the settings say; "" when neither applies, so QuickBooks adds no text of its own."""
    if line.get("description"):
        return line["description"]
    pieces = [part.get("name") if with_name else None, part.get("description") if with_description else None]
    return "\n".join(p for p in pieces if p)[:TEXT_LIMIT]


def invoice_add(record: Record, parts: Mapping[str, Record], *, with_name: bool,
                with_description: bool) -> QbRequest:
    """The export request of ``record``; ``parts`` holds the parts record of every line's part."""
    payload = record.payload
    add = build.element("InvoiceAdd")
    customer = build.ref("CustomerRef", full_name=payload.get("customer"), list_id=payload.get("customer_id"))
    add.append(customer)
    _class_ref(add, payload.get("dimensions", []))
    build.child(add, "TxnDate", payload["date"])
    build.child(add, "RefNumber", payload["ref_number"])
    build.child(add, "Memo", payload.get("memo"))
    for line in payload["lines"]:
        part = parts[line["part"]]
        description = line_description(line, part.payload, with_name=with_name,
                                        with_description=with_description)
        add.append(_line(line, part, description))
    part_keys = dict.fromkeys(line["part"] for line in payload["lines"])
    depends = tuple(RecordRef("parts", key) for key in part_keys)
    body = build.element("InvoiceAddRq")
    body.append(add)
    items = {parts[key].qb_id: f"part {key}, '{parts[key].payload.get('name')}'"
             for key in part_keys if parts[key].qb_id}  # how a refused item's ListID is named for people
    return QbRequest(body=body, local_key=record.local_key, depends_on=depends,
                     label=invoice_label(record.local_key, payload), context={"items": items})


def _line(line: Mapping[str, Any], part: Record, description: str) -> etree._Element:
    made = build.element("InvoiceLineAdd")
    if part.qb_id:
        made.append(build.ref("ItemRef", list_id=part.qb_id))
    else:
        made.append(build.ref("ItemRef", full_name=part.payload.get("name") or part.local_key))
    build.child(made, "Desc", description)
    build.child(made, "Quantity", line["quantity"])
    build.child(made, "Rate", line["rate"])
    _class_ref(made, line.get("dimensions", []))
    return made


def _class_ref(parent: etree._Element, dimensions: list[Mapping[str, Any]]) -> None:
    value = class_of(dimensions)
    if value:
        parent.append(build.ref("ClassRef", full_name=value))


def refnumber_lookup(record: Record) -> QbRequest:
    """The natural-key query of an invoice whose answer was lost: its customer's invoices of its date
    with its RefNumber (``acknowledge`` then checks each answer exactly)."""
    payload = record.payload
    query = build.element("InvoiceQueryRq")
    dates = build.element("TxnDateRangeFilter")
    build.child(dates, "FromTxnDate", payload["date"])
    build.child(dates, "ToTxnDate", payload["date"])
    entity = build.element("EntityFilter")
    if payload.get("customer_id"):
        build.child(entity, "ListID", payload["customer_id"])
    else:
        build.child(entity, "FullName", payload["customer"])
    numbers = build.element("RefNumberRangeFilter")
    build.child(numbers, "FromRefNumber", payload["ref_number"])
    build.child(numbers, "ToRefNumber", payload["ref_number"])
    query.extend((dates, entity, numbers))
    return QbRequest(body=query, purpose=Purpose.LOOKUP, local_key=record.local_key,
                     label=invoice_label(record.local_key, payload))
