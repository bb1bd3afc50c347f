"""ItemServiceAdd and ItemServiceMod: service items, optionally nested as subitems (``Labor:Overtime``).

Rule: an item's Name may not be blank or contain ":" (3180, ``names.required_name``); its FullName is
unique across the Item list, case-insensitively (3100); its parent must be a service item (3130);
account, class and vendor references must exist (3140); an item must post to an account (3180). Sales
data is stored as the Ret's nested aggregate, fields in schema order, with references as ListIDs. The
elements Intuit's catalogue marks "not in QBD" (qbxmlops140.xml) are ignored with the 530 warning the
name lists and TimeTracking use; every other element mockqb does not keep is refused with 1030. Every
check runs before the company changes.
"""

from __future__ import annotations

from ..company import Record
from ..qbxml import Element, text
from ..status import OK, Status, invalid_reference, unsupported
from .base import Context, Handler, Reply, field_not_supported, refuse_unsupported
from .names import boolean, editable, move, parent_of, place, replace, reply, required_name, save_failed
from .refs import ref_value, resolve, resolve_optional
from .txnquery import check_class_tracking

KIND = "ItemService"
#: How a 3140 names the object holding the bad reference. Transactions use their qbXML name ("in the
#: SalesOrder"); for items the only public trace is a client matching "… in the item inventory"
#: (case-folded), so the item type is written as words here.
WHERE = "Item Service"

#: A sales aggregate's fields in schema order, each with the list a ``…Ref`` field points into.
Spec = tuple[tuple[str, str | None], ...]
SALES: dict[str, Spec] = {
    "SalesOrPurchase": (("Desc", None), ("Price", None), ("PricePercent", None), ("AccountRef", "Account")),
    "SalesAndPurchase": (("SalesDesc", None), ("SalesPrice", None), ("IncomeAccountRef", "Account"),
                         ("PurchaseDesc", None), ("PurchaseCost", None), ("ExpenseAccountRef", "Account"),
                         ("PrefVendorRef", "Vendor")),
}
ACCOUNT_FIELDS = ("AccountRef", "IncomeAccountRef", "ExpenseAccountRef")
#: References to lists the simulated company does not keep: any value is an invalid reference.
ABSENT_LISTS = {"UnitOfMeasureSetRef": "Unit Of Measure Set", "SalesTaxCodeRef": "Sales Tax Code"}
#: Elements qbxmlops140.xml marks "not in QBD": QuickBooks Desktop ignores them, and so does mockqb (530).
NOT_IN_QBD = ("IsTaxIncluded", "PurchaseTaxCodeRef")
#: The body elements each request is read for. Any other the schema allows is refused with 1030:
#: BarCode and ForceUOMChange, which QuickBooks Desktop keeps (bar codes, units of measure), mockqb not.
HANDLED = {
    "ItemServiceAdd": ("Name", "IsActive", "ClassRef", "ParentRef", *ABSENT_LISTS, *SALES, "ExternalGUID"),
    "ItemServiceMod": ("ListID", "EditSequence", "Name", "IsActive", "ClassRef", "ParentRef", *ABSENT_LISTS,
                       *(f"{tag}Mod" for tag in SALES)),
}
#: A …Mod aggregate's "apply the new account to existing transactions" flag. False asks for what mockqb
#: does anyway (past transactions keep their postings). Decision (no capture): true is refused with 1030,
#: as mockqb keeps no postings it could move to the new account.
APPLY_FLAGS = ("ApplyAccountRefToExistingTxns", "ApplyIncomeAccountRefToExistingTxns",
               "ApplyExpenseAccountRefToExistingTxns")


def item_service_add(ctx: Context, rq: Element) -> Reply:
    """Add a service item; reply with its ItemServiceRet."""
    add = _checked_body(rq, "ItemServiceAdd")
    name = required_name(KIND, text(add, "Name"))
    parent = parent_of(ctx, KIND, add.find("ParentRef"))
    placement = place(ctx.company, KIND, name, parent)
    class_id = _class_and_absent_refs(ctx, add)
    tag, sales = _sales(ctx, add, {})
    _require_account(placement.full_name, sales)
    fields = {"ClassRef": class_id, tag: sales, "ExternalGUID": text(add, "ExternalGUID")}
    record = ctx.company.add_list_element(
        KIND, placement.name, parent_id=placement.parent_id, is_active=boolean(add, "IsActive", default=True),
        **{name: value for name, value in fields.items() if value is not None})
    return _reply(ctx, rq, add, record)


