"""Fixes from the simulator review: each refusal below used to be accepted (or stored something a qbXML
response cannot carry). Every answer is checked against Intuit's qbXML 16.0 schema (``books``), and every
refused request must leave ``company.snapshot()`` exactly as it was.

1. InvoiceMod naming one TxnLineID twice (3180).
2. Worked-out amounts beyond AMTTYPE/PRICETYPE: Quantity × Rate, Amount / Quantity, the Subtotal, a
   customer's Balance and an ancestor's TotalBalance (3210).
3. List names that are blank or hold the hierarchy separator ":" (3180).
4. Elements newer than the message set's declared qbXML version (a parse error).
5. An invoice totalling below zero (3180) and a negative TimeTracking Duration (3210).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

# Fixtures used here, from conftest.py: books (a Books on ``company``), company, process, reference_dir.
from qbxml_helpers import Books, list_element, list_mod, ref

from qbbridge.mockqb.errors import QbXmlParseError
from qbbridge.mockqb.shapes_data import REQUESTS
from qbbridge.mockqb.shapes_versions import SINCE
from qbbridge.mockqb.testing import message_set
from qbbridge.mockqb.validation import validate_message_set

SAVE_INVOICE = "There was an error when saving a Invoice.  QuickBooks error message: "
OUT_OF_RANGE = ("QuickBooks error message: The result is out of range: a QuickBooks amount has at most 13 "
                "digits before the decimal point.")
BIG = "9999999999999.00"  # the largest AMTTYPE with cents
GUID = "{6B29FC40-CA47-1067-B31D-00DD010662DA}"


def refused(books: Books, request: str, code: int, message: str | None = None):
    """Send ``request``: it must fail with ``code`` (and ``message``), return no data, change nothing."""
    before = books.company.snapshot()
    answer = books.one(request)
    assert (answer.code, answer.severity, answer.rets()) == (code, "Error", [])
    assert message is None or answer.message == message
    assert books.company.snapshot() == before
    return answer


def accepted(books: Books, request: str):
    answer = books.one(request)
    assert (answer.code, answer.message) == (0, "Status OK")
    return answer.ret()


def line(body: str, item: str = "Consulting") -> str:
    return f"<InvoiceLineAdd>{ref('ItemRef', item)}{body}</InvoiceLineAdd>"


def invoice(customer: str, *lines: str) -> str:
    body = "".join(lines) or line("<Amount>1.00</Amount>")
    return (f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', customer)}<TxnDate>2026-11-18</TxnDate>{body}"
            "</InvoiceAdd></InvoiceAddRq>")


def invoice_mod(ret, body: str) -> str:
    return (f"<InvoiceModRq><InvoiceMod><TxnID>{ret.findtext('TxnID')}</TxnID><EditSequence>"
            f"{ret.findtext('EditSequence')}</EditSequence>{body}</InvoiceMod></InvoiceModRq>")


def line_mod(line_id: str, body: str = "") -> str:
    return f"<InvoiceLineMod><TxnLineID>{line_id}</TxnLineID>{body}</InvoiceLineMod>"


def amount_line(amount: str) -> str:
    return line(f"<Amount>{amount}</Amount>")


def big_line(amount: str) -> str:
    """A line of ``amount`` over 10000 units, so its worked-out Rate (Amount / Quantity) fits PRICETYPE."""
    return line(f"<Quantity>10000</Quantity><Amount>{amount}</Amount>")


def out_of_range(field: str, value: str) -> str:
    return f'The "{field}" field has an invalid value "{value}".  {OUT_OF_RANGE}'


# -- 1. one TxnLineID twice ---------------------------------------------------------------------------
def test_invoice_mod_naming_a_txn_line_id_twice_is_refused(books):
    ret = accepted(books, invoice("Baker Bakery", line("<Quantity>2</Quantity><Rate>10</Rate>")))
    line_id = ret.findtext("InvoiceLineRet/TxnLineID")
    twice = line_mod(line_id, "<Quantity>3</Quantity>") + line_mod(line_id, "<Quantity>5</Quantity>")
    refused(books, invoice_mod(ret, twice), 3180,
            f'{SAVE_INVOICE}The line with TxnLineID "{line_id}" is listed more than once.')
    new_lines = line_mod("-1", ref("ItemRef", "Labor")) + line_mod("-1", ref("ItemRef", "Labor"))
    changed = accepted(books, invoice_mod(ret, line_mod(line_id) + new_lines))  # -1 may repeat
    assert len({r.findtext("TxnLineID") for r in changed.findall("InvoiceLineRet")}) == 3


# -- 2. amounts beyond qbXML's types ------------------------------------------------------------------
@pytest.mark.parametrize(("lines", "field", "value"), [
    ([line("<Quantity>9999999999</Quantity><Rate>9999999999</Rate>")], "Amount", "99999999980000000001.00"),
    ([line("<Quantity>0.00001</Quantity><Amount>1000000.00</Amount>")], "Rate", "100000000000.00"),
    ([line(f"<Amount>{BIG}</Amount>")], "Rate", BIG),  # no Quantity: Rate = Amount / 1
    ([big_line(BIG), amount_line("1.00")], "Subtotal", "10000000000000.00"),
], ids=["quantity-times-rate", "amount-over-quantity", "amount-over-one", "subtotal"])
def test_worked_out_line_amounts_beyond_qbxml_types_are_refused(books, lines, field, value):
    answer = refused(books, invoice("Baker Bakery", *lines), 3210)
    assert answer.message.startswith(f'The "{field}" field has an invalid value "{value}".')


def test_a_balance_beyond_amttype_is_refused_for_the_customer_and_its_ancestors(books):
    accepted(books, invoice("Baker Bakery", big_line(BIG)))
    refused(books, invoice("Baker Bakery"), 3210, out_of_range("Balance", "10000000000000.00"))
    accepted(books, invoice("Acme Corp:Roof repair", big_line(BIG)))
    # Phase 2's own Balance (1.00) fits; its parent's TotalBalance would not.
    refused(books, invoice("Acme Corp:Roof repair:Phase 2"), 3210,
            out_of_range("TotalBalance", "10000000000000.00"))


def test_an_invoice_mod_or_a_job_move_beyond_amttype_is_refused(books, company):
    accepted(books, invoice("Baker Bakery:Kitchen remodel", big_line("9999999999998.00")))
    small = accepted(books, invoice("Baker Bakery:Kitchen remodel"))
    line_id = small.findtext("InvoiceLineRet/TxnLineID")
    refused(books, invoice_mod(small, line_mod(line_id, "<Amount>2.00</Amount>")), 3210,
            out_of_range("Balance", "10000000000000.00"))
    accepted(books, invoice("Acme Corp", amount_line("5.00")))
    kitchen = list_element(company, "Customer", "Baker Bakery:Kitchen remodel")
    refused(books, list_mod("Customer", kitchen, ref("ParentRef", "Acme Corp")), 3210,
            out_of_range("TotalBalance", "10000000000004.00"))


# -- 3. blank names and names holding ":" -------------------------------------------------------------
def save_list(label: str, name: str, reason: str) -> str:
    return (f'There was an error when saving a {label} list, element "{name}".  QuickBooks error message: '
            f"{reason}")


COLON = "A name cannot contain a colon (:), which separates the levels of a list"
TREE_COLON = COLON + "; use ParentRef to place an element under another."
SERVICE = f"<SalesOrPurchase>{ref('AccountRef', 'Services Income')}</SalesOrPurchase>"
ADDS = {
    "ClassAdd": lambda name: f"<ClassAddRq><ClassAdd><Name>{name}</Name></ClassAdd></ClassAddRq>",
    "ItemServiceAdd": lambda name: (f"<ItemServiceAddRq><ItemServiceAdd><Name>{name}</Name>{SERVICE}"
                                    "</ItemServiceAdd></ItemServiceAddRq>"),
    "CustomerAdd": lambda name: (f"<CustomerAddRq><CustomerAdd><Name>{name}</Name></CustomerAdd>"
                                 "</CustomerAddRq>"),
    "VendorAdd": lambda name: f"<VendorAddRq><VendorAdd><Name>{name}</Name></VendorAdd></VendorAddRq>",
}
LABELS = {"ClassAdd": "Class", "ItemServiceAdd": "Items", "CustomerAdd": "Customer", "VendorAdd": "Vendor"}


@pytest.mark.parametrize("name", ["", "   ", "Field:East", "Acme Corp:Roof repair:Phase 3"])
@pytest.mark.parametrize("request_name", sorted(ADDS))
def test_list_adds_refuse_blank_names_and_colons(books, request_name, name):
    label = LABELS[request_name]
    reason = "A name is required." if not name.strip() else (COLON + "." if label == "Vendor" else TREE_COLON)
    refused(books, ADDS[request_name](name), 3180, save_list(label, name, reason))


def test_employee_add_refuses_a_colon_in_the_name_it_builds(books):
    request = ("<EmployeeAddRq><EmployeeAdd><FirstName>Jo:e</FirstName><LastName>Smith</LastName>"
               "</EmployeeAdd></EmployeeAddRq>")
    refused(books, request, 3180, save_list("Employee", "Jo:e Smith", COLON + "."))


@pytest.mark.parametrize(("kind", "full_name", "label"), [
    ("Class", "Field:North", "Class"), ("ItemService", "Labor:Overtime", "Items"),
    ("Customer", "Acme Corp:Roof repair", "Customer")])
@pytest.mark.parametrize("name", ["", " ", "North:East"])
def test_list_mods_refuse_blank_names_and_colons(books, company, kind, full_name, label, name):
    record = list_element(company, kind, full_name)
    reason = "A name is required." if not name.strip() else TREE_COLON
    refused(books, list_mod(kind, record, f"<Name>{name}</Name>"), 3180, save_list(label, name, reason))


def test_a_colon_free_rename_and_a_subclass_by_parent_ref_still_work(books, company):
    record = list_element(company, "Class", "Field:North")
    assert accepted(books, list_mod("Class", record, "<Name>Northeast</Name>")).findtext("FullName") \
        == "Field:Northeast"
    east = f"<ClassAddRq><ClassAdd><Name>East</Name>{ref('ParentRef', 'Field')}</ClassAdd></ClassAddRq>"
    ret = accepted(books, east)
    assert (ret.findtext("FullName"), ret.findtext("Sublevel")) == ("Field:East", "1")


# -- 4. elements newer than the declared version ------------------------------------------------------
def time_add(tail: str) -> str:
    return (f"<TimeTrackingAddRq><TimeTrackingAdd>{ref('EntityRef', 'Jane Doe')}<Duration>PT1H</Duration>"
            f"{tail}</TimeTrackingAdd></TimeTrackingAddRq>")


NEWER = [
    (time_add("<BillableStatus>NotBillable</BillableStatus>"), "5.0", "BillableStatus", "6.0"),
    (time_add(f"<BillableStatus>NotBillable</BillableStatus><ExternalGUID>{GUID}</ExternalGUID>"), "8.0",
     "ExternalGUID", "9.0"),
    (invoice("Acme Corp").replace("</TxnDate>", "</TxnDate><Other>x</Other>"), "5.0", "Other", "6.0"),
    (invoice("Acme Corp", line("<Other1>x</Other1>")), "5.0", "Other1", "6.0"),
    ("<ClassQueryRq><IncludeRetElement>Name</IncludeRetElement></ClassQueryRq>", "3.0", "IncludeRetElement",
     "4.0"),
    ("<ClassModRq><ClassMod><ListID>1</ListID><EditSequence>1</EditSequence></ClassMod></ClassModRq>", "7.0",
     "ClassModRq", "8.0"),
]


@pytest.mark.parametrize(("request_xml", "version", "element", "since"), NEWER,
                         ids=[f"{case[2]}@{case[1]}" for case in NEWER])
def test_an_element_newer_than_the_declared_version_is_a_parse_error(process, company, request_xml,
                                                                     version, element, since):
    before = company.snapshot()
    with pytest.raises(QbXmlParseError) as caught:
        process(message_set(request_xml, version=version))
    detail = caught.value.detail
    assert f"<{element}> is new in qbXML {since}" in detail and f"declares qbXML {version}" in detail
    assert company.snapshot() == before
    root = etree.fromstring(f'<QBXML><QBXMLMsgsRq onError="stopOnError">{request_xml}</QBXMLMsgsRq></QBXML>')
    for schema_dir in ("auto", None):  # the check does not depend on Intuit's XSDs being present
        with pytest.raises(QbXmlParseError):
            validate_message_set(etree.ElementTree(root), version, schema_dir=schema_dir)


def test_the_same_elements_are_accepted_from_the_version_that_added_them(books):
    ret = books.one(time_add("<BillableStatus>NotBillable</BillableStatus>"), version="6.0").ret()
    assert ret.findtext("BillableStatus") == "NotBillable" and ret.find("ExternalGUID") is None
    assert books.one(invoice("Acme Corp", line("<Other1>x</Other1>")), version="6.0").code == 0


def catalogue_notes(reference_dir: Path) -> dict[str, dict[str, str]]:
    """The "vX.Y" notes of Intuit's catalogue for the requests shapes_data describes, keyed like SINCE."""
    root = etree.parse(str(reference_dir / "samples/intuit_qbxmlops/qbxmlops140.xml")).getroot()
    found: dict[str, dict[str, str]] = {}

    def walk(element: etree._Element, parent: str, path: str) -> None:
        for note in notes_on(element):
            if match := re.search(r"\bv(\d+\.\d+)", note):
                found.setdefault(parent, {})[element.tag] = match[1]
        for child in element.iterchildren(tag=etree.Element):
            walk(child, path, f"{path}/{child.tag}")

    requests: dict[str, etree._Element] = {}
    for request in root.find("QBXMLMsgsRq").iterchildren(tag=etree.Element):
        requests.setdefault(request.tag, request)
    for tag in REQUESTS:
        walk(requests[tag], "", tag)
    return found


