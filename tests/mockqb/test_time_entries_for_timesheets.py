"""The TimeTracking behaviour the timesheets plugin relies on, and time entered or changed by hand in
QuickBooks (``mockqb.by_hand``).

Every response is checked against Intuit's qbXML 16.0 schema (the ``books`` fixture); every refused
request must leave the company exactly as it was. ``REFUSALS`` is the full list of reference errors a
TimeTrackingAdd can get, with their exact texts.
"""

from __future__ import annotations

import pytest

# Fixtures used here, from conftest.py: books (a Books on the sample company, every answer schema-checked).
from qbxml_helpers import Books, ref

from qbbridge.mockqb import by_hand
from qbbridge.mockqb.errors import RequestFailed
from qbbridge.mockqb.status import NOT_IN_LIST, WRONG_TYPE

ENTITIES = [("Employee", "Jane Doe"), ("Vendor", "Pat Contractor"), ("OtherName", "Lee Partner")]


def add(entity: str | None = "Jane Doe", *, entity_ref: str | None = None, customer: str | None = None,
        item: str | None = None, after_duration: str = "", date: str = "2026-11-18") -> str:
    """A TimeTrackingAddRq; ``entity_ref`` replaces the EntityRef by name, ``after_duration`` is
    ClassRef / PayrollItemWageRef / Notes / BillableStatus in schema order."""
    parts = [f"<TxnDate>{date}</TxnDate>", entity_ref or ref("EntityRef", entity),
             ref("CustomerRef", customer) if customer else "", ref("ItemServiceRef", item) if item else "",
             "<Duration>PT8H</Duration>", after_duration]
    body = "".join(parts)
    return f'<TimeTrackingAddRq requestID="a"><TimeTrackingAdd>{body}</TimeTrackingAdd></TimeTrackingAddRq>'


def query(body: str = "", attrs: str = "") -> str:
    return f'<TimeTrackingQueryRq requestID="q"{attrs}>{body}</TimeTrackingQueryRq>'


def mod(record: dict, edit_sequence: str, body: str) -> str:
    return (f'<TimeTrackingModRq requestID="m"><TimeTrackingMod><TxnID>{record["TxnID"]}</TxnID>'
            f"<EditSequence>{edit_sequence}</EditSequence>{body}</TimeTrackingMod></TimeTrackingModRq>")


def reference_error(label: str, value: str, reason: str) -> str:
    return (f'There is an invalid reference to QuickBooks {label} "{value}" in the TimeTracking.  '
            f"QuickBooks error message: {reason}")


@pytest.fixture
def shop(books: Books) -> Books:
    """The sample company plus an inactive wage item (the sample has none)."""
    books.company.add_list_element("PayrollItemWage", "Old Bonus", is_active=False, WageType="Bonus")
    return books


# -- EntityRef --------------------------------------------------------------------------------------
@pytest.mark.parametrize("by_list_id", [False, True])
@pytest.mark.parametrize(("kind", "name"), ENTITIES)
def test_time_is_recorded_for_an_employee_a_vendor_or_an_other_name(books, kind, name, by_list_id):
    list_id = books.list_id(kind, name)
    entity = ref("EntityRef", list_id=list_id) if by_list_id else ref("EntityRef", name.upper())
    answer = books.one(add(entity_ref=entity))
    assert answer.code == 0
    assert (answer.ret().findtext("EntityRef/ListID"), answer.ret().findtext("EntityRef/FullName")) == (
        list_id, name)
    (entry,) = books.company.records("TimeTracking")
    assert entry["EntityRef"] == list_id


def _customer_id(books: Books) -> str:
    return books.list_id("Customer", "Acme Corp")


