"""Turn stored records into ``…Ret`` elements.

Rule: a field named ``…Ref`` holds a ListID and renders as ``<…Ref><ListID/><FullName/></…Ref>`` with the
referenced object's current FullName; a dict renders as a nested element in its own key order; a list
renders as repeated elements. Field order is the caller's ``order`` (the schema's), so Ret elements
validate against Intuit's qbXML schema.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lxml import etree

from .company import CompanyFile, Record
from .qbxml import Element, sub


def render(company: CompanyFile, tag: str, record: Record, order: Iterable[str],
           include: set[str] | None = None) -> Element:
    """Build ``<tag>`` from ``record``'s fields in ``order``; ``include`` limits to IncludeRetElement."""
    element = etree.Element(tag)
    for field in order:
        if field not in record or record[field] is None:
            continue
        if include and field not in include:
            continue
        _append(company, element, field, record[field])
    return element


def _append(company: CompanyFile, parent: Element, field: str, value: Any) -> None:
    if field.endswith("Ref") and isinstance(value, str):
        ref = sub(parent, field)
        sub(ref, "ListID", value)
        full_name = company.full_name_of(value)
        if full_name is not None:
            sub(ref, "FullName", full_name)
    elif isinstance(value, dict):
        nested = sub(parent, field)
        for key, inner in value.items():
            if inner is not None:
                _append(company, nested, key, inner)
    elif isinstance(value, list):
        for item in value:
            _append(company, parent, field, item)
    else:
        sub(parent, field, value)
