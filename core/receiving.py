"""Applying QuickBooks' answers to the message set in flight (``receiveResponseXML``).

Rule: a record is marked synced only on QuickBooks' own answer (or a natural-key lookup that found it);
a request QuickBooks did not process goes back to pending; when nobody can know whether QuickBooks ran a
write set, its records become *uncertain* — never pending — so recovery decides before anything is resent.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from . import events
from .contract import (
    Absent,
    Facts,
    Failed,
    Imported,
    Linked,
    Outcome,
    Purpose,
    QbResult,
    RecordRef,
    SentRequest,
    Stale,
)
from .engine.plan import pair_answers
from .errors import QbXmlError
from .qbxml import parse
from .run import Run
from .store import outbox
from .store.models import MessageSet, RecordState, SetState, SyncRecord

PARSE_ERROR_HRESULT = "0x80040400"  # QuickBooks could not parse the set: it ran nothing


def apply_answer(run: Run, response: str, hresult: str, message: str) -> None:
    """Apply one ``receiveResponseXML`` to the set in flight; set ``plan.stop_message`` to stop."""
    message_set = run.session.get(MessageSet, run.plan.in_flight) if run.plan.in_flight else None
    run.plan.in_flight = None
    if message_set is None:
        return
    if hresult:
        _processing_failed(run, message_set, hresult, message)
        return
    try:
        parsed = parse.parse_response(response)
    except QbXmlError as exc:
        _lost(run, message_set, f"QuickBooks' answer could not be read ({exc})")
        return
    kind = message_set.requests.get("kind", "")
    if kind.startswith("status:"):
        _apply_status(run, message_set, kind.removeprefix("status:"), parsed)
    else:
        _apply_results(run, message_set, parsed.results, parsed.message_set_status_code)
    message_set.state, message_set.answered_at = SetState.ANSWERED, run.now


def abandon(run: Run, reason: str) -> None:
    """The update ends with a set in flight (connectionError, close, takeover): its fate is unknown."""
    message_set = run.session.get(MessageSet, run.plan.in_flight) if run.plan.in_flight else None
    run.plan.in_flight = None
    if message_set is not None:
        _lost(run, message_set, reason)


def _processing_failed(run: Run, message_set: MessageSet, hresult: str, message: str) -> None:
    text = f"QuickBooks could not process the request: {message or 'no message'} ({hresult})"
    if hresult.lower() == PARSE_ERROR_HRESULT:
        for row in outbox.records_of_set(run.session, message_set.id).values():
            outbox.mark_pending(row, run.now, text)
        message_set.state = SetState.UNSENT
    else:
        _lost(run, message_set, text)
    run.plan.stop_message = text


def _lost(run: Run, message_set: MessageSet, reason: str) -> None:
    rows = outbox.records_of_set(run.session, message_set.id).values()
    if message_set.requests.get("kind") == "write" and rows:
        message_set.state = SetState.UNCERTAIN
        for row in rows:
            outbox.mark_state(row, RecordState.UNCERTAIN, run.now,
                              f"{reason}; the next update asks QuickBooks whether it was added")
        run.plan.count("uncertain", len(rows))
        run.emit(events.MessageSetUncertain(run.company.name, message_set.id),
                 f"message set {message_set.id}: {reason}")
    else:
        message_set.state = SetState.UNSENT
    run.plan.stop_message = run.plan.stop_message or reason


def _apply_status(run: Run, status_set: MessageSet, asked: str, parsed: parse.ParsedResponse) -> None:
    """Recovery: QuickBooks' stored answers to an uncertain set, or natural-key lookups when it has none."""
    run.plan.asking = None
    lost_set = run.session.get(MessageSet, asked)
    if lost_set is None:
        return
    if parsed.new_message_set_id == asked and parsed.results:
        _apply_results(run, lost_set, parsed.results, parsed.message_set_status_code, recovered=True)
        how = "QuickBooks' stored answers"
    else:
        for row in outbox.records_of_set(run.session, asked).values():
            if row.state == RecordState.UNCERTAIN:
                run.plan.lookups.append({"object_type": row.object_type, "local_key": row.local_key})
                run.plan.total += 1
        how = f"lookups (QuickBooks kept no answer: status {parsed.message_set_status_code})"
    lost_set.state, lost_set.answered_at = SetState.RESOLVED, run.now
    run.plan.advance()
    run.emit(events.MessageSetRecovered(run.company.name, asked, how),
             f"message set {asked} recovered through {how}")


