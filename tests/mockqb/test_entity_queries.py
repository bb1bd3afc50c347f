"""OtherNameQuery and EntityQuery against the sample company, driven with real qbXML.

EntityQuery searches customers (with their jobs), employees, other names and vendors at once and answers
each record as its own list's Ret. Every response is checked against Intuit's qbXML 16.0 schema (the
``books`` fixture); requests pass the XSD of their declared version on the way in.
"""

from __future__ import annotations

import pytest
from lxml import etree

# Fixtures used here, from conftest.py: books (a Books on the sample company, every answer schema-checked).
from qbxml_helpers import Books

from qbbridge.mockqb.company import NAME_LISTS

RET_OF = {"Customer": "CustomerRet", "Employee": "EmployeeRet", "OtherName": "OtherNameRet",
          "Vendor": "VendorRet"}
MISSING = ('The query request has not been fully completed. There was a required element ("{}") that '
           "could not be found in QuickBooks.")


def entity_query(body: str = "", attrs: str = "") -> str:
    return f'<EntityQueryRq requestID="e"{attrs}>{body}</EntityQueryRq>'


def other_name_query(body: str = "", attrs: str = "") -> str:
    return f'<OtherNameQueryRq requestID="o"{attrs}>{body}</OtherNameQueryRq>'


def full_names(*names: str) -> str:
    return "".join(f"<FullName>{name}</FullName>" for name in names)


def shown(ret: etree._Element) -> tuple[str, str]:
    """(Ret tag, the name it shows): FullName where the Ret has one, else Name."""
    return ret.tag, ret.findtext("FullName") or ret.findtext("Name")


def names_in_company(books: Books, *, active: bool | None) -> list[tuple[str, str]]:
    """Every name-list record as (Ret tag, FullName), sorted by FullName; ``active`` None = all."""
    rows = [(RET_OF[kind], record["FullName"])
            for kind in NAME_LISTS for record in books.company.records(kind)
            if active is None or record["IsActive"] is active]
    return sorted(rows, key=lambda row: row[1].casefold())


# -- OtherNameQuery -------------------------------------------------------------------------------
def test_other_name_query_answers_other_name_rets_in_schema_order(books):
    books.company.add_list_element("OtherName", "Ada Owner", CompanyName="Owner LLC", FirstName="Ada",
                                   Phone="555-0100", Notes="partner")
    answer = books.one(other_name_query())
    assert (answer.code, answer.tag) == (0, "OtherNameQueryRs")
    assert [ret.findtext("Name") for ret in answer.rets()] == ["Ada Owner", "Lee Partner"]
    ada = answer.rets()[0]
    assert [child.tag for child in ada] == ["ListID", "TimeCreated", "TimeModified", "EditSequence", "Name",
                                           "IsActive", "CompanyName", "FirstName", "Phone", "Notes"]
    assert ada.find("FullName") is None  # OtherNameRet has none


def test_other_name_query_by_name_reports_a_missing_one_with_500(books):
    answer = books.one(other_name_query(full_names("lee PARTNER", "Jane Doe")))
    assert (answer.code, answer.severity, answer.message) == (500, "Warn", MISSING.format("Jane Doe"))
    assert [ret.findtext("Name") for ret in answer.rets()] == ["Lee Partner"]


def test_other_name_query_active_status_and_name_filter(books):
    books.company.add_list_element("OtherName", "Old Partner", is_active=False)
    inactive = books.one(other_name_query("<ActiveStatus>InactiveOnly</ActiveStatus>"))
    assert [ret.findtext("Name") for ret in inactive.rets()] == ["Old Partner"]
    assert inactive.rets()[0].findtext("IsActive") == "false"
    filtered = books.one(other_name_query("<ActiveStatus>All</ActiveStatus><NameFilter>"
                                          "<MatchCriterion>EndsWith</MatchCriterion><Name>PARTNER</Name>"
                                          "</NameFilter>"))
    assert [ret.findtext("Name") for ret in filtered.rets()] == ["Lee Partner", "Old Partner"]


