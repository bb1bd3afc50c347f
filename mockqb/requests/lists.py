"""List queries: EmployeeQuery, CustomerQuery, VendorQuery, OtherNameQuery, PayrollItemWageQuery,
AccountQuery, ClassQuery, ItemServiceQuery.

Rule: one generic ``list_query`` implements QuickBooks' list-query filters (ListID* | FullName* |
MaxReturned, ActiveStatus, FromModifiedDate, ToModifiedDate, NameFilter | NameRangeFilter, and where the
schema has them TotalBalanceFilter, ClassFilter and AccountType); each list only contributes its Ret
element name and field order (the schema's order, so responses validate). Results come sorted by
FullName, as QuickBooks lists them. Any other element the schema allows (CurrencyFilter) is refused with
1030. ``select`` also serves EntityQuery (entities.py), which searches the four name lists at once.
"""

from __future__ import annotations

import operator
from decimal import Decimal
from functools import partial

from ..company import Record
from ..qbxml import Element, text, texts
from ..render import render
from ..status import OK, Status
from .balances import amount
from .base import Context, Handler, Reply, refuse_unsupported
from .query import answer, by_ids, continue_iterator, in_name_range, modified_between, name_matches
from .txnquery import named_ids

LIST_CORE = ("ListID", "TimeCreated", "TimeModified", "EditSequence")
PERSON = ("Salutation", "FirstName", "MiddleName", "LastName", "Suffix")

RET_ORDER: dict[str, tuple[str, ...]] = {
    "Employee": (*LIST_CORE, "Name", "IsActive", *PERSON, "JobTitle", "Phone", "Email", "EmployeeType",
                 "HiredDate", "ReleasedDate", "AccountNumber", "Notes", "ExternalGUID"),
    "Customer": (*LIST_CORE, "Name", "FullName", "IsActive", "ClassRef", "ParentRef", "Sublevel",
                 "CompanyName", *PERSON, "JobTitle", "BillAddress", "ShipAddress", "Phone", "AltPhone", "Fax",
                 "Email", "Cc", "Contact", "AltContact", "Balance", "TotalBalance", "AccountNumber",
                 "CreditLimit", "JobStatus", "JobStartDate", "JobProjectedEndDate", "JobEndDate", "JobDesc",
                 "Notes", "ExternalGUID"),
    "Vendor": (*LIST_CORE, "Name", "IsActive", "CompanyName", *PERSON, "Phone", "Email", "Notes",
               "Balance", "ExternalGUID"),
    # OtherNameRet has no FullName (other names are never nested) and no Suffix.
    "OtherName": (*LIST_CORE, "Name", "IsActive", "CompanyName", "Salutation", "FirstName", "MiddleName",
                  "LastName", "OtherNameAddress", "OtherNameAddressBlock", "Phone", "AltPhone", "Fax",
                  "Email", "Contact", "AltContact", "AccountNumber", "Notes", "ExternalGUID"),
    "PayrollItemWage": (*LIST_CORE, "Name", "IsActive", "WageType", "ExpenseAccountRef"),
    "Account": (*LIST_CORE, "Name", "FullName", "IsActive", "ParentRef", "Sublevel", "AccountType",
                "AccountNumber", "Desc", "Balance", "TotalBalance"),
    "Class": (*LIST_CORE, "Name", "FullName", "IsActive", "ParentRef", "Sublevel"),
    "ItemService": (*LIST_CORE, "Name", "FullName", "IsActive", "ClassRef", "ParentRef", "Sublevel",
                    "SalesOrPurchase", "SalesAndPurchase", "ExternalGUID"),
}

#: The children a list query acts on. OwnerID asks for each record's data extensions (custom fields) of
#: that owner: the simulated company has none (DataExtDef and DataExt requests are refused with 1030), so
#: honouring it adds nothing. Not here, so refused: CurrencyFilter (multicurrency is not simulated).
UNDERSTOOD = ("ListID", "FullName", "MaxReturned", "ActiveStatus", "FromModifiedDate", "ToModifiedDate",
              "NameFilter", "NameRangeFilter", "TotalBalanceFilter", "ClassFilter", "AccountType",
              "IncludeRetElement", "OwnerID")
#: TotalBalanceFilter's Operator values (the schema's enumeration), as comparisons balance ∘ Amount.
COMPARISONS = {"LessThan": operator.lt, "LessThanEqual": operator.le, "Equal": operator.eq,
               "GreaterThan": operator.gt, "GreaterThanEqual": operator.ge}
