"""ClassesHandler: every QuickBooks class read into the importables on a schedule; never exported."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from classes_kit import ReadCtx, company, round_trip

from qbbridge.core import Imported, InvalidRecord, Purpose, QbResult, QbStatus, Record, Rejected, SentRequest
from qbbridge.mockqb.company import CompanyFile
from qbbridge.mockqb.sample import sample_company
from qbbridge.plugins.classes.handler import ClassesHandler

NOW = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
HANDLER = ClassesHandler()


def read_now() -> list:
    return list(HANDLER.read(ReadCtx(company(), now=NOW)))


def test_the_object_type_is_a_read_only_list_of_classes():
    assert (HANDLER.object_type.name, HANDLER.object_type.qb_entity, HANDLER.object_type.label) == (
        "classes", "Class", "class")
    (setting,) = HANDLER.company_settings
    assert (setting.name, setting.default) == ("read_every_minutes", 60)


@pytest.mark.parametrize("version", ["13.0", "16.0"])
def test_the_read_brings_every_class_active_and_inactive_by_full_name(version):
    qb_company = sample_company()
    (request,) = read_now()
    assert (request.purpose, request.iterate) == (Purpose.READ, False)  # ClassQuery has no iterator
    (imported,) = HANDLER.acknowledge(*round_trip(qb_company, request, version))
    rows = {row.name: row for row in imported.rows}
    assert sorted(rows) == ["Field", "Field:North", "Field:South", "Office", "Old Projects"]
    assert rows["Old Projects"].is_active is False and rows["Field:North"].is_active is True
    north = qb_company.find_by_name(("Class",), "Field:North")[1]
    assert (rows["Field:North"].qb_id, rows["Field:North"].edit_sequence) == (north["ListID"],
                                                                              north["EditSequence"])
    assert rows["Field:North"].data == {"record": {"name": "Field:North"}}
    assert HANDLER.validate("Field:North", rows["Field:North"].data["record"]) == {"name": "Field:North"}


@pytest.mark.parametrize(("minutes_ago", "setting", "reads"), [
    (None, None, True), (59, None, False), (60, None, True), (0, 0, True), (10, "5", True), (4, "5", False),
])
def test_the_read_runs_when_never_synced_or_due(minutes_ago, setting, reads):
    last = None if minutes_ago is None else NOW - timedelta(minutes=minutes_ago)
    settings = {} if setting is None else {"classes__read_every_minutes": setting}
    ctx = ReadCtx(company(**settings), last_read_at=last, now=NOW)
    assert len(list(HANDLER.read(ctx))) == (1 if reads else 0)


@pytest.mark.parametrize(("typed", "minutes"), [("0", 0), (" 15 ", 15), (90, 90), (525_600, 525_600)])
def test_read_every_minutes_accepts_whole_minutes(typed, minutes):
    assert HANDLER.company_settings[0].parse(typed) == minutes


@pytest.mark.parametrize("typed", ["-1", -1, "1.5", 1.5, True, "", "soon", 525_601, "１０"])
def test_read_every_minutes_refuses_anything_else_with_the_range(typed):
    with pytest.raises(ValueError, match="whole number of minutes from 0 to 525600"):
        HANDLER.company_settings[0].parse(typed)


def test_a_refused_read_imports_nothing():
    (request,) = read_now()
    sent = SentRequest("r1", "classes", Purpose.READ, request.body)
    refused = QbResult("r1", "ClassQueryRs", QbStatus(1000, "Error", "Internal error"))
    assert HANDLER.acknowledge(sent, refused) == []


def test_a_company_without_classes_imports_no_rows():
    (request,) = read_now()
    sent, answer = round_trip(CompanyFile(), request, "16.0")
    assert answer.status.code == 1  # "did not find a matching object"
    assert HANDLER.acknowledge(sent, answer) == [Imported(())]


def test_a_class_the_host_submits_is_rejected_at_export_with_the_fix():
    class Ctx:
        def due(self):
            return iter([Record("classes", "Field:East", {"name": "Field:East"}, "pending")])

    (rejected,) = HANDLER.export(Ctx())
    assert isinstance(rejected, Rejected) and rejected.local_key == "Field:East"
    assert "never creates them" in rejected.reason and "Add the class in QuickBooks" in rejected.reason


def test_validate_keeps_a_trimmed_full_name():
    assert HANDLER.validate("Field:North", {"name": " Field:North "}) == {"name": "Field:North"}
    assert HANDLER.validate("Office", {}) == {"name": "Office"}  # the key names the class
    for payload in ({"name": ""}, {"name": 5}, {"name": "x" * 160}):
        with pytest.raises(InvalidRecord):
            HANDLER.validate("k", payload)
