"""A test plugin for the contract's preflight, duplicate-check and edit parts: one object type, ``entries``.

- ``read`` asks QuickBooks about the employees the due entries name (``EmployeeQueryRq`` by FullName) and
  answers ``Facts({"asked": [...], "found": [...]})``.
- ``export`` yields ``Waiting`` for an entry whose employee was asked about and not found; ``Linked`` for an
  entry whose payload names ``existing`` (a TxnID the test put in QuickBooks); a LOOKUP re-read for a synced
  entry without an EditSequence; a ``TimeTrackingModRq`` for a synced entry (edits are re-sent when the
  company setting ``entries.edits`` is ``update``); otherwise a ``TimeTrackingAddRq``.
- ``acknowledge`` answers ``Stale`` to status 3200 and ``Absent(edit_sequence=…)`` to a re-read whose entry
  differs from the payload.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from lxml.builder import E

from qbbridge.core.contract import (
    Absent,
    BaseHandler,
    CompanySetting,
    ExportContext,
    ExportItem,
    Facts,
    Failed,
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
    SentRequest,
    Stale,
    Waiting,
)
from qbbridge.core.hookspecs import hookimpl


def _fields(payload: Mapping[str, Any]) -> list[Any]:
    hours, minutes = divmod(int(payload["minutes"]), 60)
    return [E.TxnDate(payload["date"]), E.EntityRef(E.FullName(payload["employee"])),
            E.Duration(f"PT{hours}H{minutes}M"), E.Notes(payload.get("notes", ""))]


def _policy(value: Any) -> str:
    if value not in ("keep", "update"):
        raise ValueError(f"{value!r} is neither 'keep' nor 'update'")
    return str(value)


class EntryHandler(BaseHandler):
    object_type = ObjectType(name="entries", qb_entity="TimeTracking", kind=Kind.TXN, label="work block")
    company_settings = (CompanySetting("edits", "keep or update: whether edits after sync are sent", "keep",
                                       _policy),)

    def read(self, ctx: ReadContext) -> Iterable[QbRequest]:
        names = sorted({record.payload["employee"] for record in ctx.due() if not record.qb_id})
        if names:
            yield QbRequest(body=E.EmployeeQueryRq(*[E.FullName(name) for name in names]),
                            purpose=Purpose.READ, label="employees")

    def export(self, ctx: ExportContext) -> Iterable[ExportItem]:
        asked, found = set(ctx.facts.get("asked", [])), set(ctx.facts.get("found", []))
        for record in ctx.due():
            payload, key = record.payload, record.local_key
            if record.qb_id and record.edit_sequence is None:
                yield self.reread(record)
            elif record.qb_id:
                mod = E.TimeTrackingMod(E.TxnID(record.qb_id), E.EditSequence(record.edit_sequence),
                                        *_fields(payload))
                yield QbRequest(body=E.TimeTrackingModRq(mod), local_key=key, label=f"Work block {key}")
            elif payload["employee"] in asked - found:
                yield Waiting(key, (("employee", payload["employee"]),))
            elif payload.get("existing"):
                yield Linked(key, payload["existing"], None, "matched existing")
            else:
                add = E.TimeTrackingAdd(*_fields(payload))
                yield QbRequest(body=E.TimeTrackingAddRq(add), local_key=key, label=f"Work block {key}")

    def reread(self, record: Record) -> QbRequest:
        return QbRequest(body=E.TimeTrackingQueryRq(E.TxnID(record.qb_id or "")), purpose=Purpose.LOOKUP,
                         local_key=record.local_key)

    def lookup(self, record: Record) -> QbRequest | None:
        return self.reread(record) if record.qb_id else None

    def resend_edits(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("entries.edits") == "update"

    def acknowledge(self, request: SentRequest, result: QbResult) -> Sequence[Outcome]:
        key = request.local_key or ""
        if request.purpose is Purpose.READ:
            asked = [name.text for name in request.body.iter("FullName")]
            return [Facts({"asked": asked, "found": [ret.findtext("Name") for ret in result.rets]})]
        if result.status.code == 3200:
            return [Stale(key, f"work block {key} changed in QuickBooks meanwhile")]
        if result.status.is_error:
            return [Failed(key, f"work block {key}: {result.status.message}", result.status)]
        ret = result.rets[0]
        linked = Linked(key, ret.findtext("TxnID") or "", ret.findtext("EditSequence"))
        if request.purpose is Purpose.LOOKUP:
            return [Absent(key, edit_sequence=linked.edit_sequence)]
        return [linked]


class PreflightPlugin:
    @hookimpl
    def qb_register_object_types(self, register: Callable[[ObjectTypeHandler], None]) -> None:
        register(EntryHandler())
