"""Importables: QuickBooks classes and service items read, then imported or ignored (T5, T6 filter).

Rule: an update reads every class and every service item the "Items into Part Numbers Filter"
(``parts.import_filter``) lets through — active and inactive, named by FullName — into the importables,
each ``new``. Importing one makes a host record already synced to that QuickBooks object (an invoice
using the part then references the item, and nothing is created); ignoring one keeps it ignored through
later reads; an object a host record was linked to by export shows ``linked``. The same actions work
through ``qbbridge importables --json``, ``qbbridge import`` and ``qbbridge ignore``.
"""

from __future__ import annotations

import json

import pytest
from e2e_harness import COMPANY
from invoices_kit import (
    Invoice,
    Line,
    Part,
    assert_invoices_landed_once,
    configure,
    importables,
    items_by_name,
    records,
    run_cli,
    serving,
    states,
    submit,
    tags_sent,
)

pytestmark = pytest.mark.e2e

HOUR = 3600


@pytest.fixture
def bridge(database_url, mockqb_quickbooks):
    yield from serving(database_url, mockqb_quickbooks)


def _read(bridge, webconnector) -> None:
    """An update that reads the lists (the reads are due: first update, or an hour after the last)."""
    bridge.clock.advance(HOUR)
    update = webconnector.run_update()
    assert update.ok, update.summary()


def _in_quickbooks(company, kind: str) -> dict[str, tuple[str, bool]]:
    """What QuickBooks holds of a list: FullName -> (ListID, active)."""
    return {row["FullName"]: (row["ListID"], row["IsActive"]) for row in company.records(kind)}


def _listed(bridge, object_type: str) -> dict[str, tuple[str, bool]]:
    return {name: (row["qb_id"], row["is_active"]) for name, row in importables(bridge, object_type).items()}


def _statuses(bridge, object_type: str) -> dict[str, str]:
    return {name: row["status"] for name, row in importables(bridge, object_type).items()}


def test_every_class_and_service_item_is_read_active_or_not(bridge, webconnector, mockqb_company):
    _read(bridge, webconnector)
    assert _listed(bridge, "classes") == _in_quickbooks(mockqb_company, "Class")
    assert _listed(bridge, "parts") == _in_quickbooks(mockqb_company, "ItemService")
    assert _listed(bridge, "classes")["Old Projects"][1] is False
    assert _listed(bridge, "parts")["Discontinued service"][1] is False
    assert set(_statuses(bridge, "parts").values()) == set(_statuses(bridge, "classes").values()) == {"new"}


def test_import_one_bulk_and_ignore_then_a_new_read_keeps_each_status(bridge, webconnector,
                                                                      mockqb_company, mockqb_quickbooks):
    _read(bridge, webconnector)
    host = bridge.host
    consulting = mockqb_company.find_by_name(("ItemService",), "Consulting")[1]["ListID"]
    one = host.import_objects(COMPANY, "parts", ["Labor:Overtime", consulting])  # by name and by id
    assert (sorted(one.imported), one.refused) == (["Consulting", "Labor:Overtime"], [])
    ignored = host.ignore_objects(COMPANY, "parts", ["Discontinued service"])
    assert ignored.ignored == ["Discontinued service"]
    bulk = host.import_objects(COMPANY, "parts", None)  # every new one: not the ignored one
    assert sorted(bulk.imported) == ["Installation", "Labor"]
    assert host.import_objects(COMPANY, "parts", ["No such item"]).refused[0].startswith(
        "parts 'No such item': no importable")
    imported_classes = host.import_objects(COMPANY, "classes", ["Field:North"])
    assert imported_classes.imported == ["Field:North"]

    parts = records(bridge, "parts")
    for name, (list_id, _) in _in_quickbooks(mockqb_company, "ItemService").items():
        if name != "Discontinued service":
            assert (parts[name]["state"], parts[name]["qb_id"]) == ("synced", list_id), name
    assert "Discontinued service" not in parts
    north = mockqb_company.find_by_name(("Class",), "Field:North")[1]["ListID"]
    assert records(bridge, "classes") and records(bridge, "classes")["Field:North"]["qb_id"] == north

    _read(bridge, webconnector)  # read again: the ignored one stays ignored
    assert _statuses(bridge, "parts") == {"Consulting": "imported", "Labor:Overtime": "imported",
                                          "Installation": "imported", "Labor": "imported",
                                          "Discontinued service": "ignored"}
    assert _statuses(bridge, "classes")["Field:North"] == "imported"

    # an imported part is the QuickBooks item: an invoice using it references it, nothing is created
    items_before = items_by_name(mockqb_company)
    invoice = Invoice(lines=(Line("Labor:Overtime", quantity="3", rate="90"),))
    submit(bridge, "invoices", {"INV-1": invoice}, finalized=True)
    update = webconnector.run_update()
    assert update.ok, update.summary()
    assert_invoices_landed_once(bridge, mockqb_company, {"INV-1": invoice},
                                {"Labor:Overtime": "Labor:Overtime"})
    assert items_by_name(mockqb_company) == items_before
    assert "ItemServiceAddRq" not in tags_sent(mockqb_quickbooks)