# -- EntityQuery: what it returns -------------------------------------------------------------------
def test_entity_query_answers_every_active_name_as_its_list_s_ret_sorted_by_full_name(books):
    answer = books.one(entity_query())
    assert (answer.code, answer.tag) == (0, "EntityQueryRs")
    got = [shown(ret) for ret in answer.rets()]
    assert got == names_in_company(books, active=True)
    assert {tag for tag, _ in got} == set(RET_OF.values())
    assert ("EmployeeRet", "Former Worker") not in got and ("CustomerRet", "Closed Co") not in got


@pytest.mark.parametrize(("kind", "name", "query"), [
    ("Employee", "Jane Doe", "EmployeeQueryRq"),
    ("Vendor", "Pat Contractor", "VendorQueryRq"),
    ("OtherName", "Lee Partner", "OtherNameQueryRq"),
    ("Customer", "Acme Corp:Roof repair", "CustomerQueryRq"),
])
def test_each_ret_is_exactly_what_its_own_list_query_answers(books, kind, name, query):
    by_entity = books.one(entity_query(full_names(name))).ret()
    by_list = books.one(f"<{query}>{full_names(name)}</{query}>").ret()
    assert by_entity.tag == RET_OF[kind]
    assert etree.tostring(by_entity) == etree.tostring(by_list)


def test_full_names_find_any_name_list_case_insensitively_and_500_names_the_missing_one(books):
    answer = books.one(entity_query(full_names("lee partner", "Nobody Here", "PAT CONTRACTOR",
                                               "acme corp:roof repair", "Jane Doe", "Former Worker")))
    assert (answer.code, answer.severity, answer.message) == (500, "Warn", MISSING.format("Nobody Here"))
    assert [shown(ret) for ret in answer.rets()] == [
        ("OtherNameRet", "Lee Partner"), ("VendorRet", "Pat Contractor"),
        ("CustomerRet", "Acme Corp:Roof repair"), ("EmployeeRet", "Jane Doe"),
        ("EmployeeRet", "Former Worker")]
    # a name asked for is returned whatever its status: the caller reads IsActive
    assert answer.rets()[-1].findtext("IsActive") == "false"


def test_list_ids_outside_the_name_lists_are_missing(books):
    item = books.list_id("ItemService", "Labor")
    vendor = books.list_id("Vendor", "Pat Contractor")
    answer = books.one(entity_query(f"<ListID>{item}</ListID><ListID>{vendor}</ListID>"))
    assert (answer.code, answer.message) == (500, MISSING.format(item))
    assert [shown(ret) for ret in answer.rets()] == [("VendorRet", "Pat Contractor")]


def test_only_unknown_names_is_500_with_no_rets(books):
    answer = books.one(entity_query(full_names("Labor", "Office")))  # an item and a class: not entities
    assert (answer.code, answer.message, answer.rets()) == (500, MISSING.format("Labor"), [])


# -- EntityQuery: filters ---------------------------------------------------------------------------
@pytest.mark.parametrize(("status", "active"), [("InactiveOnly", False), ("All", None), ("ActiveOnly", True)])
def test_active_status(books, status, active):
    answer = books.one(entity_query(f"<ActiveStatus>{status}</ActiveStatus>"))
    assert [shown(ret) for ret in answer.rets()] == names_in_company(books, active=active)


def test_inactive_only_finds_the_inactive_employee_and_customer(books):
    answer = books.one(entity_query("<ActiveStatus>InactiveOnly</ActiveStatus>"))
    assert [shown(ret) for ret in answer.rets()] == [("CustomerRet", "Closed Co"),
                                                     ("EmployeeRet", "Former Worker")]


def test_name_filter_and_range_cover_every_list(books):
    starts = books.one(entity_query("<NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>p</Name>"
                                    "</NameFilter>"))
    assert [shown(ret) for ret in starts.rets()] == [("VendorRet", "Pat Contractor")]
    contains = books.one(entity_query("<NameFilter><MatchCriterion>Contains</MatchCriterion><Name>R</Name>"
                                      "</NameFilter>"))
    assert [shown(ret) for ret in contains.rets()] == [
        ("CustomerRet", "Acme Corp"), ("CustomerRet", "Acme Corp:Roof repair"),
        ("CustomerRet", "Acme Corp:Roof repair:Phase 2"), ("CustomerRet", "Baker Bakery"),
        ("CustomerRet", "Baker Bakery:Kitchen remodel"), ("OtherNameRet", "Lee Partner"),
        ("EmployeeRet", "Maria Garcia"), ("VendorRet", "Pat Contractor")]
    ranged = books.one(entity_query("<NameRangeFilter><FromName>J</FromName><ToName>M</ToName>"
                                    "</NameRangeFilter>"))
    assert [shown(ret) for ret in ranged.rets()] == [
        ("EmployeeRet", "Jane Doe"), ("EmployeeRet", "John Smith"), ("OtherNameRet", "Lee Partner"),
        ("EmployeeRet", "Maria Garcia")]


