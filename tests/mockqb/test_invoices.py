"""InvoiceAdd/Mod/Query against the sample company, driven with real qbXML (Intuit's samples included).

Every response is checked against Intuit's qbXML 16.0 schema; every refused request must leave the
company exactly as it was.
"""

from __future__ import annotations

import pytest

# Fixtures used here, from conftest.py: books (a Books on the sample company), schema16, request_samples.
from qbxml_helpers import NOT_IN_LIST, Books, ref

from qbbridge.mockqb.company import CompanyFile
from qbbridge.mockqb.sample import sample_company
from qbbridge.mockqb.testing import Answer


def line(item: str | None = "Consulting", body: str = "") -> str:
    return f"<InvoiceLineAdd>{ref('ItemRef', item) if item else ''}{body}</InvoiceLineAdd>"


def line_mod(line_id: str, body: str = "") -> str:
    """An InvoiceLineMod: ``-1`` adds a line, an existing TxnLineID edits it."""
    return f"<InvoiceLineMod><TxnLineID>{line_id}</TxnLineID>{body}</InvoiceLineMod>"


def add(customer: str = "Acme Corp", header: str = "", lines: str = "",
        date: str | None = "2026-11-18") -> str:
    """An InvoiceAddRq; ``header`` goes after TxnDate (RefNumber … ExternalGUID, in schema order)."""
    txn_date = f"<TxnDate>{date}</TxnDate>" if date else ""
    return (f'<InvoiceAddRq requestID="a"><InvoiceAdd>{ref("CustomerRef", customer)}{txn_date}{header}'
            f"{lines or line()}</InvoiceAdd></InvoiceAddRq>")


def mod(ret, body: str) -> str:
    return (f'<InvoiceModRq requestID="m"><InvoiceMod><TxnID>{ret.findtext("TxnID")}</TxnID>'
            f'<EditSequence>{ret.findtext("EditSequence")}</EditSequence>{body}</InvoiceMod></InvoiceModRq>')


def query(body: str = "", attrs: str = "") -> str:
    return f'<InvoiceQueryRq requestID="q"{attrs}>{body}</InvoiceQueryRq>'


def lines_of(ret) -> list[tuple]:
    return [(r.findtext("ItemRef/FullName"), r.findtext("Desc"), r.findtext("Quantity"), r.findtext("Rate"),
             r.findtext("Amount")) for r in ret.findall("InvoiceLineRet")]


# -- InvoiceAdd ---------------------------------------------------------------------------------------
def test_add_fills_in_what_quickbooks_fills_in(books):
    answer = books.one(add("acme corp:roof repair:PHASE 2", lines=(
        line("consulting", "<Quantity>2</Quantity>")
        + line("Labor:Overtime", "<Desc>Saturday</Desc><Quantity>3</Quantity><Rate>33.333</Rate>")
        + line(None, "<Desc>Thank you</Desc>"))))
    assert (answer.code, answer.message) == (0, "Status OK")
    ret = answer.ret()
    assert ret.findtext("CustomerRef/FullName") == "Acme Corp:Roof repair:Phase 2"
    assert ret.findtext("ARAccountRef/FullName") == "Accounts Receivable"
    assert lines_of(ret) == [("Consulting", "Consulting services", "2", "125.00", "250.00"),
                             ("Labor:Overtime", "Saturday", "3", "33.333", "100.00"),
                             (None, "Thank you", None, None, None)]
    expected = {"RefNumber": "1", "TxnDate": "2026-11-18", "DueDate": "2026-11-18", "ShipDate": "2026-11-18",
                "Subtotal": "350.00", "SalesTaxPercentage": "0.00", "SalesTaxTotal": "0.00",
                "AppliedAmount": "0.00", "BalanceRemaining": "350.00", "IsPaid": "false",
                "IsPending": "false", "IsToBePrinted": "true", "IsToBeEmailed": "false"}
    assert {tag: ret.findtext(tag) for tag in expected} == expected
    line_ids = [r.findtext("TxnLineID") for r in ret.findall("InvoiceLineRet")]
    assert len(set(line_ids)) == 3 and ret.findtext("TxnID") not in line_ids


def test_add_by_list_id(books):
    baker = ref("CustomerRef", list_id=books.list_id("Customer", "Baker Bakery"))
    request = add(lines=line(None, "<Desc>x</Desc>")).replace(ref("CustomerRef", "Acme Corp"), baker)
    assert books.one(request).ret().findtext("CustomerRef/FullName") == "Baker Bakery"


