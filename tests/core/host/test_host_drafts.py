"""Drafts and finalize (T7) through the host API: drafts are stored, shown and never due until finalized."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from qbbridge.core.errors import HandledError
from qbbridge.core.store import outbox
from qbbridge.core.store.claim import claim_due
from qbbridge.core.store.models import Company, RecordState, SyncRecord
from qbbridge.core.store.uow import unit_of_work

COMPANY = "acme"  # the conftest's company


def order(total: int = 10) -> dict:
    return {"customer": "Acme Corp", "total": total}


def states(app, object_type: str = "orders") -> dict[str, str]:
    return {row["id"]: row["state"] for row in app.host.records(COMPANY, object_type)}


def set_state(app, key: str, state: RecordState, **values) -> None:
    with unit_of_work(app.session_factory) as session:
        session.execute(sa.update(SyncRecord).where(SyncRecord.local_key == key)
                        .values(state=state, **values))


def due(app) -> tuple[int, bool, list[str]]:
    """What the engine sees: the due count, whether anything is due, and the keys it would claim."""
    with unit_of_work(app.session_factory) as session:
        company_id = session.scalar(sa.select(Company.id).where(Company.name == COMPANY))
        claimed = claim_due(session, company_id=company_id, object_type="orders", exclude_update_id=None,
                            limit=100)
        return (outbox.count_due(session, company_id, ["orders"]),
                outbox.has_due(session, company_id, ["orders"]), [row.local_key for row in claimed])


def test_a_new_record_of_a_type_with_drafts_is_a_draft_that_is_never_due(app):
    report = app.host.submit(COMPANY, "orders", [("o1", order()), ("o2", order())])
    assert report.added == 2
    assert states(app) == {"o1": "draft", "o2": "draft"}
    assert due(app) == (0, False, [])
    status = app.host.status(COMPANY)["orders"]
    assert (status["draft"], status["pending"]) == (2, 0)


def test_a_type_without_drafts_stores_pending_records(app):
    app.host.submit(COMPANY, "items", [("Bolt", {"name": "Bolt"})])
    assert states(app, "items") == {"Bolt": "pending"}


def test_submitting_finalized_stores_pending_records(app):
    app.host.submit(COMPANY, "orders", [("o1", order())], finalized=True)
    assert states(app) == {"o1": "pending"}
    assert due(app) == (1, True, ["o1"])


def test_editing_a_draft_keeps_it_a_draft_with_the_new_payload(app):
    app.host.submit(COMPANY, "orders", [("o1", order(10))])
    report = app.host.submit(COMPANY, "orders", [("o1", order(20))])
    assert (report.updated, report.unchanged) == (1, 0)
    assert states(app) == {"o1": "draft"}
    with unit_of_work(app.session_factory) as session:
        assert session.scalar(sa.select(SyncRecord.payload))["total"] == 20
    assert app.host.submit(COMPANY, "orders", [("o1", order(20))]).unchanged == 1


def test_submitting_an_unchanged_draft_finalized_finalizes_it(app):
    app.host.submit(COMPANY, "orders", [("o1", order())])
    report = app.host.submit(COMPANY, "orders", [("o1", order())], finalized=True)
    assert report.updated == 1
    assert states(app) == {"o1": "pending"}


def test_editing_a_finalized_unsent_record_keeps_it_pending(app):
    app.host.submit(COMPANY, "orders", [("o1", order(10))], finalized=True)
    assert app.host.submit(COMPANY, "orders", [("o1", order(30))]).updated == 1
    assert states(app) == {"o1": "pending"}


def test_finalize_named_keys_refuses_each_bad_key_by_name_and_finalizes_the_others(app):
    app.host.submit(COMPANY, "orders", [(key, order()) for key in ("o1", "o2", "o3", "o4")])
    set_state(app, "o3", RecordState.SYNCED, qb_id="7-123")
    app.host.finalize(COMPANY, "orders", ["o4"])
    report = app.host.finalize(COMPANY, "orders", ["o2", "missing", "o3", "o4", "o2"])
    assert report.finalized == ["o2"]
    assert report.refused == [
        "orders 'missing': no such record in company 'acme'; submit it first",
        "orders 'o3': not a draft (it is synced), so there is nothing to finalize",
        "orders 'o4': finalized already (pending: the next update sends it)"]
    assert states(app) == {"o1": "draft", "o2": "pending", "o3": "synced", "o4": "pending"}
    assert due(app)[2] == ["o2", "o4"]


def test_finalize_all_finalizes_every_draft_of_the_type_in_this_company_only(app):
    app.host.add_company("globex")
    app.host.submit(COMPANY, "orders", [("o2", order()), ("o1", order())])
    app.host.submit("globex", "orders", [("g1", order())])
    assert app.host.finalize(COMPANY, "orders").finalized == ["o1", "o2"]
    assert states(app) == {"o1": "pending", "o2": "pending"}
    assert {row["id"]: row["state"] for row in app.host.records("globex", "orders")} == {"g1": "draft"}
    assert app.host.finalize(COMPANY, "orders").finalized == []  # nothing left to do


@pytest.mark.parametrize(("company", "object_type", "message"), [
    (COMPANY, "items", "object type 'items' has no drafts"),
    (COMPANY, "invoices", "unknown object type 'invoices'; known: items, orders"),
    ("initech", "orders", "no company named 'initech' (known: acme)"),
])
def test_finalize_refuses_a_type_without_drafts_an_unknown_type_or_company(app, company, object_type,
                                                                           message):
    with pytest.raises(HandledError, match=re.escape(message)):
        app.host.finalize(company, object_type, ["o1"])
