"""TimeTrackingAdd/Mod/Query against the sample company, driven with real qbXML.

Every response is checked against Intuit's qbXML 16.0 schema; every refused request must leave the
company exactly as it was.
"""

from __future__ import annotations

import datetime as dt

import pytest

# Fixtures used here, from conftest.py: books (a Books on the sample company, every answer schema-checked).
from qbxml_helpers import NOT_IN_LIST, Books, ref

from qbbridge.mockqb.requests.timetracking import normalise_duration
from qbbridge.mockqb.requests.txnquery import macro_range

TODAY = "2026-11-20"  # the sample company's simulated clock starts on Friday 2026-11-20


def add(entity: str = "Jane Doe", duration: str = "PT8H", *, date: str | None = "2026-11-18",
        customer: str | None = None, item: str | None = None, extra: str = "", tail: str = "") -> str:
    """A TimeTrackingAddRq; ``extra`` goes after Duration (ClassRef … BillableStatus), ``tail`` after that."""
    parts = [f"<TxnDate>{date}</TxnDate>" if date else "", ref("EntityRef", entity),
             ref("CustomerRef", customer) if customer else "", ref("ItemServiceRef", item) if item else "",
             f"<Duration>{duration}</Duration>", extra, tail]
    body = "".join(parts)
    return f'<TimeTrackingAddRq requestID="a"><TimeTrackingAdd>{body}</TimeTrackingAdd></TimeTrackingAddRq>'


def mod(txn_id: str, edit_sequence: str, body: str) -> str:
    return (f'<TimeTrackingModRq requestID="m"><TimeTrackingMod><TxnID>{txn_id}</TxnID>'
            f"<EditSequence>{edit_sequence}</EditSequence>{body}</TimeTrackingMod></TimeTrackingModRq>")


def query(body: str = "", attrs: str = "") -> str:
    return f'<TimeTrackingQueryRq requestID="q"{attrs}>{body}</TimeTrackingQueryRq>'


def fields(ret) -> dict[str, str]:
    """Ret children as tag → text, references as their FullName."""
    return {child.tag: child.findtext("FullName") if child.tag.endswith("Ref") else child.text
            for child in ret}


# -- TimeTrackingAdd ----------------------------------------------------------------------------------
def test_add_resolves_names_case_insensitively_down_to_a_three_level_job(books):
    answer = books.one(add("jane DOE", "PT90M", customer="acme corp:ROOF REPAIR:phase 2", item="labor",
                           extra=ref("ClassRef", "field:north") + ref("PayrollItemWageRef", "regular pay")
                           + "<Notes>Framing</Notes>",
                           tail="<ExternalGUID>{6B29FC40-CA47-1067-B31D-00DD010662DA}</ExternalGUID>"))
    assert (answer.code, answer.severity, answer.message) == (0, "Info", "Status OK")
    ret = answer.ret()
    assert [child.tag for child in ret] == [
        "TxnID", "TimeCreated", "TimeModified", "EditSequence", "TxnNumber", "TxnDate", "EntityRef",
        "CustomerRef", "ItemServiceRef", "Duration", "ClassRef", "PayrollItemWageRef", "Notes",
        "BillableStatus", "ExternalGUID"]
    got = fields(ret)
    assert got["EntityRef"] == "Jane Doe" and got["CustomerRef"] == "Acme Corp:Roof repair:Phase 2"
    assert (got["ItemServiceRef"], got["ClassRef"], got["PayrollItemWageRef"]) == (
        "Labor", "Field:North", "Regular Pay")
    assert (got["Duration"], got["BillableStatus"], got["TxnNumber"]) == ("PT1H30M0S", "Billable", "1")
    assert ret.findtext("EntityRef/ListID") == books.list_id("Employee", "Jane Doe")
    assert len(books.company.records("TimeTracking")) == 1


def test_add_by_list_id(books):
    customer = books.list_id("Customer", "Baker Bakery:Kitchen remodel")
    request = (f'<TimeTrackingAddRq><TimeTrackingAdd><TxnDate>2026-11-18</TxnDate>'
               f'{ref("EntityRef", list_id=books.list_id("Employee", "John Smith"))}'
               f'{ref("CustomerRef", list_id=customer)}'
               f'{ref("ItemServiceRef", list_id=books.list_id("ItemService", "Labor:Overtime"))}'
               f"<Duration>PT2H</Duration></TimeTrackingAdd></TimeTrackingAddRq>")
    got = fields(books.one(request).ret())
    assert (got["EntityRef"], got["CustomerRef"], got["ItemServiceRef"]) == (
        "John Smith", "Baker Bakery:Kitchen remodel", "Labor:Overtime")


