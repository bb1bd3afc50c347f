"""Query machinery shared by every ``…QueryRq``: filters, MaxReturned, iterators, status 1/500.

Rule: a query handler only says which records are candidates and how to render one; ``answer()`` does
the paging. Iterators follow QuickBooks: ``iterator="Start"`` fixes the result set and returns the first
``MaxReturned`` records with ``iteratorRemainingCount`` and an ``iteratorID``; ``Continue`` returns the next
page of that same set; an unknown iteratorID (or one from another session) is status 3391.
``retCount`` comes only with the ``metaData`` attribute, as in QuickBooks (see ``meta_data_of``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

from ..company import Record
from ..errors import RequestFailed
from ..qbxml import Element, text, texts
from ..status import NO_MATCH, OK, Status, element_not_found, invalid_iterator, unsupported
from .base import Context, Reply

Renderer = Callable[[Record, set[str] | None], Element]


def answer(ctx: Context, rq: Element, matches: list[Record], render: Renderer,
           status: Status = OK) -> Reply:
    """Page ``matches`` per MaxReturned/iterator and build the reply (status 1 when nothing matched)."""
    include = set(texts(rq, "IncludeRetElement")) or None
    meta_data = meta_data_of(rq)
    limit = _max_returned(rq)
    attrs: dict[str, str] = {}
    if rq.get("iterator") == "Start":
        page, rest = matches[:limit] if limit else matches, matches[limit:] if limit else []
        iterator_id = ctx.session.new_iterator_id()
        if rest:  # like a Continue that empties it, a Start that returns everything leaves no iterator
            ctx.session.iterators[iterator_id] = {"tag": rq.tag, "ids": [_id_of(r) for r in rest],
                                                  "include": include, "limit": limit}
        attrs = {"iteratorRemainingCount": str(len(rest)), "iteratorID": iterator_id}
    else:
        page = matches[:limit] if limit else matches
    if not page and status is OK:
        status = NO_MATCH
    if meta_data != "NoMetaData":
        attrs["retCount"] = str(len(page))
    rets = [] if meta_data == "MetaDataOnly" else [render(r, include) for r in page]
    return Reply(rets, status, attrs)


def meta_data_of(rq: Element) -> str:
    """The query's ``metaData``: NoMetaData (the default), MetaDataOnly or MetaDataAndResponseData.

    Intuit's query reference: the count is "how many objects to expect from the actual query";
    Decision (our reading, no capture): ``retCount`` counts the records the query returns (MaxReturned
    applied), and MetaDataOnly sends it without them. Without metaData QuickBooks sends no retCount
    (the captured CustomerQueryRs files in reference/samples/qbxml/responses have none).
    Decision (no source): with ``iterator`` the count's meaning (this page or the whole set?) is
    undocumented, so that combination is refused with 1030.
    """
    meta_data = rq.get("metaData") or "NoMetaData"
    if meta_data != "NoMetaData" and rq.get("iterator"):
        raise unsupported(f"metaData with an iterator in {rq.tag[:-2]}")
    return meta_data


def continue_iterator(ctx: Context, rq: Element, render: Renderer) -> Reply:
    """Answer ``iterator="Continue"``/``"Stop"`` from the session's stored result set."""
    meta_data_of(rq)
    iterator_id = rq.get("iteratorID") or ""
    state = ctx.session.iterators.get(iterator_id)
    if state is None or state["tag"] != rq.tag:
        raise invalid_iterator(iterator_id)
    if rq.get("iterator") == "Stop":
        del ctx.session.iterators[iterator_id]
        return Reply(attrs={"iteratorRemainingCount": "0", "iteratorID": iterator_id})
    limit = _max_returned(rq) or state["limit"] or len(state["ids"])
    ids, state["ids"] = state["ids"][:limit], state["ids"][limit:]
    records = [found[1] for found in map(ctx.company.get, ids) if found is not None]
    attrs = {"iteratorRemainingCount": str(len(state["ids"])), "iteratorID": iterator_id}
    if not state["ids"]:
        del ctx.session.iterators[iterator_id]
    status = OK if records else NO_MATCH
    return Reply([render(r, state["include"]) for r in records], status, attrs)


def _max_returned(rq: Element) -> int | None:
    value = text(rq, "MaxReturned")
    return int(value) if value else None


def _id_of(record: Record) -> str:
    return record.get("ListID") or record["TxnID"]


def by_ids(ctx: Context, wanted: Iterable[str], kinds: tuple[str, ...], *,
           by_name: bool) -> tuple[list[Record], Status]:
    """Records named by ListID (or FullName) lists; a missing one is status 500 naming it, as QuickBooks
    does."""
    found: list[Record] = []
    missing: list[str] = []
    for value in wanted:
        hit = ctx.company.find_by_name(kinds, value) if by_name else ctx.company.get(value)
        if hit is None or hit[0] not in kinds:
            missing.append(value)
        elif hit[1] not in found:
            found.append(hit[1])
    return found, (element_not_found(missing[0]) if missing else OK)


# -- filters shared by list and transaction queries ----------------------------------------------------
_DATE = re.compile(r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?")


def iso_date(value: str | None, field: str = "TxnDate") -> str | None:
    """A DATETYPE as ``YYYY-MM-DD``, None when absent or blank (the schema lets "" through).

    xsd:date allows a time zone (``2026-11-18Z``), which a QuickBooks date does not keep; a year the
    schema allows but a date cannot hold (beyond 9999) is 3020 in the words of Intuit's status table.
    """
    value = (value or "").strip()
    if not value:
        return None
    match = _DATE.fullmatch(value)
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        raise RequestFailed(3020, f'There was an error when converting the date value "{value}" in the '
                                  f'field "{field}"') from None


def parse_when(value: str, *, end_of_day: bool, tz: dt.tzinfo, field: str = "date") -> dt.datetime:
    """A qbXML DATETYPE or DATETIMETYPE as an aware datetime; a bare date covers the whole day."""
    if _DATE.fullmatch(value.strip()):
        day = dt.date.fromisoformat(iso_date(value, field))
        moment = dt.time(23, 59, 59) if end_of_day else dt.time(0, 0, 0)
        return dt.datetime.combine(day, moment, tzinfo=tz)
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise RequestFailed(3020, f'There was an error when converting the date value "{value}" in the '
                                  f'field "{field}"') from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def modified_between(records: list[Record], start: str | None, end: str | None) -> list[Record]:
    """Keep records whose TimeModified lies in [start, end] (either bound optional)."""
    if not start and not end:
        return records
    kept = []
    for record in records:
        modified = dt.datetime.fromisoformat(record["TimeModified"])
        if start and modified < parse_when(start, end_of_day=False, tz=modified.tzinfo):
            continue
        if end and modified > parse_when(end, end_of_day=True, tz=modified.tzinfo):
            continue
        kept.append(record)
    return kept


def name_matches(name: str, criterion: str, wanted: str) -> bool:
    """NameFilter / RefNumberFilter semantics, case-insensitive like QuickBooks."""
    name, wanted = name.casefold(), wanted.casefold()
    if criterion == "StartsWith":
        return name.startswith(wanted)
    if criterion == "EndsWith":
        return name.endswith(wanted)
    return wanted in name


def in_name_range(name: str, start: str | None, end: str | None) -> bool:
    """NameRangeFilter: FromName/ToName, inclusive, case-insensitive; ToName covers its prefix's children."""
    key = name.casefold()
    if start and key < start.casefold():
        return False
    return not (end and key > end.casefold() and not key.startswith(end.casefold()))