def test_an_item_a_part_was_linked_or_added_to_by_export_shows_linked(bridge, webconnector, mockqb_company):
    submit(bridge, "parts", {"PN-L": Part("labor"), "PN-N": Part("Hex bolt M8")})
    submit(bridge, "invoices", {"INV-1": Invoice(lines=(Line("PN-L"), Line("PN-N")))}, finalized=True)
    update = webconnector.run_update()  # the first update reads the items, then exports
    assert update.ok, update.summary()
    assert states(bridge, "parts") == {"PN-L": "synced", "PN-N": "synced"}

    _read(bridge, webconnector)
    statuses = _statuses(bridge, "parts")
    assert statuses["Labor"] == statuses["Hex bolt M8"] == "linked"
    assert statuses["Consulting"] == "new"


FILTERS = {
    "prefix": ("Labor", {"Labor", "Labor:Overtime"}),
    "contains": ("contains:ult", {"Consulting"}),
    "endswith": ("endswith:SERVICE", {"Discontinued service"}),
}


@pytest.mark.parametrize("kind", list(FILTERS))
def test_the_items_into_part_numbers_filter_decides_which_items_become_importable(bridge, webconnector, kind):
    text, expected = FILTERS[kind]
    configure(bridge, parts={"import_filter": text})
    _read(bridge, webconnector)
    assert set(importables(bridge, "parts")) == expected
    assert len(importables(bridge, "classes")) == 5  # the filter is about items only


# --- the same through the command line ------------------------------------------------------------------


def test_the_cli_lists_imports_and_ignores_on_the_same_database(bridge, webconnector, mockqb_company):
    _read(bridge, webconnector)
    listed = run_cli(bridge, "importables", "parts", "--json")
    assert listed.code == 0, listed.err
    rows = json.loads(listed.out)
    assert rows["company"] == COMPANY
    assert {row["name"]: row["qb_id"] for row in rows["importables"]} == {
        name: list_id for name, (list_id, _) in _in_quickbooks(mockqb_company, "ItemService").items()}

    ignored = run_cli(bridge, "ignore", "classes", "Old Projects")
    assert (ignored.code, ignored.out) == (0, f"classes for company '{COMPANY}': 1 ignored, 0 unchanged, "
                                              "0 refused\n")
    imported = run_cli(bridge, "import", "parts", "Labor", "Nothing like it")
    assert imported.code == 1
    assert imported.out == f"parts for company '{COMPANY}': 1 imported, 0 linked, 0 unchanged, 1 refused\n"
    assert imported.err.startswith("parts 'Nothing like it': no importable")
    everything = run_cli(bridge, "import", "classes", "--all")
    assert everything.code == 0 and "4 imported" in everything.out

    assert _statuses(bridge, "classes") == {"Field": "imported", "Field:North": "imported",
                                            "Field:South": "imported", "Office": "imported",
                                            "Old Projects": "ignored"}
    assert _statuses(bridge, "parts")["Labor"] == "imported"
    labor = _in_quickbooks(mockqb_company, "ItemService")["Labor"][0]
    assert records(bridge, "parts")["Labor"]["qb_id"] == labor
    table = run_cli(bridge, "importables", "classes", "--status", "ignored")
    assert table.code == 0 and "Old Projects" in table.out and "Office" not in table.out