@pytest.mark.parametrize("entity", ["Pat Contractor", "Lee Partner"])
def test_vendors_and_other_names_may_record_time(books, entity):
    got = fields(books.one(add(entity)).ret())
    assert got["EntityRef"] == entity and got["BillableStatus"] == "NotBillable"


def test_txn_date_defaults_to_today_on_the_company_clock(books):
    assert books.one(add(date=None)).ret().findtext("TxnDate") == TODAY


def test_a_customer_without_a_service_item_is_not_billable_by_default(books):
    assert books.one(add(customer="Acme Corp")).ret().findtext("BillableStatus") == "NotBillable"


@pytest.mark.parametrize(("request_xml", "label", "value"), [
    (add("Nobody"), "Entity", "Nobody"),
    (add("Former Worker"), "Entity", "Former Worker"),  # inactive
    (add(customer="No Such Co"), "Customer", "No Such Co"),
    (add(customer="Closed Co"), "Customer", "Closed Co"),
    (add(customer="Acme Corp", item="Discontinued service"), "Item", "Discontinued service"),
    (add(extra=ref("ClassRef", "Field:East")), "Class", "Field:East"),
    (add(extra=ref("PayrollItemWageRef", "Bonus")), "Payroll Item", "Bonus"),
    (add(extra=ref("ClassRef", list_id="80000099-1")), "Class", "80000099-1"),
])
def test_invalid_references_are_3140_naming_the_reference(books, request_xml, label, value):
    """(A customer as the entity, the wrong type of name: test_time_entries_for_timesheets.py.)"""
    answer = books.refused(request_xml)
    assert answer.code == 3140
    assert answer.message == (f'There is an invalid reference to QuickBooks {label} "{value}" in the '
                              f"TimeTracking.  {NOT_IN_LIST}")


def test_a_class_while_class_tracking_is_off_is_3250(books):
    books.company.info["IsUsingClassTracking"] = False
    answer = books.refused(add(extra=ref("ClassRef", "Office")))
    assert (answer.code, answer.message) == (
        3250, "This feature is not enabled or not available in this version of QuickBooks.")
    assert books.one(add()).code == 0  # without a class it is fine


def test_the_closing_date_refuses_time_on_or_before_it(books):
    books.company.info["ClosingDate"] = "2026-10-31"
    answer = books.refused(add(date="2026-10-31"))
    assert (answer.code, answer.message) == (3180, (
        "There was an error when saving a TimeTracking.  QuickBooks error message: The transaction date "
        "is on or before the closing date (2026-10-31) of this company file."))
    assert books.one(add(date="2026-11-01")).code == 0


BILLABLE = "<BillableStatus>Billable</BillableStatus>"


@pytest.mark.parametrize(("request_xml", "reason"), [
    (add(tail=BILLABLE), "Billable time needs a customer:job and a service item."),
    (add(customer="Acme Corp", tail=BILLABLE), "Billable time needs a customer:job and a service item."),
    (add("Pat Contractor", extra=ref("PayrollItemWageRef", "Regular Pay")),
     "Only an employee's time can have a payroll item."),
])
def test_billable_and_payroll_rules(books, request_xml, reason):
    answer = books.refused(request_xml)
    assert (answer.code, answer.message) == (
        3180, f"There was an error when saving a TimeTracking.  QuickBooks error message: {reason}")


def test_rate_is_ignored_by_quickbooks_desktop_with_a_530_warning(books):
    request = add().replace("<Duration>", "<Rate>40.00</Rate><Duration>")
    answer = books.one(request)
    assert (answer.code, answer.severity, answer.message) == (
        530, "Warn", 'The field "Rate" is not supported by this implementation.')
    assert answer.ret().find("Rate") is None and len(books.company.records("TimeTracking")) == 1


@pytest.mark.parametrize(("given", "stored"), [
    ("PT8H", "PT8H0M0S"), ("PT90M", "PT1H30M0S"), ("PT1H35M0S", "PT1H35M0S"), ("PT1H35M29S", "PT1H35M0S"),
    ("PT1H35M30S", "PT1H36M0S"), ("PT0S", "PT0H0M0S"), ("PT26H", "PT26H0M0S"), ("-PT0M", "PT0H0M0S"),
])
def test_durations_come_back_in_quickbooks_form(given, stored):
    assert normalise_duration(given) == stored


