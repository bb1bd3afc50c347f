"""PartsHandler.acknowledge: each kind of answer QuickBooks (the simulator) gives to an Add or a lookup."""

from __future__ import annotations

import pytest
from parts_kit import part

from qbbridge.core import Absent, Facts, Failed, Linked, Purpose, QbRequest, QbResult, QbStatus, SentRequest
from qbbridge.plugins.parts.answers import FOUND_AFTER_LOST_ANSWER
from qbbridge.plugins.parts.qbxml import item_add


def add_request(name: str, account: str = "Services Income") -> QbRequest:
    """The Add export builds for part PN-1; ``name`` is not validated, so a test can send what QuickBooks
    refuses."""
    return QbRequest(body=item_add({"name": name}, account), local_key="PN-1", label=f"Part PN-1 ({name})")


def test_an_added_item_links_the_part_and_becomes_a_fact(handler, qb):
    linked, facts = qb.acknowledged(add_request("Hex bolt"))
    _, item = qb.company.find_by_name(("ItemService",), "Hex bolt")
    assert linked == Linked("PN-1", item["ListID"], item["EditSequence"])
    assert facts == Facts({"items": {"hex bolt": {"list_id": item["ListID"], "full_name": "Hex bolt",
                                                  "edit_sequence": item["EditSequence"], "is_active": True}}})


def test_a_name_in_use_fails_naming_the_part_the_name_and_the_fix(handler, qb):
    (failed,) = qb.acknowledged(add_request("consulting"))
    assert isinstance(failed, Failed) and failed.local_key == "PN-1" and failed.status.code == 3100
    assert failed.message.startswith("Part PN-1 (consulting) was not added: the name 'consulting' is already")
    assert "the next update links the part" in failed.message and "rename the part" in failed.message
    assert len(qb.company.records("ItemService")) == 5  # nothing added


def test_a_missing_income_account_fails_naming_the_account_and_the_setting(handler, qb):
    (failed,) = qb.acknowledged(add_request("Hex bolt", account="Sales"))
    assert failed.status.code == 3140
    assert "no active account 'Sales'" in failed.message
    assert "income_account" in failed.message and "parts.income_account" in failed.message


def test_any_other_refusal_fails_naming_the_name_and_the_account(handler, qb):
    (failed,) = qb.acknowledged(add_request("Bad:Name"))  # QuickBooks refuses to save it (3180)
    assert failed.status.code == 3180
    assert failed.message == ("Part PN-1 (Bad:Name) was not added: QuickBooks refused the item. Check the "
                              "part's name 'Bad:Name' and its income account 'Services Income', then update "
                              "again.")


def test_an_add_answer_without_the_item_settles_nothing(handler):
    request = add_request("Hex bolt")
    sent = SentRequest("r1", "parts", Purpose.EXPORT, request.body, "PN-1", request.label)
    empty = QbResult("r1", "ItemServiceAddRs", QbStatus(0, "Info", "Status OK"))
    assert handler.acknowledge(sent, empty) == []


@pytest.mark.parametrize("asked", ["Labor", "LABOR"])
def test_a_lookup_that_finds_the_item_links_the_part(handler, qb, asked):
    outcomes = qb.acknowledged(handler.lookup(part("PN-1", asked)))
    _, labor = qb.company.find_by_name(("ItemService",), "Labor")
    assert outcomes[0] == Linked("PN-1", labor["ListID"], labor["EditSequence"], note=FOUND_AFTER_LOST_ANSWER)
    assert isinstance(outcomes[1], Facts)


def test_a_lookup_that_finds_nothing_lets_the_part_be_sent_again(handler, qb):
    assert qb.acknowledged(handler.lookup(part("PN-1", "Hex bolt"))) == [Absent("PN-1")]


def test_a_lookup_does_not_take_a_sub_item_of_the_same_leaf_name(handler, qb):
    assert qb.acknowledged(handler.lookup(part("PN-1", "Overtime"))) == [Absent("PN-1")]


def test_a_refused_lookup_settles_nothing(handler):
    request = handler.lookup(part("PN-1", "Hex bolt"))
    sent = SentRequest("r1", "parts", Purpose.LOOKUP, request.body, "PN-1", request.label)
    refused = QbResult("r1", "ItemServiceQueryRs", QbStatus(1000, "Error", "Internal error"))
    assert handler.acknowledge(sent, refused) == []