#: Every reference error of a TimeTrackingAdd: (request, label, value named, reason). ``{acme}`` in a
#: request stands for Acme Corp's ListID.
REFUSALS = [
    (add("Nobody"), "Entity", "Nobody", NOT_IN_LIST),
    (add("Former Worker"), "Entity", "Former Worker", NOT_IN_LIST),  # an inactive employee
    (add("Labor"), "Entity", "Labor", NOT_IN_LIST),  # an item: outside the name lists
    (add("acme corp"), "Entity", "acme corp", WRONG_TYPE),  # a customer is never the entity
    (add("Acme Corp:Roof repair"), "Entity", "Acme Corp:Roof repair", WRONG_TYPE),  # nor a job
    (add("Closed Co"), "Entity", "Closed Co", WRONG_TYPE),  # an inactive customer: still the wrong type
    (add(entity_ref=ref("EntityRef", list_id="{acme}")), "Entity", "{acme}", WRONG_TYPE),
    (add(entity_ref=ref("EntityRef", list_id="80000099-1")), "Entity", "80000099-1", NOT_IN_LIST),
    (add(customer="No Such Co"), "Customer", "No Such Co", NOT_IN_LIST),
    (add(customer="Closed Co"), "Customer", "Closed Co", NOT_IN_LIST),  # inactive
    (add(customer="Pat Contractor"), "Customer", "Pat Contractor", WRONG_TYPE),  # a vendor
    (add(customer="Acme Corp:Gutters"), "Customer", "Acme Corp:Gutters", NOT_IN_LIST),  # no such job
    (add(customer="Acme Corp", item="Painting"), "Item", "Painting", NOT_IN_LIST),
    (add(customer="Acme Corp", item="Discontinued service"), "Item", "Discontinued service", NOT_IN_LIST),
    (add(after_duration=ref("ClassRef", "Field:East")), "Class", "Field:East", NOT_IN_LIST),
    (add(after_duration=ref("ClassRef", "Old Projects")), "Class", "Old Projects", NOT_IN_LIST),  # inactive
    (add(after_duration=ref("PayrollItemWageRef", "Holiday Pay")), "Payroll Item", "Holiday Pay",
     NOT_IN_LIST),
    (add(after_duration=ref("PayrollItemWageRef", "Old Bonus")), "Payroll Item", "Old Bonus",
     NOT_IN_LIST),  # inactive
]


@pytest.mark.parametrize(("request_xml", "label", "value", "reason"), REFUSALS)
def test_every_reference_error_is_3140_naming_the_reference_and_why(shop, request_xml, label, value, reason):
    acme = _customer_id(shop)
    answer = shop.refused(request_xml.replace("{acme}", acme))
    assert (answer.code, answer.severity) == (3140, "Error")
    assert answer.message == reference_error(label, value.replace("{acme}", acme), reason)


def test_references_are_checked_in_schema_order_and_the_first_bad_one_is_named(books):
    request = add("Nobody", customer="No Such Co", item="Painting")
    assert books.refused(request).message == reference_error("Entity", "Nobody", NOT_IN_LIST)
    request = add(customer="No Such Co", item="Painting")
    assert books.refused(request).message == reference_error("Customer", "No Such Co", NOT_IN_LIST)


# -- payroll item and class -------------------------------------------------------------------------
def test_an_employee_s_payroll_wage_item_is_stored_and_shown(books):
    ret = books.one(add(after_duration=ref("PayrollItemWageRef", "overtime pay"))).ret()
    assert ret.findtext("PayrollItemWageRef/FullName") == "Overtime Pay"
    assert ret.findtext("PayrollItemWageRef/ListID") == books.list_id("PayrollItemWage", "Overtime Pay")


@pytest.mark.parametrize("entity", ["Pat Contractor", "Lee Partner"])
def test_only_an_employee_s_time_may_carry_a_payroll_item(books, entity):
    answer = books.refused(add(entity, after_duration=ref("PayrollItemWageRef", "Regular Pay")))
    assert (answer.code, answer.message) == (
        3180, "There was an error when saving a TimeTracking.  QuickBooks error message: Only an employee's "
              "time can have a payroll item.")


def test_a_class_is_kept_with_class_tracking_on_and_refused_with_3250_when_off(books):
    assert books.one(add(after_duration=ref("ClassRef", "field:south"))).ret().findtext(
        "ClassRef/FullName") == "Field:South"
    books.company.info["IsUsingClassTracking"] = False
    # 3250 comes before every reference check: the unknown entity is not what is reported
    answer = books.refused(add("Nobody", after_duration=ref("ClassRef", "Field:South")))
    assert (answer.code, answer.message) == (
        3250, "This feature is not enabled or not available in this version of QuickBooks.")