def test_an_empty_duration_is_refused(books):
    answer = books.refused(add(duration=""))
    assert (answer.code, answer.message) == (3210, (
        'The "Duration" field has an invalid value "".  QuickBooks error message: '
        "A time duration such as PT1H30M is required."))


def test_older_qbxml_versions_get_the_older_shape(books):
    ret = books.one(add(), version="5.0").ret()
    assert ret.find("BillableStatus") is None and ret.findtext("Duration") == "PT8H0M0S"


# -- TimeTrackingMod ----------------------------------------------------------------------------------
def test_mod_changes_what_it_names_keeps_the_rest_and_bumps_edit_sequence(books):
    created = books.one(add(customer="Acme Corp", item="Labor", extra="<Notes>first</Notes>")).ret()
    txn_id, sequence = created.findtext("TxnID"), created.findtext("EditSequence")
    answer = books.one(mod(txn_id, sequence, ref("EntityRef", "jane doe") + "<Duration>PT7H45M</Duration>"
                           + "<BillableStatus>HasBeenBilled</BillableStatus>"))
    assert answer.code == 0
    got = fields(answer.ret())
    assert (got["TxnID"], got["Duration"], got["BillableStatus"]) == (txn_id, "PT7H45M0S", "HasBeenBilled")
    assert (got["CustomerRef"], got["Notes"], got["TxnDate"]) == ("Acme Corp", "first", "2026-11-18")
    assert got["EditSequence"] != sequence and got["TimeModified"] > got["TimeCreated"]


def test_mod_with_empty_notes_clears_them(books):
    created = books.one(add(extra="<Notes>first</Notes>")).ret()
    answer = books.one(mod(created.findtext("TxnID"), created.findtext("EditSequence"),
                           ref("EntityRef", "Jane Doe") + "<Duration>PT8H</Duration><Notes></Notes>"))
    assert answer.code == 0 and answer.ret().find("Notes") is None


def test_mod_with_a_stale_edit_sequence_is_3200(books):
    created = books.one(add()).ret()
    txn_id, sequence = created.findtext("TxnID"), created.findtext("EditSequence")
    body = ref("EntityRef", "Jane Doe") + "<Duration>PT1H</Duration>"
    assert books.one(mod(txn_id, sequence, body)).code == 0
    answer = books.refused(mod(txn_id, sequence, body))
    assert (answer.code, answer.message) == (3200, f'The provided edit sequence "{sequence}" is out-of-date.')


def test_mod_of_an_unknown_transaction_is_3120(books):
    answer = books.refused(mod("FFFF-1", "1", ref("EntityRef", "Jane Doe") + "<Duration>PT1H</Duration>"))
    assert (answer.code, answer.message) == (3120, (
        'Object "FFFF-1" specified in the request cannot be found.  QuickBooks error message: '
        "Invalid argument.  The specified record does not exist in the list."))


def test_mod_cannot_touch_time_in_the_closed_period(books):
    created = books.one(add(date="2026-10-15")).ret()
    books.company.info["ClosingDate"] = "2026-10-31"
    body = "<TxnDate>2026-11-02</TxnDate>" + ref("EntityRef", "Jane Doe") + "<Duration>PT1H</Duration>"
    answer = books.refused(mod(created.findtext("TxnID"), created.findtext("EditSequence"), body))
    assert answer.code == 3180 and "closing date (2026-10-31)" in answer.message


def test_mod_with_a_bad_reference_changes_nothing(books):
    created = books.one(add()).ret()
    body = ref("EntityRef", "Jane Doe") + ref("CustomerRef", "Ghost") + "<Duration>PT1H</Duration>"
    answer = books.refused(mod(created.findtext("TxnID"), created.findtext("EditSequence"), body))
    assert answer.code == 3140


# -- TimeTrackingQuery --------------------------------------------------------------------------------
def seed(books: Books) -> list[str]:
    """Six entries over three days and three people; returns their TxnIDs in creation order."""
    rows = [("Jane Doe", "2026-11-18"), ("John Smith", "2026-11-17"), ("Jane Doe", "2026-11-17"),
            ("Pat Contractor", "2026-11-19"), ("Jane Doe", "2026-11-19"), ("Jane Doe", "2026-10-05")]
    return [books.one(add(entity, date=day)).ret().findtext("TxnID") for entity, day in rows]


def test_query_orders_by_txn_date_then_txn_number(books):
    ids = seed(books)
    rets = books.one(query()).rets()
    assert [r.findtext("TxnID") for r in rets] == [ids[5], ids[1], ids[2], ids[0], ids[3], ids[4]]


