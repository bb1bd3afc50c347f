"""Invoice lines as QuickBooks shows them: descriptions (T8) and classes (T9), end to end over SOAP.

Rule: a line's own description wins; otherwise its Desc is the part's name and/or description as the
company settings "Include Part Number Name / Description On Invoice By Default" say, and nothing at all
when both are off. The class is the dimension named exactly ``class`` of type exactly ``custom``; its
value must be a QuickBooks class FullName letter for letter (``Field:North``) and becomes the ClassRef of
the invoice or the line. A class QuickBooks lacks, an inactive one, one spelled otherwise, or class
tracking turned off stops that invoice with a message naming it, the value and the fix; once fixed it
goes out once.
"""

from __future__ import annotations

import pytest
from invoices_kit import (
    Invoice,
    Line,
    Part,
    assert_invoices_landed_once,
    class_dimension,
    configure,
    invoices_by_ref,
    line_descriptions,
    records,
    serving,
    submit,
)

pytestmark = pytest.mark.e2e

PARTS = {"PN-1": Part("Hex bolt M8", description="Stainless hex bolt"), "PN-2": Part("Washer M8")}
ITEMS = {key: part.name for key, part in PARTS.items()}


@pytest.fixture
def bridge(database_url, mockqb_quickbooks):
    yield from serving(database_url, mockqb_quickbooks)


# --- T8 -------------------------------------------------------------------------------------------------


DESCRIPTIONS = {  # (include_part_name, include_part_description) -> Desc of lines 1-3
    ("true", "true"): ["Hex bolt M8\nStainless hex bolt", "Washer M8", "Cut to length"],
    ("true", "false"): ["Hex bolt M8", "Washer M8", "Cut to length"],
    ("false", "true"): ["Stainless hex bolt", "", "Cut to length"],
    ("false", "false"): ["", "", "Cut to length"],
}


@pytest.mark.parametrize("settings", list(DESCRIPTIONS), ids=lambda pair: "name={}-desc={}".format(*pair))
def test_line_descriptions_follow_the_include_part_settings(bridge, webconnector, mockqb_company, settings):
    with_name, with_description = settings
    configure(bridge, invoices={"include_part_name": with_name, "include_part_description": with_description})
    submit(bridge, "parts", PARTS)
    invoice = Invoice(lines=(Line("PN-1"), Line("PN-2"), Line("PN-1", description="Cut to length")))
    submit(bridge, "invoices", {"INV-1": invoice}, finalized=True)

    update = webconnector.run_update()
    assert update.ok, update.summary()
    assert_invoices_landed_once(bridge, mockqb_company, {"INV-1": invoice}, ITEMS)
    txn_id = records(bridge, "invoices")["INV-1"]["qb_id"]
    # no Desc, or an empty one: QuickBooks shows no text (it did not copy the item's own description)
    shown = [desc or "" for desc in line_descriptions(mockqb_company, txn_id)]
    assert shown == DESCRIPTIONS[settings]


# --- T9 -------------------------------------------------------------------------------------------------


def test_the_class_dimension_becomes_the_class_of_the_invoice_and_its_lines(bridge, webconnector,
                                                                            mockqb_company):
    look_alikes = (class_dimension("Office", name="Class"), class_dimension("Field:South", kind="standard"),
                   {"name": "region", "type": "custom", "value": "West"})
    invoices = {
        "INV-1": Invoice(lines=(Line("PN-1", klass="Office"), Line("PN-2", klass="Field"), Line("PN-2")),
                         klass="Field:North", dimensions=look_alikes),
        "INV-2": Invoice(lines=(Line("PN-1"),), dimensions=look_alikes),  # no class at all
    }
    submit(bridge, "parts", PARTS)
    submit(bridge, "invoices", invoices, finalized=True)

    update = webconnector.run_update()
    assert update.ok, update.summary()
    assert_invoices_landed_once(bridge, mockqb_company, invoices, ITEMS)  # classes compared by FullName


def _add_class(company, name: str) -> None:
    company.add_list_element("Class", name.rpartition(":")[2],
                             parent_id=company.find_by_name(("Class",), name.rpartition(":")[0])[1]["ListID"])


def _activate(company, name: str) -> None:
    company.find_by_name(("Class",), name)[1]["IsActive"] = True


def _tracking_on(company, _name: str) -> None:
    company.info["IsUsingClassTracking"] = True


CLASS_PROBLEMS = {  # case -> (header class, line class, what the message says, fix in QuickBooks)
    "missing": ("Field:East", None, "class 'Field:East'", _add_class),
    "missing-on-a-line": (None, "Field:East", "class 'Field:East'", _add_class),
    "inactive": ("Old Projects", None, "inactive class (make it active) 'Old Projects'", _activate),
    "tracking-off": ("Field", None, "Use class tracking) for class 'Field'", _tracking_on),
}


@pytest.mark.parametrize("case", list(CLASS_PROBLEMS))
def test_a_class_quickbooks_cannot_take_stops_the_invoice_until_fixed(bridge, webconnector, mockqb_company,
                                                                      case):
    header, on_line, said, fix = CLASS_PROBLEMS[case]
    if case == "tracking-off":
        mockqb_company.info["IsUsingClassTracking"] = False
    invoice = Invoice(lines=(Line("PN-1", klass=on_line),), klass=header)
    submit(bridge, "parts", PARTS)
    submit(bridge, "invoices", {"INV-C": invoice}, finalized=True)

    update = webconnector.run_update()
    assert not update.ok, update.summary()
    message = update.status
    assert said in message and "INV-C" in message and "Update Selected" in message, message
    assert invoices_by_ref(mockqb_company) == {}
    error = records(bridge, "invoices")["INV-C"]["error"]
    value = header or on_line
    assert "INV-C" in error and f"'{value}'" in error, error

    fix(mockqb_company, value)
    fixed = webconnector.run_update()
    assert fixed.ok, fixed.summary()
    assert_invoices_landed_once(bridge, mockqb_company, {"INV-C": invoice}, ITEMS)


def test_a_class_spelled_unlike_quickbooks_is_rejected_until_the_host_corrects_it(bridge, webconnector,
                                                                                  mockqb_company):
    submit(bridge, "parts", PARTS)
    submit(bridge, "invoices", {"INV-S": Invoice(lines=(Line("PN-1"),), klass="field:north")}, finalized=True)

    update = webconnector.run_update()
    row = records(bridge, "invoices")["INV-S"]
    assert not update.ok and row["state"] == "rejected", update.summary()
    assert "Invoice INV-S" in row["error"] and "'field:north'" in row["error"], row["error"]
    assert "does not match the QuickBooks class 'Field:North' exactly" in row["error"], row["error"]
    assert row["error"] in update.status
    assert invoices_by_ref(mockqb_company) == {}

    corrected = Invoice(lines=(Line("PN-1"),), klass="Field:North")
    submit(bridge, "invoices", {"INV-S": corrected}, finalized=True)
    fixed = webconnector.run_update()
    assert fixed.ok, fixed.summary()
    assert_invoices_landed_once(bridge, mockqb_company, {"INV-S": corrected}, ITEMS)
