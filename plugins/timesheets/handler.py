"""The ``timesheets`` object type: work blocks sent to QuickBooks as TimeTracking entries.

Rule (seed rules S1–S8, DOMAIN.md §0): a block inside the company's selected period is sent once as a
TimeTrackingAdd and linked to its TxnID; a block that QuickBooks lacks a name for waits, named in one
message (preflight), or fails with a message naming the block, the name and the fix; an edit after sync
stays local unless the company's ``edits`` setting is ``update`` (then a TimeTrackingMod); with the
duplicate check, a matching entry already in QuickBooks is linked instead of added. Every method is
pure: it builds qbXML or reads QuickBooks' answers, and never writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from lxml import etree

from qbbridge.core import (
    Absent,
    BaseHandler,
    ExportContext,
    ExportItem,
    Facts,
    Failed,
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
    Rejected,
    SentRequest,
    Stale,
    Waiting,
)

from . import duplicates, messages, preflight, requests
from .entries import DUPLICATE_FIELDS, LOOKUP_FIELDS, entry_of, matches
from .payload import normalise
from .settings import COMPANY_SETTINGS, Options

STALE = 3200
#: A TxnID re-read that finds nothing: no match (1), "could not be found" (500), object not found (3120).
NOT_FOUND = (1, 500, 3120)
FOUND_AFTER_LOSS = "found after a lost answer"
ALREADY_THERE = "QuickBooks already had this version"
MATCHED = "matched existing"
#: Fields a Mod cannot clear: removing one from a synced block needs a change in QuickBooks by hand.
UNCLEARABLE = (("customer", "customer_id", "customer/job"), ("item", "item_id", "service item"),
               ("class", None, "class"), ("payroll_item", None, "payroll item"))


class TimesheetsHandler(BaseHandler):
    """Work blocks → QuickBooks TimeTracking (see the module docstring and docs/plugins/timesheets.md)."""

    object_type = ObjectType("timesheets", "TimeTracking", Kind.TXN, label="work block")
    company_settings = COMPANY_SETTINGS

    def validate(self, local_key: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        return normalise(local_key, payload)

    def resend_edits(self, settings: Mapping[str, Any]) -> bool:
        return Options.of(settings).edits == "update"

    # --- read: preflight and duplicate check ------------------------------------------------------------
    def read(self, ctx: ReadContext) -> Iterable[QbRequest]:
        options = Options.of(ctx.company.settings)
        referenced, span = preflight.Referenced(), duplicates.Span()
        for record in ctx.due():
            payload = record.payload
            if not isinstance(payload.get("date"), str) or not options.in_period(payload["date"]):
                continue
            referenced.add(payload)
            if _checked_for_existing(record, options):
                span.add(payload)
        if options.preflight:
            yield from preflight.queries(referenced)
        yield from duplicates.queries(span)

    # --- export -------------------------------------------------------------------------------------------
    def export(self, ctx: ExportContext) -> Iterator[ExportItem]:
        options = Options.of(ctx.company.settings)
        known = preflight.Known(ctx.facts)
        claims = duplicates.Claims(ctx.facts, ctx.linked_key)
        for record in ctx.due():
            try:
                payload = normalise(record.local_key, record.payload)
            except InvalidRecord as exc:  # stored before a rule existed: never send what we would refuse
                yield Rejected(record.local_key, f"Work block {record.local_key}: {exc.field_name}: "
                                                 f"{exc.problem}. Correct the block and submit it again.")
                continue
            if options.in_period(payload["date"]):
                yield self._decide(record, payload, options, known, claims)

    def _decide(self, record: Record, payload: Mapping[str, Any], options: Options, known: preflight.Known,
                claims: duplicates.Claims) -> ExportItem:
        key, label = record.local_key, requests.label(record.local_key, payload)
        if record.qb_id and record.edit_sequence is None:  # a stale Mod: re-read the entry first
            return self._lookup(record, payload)
        found = None if record.qb_id else _already_there(record, payload, options, claims)
        if found is not None:
            return found
        needs = known.needs(payload)
        if needs:
            return Waiting(key, needs)
        if record.qb_id:
            return self._mod(record, payload, label)
        return QbRequest(body=requests.add_request(payload), local_key=key, label=label)

    def _mod(self, record: Record, payload: Mapping[str, Any], label: str) -> ExportItem:
        before = record.synced_payload or {}
        for name_field, id_field, what in UNCLEARABLE:
            had = before.get(name_field) or (before.get(id_field) if id_field else None)
            has = payload.get(name_field) or (payload.get(id_field) if id_field else None)
            if had and not has:
                return Rejected(record.local_key, (
                    f"{label}: its {what} '{had}' was removed after the block was sent, and QuickBooks "
                    f"cannot clear it through qbbridge. Clear it on the entry in QuickBooks by hand, or put "
                    f"the {what} back on the block, then submit it again."))
        body = requests.mod_request(payload, record.qb_id or "", record.edit_sequence or "",
                                    clear_notes=bool(before.get("notes")) and not payload.get("notes"))
        return QbRequest(body=body, local_key=record.local_key, label=label)

    # --- lookups --------------------------------------------------------------------------------------
    def lookup(self, record: Record) -> QbRequest | None:
        try:
            payload = normalise(record.local_key, record.payload)
        except InvalidRecord:
            return None  # nothing to compare with: the engine leaves it for a person to settle
        return self._lookup(record, payload)

    @staticmethod
    def _lookup(record: Record, payload: Mapping[str, Any]) -> QbRequest:
        """By TxnID for a block linked before (a Mod), else by its natural key: person and date."""
        if record.qb_id:
            body = requests.txn_query(record.qb_id)
        elif payload.get("employee_id"):
            body = requests.entries_query(payload["date"], payload["date"], ids=[payload["employee_id"]])
        else:
            body = requests.entries_query(payload["date"], payload["date"], names=[payload["employee"]])
        return QbRequest(body=body, purpose=Purpose.LOOKUP, local_key=record.local_key,
                         label=requests.label(record.local_key, payload), context={"expect": dict(payload)})

    # --- acknowledge --------------------------------------------------------------------------------------
    def acknowledge(self, request: SentRequest, result: QbResult) -> Sequence[Outcome]:
        if request.purpose is Purpose.READ:
            return _read_facts(request.body, result)
        key = request.local_key or ""
        label = request.label or f"Work block {key}"
        if request.purpose is Purpose.LOOKUP:
            return _looked_up(key, label, request.body, request.context.get("expect"), result)
        status = result.status
        if not status.is_error:  # an answer without its entry is left to the engine (uncertain)
            return [Linked(key, ret.findtext("TxnID") or "", ret.findtext("EditSequence"))
                    for ret in result.rets[:1]]
        if status.code == STALE and request.body.tag == "TimeTrackingModRq":
            return [Stale(key, messages.stale(label))]
        return [Failed(key, messages.refused(label, request.body, status), status)]


def _checked_for_existing(record: Record, options: Options) -> bool:
    """Whether the duplicate query covers ``record``: every unsent block under the duplicate check, and
    a block sent before that did not sync (its fate may have been unknown: look before adding again)."""
    has_person = bool(record.payload.get("employee") or record.payload.get("employee_id"))
    return record.qb_id is None and has_person and (options.duplicate_check or record.attempts > 0)


def _already_there(record: Record, payload: Mapping[str, Any], options: Options,
                   claims: duplicates.Claims) -> Linked | None:
    """An unsent block this update's lookups or reads found in QuickBooks, linked without a request."""
    key = record.local_key
    entry = claims.recovered(key, payload, LOOKUP_FIELDS)
    if entry is None and record.attempts > 0:
        entry = claims.existing(payload, LOOKUP_FIELDS)
    note = FOUND_AFTER_LOSS
    if entry is None and options.duplicate_check:
        entry, note = claims.existing(payload, DUPLICATE_FIELDS), MATCHED
    return None if entry is None else Linked(key, entry["txn_id"], entry.get("edit_sequence"), note=note)


