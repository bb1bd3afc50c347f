"""ItemServiceAdd / ItemServiceMod against the sample company, through the processor, every response
checked against Intuit's qbXML 16.0 schema."""

from __future__ import annotations

import pytest

# Fixtures used here, from conftest.py: company (the sample company), send (requests in; schema-checked
# ``…Rs`` elements out) and request_samples.
from qbxml_helpers import NOT_IN_LIST, assert_refused, list_element, list_id, list_mod, ref, status

INCOME = "<SalesOrPurchase><Desc>Weekend labor</Desc><Price>95.00</Price>" \
         "<AccountRef><FullName>Services Income</FullName></AccountRef></SalesOrPurchase>"


def item_add(name: str, *, rid: str = "1", parent: str = "", before_sales: str = "", sales: str = INCOME,
             guid: str = "", include: tuple[str, ...] = ()) -> str:
    """``parent`` and ``before_sales`` are XML placed in schema order (ClassRef → ParentRef → tax code)."""
    tail = f"<ExternalGUID>{guid}</ExternalGUID>" if guid else ""
    wanted = "".join(f"<IncludeRetElement>{tag}</IncludeRetElement>" for tag in include)
    return (f'<ItemServiceAddRq requestID="{rid}"><ItemServiceAdd><Name>{name}</Name>{parent}{before_sales}'
            f"{sales}{tail}</ItemServiceAdd>{wanted}</ItemServiceAddRq>")


def item_mod(record: dict, *, edit_sequence: str | None = None, body: str = "", rid: str = "m") -> str:
    """``body`` is the Mod's fields after EditSequence, in schema order."""
    return list_mod("ItemService", record, body, edit_sequence=edit_sequence, rid=rid)


def item(company, full_name: str) -> dict:
    return list_element(company, "ItemService", full_name)


# -- ItemServiceAdd ---------------------------------------------------------------------------------------
def test_add_stores_the_item_in_ret_order_and_returns_it(send, company):
    guid = "{6B29FC40-CA47-1067-B31D-00DD010662DA}"
    (rs,) = send(item_add("Weekend", guid=guid))
    assert status(rs) == (0, "Info", "Status OK")
    ret = rs.find("ItemServiceRet")
    assert [ret.findtext(t) for t in ("Name", "FullName", "IsActive", "Sublevel")] == [
        "Weekend", "Weekend", "true", "0"]
    assert ret.findtext("SalesOrPurchase/AccountRef/FullName") == "Services Income"
    assert ret.findtext("ExternalGUID") == guid
    record = item(company, "weekend")
    assert record["ListID"] == ret.findtext("ListID")
    assert list(record["SalesOrPurchase"]) == ["Desc", "Price", "AccountRef"]
    assert record["SalesOrPurchase"]["AccountRef"] == list_id(company, "Account", "Services Income")


def test_add_with_sales_and_purchase_resolves_accounts_and_vendor(send, company):
    sales = ("<SalesAndPurchase><SalesDesc>Subcontracted</SalesDesc><SalesPrice>150.00</SalesPrice>"
             + ref("IncomeAccountRef", "Services Income") + "<PurchaseDesc>Sub work</PurchaseDesc>"
             + "<PurchaseCost>100.00</PurchaseCost>" + ref("ExpenseAccountRef", "Payroll Expenses")
             + ref("PrefVendorRef", "pat contractor") + "</SalesAndPurchase>")
    (rs,) = send(item_add("Subcontract", sales=sales))
    assert rs.get("statusCode") == "0"
    assert rs.findtext("ItemServiceRet/SalesAndPurchase/PrefVendorRef/FullName") == "Pat Contractor"
    assert list(item(company, "Subcontract")["SalesAndPurchase"]) == [
        "SalesDesc", "SalesPrice", "IncomeAccountRef", "PurchaseDesc", "PurchaseCost", "ExpenseAccountRef",
        "PrefVendorRef"]


