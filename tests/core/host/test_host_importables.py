"""Importables (T5) through the host API: list, import (one, several, all), ignore, and linked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from qbbridge.core.contract import ImportRow, RecordRef
from qbbridge.core.errors import HandledError
from qbbridge.core.store import outbox
from qbbridge.core.store.models import Company, Importable, Link, RecordState, SyncRecord
from qbbridge.core.store.uow import unit_of_work

COMPANY = "acme"  # the conftest's company
NOW = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)


def item_row(qb_id: str, name: str, **record) -> ImportRow:
    """An ItemService read from QuickBooks; ``record`` (when given) is the host record an import makes."""
    return ImportRow(qb_id, name, edit_sequence=f"es-{qb_id}",
                     data={"record": {"name": name, **record}} if record else {"price": "9.50"})


def read(app, *rows: ImportRow) -> int:
    """What a READ of the engine does with the rows: store them as importables of ``items``."""
    with unit_of_work(app.session_factory) as session:
        return outbox.upsert_importables(session, company_id(session), "items", rows, NOW)


def company_id(session) -> int:
    return session.scalar(sa.select(Company.id).where(Company.name == COMPANY))


def statuses(app) -> dict[str, str]:
    return {row["qb_id"]: row["status"] for row in app.host.importables(COMPANY, "items")}


def records(app) -> dict[str, dict]:
    return {row["id"]: row for row in app.host.records(COMPANY, "items")}


def link_by_export(app, key: str, qb_id: str) -> None:
    """What an export that added or matched the record does: it is synced and linked to ``qb_id``."""
    with unit_of_work(app.session_factory) as session:
        row = outbox.find_record(session, company_id(session), RecordRef("items", key))
        outbox.mark_synced(session, row, qb_id, "1", "matched existing", NOW)


def set_state(app, key: str, state: RecordState, **values) -> None:
    with unit_of_work(app.session_factory) as session:
        session.execute(sa.update(SyncRecord).where(SyncRecord.local_key == key)
                        .values(state=state, **values))


def test_importables_are_listed_by_type_and_status_with_when_they_were_last_seen(app):
    assert read(app, item_row("10-1", "Bolt"), item_row("10-2", "Anchor")) == 2
    app.host.ignore_objects(COMPANY, "items", ["10-1"])
    rows = app.host.importables(COMPANY, "items")
    assert [(row["name"], row["status"], row["is_active"]) for row in rows] == [
        ("Anchor", "new", True), ("Bolt", "ignored", True)]
    assert datetime.fromisoformat(rows[0]["last_seen_at"]).replace(tzinfo=UTC) == NOW
    assert [row["name"] for row in app.host.importables(COMPANY, status="ignored")] == ["Bolt"]
    assert app.host.importables(COMPANY, "orders") == []


def test_listing_refuses_an_unknown_type_or_status(app):
    with pytest.raises(HandledError, match="unknown object type 'parts'"):
        app.host.importables(COMPANY, "parts")
    with pytest.raises(HandledError, match="unknown importable status 'gone'; use one of new, imported"):
        app.host.importables(COMPANY, status="gone")


def test_import_creates_a_synced_linked_record_from_the_plugins_validated_record(app):
    read(app, item_row("10-1", "Bolt", description="  steel  "))
    report = app.host.import_objects(COMPANY, "items", ["10-1"])
    assert (report.imported, report.linked, report.refused) == (["Bolt"], [], [])
    record = records(app)["Bolt"]
    assert (record["state"], record["qb_id"], record["edit_sequence"], record["note"]) == (
        "synced", "10-1", "es-10-1", "imported from QuickBooks")
    with unit_of_work(app.session_factory) as session:
        row = session.scalar(sa.select(SyncRecord).where(SyncRecord.local_key == "Bolt"))
        assert row.payload == row.synced_payload == {"name": "Bolt", "description": "  steel  "}
        assert session.scalar(sa.select(Link.qb_id).where(Link.local_key == "Bolt")) == "10-1"
    assert statuses(app) == {"10-1": "imported"}


def test_import_by_name_and_without_a_plugin_record_stores_the_name(app):
    read(app, item_row("10-1", "Bolt"))
    assert app.host.import_objects(COMPANY, "items", ["Bolt"]).imported == ["Bolt"]
    with unit_of_work(app.session_factory) as session:
        assert session.scalar(sa.select(SyncRecord.payload)) == {"name": "Bolt"}


def test_import_all_takes_every_new_one_and_then_has_nothing_left(app):
    read(app, item_row("10-1", "Bolt"), item_row("10-2", "Anchor"), item_row("10-3", "Nut"))
    app.host.ignore_objects(COMPANY, "items", ["Nut"])
    assert app.host.import_objects(COMPANY, "items").imported == ["Anchor", "Bolt"]
    assert statuses(app) == {"10-1": "imported", "10-2": "imported", "10-3": "ignored"}
    again = app.host.import_objects(COMPANY, "items")
    assert (again.imported, again.linked, again.unchanged, again.refused) == ([], [], [], [])
    assert app.host.import_objects(COMPANY, "items", ["Bolt"]).unchanged == ["Bolt"]


def test_an_ignored_importable_stays_ignored_when_read_again_and_can_still_be_imported(app):
    read(app, item_row("10-1", "Bolt"))
    assert app.host.ignore_objects(COMPANY, "items", ["Bolt"]).ignored == ["Bolt"]
    assert read(app, item_row("10-1", "Bolt")) == 0
    assert statuses(app) == {"10-1": "ignored"}
    assert app.host.ignore_objects(COMPANY, "items", ["Bolt"]).unchanged == ["Bolt"]
    assert app.host.import_objects(COMPANY, "items", ["10-1"]).imported == ["Bolt"]
    refused = app.host.ignore_objects(COMPANY, "items", ["Bolt"]).refused
    assert refused == ["items 'Bolt' (QuickBooks id 10-1): is imported already (a host record is linked to "
                       "it); there is nothing to ignore"]


def test_ignore_all_takes_every_new_one(app):
    read(app, item_row("10-1", "Bolt"), item_row("10-2", "Anchor"))
    app.host.import_objects(COMPANY, "items", ["Anchor"])
    assert app.host.ignore_objects(COMPANY, "items").ignored == ["Bolt"]
    assert statuses(app) == {"10-1": "ignored", "10-2": "imported"}


def test_a_plugin_record_the_type_does_not_accept_is_refused_with_the_problem(app):
    read(app, item_row("10-1", "Bolt!", price=1), item_row("10-2", "Nut"))
    report = app.host.import_objects(COMPANY, "items", ["10-1", "10-2"])
    assert report.imported == ["Nut"]
    assert report.refused == ["items 'Bolt!' (QuickBooks id 10-1): name: must be text without '!'; fix it "
                              "in QuickBooks, run an update, then import it again"]
    assert statuses(app) == {"10-1": "new", "10-2": "imported"}


@pytest.mark.parametrize("state", [RecordState.PENDING, RecordState.REJECTED, RecordState.HELD])
def test_an_unsynced_host_record_of_the_same_name_is_linked_not_duplicated(app, state):
    app.host.submit(COMPANY, "items", [("Bolt", {"name": "Bolt", "price": 3})])
    set_state(app, "Bolt", state, last_error="old problem")
    read(app, item_row("10-1", "Bolt", price=9))
    report = app.host.import_objects(COMPANY, "items", ["10-1"])
    assert (report.imported, report.linked) == ([], ["Bolt"])
    record = records(app)["Bolt"]
    assert (record["state"], record["qb_id"], record["error"]) == ("synced", "10-1", None)
    with unit_of_work(app.session_factory) as session:
        assert session.scalar(sa.select(SyncRecord.payload)) == {"name": "Bolt", "price": 3}  # the host's
        assert session.scalar(sa.select(sa.func.count()).select_from(SyncRecord)) == 1
    assert statuses(app) == {"10-1": "linked"}


def test_a_host_record_synced_to_another_object_or_busy_is_refused_by_name(app):
    app.host.submit(COMPANY, "items", [(name, {"name": name}) for name in ("Bolt", "Nut", "Cog")])
    link_by_export(app, "Bolt", "99-9")
    set_state(app, "Nut", RecordState.IN_FLIGHT)
    set_state(app, "Cog", RecordState.UNCERTAIN)
    read(app, item_row("10-1", "Bolt"), item_row("10-2", "Nut"), item_row("10-3", "Cog"))
    report = app.host.import_objects(COMPANY, "items")
    assert report.imported == report.linked == []
    assert report.refused[0] == ("items 'Bolt' (QuickBooks id 10-1): the host record 'Bolt' is already "
                                 "linked to another QuickBooks object (id 99-9); rename one of the two, or "
                                 "ignore this importable")
    assert [message.split(":")[0] for message in report.refused[1:]] == [
        "items 'Cog' (QuickBooks id 10-3)", "items 'Nut' (QuickBooks id 10-2)"]
    assert all("is being synced right now" in message for message in report.refused[1:])
    assert records(app)["Nut"]["state"] == "in_flight" and statuses(app)["10-2"] == "new"


def test_unknown_or_ambiguous_choices_are_refused_and_the_others_proceed(app):
    read(app, item_row("10-1", "Bolt"), item_row("10-2", "Washer"), item_row("10-3", "Washer"))
    report = app.host.import_objects(COMPANY, "items", ["Gear", "Washer", "10-1"])
    assert report.imported == ["Bolt"]
    assert report.refused[0].startswith("items 'Gear': no importable with this QuickBooks id or name in "
                                        "company 'acme'")
    assert report.refused[1] == ("items 'Washer': 2 importables have this name (QuickBooks ids 10-2, 10-3); "
                                 "choose one by its id")
    assert app.host.ignore_objects(COMPANY, "items", ["Gear"]).refused[0].startswith("items 'Gear': no ")


def test_a_name_too_long_for_a_host_id_is_refused(app):
    read(app, item_row("10-1", "x" * 201))
    refused = app.host.import_objects(COMPANY, "items").refused
    assert refused == [f"items '{'x' * 201}' (QuickBooks id 10-1): its name is longer than 200 characters, "
                       "the longest id a host record can have"]


def test_an_export_that_links_an_object_shows_its_importable_as_linked(app):
    app.host.submit(COMPANY, "items", [("Bolt", {"name": "Bolt"}), ("Nut", {"name": "Nut"})])
    read(app, item_row("10-1", "Bolt"), item_row("10-2", "Nut"))
    app.host.ignore_objects(COMPANY, "items", ["Nut"])
    link_by_export(app, "Bolt", "10-1")  # linked after the read, in the same or a later update
    link_by_export(app, "Nut", "10-2")
    assert statuses(app) == {"10-1": "linked", "10-2": "linked"}
    assert app.host.import_objects(COMPANY, "items", ["Bolt"]).unchanged == ["Bolt"]


def test_a_row_read_after_its_object_was_linked_is_linked_not_new(app):
    app.host.submit(COMPANY, "items", [("Bolt", {"name": "Bolt"})])
    link_by_export(app, "Bolt", "10-1")
    read(app, item_row("10-1", "Bolt"), item_row("10-2", "Nut"))
    with unit_of_work(app.session_factory) as session:  # stored so, not only shown so
        stored = dict(session.execute(sa.select(Importable.qb_id, Importable.status)).tuples().all())
    assert stored == {"10-1": "linked", "10-2": "new"}


def test_import_and_ignore_refuse_an_unknown_type_or_company(app):
    with pytest.raises(HandledError, match="unknown object type 'parts'; known: items, orders"):
        app.host.import_objects(COMPANY, "parts", ["1"])
    with pytest.raises(HandledError, match="no company named 'initech'"):
        app.host.ignore_objects("initech", "items")