def notes_on(element: etree._Element) -> list[str]:
    """The comments about ``element``: the one on its line (after its start tag, or after the element),
    and a "BEGIN OR" comment just before it (``v11.0, BEGIN OR: …`` dates a choice)."""
    near = [element.getprevious(), element.getnext(), *element[:1]]
    return [node.text for node in near if isinstance(node, etree._Comment)
            and (node.sourceline == element.sourceline
                 or (node.getnext() is element and "BEGIN OR" in node.text))]


def test_the_version_table_is_the_catalogue_s(reference_dir):
    notes = catalogue_notes(reference_dir)
    # "v11.0, BEGIN OR: SerialNumber OR LotNumber" dates the whole choice: LotNumber too.
    for fields in notes.values():
        if "SerialNumber" in fields:
            fields["LotNumber"] = fields["SerialNumber"]
    assert SINCE == notes


# -- 5. negative totals and durations -----------------------------------------------------------------
def test_an_invoice_totalling_below_zero_is_refused_and_zero_is_accepted(books):
    negative = f"{SAVE_INVOICE}Transactions must total zero or greater."
    refused(books, invoice("Acme Corp", amount_line("-5.00")), 3180, negative)
    refused(books, invoice("Acme Corp", amount_line("5.00"), amount_line("-5.01")), 3180, negative)
    ret = accepted(books, invoice("Acme Corp", amount_line("5.00"), amount_line("-5.00")))
    assert (ret.findtext("Subtotal"), ret.findtext("IsPaid")) == ("0.00", "true")
    first, second = (r.findtext("TxnLineID") for r in ret.findall("InvoiceLineRet"))
    lowered = line_mod(first, "<Amount>1.00</Amount>") + line_mod(second)  # 1.00 - 5.00
    refused(books, invoice_mod(ret, lowered), 3180, negative)


def test_a_negative_duration_is_refused_and_zero_is_accepted(books):
    reason = "QuickBooks error message: A time duration cannot be negative."
    refused(books, time_add("").replace("PT1H", "-PT2H"), 3210,
            f'The "Duration" field has an invalid value "-PT2H".  {reason}')
    ret = accepted(books, time_add("").replace("PT1H", "PT0M"))
    assert ret.findtext("Duration") == "PT0H0M0S"
    mod = (f"<TimeTrackingModRq><TimeTrackingMod><TxnID>{ret.findtext('TxnID')}</TxnID><EditSequence>"
           f"{ret.findtext('EditSequence')}</EditSequence>{ref('EntityRef', 'Jane Doe')}<Duration>-PT1H"
           "</Duration></TimeTrackingMod></TimeTrackingModRq>")
    refused(books, mod, 3210, f'The "Duration" field has an invalid value "-PT1H".  {reason}')