def _apply_results(run: Run, message_set: MessageSet, results: Sequence[QbResult], set_status: int | None,
                   *, recovered: bool = False) -> None:
    routes: dict[str, dict] = message_set.requests.get("routes", {})
    rows = outbox.records_of_set(run.session, message_set.id)
    outbox.preload_links(run.session, rows.values())  # one query for the set, not one per record
    stopped = False  # stopOnError and an earlier request failed: QuickBooks ran nothing after it
    for request_id, result in pair_answers(list(routes), results):  # routes keep the order sent
        route = routes[request_id]
        if not route["object_type"]:
            continue  # the no-op HostQuery: nothing to apply
        sent = SentRequest(request_id=request_id, object_type=route["object_type"],
                           purpose=Purpose(route["purpose"]), body=etree.fromstring(route["body"]),
                           local_key=route.get("local_key"), label=route.get("label", ""),
                           context=route.get("context") or {})
        row = rows.get((sent.object_type, sent.local_key or "")) or _looked_up(run, sent)
        if result is None:
            if stopped:
                _not_processed(run, sent, row)
            else:
                _unanswered(run, message_set, sent, row)
            continue
        stopped = stopped or (message_set.on_error == "stopOnError" and result.status.is_error)
        _iterate(run, route, result)
        outcomes = run.registry.handler(sent.object_type).acknowledge(sent, result)
        _persist(run, sent, row, result, outcomes, recovered)
        run.plan.advance()


def _looked_up(run: Run, sent: SentRequest) -> SyncRecord | None:
    """The record a LOOKUP asked about: it still belongs to its lost set, not to the lookup's set, and
    only an answer about a record that is still uncertain may settle it."""
    if sent.purpose is not Purpose.LOOKUP or not sent.local_key:
        return None
    row = outbox.find_record(run.session, run.company.id, RecordRef(sent.object_type, sent.local_key))
    return row if row is not None and row.state == RecordState.UNCERTAIN else None


def _unanswered(run: Run, message_set: MessageSet, sent: SentRequest, row: SyncRecord | None) -> None:
    """No answer for a request although nothing stopped the set (a truncated or forged answer, unknown
    requestIDs): whether QuickBooks ran it is unknown, so its record becomes uncertain — never pending,
    which could add it twice — a natural-key lookup decides in the next update, and this one stops."""
    what = sent.label or f"{sent.object_type} {sent.local_key or ''}".strip()
    reason = (f"QuickBooks' answer to message set {message_set.id} holds no answer for request "
              f"{sent.request_id} ({what})")
    if row is not None and sent.purpose is not Purpose.READ:
        outbox.mark_state(row, RecordState.UNCERTAIN, run.now,
                          f"{reason}; the next update asks QuickBooks whether it was added")
        run.plan.count("uncertain")
    run.plan.stop_message = run.plan.stop_message or (
        f"{reason}. Nothing was lost: the next update checks QuickBooks before sending anything again.")


def _not_processed(run: Run, sent: SentRequest, row: SyncRecord | None) -> None:
    """stopOnError: QuickBooks stopped before this request, so it never ran; it stays due."""
    if row is not None and sent.purpose is not Purpose.READ:
        outbox.mark_pending(row, run.now)
        row.attempted_update_id = None


def _iterate(run: Run, route: dict, result: QbResult) -> None:
    if route.get("iterate") and result.iterator_id and (result.remaining or 0) > 0:
        run.plan.reads.insert(0, {**route, "iterator_id": result.iterator_id})
        run.plan.total += 1


