"""Names QuickBooks does not have, end to end over SOAP (seed rules S3, S5, and the preflight).

Rule: a block naming an employee, customer:job or payroll item QuickBooks lacks (or has made inactive)
is never half-sent: it stays pending with a message naming the block, the name and the fix, and goes
out once, as soon as the name exists. Without the preflight, QuickBooks' own refusal (3140) stops the
update; with it (the default), every missing name of the update is reported in one message.
"""

from __future__ import annotations

import re

import pytest
from timesheets_kit import (
    Block,
    adds_sent,
    assert_landed_once,
    configure,
    records,
    sent,
    serving,
    states,
    status,
    submit,
)

pytestmark = pytest.mark.e2e

GUTTERS = "Acme Corp:Gutters"
FIX_SENTENCE = "Add them in QuickBooks, then click Update Selected again."


@pytest.fixture
def bridge(database_url, mockqb_quickbooks):
    yield from serving(database_url, mockqb_quickbooks)


def _add_gutters_job(company) -> None:
    acme = company.find_by_name(("Customer",), "Acme Corp")[1]["ListID"]
    company.add_list_element("Customer", "Gutters", parent_id=acme, JobStatus="InProgress",
                             Balance="0.00", TotalBalance="0.00")


def _add_jane_roe(company) -> None:
    company.add_list_element("Employee", "Jane Roe", FirstName="Jane", LastName="Roe")


def _add_bonus_pay(company) -> None:
    account = company.find_by_name(("Account",), "Payroll Expenses")[1]["ListID"]
    company.add_list_element("PayrollItemWage", "Bonus Pay", WageType="HourlyRegular",
                             ExpenseAccountRef=account)


# --- S3 + S5: QuickBooks refuses, the update stops (preflight off) --------------------------------


MISSING = {
    "customer/job": (Block(customer=GUTTERS, item="Labor", notes="block b"), GUTTERS, _add_gutters_job),
    "employee": (Block(employee="Jane Roe", notes="block b"), "Jane Roe", _add_jane_roe),
    "payroll item": (Block(payroll_item="Bonus Pay", notes="block b"), "Bonus Pay", _add_bonus_pay),
}


@pytest.mark.parametrize("what", list(MISSING))
def test_a_missing_name_stops_the_update_and_the_block_goes_out_once_it_exists(
        bridge, webconnector, mockqb_company, mockqb_quickbooks, what):
    configure(bridge, preflight=False)
    bad, name, add_it = MISSING[what]
    blocks = {"a": Block(notes="block a"), "b": bad, "c": Block(employee="John Smith", notes="block c")}
    submit(bridge, blocks)

    first = webconnector.run_update()
    assert not first.ok and first.ops[-2:] == ["getLastError", "closeConnection"], first.summary()
    message = first.status
    assert "Work block b" in message and f"'{name}'" in message, message
    assert re.search(r"\badd\b.*\bin QuickBooks\b", message, re.IGNORECASE), message
    assert "Update Selected" in message, message
    assert "Traceback" not in message
    assert states(bridge) == {"a": "synced", "b": "pending", "c": "pending"}  # c waits behind the stop
    assert records(bridge)["b"]["error"] == message
    assert status(bridge)["errors"] == [{"id": "b", "message": message}]
    assert_landed_once(bridge, mockqb_company, {"a": blocks["a"]})

    add_it(mockqb_company)
    second = webconnector.run_update()
    assert second.ok, second.summary()
    assert_landed_once(bridge, mockqb_company, blocks)
    assert records(bridge)["b"]["error"] is None
    # b was refused once; c, in the same message set after it, was not run by QuickBooks (stopOnError)
    assert adds_sent(mockqb_quickbooks) == {"block a": 1, "block b": 2, "block c": 2}


# --- the preflight: one message for every missing name ---------------------------------------------


def _preflight_blocks() -> dict[str, Block]:
    return {"12": Block(customer=GUTTERS, item="Labor", billable="Billable", notes="block 12"),
            "15": Block(employee="John Smith", customer=GUTTERS, item="Consulting", notes="block 15"),
            "18": Block(employee="Jane Roe", notes="block 18"),
            "20": Block(customer="Acme Corp:Roof repair", item="Labor", notes="block 20"),
            "21": Block(employee="Maria Garcia", klass="Field:South", notes="block 21")}