def test_query_by_txn_id_reports_a_missing_one_with_500(books):
    ids = seed(books)
    answer = books.one(query(f"<TxnID>{ids[3]}</TxnID><TxnID>DEAD-1</TxnID>"))
    assert (answer.code, answer.severity) == (500, "Warn")
    assert answer.message == ('The query request has not been fully completed. There was a required element '
                              '("DEAD-1") that could not be found in QuickBooks.')
    assert [r.findtext("TxnID") for r in answer.rets()] == [ids[3]]


def test_date_range_and_entity_filter_page_through_an_iterator(books):
    ids = seed(books)
    jane = books.list_id("Employee", "Jane Doe")
    body = ("<MaxReturned>2</MaxReturned><TxnDateRangeFilter><FromTxnDate>2026-11-17</FromTxnDate>"
            f"<ToTxnDate>2026-11-19</ToTxnDate></TxnDateRangeFilter><TimeTrackingEntityFilter><ListID>{jane}"
            "</ListID></TimeTrackingEntityFilter>")
    first = books.one(query(body, ' iterator="Start"'))
    assert [r.findtext("TxnID") for r in first.rets()] == [ids[2], ids[0]]
    assert first.element.get("iteratorRemainingCount") == "1"
    iterator = first.element.get("iteratorID")
    second = books.one(query(body, f' iterator="Continue" iteratorID="{iterator}"'))
    assert [r.findtext("TxnID") for r in second.rets()] == [ids[4]]
    assert (second.code, second.element.get("iteratorRemainingCount")) == (0, "0")


def test_entity_filter_by_full_name_is_case_insensitive(books):
    ids = seed(books)
    body = ("<TimeTrackingEntityFilter><FullName>pat contractor</FullName><FullName>JOHN SMITH</FullName>"
            "</TimeTrackingEntityFilter>")
    assert [r.findtext("TxnID") for r in books.one(query(body)).rets()] == [ids[1], ids[3]]


@pytest.mark.parametrize(("macro", "expected"), [
    ("ThisWeek", [1, 2, 0, 3, 4]), ("LastMonth", [5]), ("Yesterday", [3, 4]), ("Today", []),
    ("All", [5, 1, 2, 0, 3, 4]),
])
def test_date_macros_are_relative_to_the_company_clock(books, macro, expected):
    ids = seed(books)
    answer = books.one(query(f"<TxnDateRangeFilter><DateMacro>{macro}</DateMacro></TxnDateRangeFilter>"))
    assert [r.findtext("TxnID") for r in answer.rets()] == [ids[i] for i in expected]
    assert answer.code == (0 if expected else 1)


def test_no_match_is_status_1(books):
    lee = "<TimeTrackingEntityFilter><FullName>Lee Partner</FullName></TimeTrackingEntityFilter>"
    answer = books.one(query(lee))
    assert (answer.code, answer.severity) == (1, "Info")
    assert answer.message == "A query request did not find a matching object in QuickBooks"


def test_modified_date_range_filter(books):
    ids = seed(books)
    stamp = books.company.get(ids[3])[1]["TimeModified"]
    body = f"<ModifiedDateRangeFilter><FromModifiedDate>{stamp}</FromModifiedDate></ModifiedDateRangeFilter>"
    assert {r.findtext("TxnID") for r in books.one(query(body)).rets()} == set(ids[3:])


@pytest.mark.parametrize(("macro", "start", "end"), [
    ("ThisWeek", "2026-11-16", "2026-11-22"), ("LastWeek", "2026-11-09", "2026-11-15"),
    ("ThisWeekToDate", "2026-11-16", "2026-11-20"), ("ThisMonth", "2026-11-01", "2026-11-30"),
    ("LastMonth", "2026-10-01", "2026-10-31"), ("LastMonthToDate", "2026-10-01", "2026-10-20"),
    ("ThisCalendarQuarter", "2026-10-01", "2026-12-31"), ("LastFiscalQuarter", "2026-07-01", "2026-09-30"),
    ("ThisCalendarYear", "2026-01-01", "2026-12-31"), ("LastFiscalYear", "2025-01-01", "2025-12-31"),
    ("NextMonth", "2026-12-01", "2026-12-31"), ("Yesterday", "2026-11-19", "2026-11-19"),
])
def test_macro_ranges(macro, start, end):
    expected = (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert macro_range(macro, dt.date(2026, 11, 20)) == expected


def test_last_month_to_date_stops_at_the_end_of_a_shorter_month():
    assert macro_range("LastMonthToDate", dt.date(2026, 3, 31)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