def test_ref_numbers_continue_after_the_highest_number(books):
    numbers = [books.one(add(header=header)).ret().findtext("RefNumber")
               for header in ("", "<RefNumber>1005</RefNumber>", "<RefNumber>INV-9999</RefNumber>", "")]
    assert numbers == ["1", "1005", "INV-9999", "1006"]


@pytest.mark.parametrize(("body", "rate", "amount"), [
    ("<Quantity>2</Quantity><Rate>10.00</Rate><Amount>25.00</Amount>", "10.00", "25.00"),  # Amount wins
    ("<Quantity>4</Quantity><Amount>50.00</Amount>", "12.50", "50.00"),  # Rate = Amount / Quantity
    ("<Amount>80.00</Amount>", "80.00", "80.00"),
    ("<Rate>99.5</Rate>", "99.50", "99.50"),  # a blank Quantity counts as one
])
def test_amount_and_rate(books, body, rate, amount):
    (got,) = lines_of(books.one(add(lines=line("Consulting", body))).ret())
    assert got[3:] == (rate, amount)


def invalid(label: str, value: str, where: str) -> str:
    return f'There is an invalid reference to QuickBooks {label} "{value}" in the {where}.  {NOT_IN_LIST}'


@pytest.mark.parametrize(("request_xml", "message"), [
    (add("Nobody"), invalid("Customer", "Nobody", "Invoice")),
    (add("Closed Co"), invalid("Customer", "Closed Co", "Invoice")),
    (add(lines=line("Widgets")), invalid("Item", "Widgets", "Invoice line")),
    (add(lines=line("Consulting") + line("Discontinued service")),
     invalid("Item", "Discontinued service", "Invoice line")),
    (add(lines=line("Consulting", ref("ClassRef", "Nowhere"))), invalid("Class", "Nowhere", "Invoice line")),
])
def test_invalid_references_are_3140(books, request_xml, message):
    answer = books.refused(request_xml)
    assert (answer.code, answer.message) == (3140, message)


def test_the_ar_account_must_be_a_receivable_account(books):
    request = add().replace("<TxnDate>", ref("ARAccountRef", "Checking") + "<TxnDate>")
    answer = books.refused(request)
    assert (answer.code, answer.message) == (3140, invalid("Account", "Checking", "Invoice"))


def test_classes_need_class_tracking(books):
    with_class = add().replace("<TxnDate>", ref("ClassRef", "Office") + "<TxnDate>")
    assert books.one(with_class).ret().findtext("ClassRef/FullName") == "Office"
    books.company.info["IsUsingClassTracking"] = False
    answer = books.refused(with_class)
    assert (answer.code, answer.message) == (
        3250, "This feature is not enabled or not available in this version of QuickBooks.")


def test_the_closing_date_refuses_invoices_on_or_before_it(books):
    books.company.info["ClosingDate"] = "2026-11-18"
    answer = books.refused(add())
    assert (answer.code, answer.message) == (3180, (
        "There was an error when saving a Invoice.  QuickBooks error message: The transaction date "
        "is on or before the closing date (2026-11-18) of this company file."))
    assert books.one(add(date=None)).code == 0  # today, 2026-11-20


def test_item_groups_are_not_simulated(books):
    group = "<InvoiceLineGroupAdd><ItemGroupRef><FullName>Kit</FullName></ItemGroupRef></InvoiceLineGroupAdd>"
    answer = books.refused(add(lines=group))
    assert (answer.code, answer.severity) == (1030, "Error")
    assert answer.message == "mockqb does not simulate InvoiceLineGroupAdd in InvoiceAdd."


def test_a_line_without_an_item_cannot_carry_an_amount(books):
    answer = books.refused(add(lines=line(None, "<Desc>Misc</Desc><Amount>10.00</Amount>")))
    assert (answer.code, answer.message) == (3180, (
        "There was an error when saving a Invoice.  QuickBooks error message: "
        "A line with a quantity, rate or amount needs an item."))


# -- InvoiceMod ---------------------------------------------------------------------------------------
def created(books: Books):
    lines = line("Consulting", "<Quantity>2</Quantity>") + line("Labor", "<Quantity>1</Quantity>")
    return books.one(add(lines=lines)).ret()