def test_add_a_subitem_by_parent_full_name_or_list_id(send, company):
    overtime = item(company, "Labor:Overtime")
    (by_name,) = send(item_add("Weekend", parent=ref("ParentRef", "labor:OVERTIME")))
    (by_id,) = send(item_add("Holiday", parent=ref("ParentRef", list_id=overtime["ListID"])))
    for rs, full_name in ((by_name, "Labor:Overtime:Weekend"), (by_id, "Labor:Overtime:Holiday")):
        ret = rs.find("ItemServiceRet")
        assert (ret.findtext("FullName"), ret.findtext("Sublevel")) == (full_name, "2")
        assert ret.findtext("ParentRef/ListID") == overtime["ListID"]


def test_add_with_a_class(send, company):
    (rs,) = send(item_add("Weekend", before_sales=ref("ClassRef", "Field:North")))
    assert rs.findtext("ItemServiceRet/ClassRef/FullName") == "Field:North"
    assert item(company, "Weekend")["ClassRef"] == list_id(company, "Class", "Field:North")


@pytest.mark.parametrize("name", ["Consulting", "consulting", "LABOR"])
def test_a_taken_name_at_the_same_level_is_3100_case_insensitively(send, company, name):
    assert_refused(send, company, item_add(name), 3100,
                   f'The name "{name}" of the list element is already in use.')


def test_a_subitem_name_clashes_only_with_its_siblings(send, company):
    assert_refused(send, company, item_add("overtime", parent=ref("ParentRef", "Labor")), 3100,
                   'The name "overtime" of the list element is already in use.')
    responses = send(item_add("Overtime", rid="1"),
                     item_add("Consulting", rid="2", parent=ref("ParentRef", "Labor")))
    assert [rs.get("statusCode") for rs in responses] == ["0", "0"]


@pytest.mark.parametrize("parent", ["No Such Item", "Discontinued service"])
def test_an_unknown_or_inactive_parent_is_3130(send, company, parent):
    assert_refused(send, company, item_add("Weekend", parent=ref("ParentRef", parent)), 3130,
                   f'There is an invalid reference to a parent "{parent}" in the Items list.  {NOT_IN_LIST}')


@pytest.mark.parametrize("sales, label, value", [
    (INCOME.replace("Services Income", "Construction"), "Account", "Construction"),
    ("<SalesAndPurchase>" + ref("IncomeAccountRef", "Services Income") + ref("PrefVendorRef", "Nobody")
     + "</SalesAndPurchase>", "Vendor", "Nobody"),
])
def test_an_unknown_account_or_vendor_is_3140(send, company, sales, label, value):
    assert_refused(send, company, item_add("Weekend", sales=sales), 3140,
                   f'There is an invalid reference to QuickBooks {label} "{value}" in the Item Service.  '
                   f"{NOT_IN_LIST}")


@pytest.mark.parametrize("label, tag, value", [("Class", "ClassRef", "Nowhere"),
                                               ("Sales Tax Code", "SalesTaxCodeRef", "Tax")])
def test_an_unknown_class_or_a_list_the_company_lacks_is_3140(send, company, label, tag, value):
    assert_refused(send, company, item_add("Weekend", before_sales=ref(tag, value)), 3140,
                   f'There is an invalid reference to QuickBooks {label} "{value}" in the Item Service.  '
                   f"{NOT_IN_LIST}")


@pytest.mark.parametrize("sales", ["<SalesOrPurchase><Desc>x</Desc><Price>1.00</Price></SalesOrPurchase>",
                                   "<SalesAndPurchase><SalesDesc>x</SalesDesc></SalesAndPurchase>"])
def test_an_item_without_any_account_is_refused(send, company, sales):
    assert_refused(send, company, item_add("Weekend", sales=sales), 3180,
                   'There was an error when saving a Items list, element "Weekend".  '
                   "QuickBooks error message: An account must be assigned to this item.")


