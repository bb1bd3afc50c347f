"""Request options the schema allows and the handlers once dropped: each is now carried out or refused.

Carried out: AccountQuery's AccountType, ClassFilter, the query ``metaData`` attribute (retCount), and
IncludeRetElement in HostQuery/CompanyQuery/PreferencesQuery (TotalBalanceFilter: test_balances.py);
OwnerID and IncludeLinkedTxns add nothing (the simulated company has no data extensions and no linked
transactions). ItemService's "not in QBD"
fields are ignored with the 530 warning. Everything else is refused with 1030 naming the element, and a
refusal leaves the company exactly as it was. Every response is checked against the qbXML 16.0 schema
(the ``process`` fixture).
"""

from __future__ import annotations

import pytest
from lxml import etree

from qbbridge.mockqb.company import CompanyFile
from qbbridge.mockqb.testing import Answer, message_set

SALES = ("<SalesOrPurchase><Price>10.00</Price><AccountRef><FullName>Services Income</FullName></AccountRef>"
         "</SalesOrPurchase>")
BOTH_WAYS = ("<SalesAndPurchase><SalesPrice>20.00</SalesPrice><IncomeAccountRef><FullName>Services Income"
             "</FullName></IncomeAccountRef><PurchaseCost>12.00</PurchaseCost><PurchaseTaxCodeRef><FullName>"
             "Tax</FullName></PurchaseTaxCodeRef><ExpenseAccountRef><FullName>Payroll Expenses</FullName>"
             "</ExpenseAccountRef></SalesAndPurchase>")
TIME_ADD = ("<TimeTrackingAddRq><TimeTrackingAdd{attrs}><EntityRef><FullName>Jane Doe</FullName></EntityRef>"
            "<Duration>PT1H</Duration></TimeTrackingAdd></TimeTrackingAddRq>")
INVOICE_ADD = ("<InvoiceAddRq><InvoiceAdd{attrs}><CustomerRef><FullName>Acme Corp</FullName></CustomerRef>"
               "{head}<InvoiceLineAdd{line}><ItemRef><FullName>Consulting</FullName></ItemRef></InvoiceLineAdd>"
               "</InvoiceAdd></InvoiceAddRq>")
TEMPLATE = "<TemplateRef><FullName>Intuit Service Invoice</FullName></TemplateRef>"


def one(process, request: str) -> Answer:
    return process(message_set(request))[0]


def full_names(answer: Answer, field: str = "FullName") -> list[str]:
    return [ret.findtext(field) for ret in answer.rets()]


def record(company: CompanyFile, kind: str, name: str) -> dict:
    found = company.find_by_name((kind,), name)
    assert found is not None, name
    return found[1]


def mod(company: CompanyFile, kind: str, name: str, body: str) -> str:
    """A ``{kind}ModRq`` of the list element ``name``, with ``body`` after its EditSequence."""
    element = record(company, kind, name)
    return (f"<{kind}ModRq><{kind}Mod><ListID>{element['ListID']}</ListID><EditSequence>"
            f"{element['EditSequence']}</EditSequence>{body}</{kind}Mod></{kind}ModRq>")


def item_add(name: str, before_sales: str = "", sales: str = SALES) -> str:
    return (f"<ItemServiceAddRq><ItemServiceAdd><Name>{name}</Name>{before_sales}{sales}</ItemServiceAdd>"
            "</ItemServiceAddRq>")


def assert_refused(process, company: CompanyFile, request: str, what: str) -> None:
    """``request`` is refused with 1030 naming ``what``, returns nothing and changes nothing."""
    before = company.snapshot()
    answer = one(process, request)
    expected = (1030, "Error", f"mockqb does not simulate {what}.")
    assert (answer.code, answer.severity, answer.message) == expected
    assert answer.rets() == [] and company.snapshot() == before


def ret_xml(answer: Answer) -> list[bytes]:
    return [etree.tostring(ret) for ret in answer.rets()]


