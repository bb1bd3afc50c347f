"""The host API's submit and status on a real store (SQLite and PostgreSQL): what each edit does to a
record in each state, and that nothing is lost or silently dropped."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from qbbridge.core.app import build_app
from qbbridge.core.config import Settings
from qbbridge.core.store import outbox
from qbbridge.core.store.claim import claim_due
from qbbridge.core.store.models import RecordState, SyncRecord
from qbbridge.core.store.uow import unit_of_work

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
import hours_plugin  # noqa: E402 - the end-to-end test plugin, importable once its folder is on the path

COMPANY = "acme"


def block(minutes: int = 60, **extra):
    return {"date": "2026-11-20", "employee": "Jane Doe", "minutes": minutes, **extra}


@pytest.fixture
def app(database_url):
    application = build_app(Settings(database_url=database_url), extra_plugins=[("hours", hours_plugin)],
                            load_entrypoints=False)
    application.host.add_company(COMPANY)
    yield application
    application.close()


def set_state(app, key, state, **values):
    with unit_of_work(app.session_factory) as session:
        session.execute(sa.update(SyncRecord).where(SyncRecord.local_key == key)
                        .values(state=state, **values))


def record(app, key):
    return next(row for row in app.host.records(COMPANY, "hours") if row["id"] == key)


def test_a_new_record_is_pending_and_the_same_one_again_changes_nothing(app):
    assert app.host.submit(COMPANY, "hours", [("b1", block())]).added == 1
    again = app.host.submit(COMPANY, "hours", [("b1", block())])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
    assert record(app, "b1")["state"] == "pending"


@pytest.mark.parametrize("state", [RecordState.PENDING, RecordState.REJECTED, RecordState.HELD])
def test_editing_an_unsent_record_makes_it_pending_again_without_its_old_error(app, state):
    app.host.submit(COMPANY, "hours", [("b1", block())])
    set_state(app, "b1", state, last_error="QuickBooks has no employee 'Jane Doe'")
    report = app.host.submit(COMPANY, "hours", [("b1", block(90))])
    assert report.updated == 1
    row = record(app, "b1")
    assert (row["state"], row["error"]) == ("pending", None)


@pytest.mark.parametrize("state", [RecordState.IN_FLIGHT, RecordState.UNCERTAIN])
def test_an_edit_while_quickbooks_may_have_the_record_is_refused_by_name(app, state):
    app.host.submit(COMPANY, "hours", [("b1", block())])
    set_state(app, "b1", state)
    report = app.host.submit(COMPANY, "hours", [("b1", block(90)), ("b2", block())])
    assert report.added == 1 and len(report.invalid) == 1  # b2 is stored all the same
    assert "'b1'" in report.invalid[0] and "being synced" in report.invalid[0]
    with unit_of_work(app.session_factory) as session:
        row = session.scalar(sa.select(SyncRecord).where(SyncRecord.local_key == "b1"))
        assert row.payload["minutes"] == 60 and row.state == state  # as it was sent, for the lookup


def test_an_edit_after_sync_keeps_what_quickbooks_has_and_flags_the_record(app):
    app.host.submit(COMPANY, "hours", [("b1", block())])
    with unit_of_work(app.session_factory) as session:
        row = session.scalar(sa.select(SyncRecord).where(SyncRecord.local_key == "b1"))
        outbox.mark_synced(session, row, "1A-1795194010", "1795194010", "", row.submitted_at)
    report = app.host.submit(COMPANY, "hours", [("b1", block(90))])
    assert report.changed_after_sync == 1
    with unit_of_work(app.session_factory) as session:
        row = session.scalar(sa.select(SyncRecord).where(SyncRecord.local_key == "b1"))
        view = outbox.record_view(row)
    assert (view.state, view.qb_id, view.changed_after_sync) == ("synced", "1A-1795194010", True)
    assert (view.synced_payload["minutes"], view.payload["minutes"]) == (60, 90)
    assert app.host.status(COMPANY)["hours"]["changed_after_sync"] == 1


def test_invalid_records_are_named_and_the_valid_ones_kept(app):
    report = app.host.submit(COMPANY, "hours", [("ok", block()), ("bad", block(-5)), ("", block())])
    assert report.added == 1
    assert report.invalid == ["hours 'bad': minutes: must be a whole number of minutes, 0 or more",
                              "hours '': id: every record needs a non-empty id"]


def test_large_submissions_are_stored_in_chunks_with_repeated_keys_handled(app):
    records = [(f"k{n}", block()) for n in range(1200)] + [("k5", block(61))]
    report = app.host.submit(COMPANY, "hours", records)
    assert (report.added, report.updated) == (1200, 1)
    assert record(app, "k5")["state"] == "pending"
    assert len(app.host.records(COMPANY, "hours")) == 1200


def test_an_edit_racing_a_worker_that_claims_the_record_waits_and_is_refused_not_lost(app):
    """A worker has claimed the record and is marking it in flight (its transaction not yet committed)
    when the host submits an edit: the edit must wait for the worker, then see the record in flight and
    be refused as busy — never overwrite the payload QuickBooks is about to receive."""
    app.host.submit(COMPANY, "hours", [("b1", block(60))])
    claimed, release = threading.Event(), threading.Event()

    def worker() -> None:
        with unit_of_work(app.session_factory) as session:
            company_id = session.scalar(sa.select(SyncRecord.company_id))
            [row] = claim_due(session, company_id=company_id, object_type="hours", exclude_update_id=None,
                              limit=5)
            row.state = RecordState.IN_FLIGHT
            session.flush()
            claimed.set()
            release.wait(10)

    thread = threading.Thread(target=worker)
    thread.start()
    assert claimed.wait(10)
    outcome: list = []
    editor = threading.Thread(
        target=lambda: outcome.append(app.host.submit(COMPANY, "hours", [("b1", block(90))])))
    editor.start()
    editor.join(0.5)  # the edit is blocked by the worker's lock (SQLite: by its write transaction)
    release.set()
    thread.join(10)
    editor.join(10)
    [report] = outcome
    assert report.updated == 0 and "being synced right now" in report.invalid[0]
    with unit_of_work(app.session_factory) as session:
        row = session.scalar(sa.select(SyncRecord))
        assert (row.state, row.payload["minutes"]) == (RecordState.IN_FLIGHT, 60)