def _assert_one_waiting_message(message: str) -> None:
    """ "3 work blocks wait for: customer/job 'Acme Corp:Gutters' (blocks 12, 15); <employee word>
    'Jane Roe' (block 18). Add them in QuickBooks, then click Update Selected again." """
    head, _, rest = message.partition(" wait for: ")
    assert head == "3 work blocks", message
    needs, _, fix = rest.partition(". ")
    assert fix == FIX_SENTENCE, message
    parts = sorted(needs.split("; "))
    assert len(parts) == 2, message
    assert parts[0] == f"customer/job '{GUTTERS}' (blocks 12, 15)", message
    assert re.fullmatch(r"employee[\w/ ]* 'Jane Roe' \(block 18\)", parts[1]), message


def test_the_preflight_reports_every_missing_name_at_once_and_sends_nothing(
        bridge, webconnector, mockqb_company, mockqb_quickbooks):
    blocks = _preflight_blocks()
    submit(bridge, blocks)
    first = webconnector.run_update()
    assert not first.ok, first.summary()
    _assert_one_waiting_message(first.status)
    assert sent(mockqb_quickbooks, "TimeTrackingAddRq") == []  # stop: nothing of the type is sent
    assert set(states(bridge).values()) == {"pending"}
    errors = {row["id"]: row["message"] for row in status(bridge)["errors"]}
    assert sorted(errors) == ["12", "15", "18"]  # each waiting block shows what it waits for
    assert GUTTERS in errors["12"] and GUTTERS in errors["15"] and "Jane Roe" in errors["18"]
    assert mockqb_company.records("TimeTracking") == []

    _add_gutters_job(mockqb_company)
    _add_jane_roe(mockqb_company)
    second = webconnector.run_update()
    assert second.ok, second.summary()
    assert_landed_once(bridge, mockqb_company, blocks)
    assert adds_sent(mockqb_quickbooks) == {block.notes: 1 for block in blocks.values()}


def test_under_continue_the_valid_blocks_land_and_the_waiting_ones_stay_pending(bridge, webconnector,
                                                                                mockqb_company):
    bridge.restart(error_policy="continue")
    blocks = _preflight_blocks()
    submit(bridge, blocks)
    first = webconnector.run_update()
    assert not first.ok, first.summary()
    assert f"customer/job '{GUTTERS}' (blocks 12, 15)" in first.status
    assert "'Jane Roe' (block 18)" in first.status
    assert_landed_once(bridge, mockqb_company, {key: blocks[key] for key in ("20", "21")})
    assert {key: state for key, state in states(bridge).items() if key in ("12", "15", "18")} == {
        "12": "pending", "15": "pending", "18": "pending"}

    _add_gutters_job(mockqb_company)
    _add_jane_roe(mockqb_company)
    assert webconnector.run_update().ok
    assert_landed_once(bridge, mockqb_company, blocks)


def test_the_preflight_reports_inactive_names_of_every_list(bridge, webconnector, mockqb_company,
                                                            mockqb_quickbooks):
    inactive = {"old": (Block(employee="Former Worker", notes="block old"), "Employee", "Former Worker"),
                "closed": (Block(customer="Closed Co", notes="block closed"), "Customer", "Closed Co"),
                "gone": (Block(item="Discontinued service", notes="block gone"), "ItemService",
                         "Discontinued service"),
                "past": (Block(klass="Old Projects", notes="block past"), "Class", "Old Projects")}
    blocks = {key: block for key, (block, _, _) in inactive.items()}
    submit(bridge, blocks)
    result = webconnector.run_update()
    assert not result.ok
    message = result.status
    assert message.startswith("4 work blocks wait for: ") and message.endswith(
        "Make the inactive ones active in QuickBooks, then click Update Selected again."), message
    for pattern in (r"inactive employee[\w/ ]* 'Former Worker' \(block old\)",
                    r"inactive customer/job 'Closed Co' \(block closed\)",
                    r"inactive service item 'Discontinued service' \(block gone\)",
                    r"inactive class 'Old Projects' \(block past\)"):
        assert re.search(pattern, message), (pattern, message)
    assert sent(mockqb_quickbooks, "TimeTrackingAddRq") == []

    for _, kind, name in inactive.values():
        mockqb_company.find_by_name((kind,), name)[1]["IsActive"] = True  # made active again in QuickBooks
    assert webconnector.run_update().ok
    assert_landed_once(bridge, mockqb_company, blocks)
