"""What a work block may carry: ``TimesheetsHandler.validate`` accepts JSON values and CSV strings,
stores exactly the documented keys, and refuses everything else naming the block and the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from qbbridge.core import InvalidRecord
from qbbridge.plugins.timesheets import TimesheetsHandler
from qbbridge.plugins.timesheets.payload import STORED_FIELDS

HANDLER = TimesheetsHandler()
BASE = {"employee": "Jane Doe", "date": "2026-11-20", "hours": 8}


def valid(**fields) -> dict:
    return dict(HANDLER.validate("18", {**BASE, **fields}))


def refusal(payload: dict) -> InvalidRecord:
    with pytest.raises(InvalidRecord) as caught:
        HANDLER.validate("18", payload)
    return caught.value


def test_a_full_block_is_stored_with_exactly_the_documented_keys():
    stored = valid(customer=" Acme Corp:Roof repair ", item="Labor", **{"class": "Field:North"},
                   payroll_item="Regular Pay", notes="Framing", billable=True)
    assert stored == {"employee": "Jane Doe", "customer": "Acme Corp:Roof repair", "item": "Labor",
                      "class": "Field:North", "payroll_item": "Regular Pay", "date": "2026-11-20",
                      "minutes": 480, "notes": "Framing", "billable_status": "Billable"}
    assert list(stored) == [key for key in STORED_FIELDS if key in stored]


def test_a_minimal_block_has_no_optional_keys_and_ids_replace_names():
    assert valid() == {"employee": "Jane Doe", "date": "2026-11-20", "minutes": 480}
    stored = HANDLER.validate("18", {"employee_id": "80000001-1", "customer_id": "80000002-1",
                                     "item_id": "80000003-1", "date": "2026-11-20", "minutes": 45})
    assert stored == {"employee_id": "80000001-1", "customer_id": "80000002-1", "item_id": "80000003-1",
                      "date": "2026-11-20", "minutes": 45}


def test_csv_strings_are_accepted_for_every_field():
    row = {"employee": "Jane Doe", "customer": "Baker Bakery", "item": "Consulting", "class": "Office",
           "payroll_item": "Overtime Pay", "date": "2026-11-21", "hours": "7.25", "minutes": "15",
           "notes": "Ovens", "billable": "yes"}
    stored = HANDLER.validate("csv-1", row)
    assert (stored["minutes"], stored["billable_status"]) == (450, "Billable")


def test_none_and_blank_optional_fields_are_left_out():
    assert valid(customer=None, item="  ", notes="", billable=None) == valid()


@pytest.mark.parametrize("payload", [
    {**BASE},
    {**BASE, "customer": "Acme Corp : Roof repair", "notes": "  spaced  ", "billable": "HasBeenBilled"},
    {"employee_id": "80000001-1", "date": dt.date(2026, 11, 20), "duration": "PT7H30M",
     "billable": False},
])
def test_a_stored_payload_validates_as_itself(payload):
    stored = HANDLER.validate("18", payload)
    assert HANDLER.validate("18", stored) == stored


def test_names_are_trimmed_but_spacing_around_colons_and_in_notes_is_kept():
    stored = valid(employee="  Jane Doe\t", customer=" Acme Corp : Roof repair ", notes="  two  spaces ")
    assert (stored["employee"], stored["customer"], stored["notes"]) == (
        "Jane Doe", "Acme Corp : Roof repair", "  two  spaces ")


@pytest.mark.parametrize(("fields", "minutes"), [
    ({"hours": 7.5}, 450), ({"hours": "7.25"}, 435), ({"hours": Decimal("0.1")}, 6), ({"hours": 7.1}, 426),
    ({"hours": 7, "minutes": 30}, 450), ({"hours": "7.5", "minutes": "15"}, 465), ({"minutes": 45}, 45),
    ({"minutes": 30.0}, 30), ({"duration": "7:30"}, 450), ({"duration": "0:05"}, 5),
    ({"duration": "PT8H"}, 480), ({"duration": "pt0h45m"}, 45), ({"duration": "PT90M"}, 90),
    ({"duration": "PT1H0M0S"}, 60), ({"duration": "PT120S"}, 2), ({"hours": 24}, 1440), ({"minutes": 1}, 1),
])
def test_durations_in_every_accepted_form(fields, minutes):
    payload = {"employee": "Jane Doe", "date": "2026-11-20", **fields}
    assert HANDLER.validate("18", payload)["minutes"] == minutes


@pytest.mark.parametrize(("fields", "field", "problem"), [
    ({"hours": 25}, "duration", "25h00 is more than a day"),
    ({"hours": 24, "minutes": 1}, "duration", "24h01 is more than a day"),
    ({"hours": 0}, "duration", "0h00 is no time; a work block needs at least 1 minute"),
    ({"hours": 7.123}, "hours", "7.123 hours is not a whole number of minutes (427.38 minutes)"),
    ({"hours": "abc"}, "hours", "'abc' is not a number"),
    ({"hours": "nan"}, "hours", "'nan' is not a number"),
    ({"hours": True}, "hours", "True is not a number"),
    ({"hours": -1}, "hours", "-1 is negative"),
    ({"hours": None, "minutes": 30.5}, "minutes", "30.5 is not a whole number of minutes"),
    ({"hours": None, "duration": "7:60"}, "duration", "'7:60' has more than 59 minutes"),
    ({"hours": None, "duration": "seven"}, "duration",
     "'seven' is not a duration; write it as H:MM (7:30) or PT7H30M"),
    ({"hours": None, "duration": "PT"}, "duration",
     "'PT' is not a duration; write it as H:MM (7:30) or PT7H30M"),
    ({"hours": None, "duration": "PT1H30M15S"}, "duration", "'PT1H30M15S' is not a whole number of minutes"),
    ({"hours": None, "duration": 90}, "duration", "90 is not a duration; write it as H:MM (7:30) or PT7H30M"),
    ({"duration": "7:30"}, "duration", "give either duration or hours/minutes, not both"),
    ({"hours": None}, "duration", "is required: give hours, minutes or duration (H:MM)"),
])
def test_bad_durations_are_refused_naming_the_field(fields, field, problem):
    error = refusal({**BASE, **fields})
    assert (error.local_key, error.field_name, error.problem) == ("18", field, problem)
    assert str(error) == f"18: {field}: {problem}"


@pytest.mark.parametrize(("value", "problem"), [
    ("2026-02-30", "'2026-02-30' is not a date (YYYY-MM-DD)"),
    ("20261120", "'20261120' is not a date (YYYY-MM-DD)"),
    ("20/11/2026", "'20/11/2026' is not a date (YYYY-MM-DD)"),
    ("2026-11-20T08:00", "'2026-11-20T08:00' is not a date (YYYY-MM-DD)"),
    (20261120, "20261120 is not a date (YYYY-MM-DD)"),
    (dt.datetime(2026, 11, 20, 8, 0), "'2026-11-20T08:00:00' has a time; give the day only (YYYY-MM-DD)"),
    (None, "is required (YYYY-MM-DD)"),
])
def test_bad_dates_are_refused(value, problem):
    error = refusal({**BASE, "date": value})
    assert (error.field_name, error.problem) == ("date", problem)


def test_a_date_object_and_padded_text_are_accepted():
    assert valid(date=dt.date(2026, 2, 28))["date"] == "2026-02-28"
    assert valid(date=" 2028-02-29 ")["date"] == "2028-02-29"


@pytest.mark.parametrize(("fields", "field", "problem"), [
    ({"employee": None}, "employee",
     "is required: give the employee's name (employee) or QuickBooks ListID (employee_id)"),
    ({"employee_id": "80000001-1"}, "employee", "give either employee or employee_id, not both"),
    ({"customer": "Acme Corp", "customer_id": "8000000C-1"}, "customer",
     "give either customer or customer_id, not both"),
    ({"employee": "x" * 210}, "employee", "is 210 characters long; QuickBooks takes at most 209"),
    ({"employee": 17}, "employee", "must be text, not 17"),
    ({"employee": None, "employee_id": "8000 0001"}, "employee_id",
     "'8000 0001' is not a QuickBooks ListID (it contains spaces)"),
    ({"employee": None, "employee_id": "8" * 37}, "employee_id",
     "is 37 characters long; QuickBooks takes at most 36"),
    ({"customer": "Acme Corp:" + "r" * 42}, "customer",
     f"'{'r' * 42}' is longer than QuickBooks' 41 characters per level"),
    ({"customer": ":".join(["a" * 41] * 5) + "x"}, "customer",
     "is 210 characters long; QuickBooks takes at most 209"),
    ({"customer": "Acme Corp::Roof"}, "customer",
     "'Acme Corp::Roof' has an empty level (a ':' at the start, the end or twice)"),
    ({"customer": "Acme Corp: :Roof"}, "customer",
     "'Acme Corp: :Roof' has an empty level (a ':' at the start, the end or twice)"),
    ({"customer": "Acme Corp:"}, "customer",
     "'Acme Corp:' has an empty level (a ':' at the start, the end or twice)"),
    ({"item": "i" * 32}, "item", f"'{'i' * 32}' is longer than QuickBooks' 31 characters per level"),
    ({"item": ":".join(["i" * 31] * 5) + "x"}, "item",
     "is 160 characters long; QuickBooks takes at most 159"),
    ({"class": "Field:" + "c" * 32}, "class",
     f"'{'c' * 32}' is longer than QuickBooks' 31 characters per level"),
    ({"payroll_item": "p" * 32}, "payroll_item", "is 32 characters long; QuickBooks takes at most 31"),
    ({"notes": "n" * 4096}, "notes", "is 4096 characters long; QuickBooks takes at most 4095"),
    ({"notes": "bell\x07"}, "notes",
     "contains the control character U+0007, which QuickBooks cannot store; remove it"),
    ({"customer": "Acme\x00"}, "customer",
     "contains the control character U+0000, which QuickBooks cannot store; remove it"),
])
def test_bad_names_and_notes_are_refused(fields, field, problem):
    error = refusal({**BASE, **fields})
    assert (error.field_name, error.problem) == (field, problem)


def test_names_at_quickbooks_limits_are_accepted():
    customer = ":".join(["c" * 41] * 5)  # 209 characters: five full levels
    stored = valid(employee="e" * 209, customer=customer, item=":".join(["i" * 31] * 5),
                   payroll_item="p" * 31, notes="n" * 4095)
    assert (len(stored["employee"]), len(stored["customer"]), len(stored["item"])) == (209, 209, 159)


@pytest.mark.parametrize(("value", "status"), [
    (True, "Billable"), (False, "NotBillable"), (1, "Billable"), (0, "NotBillable"), ("true", "Billable"),
    ("FALSE", "NotBillable"), ("yes", "Billable"), ("no", "NotBillable"), ("1", "Billable"),
    ("0", "NotBillable"), ("billable", "Billable"), ("NotBillable", "NotBillable"),
    ("hasbeenbilled", "HasBeenBilled"),
])
def test_billable_flags_and_statuses(value, status):
    assert valid(customer="Acme Corp", item="Labor", billable=value)["billable_status"] == status


@pytest.mark.parametrize(("fields", "field", "problem"), [
    ({"billable": "maybe"}, "billable",
     "'maybe' is not one of true, false, Billable, NotBillable, HasBeenBilled"),
    ({"billable": 2}, "billable", "2 is not one of true, false, Billable, NotBillable, HasBeenBilled"),
    ({"billable": True, "billable_status": "Billable"}, "billable",
     "give either billable or billable_status, not both"),
    ({"billable": True, "item": "Labor"}, "billable",
     "billable time needs a customer/job and a service item (QuickBooks refuses it otherwise); add them or "
     "mark the block not billable"),
    ({"billable_status": "Billable", "customer": "Acme Corp"}, "billable_status",
     "billable time needs a customer/job and a service item (QuickBooks refuses it otherwise); add them or "
     "mark the block not billable"),
])
def test_bad_billable_values_are_refused(fields, field, problem):
    error = refusal({**BASE, **fields})
    assert (error.field_name, error.problem) == (field, problem)


def test_not_billable_needs_no_customer():
    assert valid(billable="no")["billable_status"] == "NotBillable"


@pytest.mark.parametrize(("payload", "field"), [
    ({**BASE, "custmer": "Acme Corp"}, "custmer"),
    ({**BASE, "custmer": None}, "custmer"),  # even empty: a typo never vanishes silently
    ({**BASE, "rate": "10", "job": "Roof"}, "job, rate"),
])
def test_unknown_fields_are_refused_by_name(payload, field):
    error = refusal(payload)
    assert error.field_name == field
    assert error.problem.startswith("unknown field") and "customer" in error.problem


def test_a_payload_that_is_not_an_object_is_refused():
    error = refusal(["Jane Doe", "2026-11-20"])
    assert (error.field_name, error.problem) == (
        "record", "must be an object of fields such as employee, date, hours")