# -- refused ----------------------------------------------------------------------------------------------
CURRENCY = "<CurrencyFilter><FullName>US Dollar</FullName></CurrencyFilter>"
REFUSED = [
    (lambda c: f"<CustomerQueryRq>{CURRENCY}</CustomerQueryRq>", "CurrencyFilter in CustomerQuery"),
    (lambda c: f"<VendorQueryRq>{CURRENCY}</VendorQueryRq>", "CurrencyFilter in VendorQuery"),
    (lambda c: f"<AccountQueryRq><AccountType>Bank</AccountType>{CURRENCY}</AccountQueryRq>",
     "CurrencyFilter in AccountQuery"),
    (lambda c: '<CustomerQueryRq metaData="MetaDataOnly" iterator="Start"><MaxReturned>2</MaxReturned>'
               "</CustomerQueryRq>", "metaData with an iterator in CustomerQuery"),
    (lambda c: '<InvoiceQueryRq metaData="MetaDataAndResponseData" iterator="Continue" iteratorID="{x}"/>',
     "metaData with an iterator in InvoiceQuery"),
    (lambda c: "<HostQueryRq><IncludeListMetaData><IncludeMaxCapacity>true</IncludeMaxCapacity>"
               "</IncludeListMetaData></HostQueryRq>", "IncludeListMetaData in HostQuery"),
    (lambda c: item_add("Scan", "<BarCode><BarCodeValue>0123</BarCodeValue></BarCode>"),
     "BarCode in ItemServiceAdd"),
    (lambda c: mod(c, "ItemService", "Consulting", "<BarCode><BarCodeValue>0123</BarCodeValue></BarCode>"),
     "BarCode in ItemServiceMod"),
    (lambda c: mod(c, "ItemService", "Consulting", "<ForceUOMChange>true</ForceUOMChange>"),
     "ForceUOMChange in ItemServiceMod"),
    (lambda c: mod(c, "ItemService", "Consulting", "<SalesOrPurchaseMod><AccountRef><FullName>Checking"
                   "</FullName></AccountRef><ApplyAccountRefToExistingTxns>true</ApplyAccountRefToExistingTxns>"
                   "</SalesOrPurchaseMod>"),
     "ApplyAccountRefToExistingTxns=true in SalesOrPurchaseMod"),
    (lambda c: mod(c, "ItemService", "Labor", "<SalesAndPurchaseMod><IncomeAccountRef><FullName>"
                   "Services Income</FullName></IncomeAccountRef><ApplyIncomeAccountRefToExistingTxns>1"
                   "</ApplyIncomeAccountRefToExistingTxns></SalesAndPurchaseMod>"),
     "ApplyIncomeAccountRefToExistingTxns=true in SalesAndPurchaseMod"),
    (lambda c: mod(c, "ItemService", "Labor", "<SalesAndPurchaseMod><ExpenseAccountRef><FullName>"
                   "Payroll Expenses</FullName></ExpenseAccountRef><ApplyExpenseAccountRefToExistingTxns>true"
                   "</ApplyExpenseAccountRefToExistingTxns></SalesAndPurchaseMod>"),
     "ApplyExpenseAccountRefToExistingTxns=true in SalesAndPurchaseMod"),
    (lambda c: TIME_ADD.format(attrs=' defMacro="TxnID:Time1"'), "defMacro in TimeTrackingAdd"),
    (lambda c: INVOICE_ADD.format(attrs=' defMacro="TxnID:Inv1"', head="", line=""),
     "defMacro in InvoiceAdd"),
    (lambda c: INVOICE_ADD.format(attrs="", head="", line=' defMacro="TxnLineID:L1"'),
     "defMacro in InvoiceLineAdd"),
    (lambda c: INVOICE_ADD.format(attrs="", head=TEMPLATE, line=""), "TemplateRef in InvoiceAdd"),
]


@pytest.mark.parametrize("build, what", REFUSED, ids=[what for _, what in REFUSED])
def test_options_mockqb_does_not_simulate_are_refused_with_1030(process, company, build, what):
    assert_refused(process, company, build(company), what)


def test_a_template_in_an_invoice_mod_is_refused(process, company):
    txn_id = one(process, INVOICE_ADD.format(attrs="", head="", line="")).ret().findtext("TxnID")
    invoice = company.get(txn_id)[1]
    request = (f"<InvoiceModRq><InvoiceMod><TxnID>{txn_id}</TxnID><EditSequence>{invoice['EditSequence']}"
               f"</EditSequence>{TEMPLATE}</InvoiceMod></InvoiceModRq>")
    assert_refused(process, company, request, "TemplateRef in InvoiceMod")


# -- AccountType and ClassFilter ----------------------------------------------------------------------------
@pytest.mark.parametrize("filters, code, expected", [
    ("<AccountType>Income</AccountType>", 0, ["Services Income"]),
    ("<AccountType>Bank</AccountType><AccountType>Expense</AccountType>", 0,
     ["Checking", "Payroll Expenses"]),
    ("<NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>p</Name></NameFilter>"
     "<AccountType>Bank</AccountType><AccountType>Expense</AccountType>", 0, ["Payroll Expenses"]),
    ("<AccountType>Equity</AccountType>", 1, []),
])
def test_account_type_keeps_the_accounts_of_the_types_given(process, filters, code, expected):
    answer = one(process, f"<AccountQueryRq>{filters}</AccountQueryRq>")
    assert (answer.code, full_names(answer)) == (code, expected)


