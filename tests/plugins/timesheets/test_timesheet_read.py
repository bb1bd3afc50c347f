"""``read``: the preflight queries for the names due blocks use, the duplicate check's entry query, and
what QuickBooks' answers to them become (``Facts``), run through the QuickBooks simulator."""

from __future__ import annotations

import pytest
from timesheet_kit import HANDLER, Reading, acknowledge, block, company, list_id

from qbbridge.core import Facts, Purpose, QbResult, QbStatus, SentRequest
from qbbridge.mockqb import by_hand


def reads(*records, **settings) -> list:
    return list(HANDLER.read(Reading(records=records, company=company(**settings))))


def asked(request) -> tuple[str, list[str]]:
    return request.body.tag, [child.text for child in request.body]


def test_the_preflight_asks_once_for_each_name_the_due_blocks_use():
    records = (block("1", customer="Acme Corp:Roof repair", item="Labor", **{"class": "Field:North"},
                     payroll_item="Regular Pay"),
               block("2", employee="JANE DOE", customer="acme corp:roof repair", item="Consulting"),
               block("3", employee=None, employee_id="80000005-1", customer_id="8000000C-1"))
    requests = reads(*records)
    assert all(r.purpose is Purpose.READ and not r.iterate and r.label.startswith("Preflight: ")
               for r in requests)
    assert [asked(r) for r in requests] == [
        ("EntityQueryRq", ["Jane Doe"]), ("EntityQueryRq", ["80000005-1"]),
        ("CustomerQueryRq", ["Acme Corp:Roof repair"]), ("CustomerQueryRq", ["8000000C-1"]),
        ("ItemServiceQueryRq", ["Labor", "Consulting"]), ("ClassQueryRq", ["Field:North"]),
        ("PayrollItemWageQueryRq", ["Regular Pay"])]
    assert [child.tag for child in requests[1].body] == ["ListID"]
    assert all(r.body.find("ActiveStatus") is None for r in requests)


def test_long_name_lists_are_asked_in_chunks_of_100():
    records = [block(str(n), employee=f"Person {n:03d}") for n in range(201)]
    requests = reads(*records)
    assert [len(r.body) for r in requests] == [100, 100, 1]
    assert {child.text for r in requests for child in r.body} == {f"Person {n:03d}" for n in range(201)}


def test_only_blocks_inside_the_period_are_asked_about():
    records = (block("early", employee="Early Bird", date="2026-10-31"), block("in", date="2026-11-01"),
               block("late", employee="Late Comer", date="2026-12-01"))
    requests = reads(*records, period_start="2026-11-01", period_end="2026-11-30")
    assert [asked(r) for r in requests] == [("EntityQueryRq", ["Jane Doe"])]


def test_nothing_is_read_without_due_blocks_or_with_the_preflight_off():
    assert reads() == []
    assert reads(block("1", customer="Acme Corp"), preflight=False) == []


def test_the_duplicate_check_asks_for_the_people_s_entries_over_the_unsent_blocks_dates():
    records = (block("1", date="2026-11-18"), block("2", employee="jane doe", date="2026-11-24"),
               block("3", employee="John Smith", date="2026-11-20"),
               block("4", employee=None, employee_id="80000007-1", date="2026-11-21"),
               block("synced", employee="Maria Garcia", date="2026-11-01", qb_id="8000001D-1",
                     edit_sequence="1", synced={}))
    checks = reads(*records, preflight=False, duplicate_check=True)
    assert all(r.body.tag == "TimeTrackingQueryRq" and r.iterate and r.purpose is Purpose.READ
               for r in checks)
    assert [[child.tag for child in r.body] for r in checks] == [
        ["MaxReturned", "TxnDateRangeFilter", "TimeTrackingEntityFilter"]] * 2
    first, second = checks
    days = [first.body.findtext(f"TxnDateRangeFilter/{tag}") for tag in ("FromTxnDate", "ToTxnDate")]
    assert days == ["2026-11-18", "2026-11-24"]
    assert [e.text for e in first.body.find("TimeTrackingEntityFilter")] == ["Jane Doe", "John Smith"]
    entities = second.body.find("TimeTrackingEntityFilter")
    assert [(e.tag, e.text) for e in entities] == [("ListID", "80000007-1")]


def test_without_the_duplicate_check_only_blocks_sent_before_are_checked():
    records = (block("new"), block("retried", employee="John Smith", date="2026-11-19", attempts=1))
    (check,) = reads(*records, preflight=False)
    assert [e.text for e in check.body.find("TimeTrackingEntityFilter")] == ["John Smith"]
    assert check.body.findtext("TxnDateRangeFilter/FromTxnDate") == "2026-11-19"
    assert reads(block("new"), preflight=False) == []


# --- answers through the simulator -------------------------------------------------------------------
def facts(quickbooks, request) -> dict:
    (outcome,) = acknowledge(quickbooks, request)
    assert isinstance(outcome, Facts)
    return dict(outcome.values)


