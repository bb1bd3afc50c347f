"""The test plugin of the service tests: three object types, and misbehaviour on request.

- ``blocks`` exports TimeTrackingAdd (Notes ``svc:<key>``, so the company file shows how often each record
  landed); payload ``date``, ``employee``, ``minutes``, optional ``reject`` (a local rejection reason) and
  ``after`` (keys of blocks it depends on). It depends on ``tags`` and ``lists``, yet is registered
  first and sorts first by name, so only the declared dependencies can put it last. Its lookup is by TxnDate + Notes.
- ``tags`` exports ClassAdd (payload ``name``); lookup by FullName.
- ``lists`` reads customers two per page with the engine's iterator (company setting ``read_lists``).

``Behaviour`` is the test's remote control of the ``blocks`` handler: raise in a hook, answer nothing,
answer for another record, have no lookup, or export a request for a key ``ctx.due()`` did not give.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml.builder import E

from qbbridge.core.contract import (
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
    ObjectTypeHandler,
    Outcome,
    Purpose,
    QbRequest,
    QbResult,
    ReadContext,
    Record,
    RecordRef,
    Rejected,
    SentRequest,
)
from qbbridge.core.hookspecs import hookimpl

FOUND_NOTE = "found in QuickBooks after a lost answer"


def marker(local_key: str) -> str:
    return f"svc:{local_key}"


@dataclass
class Behaviour:
    raise_in: set[str] = field(default_factory=set)        # "export", "acknowledge"
    mute: set[str] = field(default_factory=set)            # keys whose answer acknowledge ignores
    speak_for: dict[str, str] = field(default_factory=dict)  # key -> the other key its outcome names
    no_lookup: set[str] = field(default_factory=set)       # keys lookup() gives up on
    claim: dict[str, str] = field(default_factory=dict)    # key -> the key its request claims to be


class BlockHandler(BaseHandler):
    object_type = ObjectType(name="blocks", qb_entity="TimeTracking", kind=Kind.TXN,
                             depends_on=("tags", "lists"), label="work block")

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour

    def validate(self, local_key: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        if not isinstance(payload.get("minutes"), int):
            raise InvalidRecord(local_key, "minutes", "must be a whole number")
        return dict(payload)

    def export(self, ctx: ExportContext) -> Iterable[QbRequest | Rejected]:
        if "export" in self.behaviour.raise_in:
            raise RuntimeError("the blocks plugin broke while exporting")
        for record in ctx.due():
            payload = record.payload
            if payload.get("reject"):
                yield Rejected(record.local_key, f"work block {record.local_key}: {payload['reject']}")
                continue
            hours, minutes = divmod(payload["minutes"], 60)
            add = E.TimeTrackingAdd(E.TxnDate(payload["date"]), E.EntityRef(E.FullName(payload["employee"])),
                                    E.Duration(f"PT{hours}H{minutes}M"), E.Notes(marker(record.local_key)))
            yield QbRequest(body=E.TimeTrackingAddRq(add),
                            local_key=self.behaviour.claim.get(record.local_key, record.local_key),
                            depends_on=tuple(RecordRef("blocks", key) for key in payload.get("after", ())),
                            label=f"Work block {record.local_key} ({payload['employee']}, {payload['date']})")

    def lookup(self, record: Record) -> QbRequest | None:
        if record.local_key in self.behaviour.no_lookup:
            return None
        date = record.payload["date"]
        query = E.TimeTrackingQueryRq(E.TxnDateRangeFilter(E.FromTxnDate(date), E.ToTxnDate(date)))
        return QbRequest(body=query, purpose=Purpose.LOOKUP, local_key=record.local_key)

    def acknowledge(self, request: SentRequest, result: QbResult) -> Sequence[Outcome]:
        if "acknowledge" in self.behaviour.raise_in:
            raise RuntimeError("the blocks plugin broke while acknowledging")
        key = request.local_key or ""
        if key in self.behaviour.mute:
            return []
        if request.purpose is Purpose.LOOKUP:
            for ret in result.rets:
                if ret.findtext("Notes") == marker(key):
                    return [Linked(key, ret.findtext("TxnID") or "", ret.findtext("EditSequence"), FOUND_NOTE)]
            return [Absent(key)]
        key = self.behaviour.speak_for.get(key, key)
        if result.status.is_error:
            return [Failed(key, f"{request.label} was not sent: {result.status.message}", result.status)]
        ret = result.rets[0]
        return [Linked(key, ret.findtext("TxnID") or "", ret.findtext("EditSequence"))]


class TagHandler(BaseHandler):
    object_type = ObjectType(name="tags", qb_entity="Class", kind=Kind.LIST, label="tag")

    def export(self, ctx: ExportContext) -> Iterable[QbRequest | Rejected]:
        for record in ctx.due():
            yield QbRequest(body=E.ClassAddRq(E.ClassAdd(E.Name(record.payload["name"]))),
                            local_key=record.local_key, label=f"Tag {record.payload['name']}")

    def acknowledge(self, request: SentRequest, result: QbResult) -> Sequence[Outcome]:
        key = request.local_key or ""
        if result.status.is_error:
            return [Failed(key, f"{request.label} was not added: {result.status.message}", result.status)]
        ret = result.rets[0]
        return [Linked(key, ret.findtext("ListID") or "", ret.findtext("EditSequence"))]


class ListsHandler(BaseHandler):
    object_type = ObjectType(name="lists", qb_entity="Customer", kind=Kind.LIST)

    def read(self, ctx: ReadContext) -> Iterable[QbRequest]:
        if ctx.company.settings.get("read_lists", True):
            yield QbRequest(body=E.CustomerQueryRq(E.MaxReturned("2"), E.ActiveStatus("All")),
                            purpose=Purpose.READ, iterate=True, label="customers")

    def acknowledge(self, request: SentRequest, result: QbResult) -> Sequence[Outcome]:
        rows = tuple(ImportRow(qb_id=ret.findtext("ListID") or "", name=ret.findtext("FullName") or "")
                     for ret in result.rets)
        return [Imported(rows)]


class ServicePlugin:
    """Registers the three handlers; vetoes the logins named in ``vetoed`` (``qb_authenticate``)."""

    def __init__(self) -> None:
        self.behaviour = Behaviour()
        self.vetoed: set[str] = set()

    @hookimpl
    def qb_register_object_types(self, register: Callable[[ObjectTypeHandler], None]) -> None:
        register(BlockHandler(self.behaviour))  # before its dependencies, on purpose
        register(TagHandler())
        register(ListsHandler())

    @hookimpl
    def qb_authenticate(self, username: str) -> bool | None:
        return False if username in self.vetoed else None
