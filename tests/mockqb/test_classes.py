"""ClassAdd / ClassMod against the sample company, through the processor, every response checked
against Intuit's qbXML 16.0 schema; and the shared name rules of ``requests.names``."""

from __future__ import annotations

import pytest

# Fixtures used here, from conftest.py: company (the sample company) and send (requests in; schema-checked
# ``…Rs`` elements out).
from qbxml_helpers import NOT_IN_LIST, assert_refused, list_element, list_mod

from qbbridge.mockqb.requests.names import name_in_use


def class_add(name: str, *, parent: str | None = None, active: str | None = None, rid: str = "1") -> str:
    flag = f"<IsActive>{active}</IsActive>" if active else ""
    under = f"<ParentRef><FullName>{parent}</FullName></ParentRef>" if parent is not None else ""
    return f'<ClassAddRq requestID="{rid}"><ClassAdd><Name>{name}</Name>{flag}{under}</ClassAdd></ClassAddRq>'


def class_mod(record: dict, body: str, *, edit_sequence: str | None = None) -> str:
    return list_mod("Class", record, body, edit_sequence=edit_sequence)


def klass(company, full_name: str) -> dict:
    return list_element(company, "Class", full_name)


# -- ClassAdd ---------------------------------------------------------------------------------------------
def test_add_a_top_level_class(send, company):
    (rs,) = send(class_add("West"))
    assert (rs.get("statusCode"), rs.get("statusMessage")) == ("0", "Status OK")
    ret = rs.find("ClassRet")
    fields = [ret.findtext(t) for t in ("Name", "FullName", "IsActive", "Sublevel")]
    assert fields == ["West", "West", "true", "0"]
    assert ret.find("ParentRef") is None and klass(company, "west")["ListID"] == ret.findtext("ListID")


def test_add_a_subclass_and_an_inactive_class(send, company):
    sub, inactive = send(class_add("Coast", parent="field:NORTH", rid="1"),
                         class_add("Dormant", active="false", rid="2"))
    assert sub.findtext("ClassRet/FullName") == "Field:North:Coast"
    assert sub.findtext("ClassRet/Sublevel") == "2"
    assert sub.findtext("ClassRet/ParentRef/FullName") == "Field:North"
    assert inactive.findtext("ClassRet/IsActive") == "false"
    assert klass(company, "Dormant")["IsActive"] is False


@pytest.mark.parametrize("request_xml, name", [(class_add("office"), "office"),
                                                (class_add("north", parent="Field"), "north")])
def test_a_taken_full_name_is_3100_case_insensitively(send, company, request_xml, name):
    assert_refused(send, company, request_xml, 3100,
                   f'The name "{name}" of the list element is already in use.')


def test_the_same_name_under_another_parent_is_fine(send, company):
    (rs,) = send(class_add("North", parent="Office"))
    assert rs.findtext("ClassRet/FullName") == "Office:North"


@pytest.mark.parametrize("parent", ["Nowhere", "Old Projects"])
def test_an_unknown_or_inactive_parent_is_3130(send, company, parent):
    assert_refused(send, company, class_add("West", parent=parent), 3130,
                   f'There is an invalid reference to a parent "{parent}" in the Classes list.  '
                   f"{NOT_IN_LIST}")


def test_classes_nest_five_levels_deep_and_no_deeper(send, company):
    parent = "Field:North"
    for name in ("L2", "L3", "L4"):
        (rs,) = send(class_add(name, parent=parent))
        parent = rs.findtext("ClassRet/FullName")
    assert klass(company, parent)["Sublevel"] == 4
    assert_refused(send, company, class_add("L5", parent=parent), 3180,
                   f'There was an error when saving a Class list, element "{parent}:L5".  QuickBooks error '
                   "message: A list element cannot have more than 4 levels of subelements.")


def test_include_ret_element_limits_the_ret(send):
    wanted = "</ClassAdd><IncludeRetElement>Name</IncludeRetElement>"
    request = class_add("West").replace("</ClassAdd>", wanted)
    (rs,) = send(request)
    assert [child.tag for child in rs.find("ClassRet")] == ["Name"]


# -- ClassMod ---------------------------------------------------------------------------------------------
def test_renaming_a_class_renames_its_subclasses_and_bumps_only_its_edit_sequence(send, company):
    field, north = klass(company, "Field"), klass(company, "Field:North")
    field_sequence, north_sequence = field["EditSequence"], north["EditSequence"]
    (rs,) = send(class_mod(field, "<Name>Fieldwork</Name>"))
    assert rs.get("statusCode") == "0" and rs.findtext("ClassRet/EditSequence") != field_sequence
    assert north["FullName"] == "Fieldwork:North" and north["EditSequence"] == north_sequence
    assert klass(company, "Fieldwork:South")["Sublevel"] == 1


def test_moving_a_class_and_deactivating_it(send, company):
    body = "<IsActive>false</IsActive><ParentRef><FullName>Field:South</FullName></ParentRef>"
    (rs,) = send(class_mod(klass(company, "Office"), body))
    assert rs.findtext("ClassRet/FullName") == "Field:South:Office"
    assert rs.findtext("ClassRet/IsActive") == "false"


def test_mod_with_a_stale_edit_sequence_or_unknown_list_id_fails(send, company):
    office = klass(company, "Office")
    assert_refused(send, company, class_mod(office, "<Name>HQ</Name>", edit_sequence="42"), 3200,
                   'The provided edit sequence "42" is out-of-date.')
    ghost = {"ListID": "80000999-1795194000", "EditSequence": "1"}
    assert_refused(send, company, class_mod(ghost, "<Name>HQ</Name>"), 3120,
                   f'Object "80000999-1795194000" specified in the request cannot be found.  {NOT_IN_LIST}')


def test_a_class_cannot_become_its_own_descendant(send, company):
    body = "<ParentRef><FullName>Field:North</FullName></ParentRef>"
    assert_refused(send, company, class_mod(klass(company, "Field"), body), 3130,
                   'There is an invalid reference to a parent "Field:North" in the Classes list.  '
                   f"{NOT_IN_LIST}")


# -- onError with a failing Add in the middle -------------------------------------------------------------
@pytest.mark.parametrize("on_error, codes, gamma_added", [("stopOnError", ["0", "3100"], False),
                                                          ("continueOnError", ["0", "3100", "0"], True)])
def test_on_error_with_a_failing_add_in_the_middle(send, company, on_error, codes, gamma_added):
    responses = send(class_add("Alpha", rid="1"), class_add("FIELD", rid="2"), class_add("Gamma", rid="3"),
                     on_error=on_error)
    assert [rs.get("statusCode") for rs in responses] == codes
    assert klass(company, "Alpha") and (company.find_by_name(("Class",), "Gamma") is not None) is gamma_added


# -- the shared name rule ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kind, full_name, expected", [
    ("Vendor", "acme corp", True),             # customers, vendors, employees, other names share names
    ("Customer", "JANE DOE", True),
    ("OtherName", "Pat Contractor", True),
    ("Employee", "Roof repair", False),        # a job's FullName is "Acme Corp:Roof repair"
    ("Customer", "acme corp:roof repair", True),
    ("Class", "Consulting", False),            # other lists only compare within themselves
    ("ItemService", "labor:overtime", True),
    ("Class", "field:north", True),
])
def test_name_in_use(company, kind, full_name, expected):
    assert name_in_use(company, kind, full_name) is expected


def test_name_in_use_ignores_the_element_being_renamed(company):
    office = klass(company, "Office")
    assert name_in_use(company, "Class", "OFFICE", exclude=office["ListID"]) is False