def test_preflight_answers_say_what_was_asked_found_inactive_or_of_another_kind(mockqb_quickbooks):
    records = (block("1", employee="jane doe"), block("2", employee="Former Worker"),
               block("3", employee="Nobody Known"), block("4", employee="Acme Corp"),
               block("5", employee="Pat Contractor"), block("6", employee="Lee Partner"))
    (query,) = reads(*records)
    jane, pat, lee = (list_id(mockqb_quickbooks, kind, name) for kind, name in (
        ("Employee", "Jane Doe"), ("Vendor", "Pat Contractor"), ("OtherName", "Lee Partner")))
    found = facts(mockqb_quickbooks, query)
    assert found["asked:employee"] == ["jane doe", "former worker", "nobody known", "acme corp",
                                       "pat contractor", "lee partner"]
    assert sorted(found["found:employee"]) == sorted(
        [jane.casefold(), "jane doe", pat.casefold(), "pat contractor", lee.casefold(), "lee partner"])
    assert found["inactive:employee"] == [
        list_id(mockqb_quickbooks, "Employee", "Former Worker").casefold(), "former worker"]
    assert found["other:employee"] == [list_id(mockqb_quickbooks, "Customer", "Acme Corp").casefold(),
                                       "acme corp"]


@pytest.mark.parametrize(("field", "value", "key"), [
    ("customer", "Closed Co", "customer"), ("item", "Discontinued service", "item"),
    ("class", "Old Projects", "class")])
def test_inactive_list_elements_are_reported_inactive(mockqb_quickbooks, field, value, key):
    (_, query) = reads(block("1", **{field: value}))
    found = facts(mockqb_quickbooks, query)
    assert found[f"asked:{key}"] == [value.casefold()] and found[f"found:{key}"] == []
    assert value.casefold() in found[f"inactive:{key}"]


def test_a_missing_name_is_asked_but_not_found_and_ids_are_found_by_list_id(mockqb_quickbooks):
    customer = list_id(mockqb_quickbooks, "Customer", "Baker Bakery:Kitchen remodel")
    records = (block("1", customer="Acme Corp:Gutters", payroll_item="Holiday Pay"),
               block("2", customer_id=customer))
    requests = {r.body.tag + r.body[0].tag: r for r in reads(*records)}
    by_name = facts(mockqb_quickbooks, requests["CustomerQueryRqFullName"])
    assert (by_name["asked:customer"], by_name["found:customer"]) == (["acme corp:gutters"], [])
    by_id = facts(mockqb_quickbooks, requests["CustomerQueryRqListID"])
    assert by_id["asked:customer"] == [customer.casefold()]
    assert by_id["found:customer"] == [customer.casefold(), "baker bakery:kitchen remodel"]
    wages = facts(mockqb_quickbooks, requests["PayrollItemWageQueryRqFullName"])
    assert (wages["asked:payroll_item"], wages["found:payroll_item"]) == (["holiday pay"], [])


def test_duplicate_check_answers_list_the_existing_entries(mockqb_quickbooks):
    company_file = mockqb_quickbooks.company
    typed = by_hand.enter_time(company_file, entity="Jane Doe", duration="PT2H30M", date="2026-11-19",
                               customer="Acme Corp:Roof repair", item="Labor", notes="typed")
    by_hand.enter_time(company_file, entity="John Smith", duration="PT1H", date="2026-11-19")
    by_hand.enter_time(company_file, entity="Jane Doe", duration="PT1H", date="2026-11-25")
    (check,) = reads(block("1", date="2026-11-18"), block("2", date="2026-11-20"), preflight=False,
                     duplicate_check=True)
    existing = facts(mockqb_quickbooks, check)["existing"]
    assert existing == [{
        "txn_id": typed["TxnID"], "edit_sequence": typed["EditSequence"], "date": "2026-11-19",
        "minutes": 150, "notes": "typed", "billable_status": "Billable",
        "entity_id": list_id(mockqb_quickbooks, "Employee", "Jane Doe"), "entity": "jane doe",
        "customer_id": list_id(mockqb_quickbooks, "Customer", "Acme Corp:Roof repair"),
        "customer": "acme corp:roof repair",
        "item_id": list_id(mockqb_quickbooks, "ItemService", "Labor"), "item": "labor",
        "class_id": None, "class": None, "payroll_item_id": None, "payroll_item": None}]


@pytest.mark.parametrize("settings", [{}, {"preflight": False, "duplicate_check": True}])
def test_an_error_answer_to_a_read_teaches_nothing(settings):
    (query,) = reads(block("1"), **settings)
    sent = SentRequest("r1", "timesheets", Purpose.READ, query.body, None, query.label)
    result = QbResult("r1", query.body.tag[:-1] + "s", QbStatus(1000, "Error", "Internal error"))
    assert HANDLER.acknowledge(sent, result) == []
