"""Ending an update: its summary, last error, last sync dates, and the company released.

Rule: every way an update ends — closeConnection, connectionError, a takeover — goes through
``close_update``, so the summary and "Last Sync Date" are recorded whichever way it was.
"""

from __future__ import annotations

import sqlalchemy as sa

from . import events
from .engine.plan import Plan, summary_text, waiting_text
from .engine.states import UpdateState
from .run import Run
from .store.models import SyncMark

S = UpdateState


def last_error_text(plan: Plan) -> str:
    """What the Web Connector shows: the stop reason, or every failure of a `continue` update."""
    if plan.stop_message:
        return plan.stop_message
    waiting = [waiting_text(plan.waiting)] if plan.waiting else []
    if plan.failures:
        head = f"{len(plan.failures)} record(s) need attention:"
        return " ".join([head, *plan.failures, *waiting])
    return " ".join(waiting)


def close_update(run: Run) -> None:
    """End the update: release the company, keep the summary and the last sync dates."""
    run.update.summary = summary_text(run.plan.counts)
    run.update.closed_at = run.now
    run.update.last_error = last_error_text(run.plan) or None
    if run.company.live_update_id == run.update.id:
        run.company.live_update_id = None
    mark_last_sync(run)
    run.emit(events.UpdateClosed(run.company.name, run.update.id, run.update.summary), run.update.summary)


def mark_last_sync(run: Run) -> None:
    """Object types whose exports all went through in this update get today's "Last Sync Date"; those whose
    list was read keep when (``last_read_at``)."""
    if run.plan.qbxml_version is None:
        return
    failed_types = {object_type for object_type, _ in run.plan.failed_keys}
    unfinished = set(run.plan.exports) if run.plan.stop_message or run.update.state != S.DONE.value else set()
    for object_type in run.registry.names():
        if object_type in failed_types or object_type in unfinished:
            continue
        mark = run.session.scalar(sa.select(SyncMark).where(
            SyncMark.company_id == run.company.id, SyncMark.object_type == object_type))
        if mark is None:
            run.session.add(SyncMark(company_id=run.company.id, object_type=object_type,
                                     last_sync_at=run.now))
        else:
            mark.last_sync_at = run.now
    _mark_reads(run)


def _mark_reads(run: Run) -> None:
    """Object types whose list was read this update keep when (for reads on a schedule), even when the
    update did not end cleanly; a type with no mark yet gets one at its first clean sync."""
    for object_type in run.plan.imported:
        mark = run.session.scalar(sa.select(SyncMark).where(
            SyncMark.company_id == run.company.id, SyncMark.object_type == object_type))
        if mark is not None:
            mark.last_read_at = run.now