def test_items_nest_five_levels_deep_and_no_deeper(send, company):
    levels = ["L2", "L3", "L4"]
    parent = "Labor:Overtime"
    for name in levels:
        (rs,) = send(item_add(name, parent=ref("ParentRef", parent)))
        parent = rs.findtext("ItemServiceRet/FullName")
    assert item(company, parent)["Sublevel"] == 4
    assert_refused(send, company, item_add("L5", parent=ref("ParentRef", parent)), 3180,
                   f'There was an error when saving a Items list, element "{parent}:L5".  QuickBooks error '
                   "message: A list element cannot have more than 4 levels of subelements.")


def test_include_ret_element_limits_the_ret(send):
    (rs,) = send(item_add("Weekend", include=("ListID", "FullName")))
    assert [child.tag for child in rs.find("ItemServiceRet")] == ["ListID", "FullName"]


def test_intuit_sample_item_service_add_lands(send, company, request_samples):
    construction = company.add_list_element("Account", "Construction", AccountType="Income")
    sample = (request_samples / "intuit_ItemServiceAddRq.xml").read_text()
    (rs,) = send(raw=sample)
    assert status(rs) == (0, "Info", "Status OK")
    gutter = item(company, "Gutter")
    assert gutter["SalesOrPurchase"] == {"Desc": "Clean gutter", "Price": "45.67",
                                         "AccountRef": construction["ListID"]}


# -- ItemServiceMod ---------------------------------------------------------------------------------------
def test_mod_changes_fields_and_the_edit_sequence(send, company):
    consulting = item(company, "Consulting")
    old_id, old_sequence, old_modified = (consulting[k] for k in ("ListID", "EditSequence", "TimeModified"))
    percent = "<SalesOrPurchaseMod><PricePercent>10</PricePercent></SalesOrPurchaseMod>"
    (rs,) = send(item_mod(consulting, body=percent))
    assert status(rs) == (0, "Info", "Status OK")
    ret = rs.find("ItemServiceRet")
    assert ret.findtext("ListID") == old_id and ret.findtext("EditSequence") != old_sequence
    assert consulting["TimeModified"] != old_modified
    assert consulting["SalesOrPurchase"] == {"Desc": "Consulting services", "PricePercent": "10",
                                             "AccountRef": list_id(company, "Account", "Services Income")}


def test_mod_with_a_stale_edit_sequence_is_3200(send, company):
    consulting = item(company, "Consulting")
    assert_refused(send, company, item_mod(consulting, edit_sequence="1", body="<Name>Advice</Name>"), 3200,
                   'The provided edit sequence "1" is out-of-date.')


@pytest.mark.parametrize("unknown", ["80000999-1795194000", "a class"])
def test_mod_of_an_unknown_item_is_3120(send, company, unknown):
    if unknown == "a class":
        unknown = list_id(company, "Class", "Office")
    fake = {"ListID": unknown, "EditSequence": "1"}
    assert_refused(send, company, item_mod(fake, body="<Name>Advice</Name>"), 3120,
                   f'Object "{unknown}" specified in the request cannot be found.  {NOT_IN_LIST}')


def test_renaming_a_parent_renames_its_descendants(send, company):
    send(item_add("Weekend", parent=ref("ParentRef", "Labor:Overtime")))
    weekend = item(company, "Labor:Overtime:Weekend")
    weekend_sequence = weekend["EditSequence"]
    (rs,) = send(item_mod(item(company, "Labor"), body="<Name>General Labor</Name>"))
    assert rs.findtext("ItemServiceRet/FullName") == "General Labor"
    assert item(company, "General Labor:Overtime")["Sublevel"] == 1
    assert weekend["FullName"] == "General Labor:Overtime:Weekend"
    assert weekend["EditSequence"] == weekend_sequence
    assert company.find_by_name(("ItemService",), "Labor:Overtime") is None


