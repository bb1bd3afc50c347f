"""CustomerAdd, CustomerMod, VendorAdd and EmployeeAdd: the name lists (customers with their jobs,
vendors, employees).

Rule: customers, vendors, employees and other names share one namespace, case-insensitively (3100,
``names.name_in_use``); a job's FullName is ``Customer:Job``, so a job only competes with its siblings.
Each request stores the fields listed in ``STORED``; the elements Intuit's catalogue marks "not in QBD"
(qbxmlops140.xml) are ignored with the 530 warning TimeTracking uses for Rate; every other element the
schema allows is refused with 1030 (mockqb does not keep it) rather than dropped. All checks run before
the company changes. Decisions taken without a QuickBooks capture are marked "Decision".
"""

from __future__ import annotations


from .. import status
from ..company import Record
from ..qbxml import Element, text
from ..status import OK, Status
from .balances import check_move, refresh_totals
from .base import Context, Handler, Reply, field_not_supported, refuse_unsupported
from .names import boolean, editable, move, name_in_use, parent_of, place, replace, reply, required_name
from .query import iso_date
from .refs import resolve
from .txnquery import apply_fields, check_class_tracking, decimal_of, is_empty_ref, money

_PERSON = ("Salutation", "FirstName", "MiddleName", "LastName")
_CUSTOMER = ("CompanyName", *_PERSON, "JobTitle", "BillAddress", "ShipAddress", "Phone", "AltPhone", "Fax",
             "Email", "Cc", "Contact", "AltContact", "AccountNumber", "CreditLimit", "JobStatus",
             "JobStartDate", "JobProjectedEndDate", "JobEndDate", "JobDesc", "Notes")

#: The fields each request stores (besides Name, IsActive, ClassRef and ParentRef, handled on their own).
#: The customer's go beyond the basics so that Intuit's CustomerAdd samples land as they would in QuickBooks.
STORED: dict[str, tuple[str, ...]] = {
    "CustomerAdd": (*_CUSTOMER, "ExternalGUID"),
    "CustomerMod": _CUSTOMER,  # the schema has no ExternalGUID in CustomerMod
    "VendorAdd": ("CompanyName", *_PERSON, "Phone", "Email", "Notes", "ExternalGUID"),
    "EmployeeAdd": (*_PERSON, "JobTitle", "Phone", "Email", "EmployeeType", "HiredDate", "ReleasedDate",
                    "AccountNumber", "Notes", "ExternalGUID"),
}
#: The elements each handler reads on its own (identity, name, placement, class).
HANDLED = {"CustomerAdd": ("Name", "IsActive", "ClassRef", "ParentRef"), "VendorAdd": ("Name", "IsActive"),
           "CustomerMod": ("ListID", "EditSequence", "Name", "IsActive", "ClassRef", "ParentRef"),
           "EmployeeAdd": ("IsActive",)}
_CUSTOMER_NOT_IN_QBD = ("Suffix", "PrintAs", "Mobile", "Pager", "SalesTaxCountry", "IsStatementWithParent",
                        "DeliveryMethod", "TaxRegistrationNumber")