#: The balance TotalBalanceFilter compares: a customer's TotalBalance (its own and its jobs' invoices);
#: a vendor's Balance, as VendorRet has no TotalBalance and vendors have no jobs. Vendors owe nothing
#: in the simulated company (bills are not simulated), so theirs is always 0.00.
FILTERED_BALANCE = {"Customer": "TotalBalance", "Vendor": "Balance"}


def renderer(ctx: Context, kind: str):
    """A function rendering one record of ``kind`` as its ``…Ret`` element."""
    order = RET_ORDER[kind]
    return lambda record, include: render(ctx.company, f"{kind}Ret", record, order, include)


def list_query(kind: str, ctx: Context, rq: Element) -> Reply:
    """Answer a ``<kind>QueryRq`` with QuickBooks' list-query semantics."""
    refuse_unsupported(rq, UNDERSTOOD, rq.tag[:-2])
    render_one = renderer(ctx, kind)
    if rq.get("iterator") in ("Continue", "Stop"):
        return continue_iterator(ctx, rq, render_one)
    matches, status = select(ctx, rq, (kind,))
    return answer(ctx, rq, matches, render_one, status)


def select(ctx: Context, rq: Element, kinds: tuple[str, ...]) -> tuple[list[Record], Status]:
    """The records of ``kinds`` a list query asks for, and a 500 status when a named one does not exist.

    ``kinds`` is one list, or EntityQuery's name lists, whose schema allows none of the filters that
    belong to one list (TotalBalanceFilter, ClassFilter, AccountType)."""
    if rq.find("ListID") is not None:
        return by_ids(ctx, texts(rq, "ListID"), kinds, by_name=False)
    if rq.find("FullName") is not None:
        return by_ids(ctx, texts(rq, "FullName"), kinds, by_name=True)
    active_status = text(rq, "ActiveStatus") or "ActiveOnly"
    records = [r for kind in kinds for r in _active(ctx.company.records(kind), active_status)]
    records = modified_between(records, text(rq, "FromModifiedDate"), text(rq, "ToModifiedDate"))
    records = _by_total_balance(rq, kinds[0], _by_name(records, rq))
    records = _by_class(ctx, rq, _by_account_type(rq, records))
    return sorted(records, key=lambda r: r["FullName"].casefold()), OK


def _active(records: list[Record], active_status: str) -> list[Record]:
    if active_status == "All":
        return list(records)
    wanted = active_status == "ActiveOnly"
    return [r for r in records if r.get("IsActive", True) is wanted]


def _by_name(records: list[Record], rq: Element) -> list[Record]:
    name_filter = rq.find("NameFilter")
    if name_filter is not None:
        criterion, wanted = text(name_filter, "MatchCriterion"), text(name_filter, "Name") or ""
        return [r for r in records if name_matches(r["FullName"], criterion or "Contains", wanted)]
    name_range = rq.find("NameRangeFilter")
    if name_range is not None:
        start, end = text(name_range, "FromName"), text(name_range, "ToName")
        return [r for r in records if in_name_range(r["FullName"], start, end)]
    return records


def _by_total_balance(rq: Element, kind: str, records: list[Record]) -> list[Record]:
    """TotalBalanceFilter (CustomerQuery, VendorQuery): records whose balance (``FILTERED_BALANCE``)
    compares with Amount as Operator says, e.g. GreaterThan 0.00 keeps the customers who owe money."""
    balance_filter = rq.find("TotalBalanceFilter")
    if balance_filter is None:
        return records
    compare = COMPARISONS[text(balance_filter, "Operator")]
    wanted = Decimal(text(balance_filter, "Amount"))
    return [r for r in records if compare(amount(r, FILTERED_BALANCE[kind]), wanted)]


def _by_class(ctx: Context, rq: Element, records: list[Record]) -> list[Record]:
    """ClassFilter: records whose ClassRef is one of the classes named (ListID*, FullName*, or one class
    with its descendants). Decision, as for EntityFilter: a name that does not exist matches nothing."""
    class_filter = rq.find("ClassFilter")
    if class_filter is None:
        return records
    wanted = named_ids(ctx.company, class_filter, ("Class",))
    return [r for r in records if r.get("ClassRef") in wanted]


def _by_account_type(rq: Element, records: list[Record]) -> list[Record]:
    """AccountType (AccountQuery, may repeat): accounts of any of the types given."""
    wanted = set(texts(rq, "AccountType"))
    return [r for r in records if r.get("AccountType") in wanted] if wanted else records


HANDLERS: dict[str, Handler] = {
    f"{kind}QueryRq": partial(list_query, kind) for kind in RET_ORDER
}