def test_modified_date_keeps_the_names_changed_since(books):
    for kind, name in (("Vendor", "Pat Contractor"), ("Employee", "John Smith")):
        books.company.touch(books.company.find_by_name((kind,), name)[1])
    since = books.company.find_by_name(("Vendor",), "Pat Contractor")[1]["TimeModified"]
    answer = books.one(entity_query(f"<FromModifiedDate>{since}</FromModifiedDate>"))
    assert [shown(ret) for ret in answer.rets()] == [("EmployeeRet", "John Smith"),
                                                     ("VendorRet", "Pat Contractor")]


def test_max_returned_include_ret_element_and_meta_data(books):
    limited = books.one(entity_query("<MaxReturned>2</MaxReturned><IncludeRetElement>Name</IncludeRetElement>"
                                     "<IncludeRetElement>IsActive</IncludeRetElement>"))
    assert [[child.tag for child in ret] for ret in limited.rets()] == [["Name", "IsActive"]] * 2
    assert [ret.findtext("Name") for ret in limited.rets()] == ["Acme Corp", "Roof repair"]
    counted = books.one(entity_query("<ActiveStatus>All</ActiveStatus>", ' metaData="MetaDataOnly"'))
    every = names_in_company(books, active=None)
    assert counted.rets() == [] and counted.element.get("retCount") == str(len(every))


def test_no_match_is_status_1(books):
    answer = books.one(entity_query("<NameFilter><MatchCriterion>Contains</MatchCriterion><Name>zzz</Name>"
                                    "</NameFilter>"))
    assert (answer.code, answer.severity, answer.rets()) == (1, "Info", [])


def test_a_13_0_message_set_is_answered_too(books):
    answer = books.one(entity_query(full_names("Jane Doe")), version="13.0")
    assert (answer.code, shown(answer.ret())) == (0, ("EmployeeRet", "Jane Doe"))


# -- EntityQuery: iterators -------------------------------------------------------------------------
def test_an_iterator_pages_through_every_list_once(books):
    first = books.one(entity_query("<MaxReturned>5</MaxReturned><ActiveStatus>All</ActiveStatus>",
                                   ' iterator="Start"'))
    iterator_id = first.element.get("iteratorID")
    total = len(names_in_company(books, active=None))
    assert first.element.get("iteratorRemainingCount") == str(total - 5)
    seen = [shown(ret) for ret in first.rets()]
    pages = 1
    while int(first.element.get("iteratorRemainingCount")) and pages < total:
        first = books.one(entity_query("", f' iterator="Continue" iteratorID="{iterator_id}"'))
        seen += [shown(ret) for ret in first.rets()]
        pages += 1
    assert seen == names_in_company(books, active=None)
    assert pages == -(-total // 5)  # pages of five: the Start's MaxReturned holds for every Continue
    assert {tag for tag, _ in seen} == set(RET_OF.values())


def test_an_entity_iterator_is_not_a_customer_iterator(books):
    first = books.one(entity_query("<MaxReturned>1</MaxReturned>", ' iterator="Start"'))
    iterator_id = first.element.get("iteratorID")
    wrong = books.one(f'<CustomerQueryRq iterator="Continue" iteratorID="{iterator_id}"></CustomerQueryRq>')
    assert (wrong.code, wrong.message) == (3391, f'The iteratorID "{iterator_id}" is not valid.')
    stop = books.one(entity_query("", f' iterator="Stop" iteratorID="{iterator_id}"'))
    assert (stop.code, stop.element.get("iteratorRemainingCount")) == (0, "0")