#: Elements qbxmlops140.xml marks "not in QBD" (QuickBooks Desktop ignores them).
NOT_IN_QBD: dict[str, tuple[str, ...]] = {
    "CustomerAdd": _CUSTOMER_NOT_IN_QBD,
    "CustomerMod": _CUSTOMER_NOT_IN_QBD,
    "VendorAdd": ("Suffix", "Mobile", "Pager", "SalesTaxCodeRef", "SalesTaxCountry", "IsSalesTaxAgency",
                  "SalesTaxReturnRef", "TaxRegistrationNumber", "ReportingPeriod", "IsTaxTrackedOnPurchases",
                  "TaxOnPurchasesAccountRef", "IsTaxTrackedOnSales", "TaxOnSalesAccountRef", "IsTaxOnTax"),
    "EmployeeAdd": ("Name", "Suffix"),
}
DATES = ("JobStartDate", "JobProjectedEndDate", "JobEndDate", "HiredDate", "ReleasedDate")
ADDRESSES = ("BillAddress", "ShipAddress")
#: Enum fields and the schema's default, which an empty element takes (libxml2 applies it too).
ENUM_DEFAULTS = {"JobStatus": "None", "EmployeeType": "Regular"}
#: What a new element shows before the request's fields. The captured CustomerAddRs
#: (reference/samples/qbxml/responses/qbwc-qbxml_customer_add_rs.xml) has Balance and TotalBalance 0.00
#: and JobStatus None. Decision: a vendor's Balance likewise, and EmployeeType takes its schema default.
NEW = {"Customer": {"Balance": "0.00", "TotalBalance": "0.00", "JobStatus": "None"},
       "Vendor": {"Balance": "0.00"}, "Employee": {"EmployeeType": "Regular"}}


# -- handlers -----------------------------------------------------------------------------------------
def customer_add(ctx: Context, rq: Element) -> Reply:
    """Add a customer, or a job under ParentRef (up to five levels); reply with its CustomerRet.

    Order of checks (Decision, as in ItemServiceAdd): elements mockqb does not keep (1030), a blank Name
    or one holding ":" (3180), the parent (3130), the FullName and depth (3100/3180), the class
    (3250/3140), dates (3020).
    """
    body = _checked_body(rq, "CustomerAdd")
    name = required_name("Customer", text(body, "Name"))
    parent = parent_of(ctx, "Customer", body.find("ParentRef"))
    placement = place(ctx.company, "Customer", name, parent)
    fields = {**NEW["Customer"], **_class(ctx, body, mod=False), **_fields(body, "CustomerAdd", mod=False)}
    record = ctx.company.add_list_element("Customer", placement.name, parent_id=placement.parent_id,
                                          is_active=boolean(body, "IsActive", default=True), **fields)
    return _reply(ctx, rq, body, "Customer", record)


def customer_mod(ctx: Context, rq: Element) -> Reply:
    """Change a customer or job; a rename or move renames its jobs' FullNames too.

    References to it (TimeTracking, Invoice) are stored as its ListID, so they show the new FullName.
    A move takes its balance along: the TotalBalance of its old and its new ancestors follows (3210,
    before anything changes, when one of them would be beyond AMTTYPE: ``balances.check_move``).
    Decision: making a customer inactive leaves its jobs as they are, as ClassMod does for subclasses.
    """
    body = _checked_body(rq, "CustomerMod")
    record = editable(ctx, "Customer", body)
    placement = replace(ctx, "Customer", body, record)
    fields = {**_class(ctx, body, mod=True), **_fields(body, "CustomerMod", mod=True)}
    if placement is not None:
        check_move(ctx.company, record, placement.parent_id)  # the last check: nothing changed yet
        old_parent = record.get("ParentRef")
        move(ctx.company, "Customer", record, placement)
        refresh_totals(ctx.company, (old_parent, record["ListID"]))
    record["IsActive"] = boolean(body, "IsActive", default=record["IsActive"])
    apply_fields(record, fields)
    ctx.company.touch(record)
    return _reply(ctx, rq, body, "Customer", record)


def vendor_add(ctx: Context, rq: Element) -> Reply:
    """Add a vendor; reply with its VendorRet."""
    body = _checked_body(rq, "VendorAdd")
    name = _unique(ctx, "Vendor", required_name("Vendor", text(body, "Name")))
    fields = {**NEW["Vendor"], **_fields(body, "VendorAdd", mod=False)}
    record = ctx.company.add_list_element("Vendor", name, is_active=boolean(body, "IsActive", default=True),
                                          **fields)
    return _reply(ctx, rq, body, "Vendor", record)