@pytest.fixture
def classified(process, company):
    """Customers and a service item with classes: North Co (Field:North), South Co (Field:South), Desk Co
    (Office), and the item Audit (Office)."""
    for name, klass in (("North Co", "Field:North"), ("South Co", "Field:South"), ("Desk Co", "Office")):
        answer = one(process, f"<CustomerAddRq><CustomerAdd><Name>{name}</Name><ClassRef><FullName>{klass}"
                              "</FullName></ClassRef></CustomerAdd></CustomerAddRq>")
        assert answer.code == 0
    assert one(process, item_add("Audit", "<ClassRef><FullName>Office</FullName></ClassRef>")).code == 0
    return company


@pytest.mark.parametrize("class_filter, code, expected", [
    ("<FullNameWithChildren>Field</FullNameWithChildren>", 0, ["North Co", "South Co"]),
    ("<FullName>Field</FullName>", 1, []),
    ("<FullName>office</FullName><FullName>Field:South</FullName>", 0, ["Desk Co", "South Co"]),
    ("<FullName>No such class</FullName>", 1, []),
])
def test_class_filter_keeps_customers_of_the_classes_named(process, classified, class_filter, code, expected):
    answer = one(process, f"<CustomerQueryRq><ClassFilter>{class_filter}</ClassFilter></CustomerQueryRq>")
    assert (answer.code, full_names(answer)) == (code, expected)


def test_class_filter_by_list_id_on_items_and_vendors(process, classified):
    field = record(classified, "Class", "Field")["ListID"]
    office = record(classified, "Class", "Office")["ListID"]
    customers = one(process, f"<CustomerQueryRq><ClassFilter><ListIDWithChildren>{field}</ListIDWithChildren>"
                             "</ClassFilter></CustomerQueryRq>")
    items = one(process, f"<ItemServiceQueryRq><ClassFilter><ListID>{office}</ListID></ClassFilter>"
                         "</ItemServiceQueryRq>")
    vendors = one(process, f"<VendorQueryRq><ClassFilter><ListID>{office}</ListID></ClassFilter>"
                           "</VendorQueryRq>")
    assert full_names(customers) == ["North Co", "South Co"] and full_names(items) == ["Audit"]
    assert (vendors.code, vendors.rets()) == (1, [])  # mockqb's vendors keep no class


# -- metaData ---------------------------------------------------------------------------------------------
QUERIES = ["Employee", "Customer", "Vendor", "PayrollItemWage", "Account", "Class", "ItemService",
           "TimeTracking", "Invoice"]


@pytest.mark.parametrize("kind", QUERIES)
def test_meta_data_counts_what_the_query_returns(process, kind):
    """Without metaData no retCount (as in the captured CustomerQueryRs); MetaDataOnly gives the count
    without the Rets, MetaDataAndResponseData gives both."""
    one(process, TIME_ADD.format(attrs=""))
    one(process, INVOICE_ADD.format(attrs="", head="", line=""))
    plain = one(process, f"<{kind}QueryRq/>")
    explicit = one(process, f'<{kind}QueryRq metaData="NoMetaData"/>')
    only = one(process, f'<{kind}QueryRq metaData="MetaDataOnly"/>')
    both = one(process, f'<{kind}QueryRq metaData="MetaDataAndResponseData"/>')
    assert plain.rets() and plain.element.get("retCount") is explicit.element.get("retCount") is None
    assert only.element.get("retCount") == both.element.get("retCount") == str(len(plain.rets()))
    assert (only.code, both.code, only.rets()) == (0, 0, [])
    assert ret_xml(both) == ret_xml(plain) == ret_xml(explicit)


@pytest.mark.parametrize("request_xml, code, count, rets", [
    ('<CustomerQueryRq metaData="MetaDataOnly"><MaxReturned>2</MaxReturned></CustomerQueryRq>', 0, "2", 0),
    ('<CustomerQueryRq metaData="MetaDataAndResponseData"><MaxReturned>2</MaxReturned></CustomerQueryRq>',
     0, "2", 2),
    ('<CustomerQueryRq metaData="MetaDataOnly"><NameFilter><MatchCriterion>Contains</MatchCriterion>'
     "<Name>zzz</Name></NameFilter></CustomerQueryRq>", 1, "0", 0),
    ('<ClassQueryRq metaData="MetaDataAndResponseData"><FullName>Office</FullName>'
     "<FullName>Nowhere</FullName></ClassQueryRq>", 500, "1", 1),
])
def test_meta_data_with_max_returned_no_match_and_a_missing_name(process, request_xml, code, count, rets):
    answer = one(process, request_xml)
    assert (answer.code, answer.element.get("retCount"), len(answer.rets())) == (code, count, rets)


