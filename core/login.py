"""``authenticate``: check the Web Connector's login, refuse or queue it, and open an update.

Rule: a wrong password, an unknown user and a locked account all answer ``nvu`` and cost the same time;
one live update per company — a second Web Connector gets ``busy`` unless the live one has been idle
longer than ``update_timeout_seconds``, in which case it is taken over and its set in flight becomes
uncertain. ``none`` means nothing is due (seed rule T1).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import orm as so

from . import closing, receiving
from .contract import CompanyInfo
from .engine.plan import Plan
from .engine.states import UpdateState
from .events import Event, UpdateStarted
from .run import ReadView, Run
from .security import (
    burn_time,
    is_locked,
    locked_until_after_failure,
    new_ticket,
    ticket_digest,
    verify_password,
)
from .store import outbox
from .store.models import Company, RecordState, SyncRecord, Update, WcUser

if TYPE_CHECKING:
    from .sessions import Dependencies

NVU, NONE, BUSY = "nvu", "none", "busy"
FINISHED_GRACE_SECONDS = 30


def authenticate(session: so.Session, deps: Dependencies, username: str, password: str,
                 now: datetime) -> tuple[list[str], list[Event]]:
    """The ``authenticate`` answer — ``[ticket, company file]`` or ``[ticket, nvu|none|busy]`` — and
    the events to announce once committed (a takeover, the update started)."""
    user = _check_login(session, deps, username, password, now)
    if user is None:
        return [new_ticket(), NVU], []
    company = session.scalar(sa.select(Company).where(Company.id == user.company_id).with_for_update())
    assert company is not None  # the foreign key guarantees it
    emitted: list[Event] = []  # a taken-over update's closing events, announced after the commit
    if (wait := _seconds_until_free(session, deps, company, now, emitted)) is not None:
        return [new_ticket(), BUSY, str(wait)], []  # [2]: postpone the next try (auto-run only)
    plan = _initial_plan(session, deps, company, now)
    if plan is None:
        return [new_ticket(), NONE], emitted
    ticket = new_ticket()
    update = Update(ticket_hash=ticket_digest(ticket), company_id=company.id, user_id=user.id,
                    state=UpdateState.AUTHENTICATED.value, engine_state=plan.to_dict(), started_at=now,
                    last_call_at=now)
    session.add(update)
    session.flush()
    company.live_update_id = update.id
    outbox.log_events(session, company.id, update.id, [("update_started", None, None, f"user {username}")],
                      now)
    return [ticket, company.qb_file], [*emitted, UpdateStarted(company.name, update.id)]


def _check_login(session: so.Session, deps: Dependencies, username: str, password: str,
                 now: datetime) -> WcUser | None:
    user = session.scalar(sa.select(WcUser).where(WcUser.username == username)) if username else None
    if user is None:
        burn_time(password)
        return None
    if is_locked(user.locked_until, now):
        burn_time(password)
        return None
    if not verify_password(password, user.password_hash):
        user.failed_logins += 1
        user.locked_until = locked_until_after_failure(deps.settings.login, user.failed_logins, now)
        return None
    user.failed_logins, user.locked_until = 0, None
    company_name = session.get_one(Company, user.company_id).name
    if deps.hooks.authenticate(username, company_name) is False:
        return None
    return user


def _seconds_until_free(session: so.Session, deps: Dependencies, company: Company,
                        now: datetime, emitted: list[Event]) -> int | None:
    """None when the company is free (a stale update is taken over first); else the seconds until the
    live update may be taken over, at least 30."""
    if _take_over_stale(session, deps, company, now, emitted):
        return None
    live = session.get_one(Update, company.live_update_id)
    idle = (now - live.last_call_at).total_seconds()
    return max(30, int(deps.settings.update_timeout_seconds - idle))


def _take_over_stale(session: so.Session, deps: Dependencies, company: Company, now: datetime,
                     emitted: list[Event]) -> bool:
    """False if another update is live; a stale one is closed and its set in flight made uncertain."""
    if company.live_update_id is None:
        return True
    live = session.get(Update, company.live_update_id)
    if live is None or live.state == UpdateState.CLOSED.value:
        company.live_update_id = None
        return True
    # A finished update (100 or a stop) waits only for its getLastError/closeConnection, which follow at
    # once; one still working may be waiting on QuickBooks, so it gets the full timeout.
    finished = live.state in (UpdateState.DONE.value, UpdateState.STOPPED.value)
    patience = min(FINISHED_GRACE_SECONDS, deps.settings.update_timeout_seconds) if finished else \
        deps.settings.update_timeout_seconds
    if now - live.last_call_at < timedelta(seconds=patience):
        return False
    run = Run(session=session, company=company, update=live, plan=Plan.from_dict(live.engine_state),
              registry=deps.registry, hooks=deps.hooks, settings=deps.settings, now=now)
    receiving.abandon(run, "the update stopped answering and was taken over by a new one")
    closing.close_update(run)
    run.flush_log()
    live.state, live.engine_state = UpdateState.CLOSED.value, run.plan.to_dict()
    emitted.extend(run.emitted)
    return True


def _initial_plan(session: so.Session, deps: Dependencies, company: Company, now: datetime) -> Plan | None:
    """Recovery first, then lookups, reads and exports; None when nothing at all is due."""
    outbox.release_held(session, company.id, now)
    types = list(deps.registry.names())
    recovery = outbox.uncertain_set_ids(session, company.id)
    lookups = [{"object_type": t, "local_key": k} for t, k in session.execute(
        sa.select(SyncRecord.object_type, SyncRecord.local_key).where(
            SyncRecord.company_id == company.id, SyncRecord.state == RecordState.UNCERTAIN,
            sa.or_(SyncRecord.message_set_id.is_(None), SyncRecord.message_set_id.not_in(recovery)),
        ).order_by(SyncRecord.id))]
    plan = Plan(recovery=recovery, lookups=lookups, exports=types, total=len(recovery) + len(lookups))
    # on-demand records (parts no invoice uses yet) never start an update on their own
    starters = [t for t in types if not deps.registry.handler(t).object_type.on_demand]
    if recovery or lookups or outbox.count_due(session, company.id, starters) or _reads_wanted(
            session, deps, company, now):
        return plan
    return None


def _reads_wanted(session: so.Session, deps: Dependencies, company: Company, now: datetime) -> bool:
    dates = outbox.last_sync_dates(session, company.id)
    reads = outbox.last_read_dates(session, company.id)
    info = CompanyInfo(name=company.name, qbxml_version="13.0", settings=dict(company.settings or {}))
    views = (ReadView(info, dates.get(t), reads.get(t), now, session, company.id, t)
             for t in deps.registry.names())
    return any(any(True for _ in deps.registry.handler(view.object_type).read(view)) for view in views)