def employee_add(ctx: Context, rq: Element) -> Reply:
    """Add an employee named after FirstName, MiddleName and LastName; reply with its EmployeeRet."""
    body = _checked_body(rq, "EmployeeAdd")
    name = _unique(ctx, "Employee", required_name("Employee", employee_name(body)))
    fields = {**NEW["Employee"], **_fields(body, "EmployeeAdd", mod=False)}
    record = ctx.company.add_list_element("Employee", name, is_active=boolean(body, "IsActive", default=True),
                                          **fields)
    return _reply(ctx, rq, body, "Employee", record)


def employee_name(body: Element) -> str:
    """The employee's Name as QuickBooks shows it: "First Middle Last", the given parts (stripped)
    joined with single spaces. QuickBooks Desktop takes no Name in EmployeeAdd (qbxmlops140.xml)."""
    parts = (text(body, tag) for tag in ("FirstName", "MiddleName", "LastName"))
    return " ".join(part.strip() for part in parts if part and part.strip())


# -- checks ---------------------------------------------------------------------------------------------
def _checked_body(rq: Element, tag: str) -> Element:
    """The request's ``tag`` element, after refusing (1030) an element mockqb neither stores nor ignores."""
    body = rq.find(tag)
    refuse_unsupported(body, (*HANDLED[tag], *STORED[tag], *NOT_IN_QBD[tag]), tag)
    return body


def _unique(ctx: Context, kind: str, name: str) -> str:
    """``name`` if no customer, vendor, employee or other name has it (any case); else 3100."""
    if name_in_use(ctx.company, kind, name):
        raise status.name_in_use(name)
    return name


def _class(ctx: Context, body: Element, *, mod: bool) -> Record:
    """``{"ClassRef": ListID}`` when given (3250 with class tracking off, 3140 if unknown or inactive);
    in a Mod an empty ClassRef clears the class (``None``). Decision: the 3140 names the holder
    "Customer", as captured 3140s name a transaction by its qbXML name ("in the SalesOrder")."""
    ref = body.find("ClassRef")
    if ref is None:
        return {}
    if mod and is_empty_ref(ref):
        return {"ClassRef": None}
    check_class_tracking(ctx, body)
    return {"ClassRef": resolve(ctx, ref, ("Class",), "Customer")[1]["ListID"]}


def _fields(body: Element, tag: str, *, mod: bool) -> Record:
    """The ``STORED`` fields ``body`` gives, normalised. An empty element clears the field in a Mod
    (None) and counts as absent in an Add; an empty enum takes the schema's default."""
    fields: Record = {}
    for child in body.iterchildren(tag=STORED[tag]):
        fields[child.tag] = _value(child)
    return fields if mod else {k: v for k, v in fields.items() if v is not None}


def _value(child: Element) -> object:
    """One field's stored value: addresses as dicts in schema order, amounts as QuickBooks writes them."""
    tag, value = child.tag, child.text or ""
    if tag in ADDRESSES:
        return {part.tag: part.text for part in child if isinstance(part.tag, str) and part.text} or None
    if tag in ENUM_DEFAULTS:
        return value or ENUM_DEFAULTS[tag]
    if tag in DATES:
        return iso_date(value, tag)
    if tag == "CreditLimit":
        amount = decimal_of(value)
        return money(amount) if amount is not None else None
    return value or None


def _status(body: Element) -> Status:
    """530 naming the first element QuickBooks Desktop ignores (only one status fits a reply), else OK."""
    ignored = next(body.iterchildren(tag=NOT_IN_QBD[body.tag]), None)
    return field_not_supported(ignored.tag) if ignored is not None else OK


def _reply(ctx: Context, rq: Element, body: Element, kind: str, record: Record) -> Reply:
    """The Ret (limited by IncludeRetElement) with OK, or with 530 when an element was ignored."""
    answer = reply(ctx, rq, kind, record)
    answer.status = _status(body)
    return answer


HANDLERS: dict[str, Handler] = {
    "CustomerAddRq": customer_add,
    "CustomerModRq": customer_mod,
    "VendorAddRq": vendor_add,
    "EmployeeAddRq": employee_add,
}
