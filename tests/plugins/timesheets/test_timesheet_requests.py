"""The qbXML the timesheets plugin builds: field order, Duration, ListID or FullName, labels, and every
kind of request valid against Intuit's qbXML 13.0 and 16.0 schemas."""

from __future__ import annotations

import pytest
from lxml import etree
from timesheet_kit import HANDLER, Reading, block, company, export, message_set_of

from qbbridge.core import Purpose, Record
from qbbridge.plugins.timesheets import requests

ADD_ORDER = ["TxnDate", "EntityRef", "CustomerRef", "ItemServiceRef", "Duration", "ClassRef",
             "PayrollItemWageRef", "Notes", "BillableStatus"]
FULL = {"customer": "Acme Corp:Roof repair", "item": "Labor", "class": "Field:North",
        "payroll_item": "Regular Pay", "notes": "Framing -- north side", "billable": True}


def children(element) -> list[str]:
    return [child.tag for child in element if isinstance(child.tag, str)]


def test_an_add_carries_every_field_in_schema_order_by_full_name():
    (request,) = export(block("18", **FULL))
    assert (request.body.tag, request.purpose, request.local_key) == (
        "TimeTrackingAddRq", Purpose.EXPORT, "18")
    (add,) = request.body
    assert children(add) == ADD_ORDER
    assert [add.findtext(path) for path in ("TxnDate", "EntityRef/FullName", "CustomerRef/FullName",
                                            "ItemServiceRef/FullName", "Duration", "ClassRef/FullName",
                                            "PayrollItemWageRef/FullName", "Notes", "BillableStatus")] == [
        "2026-11-20", "Jane Doe", "Acme Corp:Roof repair", "Labor", "PT8H0M", "Field:North", "Regular Pay",
        "Framing -- north side", "Billable"]
    assert request.body.find(".//ExternalGUID") is None and request.body.find(".//Rate") is None
    assert request.body.get("requestID") is None  # the engine sets it


def test_a_minimal_add_has_only_date_entity_and_duration():
    (request,) = export(block("1", hours=None, minutes=45))
    (add,) = request.body
    assert children(add) == ["TxnDate", "EntityRef", "Duration"]
    assert add.findtext("Duration") == "PT0H45M"


@pytest.mark.parametrize(("minutes", "duration"), [(480, "PT8H0M"), (45, "PT0H45M"), (450, "PT7H30M"),
                                                   (1, "PT0H1M"), (1440, "PT24H0M")])
def test_duration_is_whole_hours_and_minutes(minutes, duration):
    (request,) = export(block("1", hours=None, minutes=minutes))
    assert request.body.findtext("TimeTrackingAdd/Duration") == duration


def test_references_use_the_list_id_when_the_block_gave_one():
    record = block("7", employee=None, employee_id="80000005-1", customer_id="8000000C-1",
                   item_id="80000013-1")
    (request,) = export(record)
    add = request.body.find("TimeTrackingAdd")
    for tag, list_id in (("EntityRef", "80000005-1"), ("CustomerRef", "8000000C-1"),
                         ("ItemServiceRef", "80000013-1")):
        assert children(add.find(tag)) == ["ListID"] and add.findtext(f"{tag}/ListID") == list_id
    assert request.label == "Work block 7 (employee ListID 80000005-1, 2026-11-20, 8h00)"


def test_the_label_names_the_block_the_person_the_day_and_the_time():
    (request,) = export(block("18", hours=7, minutes=5))
    assert request.label == "Work block 18 (Jane Doe, 2026-11-20, 7h05)"


def test_a_mod_starts_with_txn_id_and_edit_sequence_and_has_no_external_guid():
    record = block("18", qb_id="8000001D-1", edit_sequence="1795194029", synced={"employee": "Jane Doe"},
                   **FULL)
    (request,) = export(record)
    (mod,) = request.body
    assert (request.body.tag, mod.tag) == ("TimeTrackingModRq", "TimeTrackingMod")
    assert children(mod) == ["TxnID", "EditSequence", *ADD_ORDER]
    assert (mod.findtext("TxnID"), mod.findtext("EditSequence")) == ("8000001D-1", "1795194029")
    assert request.body.find(".//ExternalGUID") is None