# -- TimeTrackingQuery ------------------------------------------------------------------------------
def _enter_week(books: Books) -> list[dict]:
    """Seven entries by hand over 2026-11-16..19 and one in October, for four people."""
    rows = [("Jane Doe", "2026-11-16"), ("Pat Contractor", "2026-11-16"), ("Lee Partner", "2026-11-17"),
            ("John Smith", "2026-11-17"), ("Jane Doe", "2026-11-18"), ("Lee Partner", "2026-11-19"),
            ("Jane Doe", "2026-11-19"), ("Jane Doe", "2026-10-05")]
    return [by_hand.enter_time(books.company, entity=name, duration="PT1H", date=day) for name, day in rows]


def test_date_range_and_a_full_name_entity_filter_page_through_an_iterator(books):
    entries = _enter_week(books)
    wanted = {books.list_id(kind, name) for kind, name in ENTITIES}
    expected = [e["TxnID"] for e in sorted(entries, key=lambda e: (e["TxnDate"], e["TxnNumber"]))
                if "2026-11-16" <= e["TxnDate"] <= "2026-11-18" and e["EntityRef"] in wanted]
    body = ("<MaxReturned>2</MaxReturned><TxnDateRangeFilter><FromTxnDate>2026-11-16</FromTxnDate>"
            "<ToTxnDate>2026-11-18</ToTxnDate></TxnDateRangeFilter><TimeTrackingEntityFilter>"
            "<FullName>jane doe</FullName><FullName>Pat Contractor</FullName><FullName>LEE PARTNER</FullName>"
            "<FullName>Nobody</FullName></TimeTrackingEntityFilter>")
    first = books.one(query(body, ' iterator="Start"'))
    assert first.code == 0 and first.element.get("iteratorRemainingCount") == str(len(expected) - 2)
    seen = [ret.findtext("TxnID") for ret in first.rets()]
    iterator_id = first.element.get("iteratorID")
    while len(seen) < len(expected):
        page = books.one(query("<MaxReturned>2</MaxReturned>",
                               f' iterator="Continue" iteratorID="{iterator_id}"'))
        assert page.code == 0 and page.rets()
        seen += [ret.findtext("TxnID") for ret in page.rets()]
    assert seen == expected and len(expected) == 4
    assert page.element.get("iteratorRemainingCount") == "0"


def test_an_entity_filter_naming_only_unknown_names_finds_nothing(books):
    _enter_week(books)
    answer = books.one(query("<TimeTrackingEntityFilter><FullName>Nobody</FullName>"
                             "<FullName>Acme Corp</FullName></TimeTrackingEntityFilter>"))
    assert (answer.code, answer.rets()) == (1, [])


def test_query_by_txn_id_returns_the_current_entry_and_500_for_an_unknown_one(books):
    entries = _enter_week(books)
    changed = by_hand.change_time(books.company, entries[2]["TxnID"], duration="PT3H15M")
    answer = books.one(query(f"<TxnID>{entries[2]['TxnID']}</TxnID><TxnID>DEAD-1</TxnID>"))
    assert (answer.code, answer.severity) == (500, "Warn")
    assert 'required element ("DEAD-1")' in answer.message
    ret = answer.ret()
    assert (ret.findtext("TxnID"), ret.findtext("EditSequence"), ret.findtext("Duration")) == (
        changed["TxnID"], changed["EditSequence"], "PT3H15M0S")


# -- TimeTrackingMod after a change by hand -------------------------------------------------------
def test_a_mod_after_a_change_by_hand_is_3200_and_lands_with_the_re_read_edit_sequence(books):
    created = books.one(add(customer="Acme Corp", item="Labor")).ret()
    record = books.company.get(created.findtext("TxnID"))[1]
    sent_sequence = created.findtext("EditSequence")
    by_hand.change_time(books.company, record["TxnID"], notes="fixed by the office")
    body = ref("EntityRef", "Jane Doe") + "<Duration>PT7H30M</Duration>"
    stale = books.refused(mod(record, sent_sequence, body))
    assert (stale.code, stale.message) == (
        3200, f'The provided edit sequence "{sent_sequence}" is out-of-date.')
    current = books.one(query(f"<TxnID>{record['TxnID']}</TxnID>")).ret().findtext("EditSequence")
    assert current != sent_sequence
    landed = books.one(mod(record, current, body)).ret()
    assert (landed.findtext("Duration"), landed.findtext("Notes")) == ("PT7H30M0S", "fixed by the office")
    assert len(books.company.records("TimeTracking")) == 1


