"""Customer balances as QuickBooks keeps them, and TotalBalanceFilter on CustomerQuery and VendorQuery.

A customer's (or job's) Balance is the open balance of its own invoices; its TotalBalance adds the
Balances of all its jobs. InvoiceAdd and InvoiceMod keep both up to date, in the same request, for every
customer they touch and its ancestors; a failed request changes none. Every response is checked against
Intuit's qbXML 16.0 schema (the ``books`` and ``process`` fixtures), so Balance/TotalBalance must come in
CustomerRet's schema order.
"""

from __future__ import annotations

import pytest

# Fixtures used here, from conftest.py: books (a Books on the sample company), process.
from qbxml_helpers import Books, ref

from qbbridge.mockqb.testing import Answer, message_set

ACME, ROOF, PHASE2 = "Acme Corp", "Acme Corp:Roof repair", "Acme Corp:Roof repair:Phase 2"
BAKER, KITCHEN = "Baker Bakery", "Baker Bakery:Kitchen remodel"
ACTIVE_CUSTOMERS = [ACME, ROOF, PHASE2, BAKER, KITCHEN]


def line(amount: str, item: str = "Consulting") -> str:
    return f"<InvoiceLineAdd>{ref('ItemRef', item)}<Amount>{amount}</Amount></InvoiceLineAdd>"


def invoice(customer: str, *amounts: str, header: str = "") -> str:
    """An InvoiceAddRq for ``customer`` with one Consulting line per amount; ``header`` after TxnDate."""
    lines = "".join(line(amount) for amount in amounts)
    return (f"<InvoiceAddRq><InvoiceAdd>{ref('CustomerRef', customer)}<TxnDate>2026-11-18</TxnDate>{header}"
            f"{lines}</InvoiceAdd></InvoiceAddRq>")


def invoice_mod(ret, body: str) -> str:
    return (f"<InvoiceModRq><InvoiceMod><TxnID>{ret.findtext('TxnID')}</TxnID><EditSequence>"
            f"{ret.findtext('EditSequence')}</EditSequence>{body}</InvoiceMod></InvoiceModRq>")


def added(books: Books, customer: str, *amounts: str, header: str = ""):
    answer = books.one(invoice(customer, *amounts, header=header))
    assert answer.code == 0, answer.message
    return answer.ret()


def balances(books: Books, *names: str) -> dict[str, tuple[str, str]]:
    """(Balance, TotalBalance) of each customer named, as CustomerQuery reports them."""
    query = "".join(f"<FullName>{name}</FullName>" for name in names)
    answer = books.one(f"<CustomerQueryRq>{query}</CustomerQueryRq>")
    return {ret.findtext("FullName"): (ret.findtext("Balance"), ret.findtext("TotalBalance"))
            for ret in answer.rets()}


def everyone(books: Books) -> dict[str, tuple[str, str]]:
    return balances(books, *ACTIVE_CUSTOMERS, "Closed Co")


def names(answer: Answer) -> list[str]:
    """The customers' FullNames, or the vendors' Names (VendorRet has no FullName)."""
    return [ret.findtext("FullName") or ret.findtext("Name") for ret in answer.rets()]


@pytest.fixture
def owing(books: Books) -> Books:
    """Invoices of 100.00 to Acme Corp, 50.00 to its job Roof repair, 25.00 to the job's job Phase 2."""
    for customer, amount in ((ACME, "100.00"), (ROOF, "50.00"), (PHASE2, "25.00")):
        added(books, customer, amount)
    return books


# -- the sample company and CustomerRet ---------------------------------------------------------------
def test_sample_customers_and_vendors_start_at_zero(books):
    assert set(everyone(books).values()) == {("0.00", "0.00")}
    vendor = books.one("<VendorQueryRq/>").ret()
    assert (vendor.findtext("Name"), vendor.findtext("Balance")) == ("Pat Contractor", "0.00")


def test_balance_and_total_balance_come_in_schema_order(owing):
    """The ``books`` fixture validates every answer; this shows where the two land in a job's CustomerRet."""
    ret = owing.one(f"<CustomerQueryRq><FullName>{ROOF}</FullName></CustomerQueryRq>").ret()
    around = ("Sublevel", "Balance", "TotalBalance", "JobStatus")
    assert [child.tag for child in ret if child.tag in around] == list(around)