def _read_facts(body: etree._Element, result: QbResult) -> list[Outcome]:
    """A preflight or duplicate-check answer as Facts; an error answer teaches nothing (QuickBooks then
    decides when the blocks are sent)."""
    if result.status.is_error:
        return []
    if preflight.is_preflight(body):
        return [Facts(preflight.facts_of(body, result.rets))]
    if duplicates.is_duplicate_check(body):
        return [Facts(duplicates.facts_of(result.rets))]
    return []


def _looked_up(key: str, label: str, body: etree._Element, payload: Mapping[str, Any] | None,
               result: QbResult) -> list[Outcome]:
    """Whether a lookup found the block (``payload``: the block's values, from the request's context): a
    TxnID re-read (a linked block) or a person-and-date query."""
    by_txn_id = body.find("TxnID") is not None
    entries = [entry_of(ret) for ret in result.rets if ret.tag == "TimeTrackingRet"]
    if by_txn_id and not entries:
        if result.status.code in NOT_FOUND:
            return [Failed(key, messages.deleted(label, body.findtext("TxnID") or ""), result.status)]
        return []  # an error that says nothing about the entry: the record stays as it is
    if payload is None or (result.status.is_error and not entries):
        return []  # cannot tell: the record stays as it is rather than risk a second entry
    if by_txn_id:
        entry = entries[0]
        if matches(payload, entry, LOOKUP_FIELDS):
            return [Linked(key, entry["txn_id"], entry["edit_sequence"], note=ALREADY_THERE)]
        return [Absent(key, edit_sequence=entry["edit_sequence"])]
    # Which of several equal entries is this block's cannot be told here (another block may be linked
    # to one): the candidates go to export as facts, which links the first free one without a request.
    found = [entry for entry in entries if matches(payload, entry, LOOKUP_FIELDS)]
    return [Facts(duplicates.recovered_facts(key, found)), Absent(key)] if found else [Absent(key)]