# -- by hand ----------------------------------------------------------------------------------------
def test_enter_time_by_hand_follows_time_tracking_add(books):
    seen_before = list(books.session.quickbooks.requests_seen)
    entry = by_hand.enter_time(books.company, entity="maria garcia", duration="PT90M",
                               customer="Baker Bakery:Kitchen remodel", item="labor:overtime",
                               class_name="Office", payroll_item="Overtime Pay", notes="by hand")
    assert books.company.get(entry["TxnID"]) == ("TimeTracking", entry)
    names = {field: books.company.full_name_of(entry[field])
             for field in ("EntityRef", "CustomerRef", "ItemServiceRef", "ClassRef", "PayrollItemWageRef")}
    assert names == {"EntityRef": "Maria Garcia", "CustomerRef": "Baker Bakery:Kitchen remodel",
                     "ItemServiceRef": "Labor:Overtime", "ClassRef": "Office",
                     "PayrollItemWageRef": "Overtime Pay"}
    assert (entry["Duration"], entry["BillableStatus"], entry["Notes"]) == (
        "PT1H30M0S", "Billable", "by hand")
    assert entry["TxnDate"] == books.company.clock.now().date().isoformat()
    assert books.session.quickbooks.requests_seen == seen_before  # not a request
    ret = books.one(query(f"<TxnID>{entry['TxnID']}</TxnID>")).ret()  # QuickBooks answers with it
    assert ret.findtext("EditSequence") == entry["EditSequence"]


@pytest.mark.parametrize(("given", "code", "text"), [
    ({"entity": "Acme Corp"}, 3140, WRONG_TYPE),
    ({"entity": "Former Worker"}, 3140, NOT_IN_LIST),
    ({"entity": "Pat Contractor", "payroll_item": "Regular Pay"}, 3180, "Only an employee's time"),
    ({"entity": "Jane Doe", "duration": "eight hours"}, 3210, "A time duration such as PT1H30M is required."),
])
def test_enter_time_by_hand_is_refused_as_the_request_would_be(books, given, code, text):
    before = books.company.snapshot()
    with pytest.raises(RequestFailed) as refused:
        by_hand.enter_time(books.company, **{"duration": "PT1H", **given})
    assert refused.value.code == code and text in refused.value.message
    assert books.company.snapshot() == before


def test_change_time_by_hand_moves_the_edit_sequence_and_keeps_what_it_does_not_name(books):
    entry = by_hand.enter_time(books.company, entity="Jane Doe", duration="PT8H", date="2026-11-18",
                               customer="Acme Corp", item="Labor", notes="first")
    before = dict(entry)
    changed = by_hand.change_time(books.company, entry["TxnID"], duration="PT6H", customer="Baker Bakery")
    assert changed is entry  # the stored record, changed in place
    assert int(changed["EditSequence"]) > int(before["EditSequence"])
    assert changed["TimeModified"] > before["TimeModified"]
    assert changed["Duration"] == "PT6H0M0S"
    assert books.company.full_name_of(changed["CustomerRef"]) == "Baker Bakery"
    for field in ("TxnID", "TxnNumber", "TxnDate", "EntityRef", "ItemServiceRef", "Notes", "BillableStatus",
                  "TimeCreated"):
        assert changed[field] == before[field], field
    cleared = by_hand.change_time(books.company, entry["TxnID"], notes="")
    assert "Notes" not in cleared and cleared["Duration"] == "PT6H0M0S"


def test_change_time_by_hand_refusals(books):
    entry = by_hand.enter_time(books.company, entity="Jane Doe", duration="PT8H",
                               payroll_item="Regular Pay")
    before = books.company.snapshot()
    with pytest.raises(RequestFailed) as vendor:
        by_hand.change_time(books.company, entry["TxnID"], entity="Pat Contractor")
    assert vendor.value.code == 3180  # the payroll item it keeps belongs to employees only
    with pytest.raises(RequestFailed) as unknown:
        by_hand.change_time(books.company, "DEAD-1", duration="PT1H")
    assert unknown.value.code == 3120 and '"DEAD-1"' in unknown.value.message
    with pytest.raises(TypeError, match="hours"):
        by_hand.change_time(books.company, entry["TxnID"], hours="2")
    assert books.company.snapshot() == before