def test_mod_edits_listed_lines_adds_new_ones_and_deletes_the_rest(books):
    ret = created(books)
    first, second = (r.findtext("TxnLineID") for r in ret.findall("InvoiceLineRet"))
    body = ("<Memo>revised</Memo>" + line_mod(first, "<Quantity>3</Quantity>")
            + line_mod("-1", ref("ItemRef", "Installation")))
    answer = books.one(mod(ret, body))
    assert answer.code == 0
    new = answer.ret()
    assert new.findtext("Memo") == "revised" and new.findtext("EditSequence") != ret.findtext("EditSequence")
    assert lines_of(new) == [("Consulting", "Consulting services", "3", "125.00", "375.00"),
                             ("Installation", "Installation labor", None, "85.00", "85.00")]
    ids = [r.findtext("TxnLineID") for r in new.findall("InvoiceLineRet")]
    assert ids[0] == first and second not in ids
    assert (new.findtext("Subtotal"), new.findtext("BalanceRemaining")) == ("460.00", "460.00")


def test_mod_without_line_mods_keeps_the_lines(books):
    ret = created(books)
    new = books.one(mod(ret, "<RefNumber>A-7</RefNumber>")).ret()
    assert new.findtext("RefNumber") == "A-7" and lines_of(new) == lines_of(ret)


def test_changing_the_item_brings_its_description_and_price(books):
    ret = created(books)
    first = ret.find("InvoiceLineRet").findtext("TxnLineID")
    body = line_mod(first, ref("ItemRef", "Labor"))
    assert lines_of(books.one(mod(ret, body)).ret()) == [("Labor", "General labor", "2", "60.00", "120.00")]


def test_mod_with_a_stale_edit_sequence_is_3200(books):
    ret = created(books)
    assert books.one(mod(ret, "<Memo>one</Memo>")).code == 0
    answer = books.refused(mod(ret, "<Memo>two</Memo>"))
    assert (answer.code, answer.message) == (
        3200, f'The provided edit sequence "{ret.findtext("EditSequence")}" is out-of-date.')


@pytest.mark.parametrize("txn_id", ["FFFF-1", "time"])
def test_mod_of_an_unknown_invoice_is_3120(books, txn_id):
    if txn_id == "time":  # a TimeTracking TxnID is not an invoice
        request = ("<TimeTrackingAddRq><TimeTrackingAdd><EntityRef><FullName>Jane Doe</FullName></EntityRef>"
                   "<Duration>PT1H</Duration></TimeTrackingAdd></TimeTrackingAddRq>")
        txn_id = books.one(request).ret().findtext("TxnID")
    request = (f"<InvoiceModRq><InvoiceMod><TxnID>{txn_id}</TxnID><EditSequence>1</EditSequence>"
               "</InvoiceMod></InvoiceModRq>")
    answer = books.refused(request)
    message = f'Object "{txn_id}" specified in the request cannot be found.  {NOT_IN_LIST}'
    assert (answer.code, answer.message) == (3120, message)


def test_mod_of_an_unknown_line_is_3120_and_changes_nothing(books):
    ret = created(books)
    answer = books.refused(mod(ret, "<Memo>x</Memo>" + line_mod("NOPE-1")))
    assert answer.code == 3120 and '"NOPE-1"' in answer.message


def test_mod_refuses_clearing_a_quantity(books):
    ret = created(books)
    first = ret.find("InvoiceLineRet").findtext("TxnLineID")
    answer = books.refused(mod(ret, line_mod(first, "<Quantity></Quantity>")))
    assert (answer.code, answer.message) == (3210, (
        'The "Quantity" field has an invalid value "".  '
        "QuickBooks error message: This field cannot be cleared."))


def test_mod_cannot_move_an_invoice_into_the_closed_period(books):
    ret = created(books)
    books.company.info["ClosingDate"] = "2026-10-31"
    answer = books.refused(mod(ret, "<TxnDate>2026-10-30</TxnDate>"))
    assert answer.code == 3180


# -- elements QuickBooks Desktop ignores ----------------------------------------------------------------
def assert_ignored(answer: Answer, field: str) -> None:
    """530 (Warn) naming ``field``, with the saved invoice returned."""
    assert (answer.code, answer.severity) == (530, "Warn")
    assert answer.message == f'The field "{field}" is not supported by this implementation.'
    assert len(answer.rets()) == 1


DISCOUNT = "<DiscountLineAdd><Amount>10.00</Amount><IsTaxable>true</IsTaxable></DiscountLineAdd>"
SALES_TAX = "<SalesTaxLineAdd><RatePercent>8.5</RatePercent></SalesTaxLineAdd>"
SHIPPING = ("<ShippingLineAdd><Amount>15.00</Amount><AccountRef><FullName>No such account</FullName>"
            "</AccountRef></ShippingLineAdd>")


