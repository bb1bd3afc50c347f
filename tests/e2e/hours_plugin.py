"""A small test plugin: "hours" exports time entries, "lists" reads classes with an iterator.

It uses only the public plugin contract (``qbbridge.core``), as a third-party plugin would. A time entry
carries its local key in Notes ("qbb:<key>"), so the company file shows exactly how many times each
record landed and the natural-key lookup can find it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from lxml.builder import E

from qbbridge.core import (
    Absent,
    BaseHandler,
    ExportContext,
    Failed,
    Imported,
    ImportRow,
    InvalidRecord,
    Kind,
    Linked,
    ObjectType,
    Outcome,
    Purpose,
    QbRequest,
    QbResult,
    ReadContext,
    Record,
    RecordRef,
    Rejected,
    SentRequest,
    hookimpl,
)


def marker(local_key: str) -> str:
    return f"qbb:{local_key}"


class HoursHandler(BaseHandler):
    object_type = ObjectType(name="hours", qb_entity="TimeTracking", kind=Kind.TXN, depends_on=("lists",),
                             label="time entry")

    def validate(self, local_key: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        if not isinstance(payload.get("minutes"), int) or payload["minutes"] < 0:
            raise InvalidRecord(local_key, "minutes", "must be a whole number of minutes, 0 or more")
        return dict(payload)

    def export(self, ctx: ExportContext) -> Iterable[QbRequest | Rejected]:
        for record in ctx.due():
            payload = record.payload
            if payload.get("reject"):
                yield Rejected(record.local_key, f"time entry {record.local_key}: {payload['reject']}")
                continue
            hours, minutes = divmod(payload["minutes"], 60)
            add = E.TimeTrackingAdd(E.TxnDate(payload["date"]), E.EntityRef(E.FullName(payload["employee"])),
                                    E.Duration(f"PT{hours}H{minutes}M"), E.Notes(marker(record.local_key)))
            depends = tuple(RecordRef("hours", key) for key in payload.get("after", ()))
            yield QbRequest(body=E.TimeTrackingAddRq(add), local_key=record.local_key, depends_on=depends,
                            label=f"Time entry {record.local_key} ({payload['employee']}, {payload['date']})")

    def lookup(self, record: Record) -> QbRequest | None:
        date = record.payload["date"]
        query = E.TimeTrackingQueryRq(E.TxnDateRangeFilter(E.FromTxnDate(date), E.ToTxnDate(date)))
        return QbRequest(body=query, purpose=Purpose.LOOKUP, local_key=record.local_key)

    def acknowledge(self, request: SentRequest, result: QbResult) -> Sequence[Outcome]:
        key = request.local_key or ""
        if request.purpose is Purpose.LOOKUP:
            for ret in result.rets:
                if ret.findtext("Notes") == marker(key):
                    return [Linked(key, ret.findtext("TxnID") or "", ret.findtext("EditSequence"),
                                   note="found in QuickBooks after a lost answer")]
            return [Absent(key)]
        if result.status.is_error:
            return [Failed(key, f"{request.label} was not sent: {result.status.message}", result.status)]
        ret = result.rets[0]
        return [Linked(key, ret.findtext("TxnID") or "", ret.findtext("EditSequence"))]


class ListsHandler(BaseHandler):
    """Reads every customer and job, two per page, through the engine's iterator."""

    object_type = ObjectType(name="lists", qb_entity="Customer", kind=Kind.LIST)
    seen: list[ReadContext] = []  # every context read() was given, for tests

    def read(self, ctx: ReadContext) -> Iterable[QbRequest]:
        self.seen.append(ctx)
        if ctx.company.settings.get("read_lists", True):
            yield QbRequest(body=E.CustomerQueryRq(E.MaxReturned("2"), E.ActiveStatus("All")), purpose=Purpose.READ, iterate=True)

    def acknowledge(self, request: SentRequest, result: QbResult) -> Sequence[Outcome]:
        rows = tuple(ImportRow(qb_id=ret.findtext("ListID") or "", name=ret.findtext("FullName") or "",
                               edit_sequence=ret.findtext("EditSequence"),
                               is_active=ret.findtext("IsActive") != "false") for ret in result.rets)
        return [Imported(rows)]


@hookimpl
def qb_register_object_types(register, settings):  # noqa: ANN001 - pluggy passes by name
    register(HoursHandler())
    register(ListsHandler())
