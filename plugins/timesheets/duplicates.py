"""Time already in QuickBooks: the duplicate check (seed rule S8) and the re-check of blocks sent before.

Rule: ``Span`` gathers the dates and people of the blocks to check; ``queries`` asks QuickBooks, through
an iterator, for every entry of those people in that date range (entity names and ListIDs in separate
queries, as TimeTrackingEntityFilter takes one kind, ``CHUNK`` per query). Each answered page becomes
``Facts({"existing": [entry, …]})`` (``entries.entry_of``). A natural-key lookup that finds entries
answers ``Facts({"recovered": {local_key: [entry, …]}})``. ``Claims`` hands each block at most one entry
— the first that matches, that no record is linked to and that no earlier block of this export call
took — so two identical blocks never share one entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from qbbridge.core import Purpose, QbRequest

from .entries import entry_of, matches
from .requests import entries_query

CHUNK = 100
PAGE = 100  # entries per iterator page
EXISTING = "existing"
RECOVERED = "recovered"
LABEL = "Duplicate check: time already in QuickBooks for the work blocks' people and dates"


@dataclass
class Span:
    """The date range and the people of a set of blocks."""

    first_day: str | None = None
    last_day: str | None = None
    names: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    def add(self, payload: Mapping[str, Any]) -> None:
        day = payload["date"]
        self.first_day = min(self.first_day or day, day)
        self.last_day = max(self.last_day or day, day)
        if payload.get("employee_id"):
            self.ids.setdefault(payload["employee_id"].casefold(), payload["employee_id"])
        else:
            self.names.setdefault(payload["employee"].casefold(), payload["employee"])


def queries(span: Span) -> Iterator[QbRequest]:
    """Iterator READs for the entries of ``span``'s people and dates (none for an empty span)."""
    if span.first_day is None or span.last_day is None:
        return
    for kind, values in (("names", list(span.names.values())), ("ids", list(span.ids.values()))):
        for start in range(0, len(values), CHUNK):
            chunk = values[start:start + CHUNK]
            query = entries_query(span.first_day, span.last_day, max_returned=PAGE, **{kind: chunk})
            yield QbRequest(body=query, purpose=Purpose.READ, iterate=True, label=LABEL)


def is_duplicate_check(body: etree._Element) -> bool:
    return body.tag == "TimeTrackingQueryRq"


def facts_of(rets: Sequence[etree._Element]) -> dict[str, list[dict[str, Any]]]:
    return {EXISTING: [entry_of(ret) for ret in rets if ret.tag == "TimeTrackingRet"]}


def recovered_facts(local_key: str, entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """What a natural-key lookup found for block ``local_key``: the entries it may have become."""
    return {RECOVERED: {local_key: entries}}


class Claims:
    """Entries found by this update's reads and lookups, handed out to blocks at most once each."""

    def __init__(self, facts: Mapping[str, Any], linked_key: Callable[[str], str | None]) -> None:
        existing, recovered = facts.get(EXISTING), facts.get(RECOVERED)
        self._existing = existing if isinstance(existing, list) else []
        self._recovered = recovered if isinstance(recovered, Mapping) else {}
        self._linked_key = linked_key
        self._taken: set[str] = set()

    def existing(self, payload: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any] | None:
        """The first entry of the duplicate check that matches ``payload`` on ``fields`` and is free."""
        return self._first_free(self._existing, payload, tuple(fields))

    def recovered(self, local_key: str, payload: Mapping[str, Any],
                  fields: Iterable[str]) -> dict[str, Any] | None:
        """The first free entry a lookup found for block ``local_key`` (still matching ``payload``)."""
        entries = self._recovered.get(local_key)
        return self._first_free(entries if isinstance(entries, list) else [], payload, tuple(fields))

    def _first_free(self, entries: list[Any], payload: Mapping[str, Any],
                    fields: tuple[str, ...]) -> dict[str, Any] | None:
        for entry in entries:
            txn_id = entry.get("txn_id") if isinstance(entry, Mapping) else None
            if not txn_id or txn_id in self._taken or not matches(payload, entry, fields):
                continue
            if self._linked_key(txn_id) is None:
                self._taken.add(txn_id)
                return dict(entry)
        return None