def test_moving_an_item_carries_its_subitems(send, company):
    (rs,) = send(item_mod(item(company, "Labor:Overtime"), body=ref("ParentRef", "Installation")))
    assert (rs.findtext("ItemServiceRet/FullName"), rs.findtext("ItemServiceRet/ParentRef/FullName")) == (
        "Installation:Overtime", "Installation")
    (rs,) = send(item_mod(item(company, "Installation:Overtime"), body=ref("ParentRef", "")))
    assert item(company, "Overtime")["Sublevel"] == 0 and item(company, "Overtime")["ParentRef"] is None


def test_a_rename_onto_a_taken_name_is_3100_but_a_case_change_is_fine(send, company):
    assert_refused(send, company, item_mod(item(company, "Labor"), body="<Name>installation</Name>"), 3100,
                   'The name "installation" of the list element is already in use.')
    (rs,) = send(item_mod(item(company, "Labor"), body="<Name>LABOR</Name>"))
    assert rs.findtext("ItemServiceRet/FullName") == "LABOR" and item(company, "LABOR:Overtime")


def test_an_item_cannot_move_under_itself_or_too_deep(send, company):
    labor = item(company, "Labor")
    assert_refused(send, company, item_mod(labor, body=ref("ParentRef", "Labor:Overtime")), 3130,
                   'There is an invalid reference to a parent "Labor:Overtime" in the Items list.  '
                   f"{NOT_IN_LIST}")
    parent = "Consulting"
    for name in ("C1", "C2", "C3"):
        (rs,) = send(item_add(name, parent=ref("ParentRef", parent)))
        parent = rs.findtext("ItemServiceRet/FullName")
    # Labor has one level below it, so under Consulting:C1:C2:C3 (level 3) its child would sit at level 5.
    assert_refused(send, company, item_mod(labor, body=ref("ParentRef", parent)), 3180,
                   f'There was an error when saving a Items list, element "{parent}:Labor".  '
                   "QuickBooks error message: A list element cannot have more than 4 levels of subelements.")


def test_mod_can_switch_the_sales_form_but_not_drop_the_account(send, company):
    consulting = item(company, "Consulting")
    assert_refused(send, company, item_mod(consulting, body="<SalesAndPurchaseMod><SalesDesc>x</SalesDesc>"
                                                            "</SalesAndPurchaseMod>"), 3180,
                   'There was an error when saving a Items list, element "Consulting".  '
                   "QuickBooks error message: An account must be assigned to this item.")
    income = ref("IncomeAccountRef", "Services Income")
    (rs,) = send(item_mod(consulting, body=f"<SalesAndPurchaseMod>{income}</SalesAndPurchaseMod>"))
    assert rs.get("statusCode") == "0" and "SalesOrPurchase" not in consulting
    assert rs.find("ItemServiceRet/SalesAndPurchase/IncomeAccountRef") is not None


def test_mod_can_deactivate_an_item(send, company):
    (rs,) = send(item_mod(item(company, "Installation"), body="<IsActive>false</IsActive>"))
    assert rs.findtext("ItemServiceRet/IsActive") == "false"
    assert item(company, "Installation")["IsActive"] is False


# -- onError with a failing Add in the middle -------------------------------------------------------------
def test_stop_on_error_keeps_the_earlier_add_and_skips_the_rest(send, company):
    responses = send(item_add("Alpha", rid="1"), item_add("consulting", rid="2"), item_add("Gamma", rid="3"))
    assert [(rs.get("requestID"), rs.get("statusCode")) for rs in responses] == [("1", "0"), ("2", "3100")]
    assert item(company, "Alpha") and company.find_by_name(("ItemService",), "Gamma") is None


def test_continue_on_error_runs_every_add(send, company):
    responses = send(item_add("Alpha", rid="1"), item_add("consulting", rid="2"), item_add("Gamma", rid="3"),
                     on_error="continueOnError")
    assert [rs.get("statusCode") for rs in responses] == ["0", "3100", "0"]
    assert item(company, "Alpha") and item(company, "Gamma")