# -- OwnerID, IncludeLinkedTxns, IncludeRetElement --------------------------------------------------------
@pytest.mark.parametrize("kind, extra", [
    ("Employee", ""), ("Customer", ""), ("Vendor", ""), ("Account", ""), ("ItemService", ""),
    ("Invoice", "<IncludeLineItems>true</IncludeLineItems><IncludeLinkedTxns>true</IncludeLinkedTxns>"),
])
def test_owner_id_and_linked_txns_add_nothing(process, kind, extra):
    """The simulated company has no data extensions and no transactions linked to an invoice."""
    one(process, INVOICE_ADD.format(attrs="", head="", line=""))
    plain = one(process, f"<{kind}QueryRq/>")
    asked = one(process, f"<{kind}QueryRq>{extra}<OwnerID>0</OwnerID>"
                         f"<OwnerID>{{6B29FC40-CA47-1067-B31D-00DD010662DA}}</OwnerID></{kind}QueryRq>")
    assert asked.code == 0 and asked.rets()
    if kind == "Invoice":  # IncludeLineItems adds the lines; nothing else differs
        for ret in asked.rets():
            for line in ret.findall("InvoiceLineRet"):
                ret.remove(line)
    assert ret_xml(asked) == ret_xml(plain)
    company_plain = one(process, "<CompanyQueryRq/>")
    company_asked = one(process, "<CompanyQueryRq><OwnerID>0</OwnerID></CompanyQueryRq>")
    assert ret_xml(company_asked) == ret_xml(company_plain)


def test_include_ret_element_limits_host_company_and_preferences(process):
    host = one(process, "<HostQueryRq><IncludeRetElement>ProductName</IncludeRetElement>"
                        "<IncludeRetElement>SupportedQBXMLVersion</IncludeRetElement></HostQueryRq>")
    company = one(process, "<CompanyQueryRq><IncludeRetElement>CompanyName</IncludeRetElement>"
                           "</CompanyQueryRq>")
    preferences = one(process, "<PreferencesQueryRq><IncludeRetElement>TimeTrackingPreferences"
                               "</IncludeRetElement></PreferencesQueryRq>")
    tags = [child.tag for child in host.ret()]
    assert tags[0] == "ProductName" and set(tags[1:]) == {"SupportedQBXMLVersion"} and len(tags) > 2
    assert [child.tag for child in company.ret()] == ["CompanyName"]
    assert [child.tag for child in preferences.ret()] == ["TimeTrackingPreferences"]
    full = one(process, "<PreferencesQueryRq/>")
    assert [child.tag for child in full.ret()] == ["AccountingPreferences", "TimeTrackingPreferences"]


# -- ItemService: fields QuickBooks Desktop ignores, and a false Apply… flag ------------------------------
def assert_ignored(answer: Answer, field: str) -> None:
    assert (answer.code, answer.severity) == (530, "Warn")
    assert answer.message == f'The field "{field}" is not supported by this implementation.'
    assert len(answer.rets()) == 1


def test_is_tax_included_is_ignored_with_530_and_the_item_saved(process, company):
    answer = one(process, item_add("Audit", "<IsTaxIncluded>true</IsTaxIncluded>"))
    assert_ignored(answer, "IsTaxIncluded")
    assert record(company, "ItemService", "Audit")["SalesOrPurchase"]["Price"] == "10.00"
    assert "IsTaxIncluded" not in record(company, "ItemService", "Audit")


def test_purchase_tax_code_is_ignored_with_530_in_add_and_mod(process, company):
    assert_ignored(one(process, item_add("Resale", sales=BOTH_WAYS)), "PurchaseTaxCodeRef")
    stored = record(company, "ItemService", "Resale")["SalesAndPurchase"]
    assert "PurchaseTaxCodeRef" not in stored and stored["PurchaseCost"] == "12.00"
    body = ("<IsActive>false</IsActive><IsTaxIncluded>0</IsTaxIncluded><SalesAndPurchaseMod><PurchaseCost>13"
            "</PurchaseCost><PurchaseTaxCodeRef><FullName>Non</FullName></PurchaseTaxCodeRef></SalesAndPurchaseMod>")
    answer = one(process, mod(company, "ItemService", "Resale", body))
    assert_ignored(answer, "IsTaxIncluded")  # the first ignored element is named
    assert answer.ret().findtext("IsActive") == "false"
    assert record(company, "ItemService", "Resale")["SalesAndPurchase"]["PurchaseCost"] == "13"


def test_apply_to_existing_txns_false_is_what_mockqb_does(process, company):
    body = ("<SalesOrPurchaseMod><Price>150.00</Price><AccountRef><FullName>Checking</FullName></AccountRef>"
            "<ApplyAccountRefToExistingTxns>false</ApplyAccountRefToExistingTxns></SalesOrPurchaseMod>")
    answer = one(process, mod(company, "ItemService", "Consulting", body))
    assert (answer.code, answer.ret().findtext("SalesOrPurchase/Price")) == (0, "150.00")
    assert answer.ret().findtext("SalesOrPurchase/AccountRef/FullName") == "Checking"