def _persist(run: Run, sent: SentRequest, row: SyncRecord | None, result: QbResult,
             outcomes: Sequence[Outcome], recovered: bool) -> None:
    settled = False
    for outcome in outcomes:
        if isinstance(outcome, Facts):
            run.plan.add_facts(sent.object_type, outcome.values)
            continue
        if isinstance(outcome, Imported):
            if sent.object_type not in run.plan.imported:
                run.plan.imported.append(sent.object_type)
            added = outbox.upsert_importables(run.session, run.company.id, sent.object_type, outcome.rows,
                                              run.now)
            run.plan.count("imported", added)
            run.emit(events.RecordsImported(run.company.name, sent.object_type, len(outcome.rows)),
                     f"{len(outcome.rows)} {sent.object_type} read from QuickBooks, {added} new")
            continue
        if row is None or outcome.local_key != sent.local_key:
            continue  # an outcome about a record this request did not carry is ignored, never applied
        settled = True
        _apply_outcome(run, sent, row, outcome, recovered)
    if row is not None and not settled and sent.purpose is not Purpose.READ:
        message = (f"{sent.label or f'{sent.object_type} {sent.local_key}'}: the {sent.object_type} plugin "
                   f"did not interpret QuickBooks' answer (status {result.status.code}: "
                   f"{result.status.message}); the next update looks it up before anything is resent")
        outbox.mark_state(row, RecordState.UNCERTAIN, run.now, message)
        run.plan.count("uncertain")
        run.plan.failures.append(message)


def _apply_outcome(run: Run, sent: SentRequest, row: SyncRecord, outcome: Outcome, recovered: bool) -> None:
    if isinstance(outcome, Linked):
        outbox.mark_synced(run.session, row, outcome.qb_id, outcome.edit_sequence, outcome.note, run.now)
        run.plan.count("recovered" if recovered or sent.purpose is Purpose.LOOKUP else "synced")
        run.emit(events.RecordLinked(run.company.name, row.object_type, row.local_key, outcome.qb_id,
                                     outcome.note),
                 outcome.note or f"QuickBooks id {outcome.qb_id}")
    elif isinstance(outcome, Absent):
        outbox.mark_pending(row, run.now)
        row.attempted_update_id = None
        if outcome.edit_sequence is not None:
            row.edit_sequence = outcome.edit_sequence
    elif isinstance(outcome, Stale):
        _stale(run, row, outcome, sent.label)
    elif isinstance(outcome, Failed):
        _failed(run, row, outcome, sent.label)


def _stale(run: Run, row: SyncRecord, outcome: Stale, label: str) -> None:
    """A Mod refused for an out-of-date EditSequence: re-read it and send it again, once per update."""
    key = [row.object_type, row.local_key]
    if key in run.plan.stale:
        _failed(run, row, Failed(row.local_key, outcome.message), label)
        return
    run.plan.stale.append(key)
    outbox.mark_pending(row, run.now, outcome.message)
    row.edit_sequence, row.attempted_update_id = None, None


def _failed(run: Run, row: SyncRecord, outcome: Failed, label: str) -> None:
    code = outcome.status.code if outcome.status else None
    message = run.hooks.error_message(label or row.local_key, row.object_type, code, outcome.message)
    if outcome.status is not None:
        message = f"{message} (QuickBooks status {code}: {outcome.status.message})"
    outbox.mark_pending(row, run.now, message, code)
    run.plan.count("failed")
    run.plan.failed_keys.append([row.object_type, row.local_key])
    run.emit(events.RecordFailed(run.company.name, row.object_type, row.local_key, message), message)
    policy = run.hooks.error_policy(row.object_type, code, run.settings.error_policy)
    if policy == "stop":
        run.plan.stop_message = run.plan.stop_message or message
    else:
        run.plan.failures.append(message)
