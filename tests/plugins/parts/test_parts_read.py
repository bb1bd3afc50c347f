"""PartsHandler.read and the answers to it: the importables read (filter, schedule, rows), the name check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from parts_kit import ReadCtx, company, invoice, part

from qbbridge.core import Facts, Imported, Purpose, QbRequest
from qbbridge.core.qbxml import build
from qbbridge.plugins.parts.qbxml import all_items, items_named

NOW = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)


def importables_reads(handler, ctx) -> list:
    return [r for r in handler.read(ctx) if r.body.find("FullName") is None]


def imported_rows(qb, request) -> dict:
    outcomes = qb.acknowledged(request)
    assert outcomes and all(isinstance(o, Imported) for o in outcomes)
    return {row.name: row for outcome in outcomes for row in outcome.rows}


@pytest.mark.parametrize(("minutes_ago", "setting", "reads"), [
    (None, None, True), (59, None, False), (60, None, True), (1, 0, True), (1, "0", True),
    (29, 30, False), (31, "30", True), (-5, None, True),  # a last sync in the future: the clock went back
])
def test_the_importables_read_runs_when_never_synced_or_due(handler, minutes_ago, setting, reads):
    last = None if minutes_ago is None else NOW - timedelta(minutes=minutes_ago)
    settings = {} if setting is None else {"parts__read_every_minutes": setting}
    ctx = ReadCtx(company(**settings), last_read_at=last, now=NOW)
    assert len(importables_reads(handler, ctx)) == (1 if reads else 0)


def test_nothing_is_read_when_no_read_is_due_and_no_part_is_due(handler):
    ctx = ReadCtx(company(), last_read_at=NOW - timedelta(minutes=5), now=NOW)
    assert list(handler.read(ctx)) == []


def test_a_stored_setting_that_no_longer_parses_counts_as_unset(handler):
    last = NOW - timedelta(minutes=30)
    ctx = ReadCtx(company(parts__read_every_minutes="often"), last_read_at=last, now=NOW)
    assert importables_reads(handler, ctx) == []  # the default, 60 minutes, is not over


def test_the_importables_read_iterates_over_every_service_item_active_or_not(handler, qb):
    (request,) = handler.read(ReadCtx(company(), now=NOW))
    assert (request.purpose, request.iterate) == (Purpose.READ, True)
    rows = imported_rows(qb, request)
    assert sorted(rows) == ["Consulting", "Discontinued service", "Installation", "Labor", "Labor:Overtime"]
    assert rows["Discontinued service"].is_active is False and rows["Labor"].is_active is True
    labor = qb.company.find_by_name(("ItemService",), "Labor")[1]
    assert (rows["Labor"].qb_id, rows["Labor"].edit_sequence) == (labor["ListID"], labor["EditSequence"])


def test_a_sub_item_is_named_by_its_full_name_and_imports_as_a_valid_part(handler, qb):
    (request,) = handler.read(ReadCtx(company(), now=NOW))
    overtime = imported_rows(qb, request)["Labor:Overtime"]
    record = overtime.data["record"]
    assert record == {"name": "Overtime", "description": "Overtime labor", "price": "90.00",
                      "income_account": "Services Income"}
    assert handler.validate(overtime.name, record) == record  # what an import stores passes validate


@pytest.mark.parametrize(("import_filter", "expected"), [
    ("Labor", ["Labor", "Labor:Overtime"]), ("labor:", ["Labor:Overtime"]),
    ("contains:ON", ["Consulting", "Discontinued service", "Installation"]),
    ("endswith:ING", ["Consulting"]), ("Nothing like it", []),
])
def test_the_items_into_part_numbers_filter_decides_which_items_become_importable(handler, qb, import_filter,
                                                                                   expected):
    (request,) = handler.read(ReadCtx(company(parts__import_filter=import_filter), now=NOW))
    assert sorted(imported_rows(qb, request)) == expected


def test_many_items_come_page_by_page_through_the_iterator(handler, qb):
    account = qb.company.find_by_name(("Account",), "Services Income")[1]["ListID"]
    for n in range(230):
        qb.company.add_list_element("ItemService", f"Bulk {n:03}", SalesOrPurchase={"AccountRef": account})
    (request,) = handler.read(ReadCtx(company(parts__import_filter="Bulk"), now=NOW))
    rows = imported_rows(qb, request)
    assert len(rows) == 230 and len(qb.sent) == 3  # pages of 100
    assert rows["Bulk 229"].data["record"] == {"name": "Bulk 229", "income_account": "Services Income"}


def test_the_same_name_check_asks_once_per_name_for_due_parts_not_linked_yet(handler, qb):
    records = [part("PN-1", "labor"), part("PN-2", "LABOR"), part("PN-3", "Hex bolt"),
               part("PN-4", "Consulting", qb_id="80000001-1"), part("PN-5", "Unused")]
    ctx = ReadCtx(company(), last_read_at=NOW, now=NOW, records=records,
                  invoices=[invoice("INV-1", "PN-1", "PN-2"), invoice("INV-2", "PN-3", "PN-4")])
    (check,) = handler.read(ctx)
    assert check.purpose is Purpose.READ and not check.iterate
    assert [n.text.casefold() for n in check.body.iter("FullName")] == ["hex bolt", "labor"]
    (facts,) = qb.acknowledged(check)  # QuickBooks answers 500 for the missing name and gives the others
    labor = qb.company.find_by_name(("ItemService",), "Labor")[1]
    assert facts == Facts({"items": {"labor": {"list_id": labor["ListID"], "full_name": "Labor",
                                               "edit_sequence": labor["EditSequence"], "is_active": True}}})


def test_the_same_name_check_is_split_into_queries_of_100_names(handler, qb):
    records = [part(f"PN-{n}", f"Part {n:03}") for n in range(250)]
    using = [invoice("INV-1", *(record.local_key for record in records))]
    ctx = ReadCtx(company(), last_read_at=NOW, now=NOW, records=records, invoices=using)
    checks = list(handler.read(ctx))
    assert [len(c.body.findall("FullName")) for c in checks] == [100, 100, 50]
    assert qb.acknowledged(checks[2]) == [Facts({"items": {}})]


@pytest.mark.parametrize("names", [(), ("Labor",)])
def test_a_refused_read_gives_no_outcome(handler, qb, names):
    # An unknown iteratorID is refused with 3391; the importables read and the same-name check alike.
    query = items_named(names) if names else all_items(None)
    body = build.iterator_continue(query, "{not-an-iterator}")
    ((sent, result),) = qb.answers(QbRequest(body=body, purpose=Purpose.READ))
    assert result.status.code == 3391 and result.status.is_error
    assert handler.acknowledge(sent, result) == []


def test_parts_no_due_invoice_uses_are_not_checked(handler):
    ctx = ReadCtx(company(), last_read_at=NOW, now=NOW, records=[part("PN-1", "Hex bolt")],
                  invoices=[invoice("INV-1", "PN-9")])
    assert list(handler.read(ctx)) == []
