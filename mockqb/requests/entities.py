"""EntityQuery: one list query over the four name lists (customers and their jobs, employees, other
names, vendors).

Rule: EntityQuery is a list query (the schema's ListQuery group, with iterators) whose records come from
``NAME_LISTS``; each record answers as the Ret of its own list (CustomerRet, EmployeeRet, OtherNameRet,
VendorRet — the response's choice), rendered exactly as that list's own query renders it. The filters
are ``lists.select``'s, so a ListID or FullName that none of the lists holds is status 500 naming it,
with the others returned, and ActiveStatus defaults to ActiveOnly. Names are unique across these lists
(names.name_in_use), so a FullName finds at most one record. Decision (no capture of an EntityQuery
answer): the mixed results come sorted by FullName, like every other list query, not grouped by list.
"""

from __future__ import annotations

from ..company import NAME_LISTS, Record
from ..qbxml import Element
from .base import Context, Handler, Reply, refuse_unsupported
from .lists import renderer, select
from .query import Renderer, answer, continue_iterator

#: Every child EntityQueryRq's schema allows (ListQuery has no OwnerID and no list-specific filter).
UNDERSTOOD = ("ListID", "FullName", "MaxReturned", "ActiveStatus", "FromModifiedDate", "ToModifiedDate",
              "NameFilter", "NameRangeFilter", "IncludeRetElement")


def entity_renderer(ctx: Context) -> Renderer:
    """Render a name-list record as the Ret of the list that holds it."""

    def render_one(record: Record, include: set[str] | None) -> Element:
        kind, _ = ctx.company.get(record["ListID"])
        return renderer(ctx, kind)(record, include)

    return render_one


def entity_query(ctx: Context, rq: Element) -> Reply:
    """Answer an ``EntityQueryRq`` with QuickBooks' list-query semantics over ``NAME_LISTS``."""
    refuse_unsupported(rq, UNDERSTOOD, "EntityQuery")
    render_one = entity_renderer(ctx)
    if rq.get("iterator") in ("Continue", "Stop"):
        return continue_iterator(ctx, rq, render_one)
    matches, status = select(ctx, rq, NAME_LISTS)
    return answer(ctx, rq, matches, render_one, status)


HANDLERS: dict[str, Handler] = {"EntityQueryRq": entity_query}