@pytest.mark.parametrize(("header", "lines", "field"), [
    ("<IsTaxIncluded>true</IsTaxIncluded>", line(), "IsTaxIncluded"),
    ("", line("Consulting", "<Amount>125.00</Amount><TaxAmount>9.00</TaxAmount>"), "TaxAmount"),
    ("", line("Consulting", "<IsTaxable>true</IsTaxable>"), "IsTaxable"),
    ("", line() + DISCOUNT, "DiscountLineAdd"),
    ("", line() + SALES_TAX, "SalesTaxLineAdd"),
    ("", line() + SHIPPING, "ShippingLineAdd"),
    ("<IsTaxIncluded>0</IsTaxIncluded>", line("Consulting", "<TaxAmount>1.00</TaxAmount>") + SHIPPING,
     "IsTaxIncluded"),  # only one status fits: the first ignored element is named
])
def test_elements_not_in_qbd_are_ignored_with_530_and_the_invoice_saved(books, header, lines, field):
    """Intuit's catalogue marks these "not in QBD": QuickBooks Desktop ignores them, and so does mockqb
    (their contents unread: the shipping line's account need not exist)."""
    answer = books.one(add(header=header, lines=lines))
    assert_ignored(answer, field)
    ret = answer.ret()
    assert lines_of(ret) == [("Consulting", "Consulting services", None, "125.00", "125.00")]
    assert (ret.findtext("Subtotal"), ret.findtext("SalesTaxTotal"), ret.findtext("BalanceRemaining")) == (
        "125.00", "0.00", "125.00")
    stored = books.company.get(ret.findtext("TxnID"))[1]
    assert field not in stored and all(field not in stored_line for stored_line in stored["InvoiceLineRet"])


def test_elements_not_in_qbd_are_ignored_with_530_in_a_mod(books):
    ret = created(books)
    first = ret.find("InvoiceLineRet").findtext("TxnLineID")
    body = ("<Memo>taxed</Memo><IsTaxIncluded>true</IsTaxIncluded>"
            + line_mod(first, "<Quantity>4</Quantity><TaxAmount>3.00</TaxAmount>"))
    answer = books.one(mod(ret, body))
    assert_ignored(answer, "IsTaxIncluded")
    assert answer.ret().findtext("Memo") == "taxed"
    assert lines_of(answer.ret()) == [("Consulting", "Consulting services", "4", "125.00", "500.00")]
    assert_ignored(books.one(mod(answer.ret(), line_mod(first, "<TaxAmount>3.00</TaxAmount>"))), "TaxAmount")


def test_an_error_outranks_the_530_and_qbd_elements_stay_1030(books):
    answer = books.refused(add("Nobody", header="<IsTaxIncluded>true</IsTaxIncluded>"))
    assert (answer.code, answer.message) == (3140, invalid("Customer", "Nobody", "Invoice"))
    sales_tax_code = "<SalesTaxCodeRef><FullName>Tax</FullName></SalesTaxCodeRef>"
    answer = books.refused(add(lines=line("Consulting", sales_tax_code + "<IsTaxable>true</IsTaxable>")))
    expected = "mockqb does not simulate SalesTaxCodeRef in InvoiceLineAdd."
    assert (answer.code, answer.message) == (1030, expected)


# -- InvoiceQuery -------------------------------------------------------------------------------------
def seed(books: Books) -> list[str]:
    rows = [("Acme Corp", "2026-11-18", "100"), ("Baker Bakery", "2026-11-17", "101"),
            ("Acme Corp:Roof repair", "2026-11-17", "102"),
            ("Acme Corp:Roof repair:Phase 2", "2026-11-19", "99"),
            ("Baker Bakery:Kitchen remodel", "2026-10-02", "INV-A")]
    return [books.one(add(customer, f"<RefNumber>{number}</RefNumber>", date=day)).ret().findtext("TxnID")
            for customer, day, number in rows]


def ids_of(answer: Answer) -> list[str]:
    return [r.findtext("TxnID") for r in answer.rets()]


def test_intuit_sample_query_returns_every_invoice_without_lines(books, request_samples):
    ids = seed(books)
    (answer,) = books.process((request_samples / "intuit_InvoiceQueryRq.xml").read_text())
    assert (answer.code, answer.request_id) == (0, "4")
    assert ids_of(answer) == [ids[4], ids[1], ids[2], ids[0], ids[3]]
    assert all(r.find("InvoiceLineRet") is None for r in answer.rets())
    assert answer.rets()[0].find("IsToBeEmailed") is not None  # v6.0 field, asked at 8.0