# -- InvoiceAdd ---------------------------------------------------------------------------------------
def test_invoices_post_to_the_customer_and_total_up_through_its_ancestors(owing):
    assert everyone(owing) == {
        ACME: ("100.00", "175.00"), ROOF: ("50.00", "75.00"), PHASE2: ("25.00", "25.00"),
        BAKER: ("0.00", "0.00"), KITCHEN: ("0.00", "0.00"), "Closed Co": ("0.00", "0.00")}


def test_a_second_invoice_adds_to_the_balance(owing):
    added(owing, PHASE2, "10.00", "2.50")
    assert balances(owing, ACME, ROOF, PHASE2) == {
        ACME: ("100.00", "187.50"), ROOF: ("50.00", "87.50"), PHASE2: ("37.50", "37.50")}


def test_the_balance_is_up_to_date_for_the_next_request_in_the_same_message_set(process):
    query = f"<CustomerQueryRq><FullName>{ACME}</FullName></CustomerQueryRq>"
    add, customer = process(message_set(invoice(ROOF, "40.00"), query))
    assert add.code == 0
    assert (customer.ret().findtext("Balance"), customer.ret().findtext("TotalBalance")) == ("0.00", "40.00")


def test_posting_a_balance_is_not_an_edit_of_the_customer(owing):
    before = owing.one(f"<CustomerQueryRq><FullName>{ACME}</FullName></CustomerQueryRq>").ret()
    added(owing, ACME, "1.00")
    after = owing.one(f"<CustomerQueryRq><FullName>{ACME}</FullName></CustomerQueryRq>").ret()
    assert after.findtext("Balance") == "101.00"
    assert [after.findtext(tag) for tag in ("EditSequence", "TimeModified")] == [
        before.findtext(tag) for tag in ("EditSequence", "TimeModified")]


def test_a_pending_invoice_posts_nothing_until_it_is_made_final(books):
    ret = added(books, ROOF, "60.00", header="<IsPending>true</IsPending>")
    assert balances(books, ACME, ROOF) == {ACME: ("0.00", "0.00"), ROOF: ("0.00", "0.00")}
    assert books.one(invoice_mod(ret, "<IsPending>false</IsPending>")).code == 0
    assert balances(books, ACME, ROOF) == {ACME: ("0.00", "60.00"), ROOF: ("60.00", "60.00")}


# -- InvoiceMod ---------------------------------------------------------------------------------------
def test_a_mod_changing_lines_changes_the_balances(owing):
    ret = added(owing, PHASE2, "10.00", "20.00")
    first, second = (r.findtext("TxnLineID") for r in ret.findall("InvoiceLineRet"))
    body = (f"<InvoiceLineMod><TxnLineID>{first}</TxnLineID><Amount>12.00</Amount></InvoiceLineMod>"
            f"<InvoiceLineMod><TxnLineID>-1</TxnLineID>{ref('ItemRef', 'Labor')}<Quantity>2</Quantity>"
            "</InvoiceLineMod>")  # the 20.00 line is deleted; Labor is 2 × 60.00
    answer = owing.one(invoice_mod(ret, body))
    assert (answer.code, answer.ret().findtext("BalanceRemaining")) == (0, "132.00")
    assert balances(owing, ACME, ROOF, PHASE2) == {
        ACME: ("100.00", "307.00"), ROOF: ("50.00", "207.00"), PHASE2: ("157.00", "157.00")}


def test_a_mod_moving_the_invoice_to_another_customer_moves_its_balance(owing):
    ret = added(owing, PHASE2, "30.00")
    answer = owing.one(invoice_mod(ret, ref("CustomerRef", KITCHEN)))
    assert (answer.code, answer.ret().findtext("CustomerRef/FullName")) == (0, KITCHEN)
    assert everyone(owing) == {
        ACME: ("100.00", "175.00"), ROOF: ("50.00", "75.00"), PHASE2: ("25.00", "25.00"),
        BAKER: ("0.00", "30.00"), KITCHEN: ("30.00", "30.00"), "Closed Co": ("0.00", "0.00")}


def test_a_mod_moving_the_invoice_and_changing_its_lines_at_once(owing):
    ret = added(owing, ROOF, "30.00")
    line_id = ret.find("InvoiceLineRet").findtext("TxnLineID")
    body = (ref("CustomerRef", ACME)
            + f"<InvoiceLineMod><TxnLineID>{line_id}</TxnLineID><Amount>5.00</Amount></InvoiceLineMod>")
    assert owing.one(invoice_mod(ret, body)).code == 0
    assert balances(owing, ACME, ROOF) == {ACME: ("105.00", "180.00"), ROOF: ("50.00", "75.00")}