def test_lookups_query_by_txn_id_or_by_person_and_date_and_carry_the_block():
    linked = block("18", qb_id="8000001D-1", **FULL)
    by_txn = HANDLER.lookup(linked)
    assert (by_txn.purpose, by_txn.local_key, children(by_txn.body)) == (Purpose.LOOKUP, "18", ["TxnID"])
    assert by_txn.context == {"expect": dict(linked.payload)}
    unsent = block("19", employee=None, employee_id="80000005-1")
    by_key = HANDLER.lookup(unsent)
    assert children(by_key.body) == ["TxnDateRangeFilter", "TimeTrackingEntityFilter"]
    paths = ("TxnDateRangeFilter/FromTxnDate", "TxnDateRangeFilter/ToTxnDate",
             "TimeTrackingEntityFilter/ListID")
    assert [by_key.body.findtext(path) for path in paths] == ["2026-11-20", "2026-11-20", "80000005-1"]
    assert by_key.label == "Work block 19 (employee ListID 80000005-1, 2026-11-20, 8h00)"


def test_a_lookup_carries_the_block_in_its_context_never_in_the_request():
    payload = {"employee": "Zoë -- O'Neil", "date": "2026-11-20", "minutes": 60,
               "notes": 'ends with a dash - "quoted" -->'}
    request = HANDLER.lookup(Record("timesheets", "19", payload, "uncertain"))
    assert request.context == {"expect": payload}
    assert "quoted" not in etree.tostring(request.body, encoding="unicode")


def test_entries_query_needs_exactly_one_kind_of_entity():
    with pytest.raises(ValueError):
        requests.entries_query("2026-11-20", "2026-11-20")
    with pytest.raises(ValueError):
        requests.entries_query("2026-11-20", "2026-11-20", names=["Jane Doe"], ids=["80000005-1"])


def every_request() -> list:
    """One of each request the plugin builds."""
    full = block("18", **FULL)
    by_ids = block("7", employee=None, employee_id="80000005-1", customer_id="8000000C-1",
                   item_id="80000013-1")
    synced = block("9", qb_id="8000001D-1", edit_sequence="1", synced={"notes": "old"}, **FULL)
    without_notes = block("10", qb_id="8000001D-2", edit_sequence="2", synced={"notes": "old"})
    reads = list(HANDLER.read(Reading(records=(full, by_ids), company=company(duplicate_check=True))))
    return [*export(full, by_ids, synced, without_notes), HANDLER.lookup(full), HANDLER.lookup(by_ids),
            HANDLER.lookup(synced), *reads]


@pytest.mark.parametrize("version", ["13.0", "16.0"])
def test_every_request_the_plugin_builds_is_valid_qbxml(mockqb_schema, version):
    built = every_request()
    tags = {request.body.tag for request in built}
    assert tags == {"TimeTrackingAddRq", "TimeTrackingModRq", "TimeTrackingQueryRq", "EntityQueryRq",
                    "CustomerQueryRq", "ItemServiceQueryRq", "ClassQueryRq", "PayrollItemWageQueryRq"}
    for request in built:
        mockqb_schema(message_set_of(request, version))


def test_a_mod_clears_notes_removed_since_the_sync_with_an_empty_element():
    (request,) = export(block("10", qb_id="8000001D-2", edit_sequence="2", synced={"notes": "old"}))
    notes = request.body.find("TimeTrackingMod/Notes")
    assert notes is not None and not notes.text
    (kept,) = export(block("11", qb_id="8000001D-3", edit_sequence="2", synced={"employee": "Jane Doe"}))
    assert kept.body.find("TimeTrackingMod/Notes") is None