def test_include_line_items_returns_the_lines(books):
    seed(books)
    answer = books.one(query("<RefNumber>100</RefNumber><IncludeLineItems>true</IncludeLineItems>"))
    assert lines_of(answer.ret()) == [("Consulting", "Consulting services", None, "125.00", "125.00")]


def test_intuit_sample_invoice_add_is_processed_as_quickbooks_would(schema16, request_samples):
    company = sample_company()
    customer = company.add_list_element("Customer", "Willington Store")
    customer["ListID"] = "F560000-1197683156"  # the ListID the sample refers to
    company.add_list_element("ItemService", "Downloaded Invoice",
                             SalesOrPurchase={"Desc": "Downloaded", "Price": "1.00"})
    books = Books(schema16, CompanyFile.from_json(company.to_json(), clock=company.clock))
    (answer,) = books.process((request_samples / "qbwc-qbxml_invoice_add_rq.xml").read_text())
    assert (answer.code, answer.request_id) == (0, "2")
    ret = answer.ret()
    assert (ret.findtext("CustomerRef/FullName"), ret.findtext("RefNumber"), ret.findtext("TxnDate")) == (
        "Willington Store", "9668", "2007-12-14")
    assert ret.findtext("BillAddress/PostalCode") == "06279" and ret.find("PONumber") is None
    assert lines_of(ret) == [("Downloaded Invoice", "Item 1 Description Goes Here", "1", "295.00", "295.00"),
                             ("Downloaded Invoice", "Item 2 Description Goes Here", "3", "25.00", "75.00")]
    assert ret.findtext("Subtotal") == "370.00"
    assert ret.find("IsToBeEmailed") is None  # qbXML 2.0 has no IsToBeEmailed


def test_ref_numbers_match_case_insensitively_and_missing_ones_are_status_1(books):
    ids = seed(books)
    listed = query("<RefNumber>inv-a</RefNumber><RefNumber>99</RefNumber>")
    assert ids_of(books.one(listed)) == [ids[4], ids[3]]
    assert books.one(query("<RefNumberCaseSensitive>inv-a</RefNumberCaseSensitive>")).code == 1


def test_ref_number_filter_and_numeric_range(books):
    ids = seed(books)
    starts = ("<RefNumberFilter><MatchCriterion>StartsWith</MatchCriterion><RefNumber>10</RefNumber>"
              "</RefNumberFilter>")
    assert ids_of(books.one(query(starts))) == [ids[1], ids[2], ids[0]]
    span = ("<RefNumberRangeFilter><FromRefNumber>99</FromRefNumber><ToRefNumber>101</ToRefNumber>"
            "</RefNumberRangeFilter>")
    assert ids_of(books.one(query(span))) == [ids[1], ids[0], ids[3]]


def test_entity_filter_with_children_takes_every_job(books):
    ids = seed(books)
    body = "<EntityFilter><FullNameWithChildren>acme corp</FullNameWithChildren></EntityFilter>"
    assert ids_of(books.one(query(body))) == [ids[2], ids[0], ids[3]]
    acme = books.list_id("Customer", "Acme Corp")
    assert ids_of(books.one(query(f"<EntityFilter><ListID>{acme}</ListID></EntityFilter>"))) == [ids[0]]


def test_date_range_and_entity_filter_page_through_an_iterator(books):
    ids = seed(books)
    body = ("<MaxReturned>2</MaxReturned><TxnDateRangeFilter><FromTxnDate>2026-11-01</FromTxnDate>"
            "</TxnDateRangeFilter><EntityFilter><FullNameWithChildren>Acme Corp</FullNameWithChildren>"
            "</EntityFilter>")
    first = books.one(query(body, ' iterator="Start"'))
    assert ids_of(first) == [ids[2], ids[0]] and first.element.get("iteratorRemainingCount") == "1"
    more = f' iterator="Continue" iteratorID="{first.element.get("iteratorID")}"'
    second = books.one(query(body, more))
    assert ids_of(second) == [ids[3]] and second.element.get("iteratorRemainingCount") == "0"


def test_paid_status_and_txn_id_lookups(books):
    ids = seed(books)
    assert books.one(query("<PaidStatus>PaidOnly</PaidStatus>")).code == 1
    assert len(books.one(query("<PaidStatus>NotPaidOnly</PaidStatus>")).rets()) == 5
    answer = books.one(query(f"<TxnID>{ids[1]}</TxnID><TxnID>GONE-1</TxnID>"))
    assert (answer.code, ids_of(answer)) == (500, [ids[1]])
    assert '("GONE-1")' in answer.message