# -- failures change nothing --------------------------------------------------------------------------
def test_a_failed_invoice_add_changes_no_balance(owing):
    before = everyone(owing)
    answer = owing.refused(invoice(PHASE2, "40.00").replace(
        "</InvoiceAdd>", f"<InvoiceLineAdd>{ref('ItemRef', 'Widgets')}</InvoiceLineAdd></InvoiceAdd>"))
    assert answer.code == 3140
    assert everyone(owing) == before


def test_a_failed_invoice_mod_changes_no_balance(owing):
    ret = added(owing, PHASE2, "40.00")
    before = everyone(owing)
    owing.company.info["ClosingDate"] = "2026-11-30"  # the invoice now lies in the closed period
    assert owing.refused(invoice_mod(ret, ref("CustomerRef", BAKER))).code == 3180
    assert everyone(owing) == before


def test_moving_a_job_takes_its_balance_to_the_new_parent(owing):
    roof = owing.company.find_by_name(("Customer",), ROOF)[1]
    request = (f"<CustomerModRq><CustomerMod><ListID>{roof['ListID']}</ListID><EditSequence>"
               f"{roof['EditSequence']}</EditSequence>{ref('ParentRef', BAKER)}</CustomerMod>"
               "</CustomerModRq>")
    assert owing.one(request).code == 0
    moved = "Baker Bakery:Roof repair"
    assert balances(owing, ACME, BAKER, moved, f"{moved}:Phase 2") == {
        ACME: ("100.00", "100.00"), BAKER: ("0.00", "75.00"), moved: ("50.00", "75.00"),
        f"{moved}:Phase 2": ("25.00", "25.00")}


# -- TotalBalanceFilter -------------------------------------------------------------------------------
def total_balance_filter(operator: str, amount: str) -> str:
    return (f"<TotalBalanceFilter><Operator>{operator}</Operator><Amount>{amount}</Amount>"
            "</TotalBalanceFilter>")


@pytest.mark.parametrize(("operator", "amount", "expected"), [
    ("LessThan", "25.00", [BAKER, KITCHEN]),
    ("LessThanEqual", "25.00", [PHASE2, BAKER, KITCHEN]),
    ("Equal", "75", [ROOF]),
    ("GreaterThan", "75.00", [ACME]),
    ("GreaterThanEqual", "75.00", [ACME, ROOF]),
])
def test_total_balance_filter_compares_the_total_balance(owing, operator, amount, expected):
    """Totals: Acme Corp 175.00, Roof repair 75.00, Phase 2 25.00, the Baker customers 0.00."""
    answer = owing.one(f"<CustomerQueryRq>{total_balance_filter(operator, amount)}</CustomerQueryRq>")
    assert (answer.code, names(answer)) == (0, expected)


def test_total_balance_filter_with_other_filters_and_no_match(owing):
    both = ("<ActiveStatus>All</ActiveStatus><NameFilter><MatchCriterion>StartsWith</MatchCriterion>"
            f"<Name>acme</Name></NameFilter>{total_balance_filter('LessThan', '100.00')}")
    assert names(owing.one(f"<CustomerQueryRq>{both}</CustomerQueryRq>")) == [ROOF, PHASE2]
    none = owing.one(f"<CustomerQueryRq>{total_balance_filter('GreaterThan', '175.00')}</CustomerQueryRq>")
    assert (none.code, none.rets()) == (1, [])


@pytest.mark.parametrize(("operator", "amount", "code", "expected"), [
    ("Equal", "0.00", 0, ["Pat Contractor", "Sam Supplier"]),
    ("GreaterThanEqual", "0", 0, ["Pat Contractor", "Sam Supplier"]),
    ("LessThanEqual", "-0.01", 1, []),
    ("GreaterThan", "0.00", 1, []),
    ("LessThan", "0.00", 1, []),
])
def test_vendor_total_balance_filter_compares_a_balance_of_zero(books, operator, amount, code, expected):
    """Bills are not simulated, so every vendor's Balance is 0.00."""
    assert books.one("<VendorAddRq><VendorAdd><Name>Sam Supplier</Name></VendorAdd></VendorAddRq>").code == 0
    answer = books.one(f"<VendorQueryRq>{total_balance_filter(operator, amount)}</VendorQueryRq>")
    assert (answer.code, names(answer)) == (code, expected)
