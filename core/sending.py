"""Choosing and writing ahead the next message set of an update (``sendRequestXML``).

Rule: a message set is committed — its id, its requests and the records it carries, marked in flight —
in the same transaction that returns it, so a crash after the reply can only leave an *uncertain* set,
never an unknown one. Order: recovery of uncertain sets, natural-key lookups, reads, exports in
dependency order. Every write set carries ``newMessageSetID`` (qbXML error recovery).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from . import events
from .contract import Linked, Purpose, QbRequest, RecordRef, Rejected, Waiting
from .engine.plan import waiting_text
from .errors import PluginError
from .qbxml import build
from .run import ExportView, ReadView, Run
from .security import new_message_set_id
from .store import outbox
from .store.models import MessageSet, RecordState, SetState, SyncRecord

HELD_STATES = (RecordState.REJECTED, RecordState.HELD)


@dataclass(frozen=True, slots=True)
class Outgoing:
    xml: str
    set_id: str


def next_message_set(run: Run) -> Outgoing | None:
    """The next set to hand to QuickBooks, already written ahead; None when the plan has nothing left."""
    for phase in (_status_query, _lookups, _reads, _exports):
        outgoing = phase(run)
        if outgoing is not None:
            return outgoing
    return None


def _status_query(run: Run) -> Outgoing | None:
    if not run.plan.recovery:
        return None
    set_id = run.plan.recovery.pop(0)
    run.plan.asking = set_id
    xml = build.status_query(set_id, version=_version(run))
    return _write_ahead(run, xml, {}, on_error="continueOnError", kind="status:" + set_id)


def _lookups(run: Run) -> Outgoing | None:
    requests: list[tuple[str, QbRequest]] = []
    while run.plan.lookups and len(requests) < run.settings.batch_size:
        entry = run.plan.lookups.pop(0)
        row = outbox.find_record(run.session, run.company.id, RecordRef(**entry))
        if row is None or row.state != RecordState.UNCERTAIN:
            continue
        request = run.registry.handler(row.object_type).lookup(outbox.record_view(row))
        if request is None:
            _cannot_look_up(run, row)
            continue
        requests.append((row.object_type, request))
    if not requests:
        return None
    return _send(run, requests, on_error="continueOnError")


def _cannot_look_up(run: Run, row: SyncRecord) -> None:
    message = (f"{row.object_type} {row.local_key}: the answer to it was lost and QuickBooks cannot say "
               "whether it was added. Check QuickBooks; then mark it synced or resubmit it.")
    outbox.mark_state(row, RecordState.UNCERTAIN, run.now, message)
    run.plan.count("uncertain")
    run.plan.failures.append(message)
    run.plan.advance()


def _reads(run: Run) -> Outgoing | None:
    if not run.plan.reads:
        return None
    entry = run.plan.reads.pop(0)
    body = etree.fromstring(entry["body"])
    if entry.get("iterator_id"):
        body = build.iterator_continue(body, entry["iterator_id"])
    elif entry.get("iterate"):
        body = build.iterator_start(body)
    request = QbRequest(body=body, purpose=Purpose.READ, iterate=bool(entry.get("iterate")),
                        label=entry.get("label", ""), context=entry.get("context", {}))
    return _send(run, [(entry["object_type"], request)], on_error="continueOnError",
                 template=entry["body"])


def _exports(run: Run) -> Outgoing | None:
    while run.plan.exports:
        object_type = run.plan.exports[0]
        batch, rows = _export_batch(run, object_type)
        if run.plan.stop_message:
            return None  # records wait on missing names and the policy is stop: nothing more goes
        if batch:
            on_error = "stopOnError" if run.settings.error_policy == "stop" else "continueOnError"
            return _send(run, batch, on_error=on_error, rows=rows)
        run.plan.exports.pop(0)
    return None


def _export_batch(run: Run, object_type: str) -> tuple[list[tuple[str, QbRequest]], list[SyncRecord]]:
    """Up to ``batch_size`` requests of one type and their records; rejections, holds, waits and links
    found by reads are recorded on the way."""
    view = ExportView(run, object_type)
    batch: list[tuple[str, QbRequest]] = []
    rows: list[SyncRecord] = []
    produced = iter(run.registry.handler(object_type).export(view))
    failed = {tuple(key) for key in run.plan.failed_keys}  # grows below as records are rejected or held
    stopping = False  # a record waits under the stop policy: collect every other waiting record, send none
    for item in produced:
        row = view.rows.get(item.local_key or "")
        if not isinstance(row, SyncRecord):
            raise PluginError(object_type, f"export returned {item!r} for a record ctx.due() did not give")
        if isinstance(item, Waiting):
            _wait(run, row, object_type, item)
            stopping = stopping or run.settings.error_policy == "stop"
            continue
        if stopping or not _settled_locally(run, row, object_type, item, failed):
            continue
        in_batch = {(object_type, request.local_key) for _, request in batch} if item.depends_on else set()
        waits = _waits_for(run, item, in_batch, failed)
        if waits is LATER:
            break  # its dependency is in this batch: it goes in the next set, once that one is answered
        if waits is not None:
            _hold(run, row, object_type, item, waits)
            failed.add((object_type, item.local_key or ""))
        else:
            batch.append((object_type, item))
            rows.append(row)
        if len(batch) >= run.settings.batch_size:
            break
    close = getattr(produced, "close", None)
    if close is not None:
        close()
    if stopping:
        run.plan.stop_message = run.plan.stop_message or waiting_text(run.plan.waiting)
        return [], []
    return batch, rows


def _settled_locally(run: Run, row: SyncRecord, object_type: str, item: object,
                     failed: set[tuple[str, ...]]) -> bool:
    """Apply a ``Rejected`` or a ``Linked`` (found by this update's reads); True if ``item`` is a request."""
    if isinstance(item, Rejected):
        _reject(run, row, object_type, item)
        failed.add((object_type, item.local_key))
        return False
    if isinstance(item, Linked):
        outbox.mark_synced(run.session, row, item.qb_id, item.edit_sequence, item.note, run.now)
        run.plan.count("matched")
        run.plan.advance()
        run.emit(events.RecordLinked(run.company.name, object_type, row.local_key, item.qb_id, item.note),
                 item.note or f"linked to QuickBooks id {item.qb_id}")
        return False
    return True


def _wait(run: Run, row: SyncRecord, object_type: str, item: Waiting) -> None:
    """The record stays pending and is not tried again in this update; its needs join the message."""
    label = run.registry.handler(object_type).object_type.label
    needs = "; ".join(f"{what} '{name}'" for what, name in item.needs)
    fix = item.fix or "add it in QuickBooks (or make it active), then click Update Selected again"
    message = f"{label} {item.local_key} waits for {needs}: {fix[0].lower()}{fix[1:]}"
    outbox.mark_pending(row, run.now, message)
    row.attempted_update_id = run.update.id
    run.plan.waiting.extend([object_type, label, item.local_key, what, name, item.fix]
                            for what, name in item.needs)
    run.plan.count("waiting")
    run.plan.advance()
    run.emit(events.RecordWaiting(run.company.name, object_type, item.local_key, message), message)


def _reject(run: Run, row: SyncRecord, object_type: str, item: Rejected) -> None:
    outbox.mark_state(row, RecordState.REJECTED, run.now, item.reason)
    row.attempted_update_id = run.update.id
    run.plan.count("rejected")
    run.plan.failures.append(item.reason)
    run.plan.failed_keys.append([object_type, item.local_key])
    run.plan.advance()
    run.emit(events.RecordRejected(run.company.name, object_type, item.local_key, item.reason), item.reason)


LATER = "later"


def _waits_for(run: Run, request: QbRequest, in_batch: set[tuple[str, str | None]],
               failed: set[tuple[str, ...]]) -> str | None:
    """None if every dependency is synced (or not ours); ``LATER`` if one is in the batch being built;
    else the reason to hold ``request``: a dependency failed, was rejected, is held, uncertain or unsent."""
    for ref in request.depends_on:
        key = (ref.object_type, ref.local_key)
        if key in in_batch and key not in failed:
            return LATER
        row = outbox.find_record(run.session, run.company.id, ref)
        if key in failed or (row is not None and row.state != RecordState.SYNCED):
            reason = row.last_error if row is not None and row.last_error else "it is not in QuickBooks yet"
            return f"it needs {ref.object_type} {ref.local_key} first, which did not sync: {reason}"
    return None


def _hold(run: Run, row: SyncRecord, object_type: str, request: QbRequest, why: str) -> None:
    message = f"{request.label or f'{object_type} {request.local_key}'} was held back: {why}"
    outbox.mark_state(row, RecordState.HELD, run.now, message)
    row.attempted_update_id = run.update.id
    run.plan.count("held")
    run.plan.failures.append(message)
    run.plan.failed_keys.append([object_type, request.local_key or ""])
    run.plan.advance()
    run.emit(events.RecordHeld(run.company.name, object_type, request.local_key or "", message), message)


def _send(run: Run, requests: list[tuple[str, QbRequest]], *, on_error: str,
          rows: list[SyncRecord] | None = None, template: str | None = None) -> Outgoing:
    """Number the requests, write the set ahead and mark ``rows`` (the records of a write set) in flight."""
    write = rows is not None
    ids = run.plan.next_request_ids(len(requests))
    bodies = [build.with_request_id(request.body, rid)
              for rid, (_, request) in zip(ids, requests, strict=True)]
    routes = {rid: _route(object_type, request, template)
              for rid, (object_type, request) in zip(ids, requests, strict=True)}
    set_id = new_message_set_id()
    xml = build.message_set(bodies, version=_version(run), on_error=on_error,
                            new_message_set_id=set_id if write else None)
    outgoing = _write_ahead(run, xml, routes, on_error=on_error, kind="write" if write else "query",
                            set_id=set_id)
    if rows is not None:
        outbox.mark_in_flight(rows, set_id, run.update.id, run.now)
        run.emit(events.RequestsSent(run.company.name, run.update.id, set_id, len(rows)),
                 f"message set {set_id}: {len(rows)} request(s) written ahead")
    return outgoing


def _route(object_type: str, request: QbRequest, template: str | None) -> dict[str, object]:
    return {"object_type": object_type, "purpose": request.purpose.value, "local_key": request.local_key,
            "label": request.label, "iterate": request.iterate, "context": dict(request.context),
            "body": template or etree.tostring(request.body, encoding="unicode")}


def _write_ahead(run: Run, xml: str, routes: dict[str, dict[str, object]], *, on_error: str, kind: str,
                 set_id: str | None = None) -> Outgoing:
    set_id = set_id or new_message_set_id()
    run.session.add(MessageSet(id=set_id, company_id=run.company.id, update_id=run.update.id,
                               state=SetState.IN_FLIGHT, on_error=on_error, request_xml=xml,
                               requests={"kind": kind, "routes": routes}, created_at=run.now))
    run.plan.in_flight = set_id
    return Outgoing(xml=xml, set_id=set_id)


def _version(run: Run) -> str:
    return run.plan.qbxml_version or "13.0"


def plan_reads(run: Run) -> None:
    """Ask every handler, in dependency order, for this update's queries; size the progress bar."""
    mark_dates = outbox.last_sync_dates(run.session, run.company.id)
    read_dates = outbox.last_read_dates(run.session, run.company.id)
    for object_type in run.registry.names():
        view = ReadView(company=run.company_info(), last_sync_at=mark_dates.get(object_type),
                        last_read_at=read_dates.get(object_type), now=run.now, session=run.session,
                        company_id=run.company.id, object_type=object_type)
        for request in run.registry.handler(object_type).read(view):
            run.plan.reads.append({"object_type": object_type, "purpose": Purpose.READ.value,
                                   "body": etree.tostring(request.body, encoding="unicode"),
                                   "iterate": request.iterate, "label": request.label,
                                   "context": dict(request.context)})
    run.plan.total += len(run.plan.reads) + outbox.count_due(run.session, run.company.id, _starters(run))


def has_more(run: Run) -> bool:
    """Whether another message set is due in this update."""
    plan = run.plan
    if plan.recovery or plan.lookups or plan.reads:
        return True
    return outbox.has_due_now(run.session, run.company.id, _starters(run), run.update.id)


def _starters(run: Run) -> list[str]:
    """The object types left to export whose due records call for a message set by themselves: not the
    on-demand ones (a part goes only because an invoice, itself due, needs it)."""
    return [name for name in run.plan.exports if not run.registry.handler(name).object_type.on_demand]


def noop(run: Run) -> Outgoing:
    """A harmless HostQuery, sent when the last due records turned out to need no request (all rejected
    or held without failures to report), so that the update can still end with progress 100."""
    body = etree.Element("HostQueryRq")
    return _send(run, [("", QbRequest(body=body, purpose=Purpose.READ))], on_error="continueOnError")