def item_service_mod(ctx: Context, rq: Element) -> Reply:
    """Change a service item; a rename or move also renames its subitems' FullNames."""
    mod = _checked_body(rq, "ItemServiceMod")
    record = editable(ctx, KIND, mod)
    placement = replace(ctx, KIND, mod, record)
    class_id = _class_and_absent_refs(ctx, mod)
    tag, sales = _sales(ctx, mod, record)
    _require_account(placement.full_name if placement else record["FullName"], sales)
    if placement is not None:
        move(ctx.company, KIND, record, placement)
    record["IsActive"] = boolean(mod, "IsActive", default=record["IsActive"])
    if class_id is not None:
        record["ClassRef"] = class_id
    for old in SALES:
        record.pop(old, None)
    record[tag] = sales
    ctx.company.touch(record)
    return _reply(ctx, rq, mod, record)


def _checked_body(rq: Element, tag: str) -> Element:
    """The request's ``tag`` element, after refusing (1030) what mockqb neither keeps nor ignores: body
    elements outside ``HANDLED``, sales fields outside the aggregate's spec, and an Apply… flag set true."""
    body = rq.find(tag)
    refuse_unsupported(body, (*HANDLED[tag], *NOT_IN_QBD), tag)
    for sales in body.iterchildren(*SALES, *(f"{name}Mod" for name in SALES)):
        spec = SALES[sales.tag.removesuffix("Mod")]
        refuse_unsupported(sales, (*(field for field, _ in spec), *NOT_IN_QBD, *APPLY_FLAGS), sales.tag)
        for flag in sales.iterchildren(*APPLY_FLAGS):
            if boolean(sales, flag.tag, default=False):
                raise unsupported(f"{flag.tag}=true in {sales.tag}")
    return body


def _status(body: Element) -> Status:
    """530 naming the first element QuickBooks Desktop ignores (only one status fits a reply), else OK."""
    ignored = next(body.iter(*NOT_IN_QBD), None)
    return field_not_supported(ignored.tag) if ignored is not None else OK


def _reply(ctx: Context, rq: Element, body: Element, record: Record) -> Reply:
    """The Ret (limited by IncludeRetElement) with OK, or with 530 when an element was ignored."""
    answer = reply(ctx, rq, KIND, record)
    answer.status = _status(body)
    return answer


def _class_and_absent_refs(ctx: Context, element: Element) -> str | None:
    """The ClassRef's ListID (3250 with class tracking off, 3140 if unknown, as for customers and
    transactions); refuse references to lists the company lacks."""
    for tag, label in ABSENT_LISTS.items():
        ref = element.find(tag)
        if ref is not None:
            raise invalid_reference(f"QuickBooks {label}", ref_value(ref), WHERE)
    check_class_tracking(ctx, element)
    return resolve_optional(ctx, element, "ClassRef", ("Class",), WHERE)


def _sales(ctx: Context, element: Element, record: Record) -> tuple[str, dict[str, str]]:
    """The sales aggregate the item will have: (tag, fields in schema order).

    An Add sends ``SalesOrPurchase`` or ``SalesAndPurchase``; a Mod sends the ``…Mod`` form, whose
    fields replace the stored ones (Price and PricePercent exclude each other; an empty text clears a
    field). A Mod of the other form switches the item to it; a Mod without one keeps what is stored.
    """
    for tag, spec in SALES.items():
        given = element.find(tag)
        if given is None:
            given = element.find(f"{tag}Mod")
        if given is not None:
            merged = {**record.get(tag, {}), **_read(ctx, given, spec)}
            return tag, _ordered(merged, spec, given)
    tag = next((tag for tag in SALES if tag in record), "SalesOrPurchase")
    return tag, record.get(tag, {})


def _read(ctx: Context, given: Element, spec: Spec) -> dict[str, str]:
    """The fields ``given`` carries, references resolved to ListIDs (3140 naming a missing one)."""
    values: dict[str, str] = {}
    for field, kind in spec:
        node = given.find(field)
        if node is None:
            continue
        values[field] = resolve(ctx, node, (kind,), WHERE)[1]["ListID"] if kind else (node.text or "")
    return values


def _ordered(merged: dict[str, str], spec: Spec, given: Element) -> dict[str, str]:
    """``merged`` in schema order, without cleared fields or the price form the request replaced."""
    for one, other in (("Price", "PricePercent"), ("PricePercent", "Price")):
        if given.find(one) is not None:
            merged.pop(other, None)
    return {field: merged[field] for field, _ in spec if merged.get(field)}


def _require_account(full_name: str, sales: dict[str, str]) -> None:
    """Refuse an item that posts to no account.

    The schema makes every account reference optional, but QuickBooks will not save an item without
    one. No capture of its answer was found; 3180 is QuickBooks' code for "refused to save this list
    element" (PROTOCOL.md §D), so we use it with a reason of our own wording.
    """
    if not any(sales.get(field) for field in ACCOUNT_FIELDS):
        raise save_failed(KIND, full_name, "An account must be assigned to this item.")


HANDLERS: dict[str, Handler] = {
    "ItemServiceAddRq": item_service_add,
    "ItemServiceModRq": item_service_mod,
}
