"""QuickBooks' rules for list-element names (uniqueness, parents, FullName paths, depth), and the
small pieces every list Add/Mod handler shares (finding the record to modify, booleans, the reply).

Rule: a hierarchical element's FullName is its parent's FullName + ``:`` + its Name, so a Name may not
contain ``:`` nor be blank (``required_name``), and FullNames are unique case-insensitively within their
namespace (see ``name_in_use``). Every check here raises before anything changes; ``move`` is the only
mutation and runs after all checks passed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import status
from ..company import HIERARCHICAL, NAME_LISTS, CompanyFile, Record
from ..errors import RequestFailed
from ..qbxml import Element, text, texts
from .base import Context, Reply
from .lists import renderer
from .refs import ref_value

#: QuickBooks keeps every item type in one Item list, so item names clash across types.
ITEM_LISTS = ("ItemService",)

#: How QuickBooks names a list in a 3130 message: "in the Customers list" is captured (PROTOCOL.md §D);
#: "Items", "Classes" and "Accounts" follow that plural pattern (no capture found).
LIST_NAMES = {"Customer": "Customers", "ItemService": "Items", "Class": "Classes", "Account": "Accounts"}
#: How QuickBooks names a list in a 3180 message, which is worded differently: "saving a Customer list"
#: (singular) is captured (PROTOCOL.md §D), and "saving a Items list" (plural) is seen in a public client
#: matching on it. Decision (no capture): Vendor, Employee, Class and Account follow the customer's singular.
SAVE_LABELS = {"Customer": "Customer", "Vendor": "Vendor", "Employee": "Employee", "Class": "Class",
               "Account": "Account", "ItemService": "Items"}


@dataclass(frozen=True)
class Placement:
    """Where a list element sits: its leaf Name, parent ListID, FullName path and Sublevel (depth)."""

    name: str
    parent_id: str | None
    full_name: str
    sublevel: int


def namespace(kind: str) -> tuple[str, ...]:
    """The lists whose FullNames must not clash with a ``kind`` element's FullName."""
    if kind in NAME_LISTS:
        return NAME_LISTS
    return ITEM_LISTS if kind in ITEM_LISTS else (kind,)


def name_in_use(company: CompanyFile, kind: str, full_name: str, *, exclude: str | None = None) -> bool:
    """True if another element (not ListID ``exclude``) in ``kind``'s namespace has this FullName.

    Customers, vendors, employees and other names share one namespace; a job's FullName is
    ``Customer:Job``, so only top-level names compete with vendors and employees. Other lists compare
    within themselves. Comparison is case-insensitive, as in QuickBooks.
    """
    wanted = full_name.casefold()
    return any(
        (record.get("FullName") or record.get("Name", "")).casefold() == wanted
        and record.get("ListID") != exclude
        for other in namespace(kind) for record in company.records(other)
    )


def save_failed(kind: str, full_name: str, reason: str) -> RequestFailed:
    """3180, QuickBooks' code for a list element it refuses to save (PROTOCOL.md §D)."""
    return RequestFailed(3180, f'There was an error when saving a {SAVE_LABELS[kind]} list, element '
                               f'"{full_name}".  QuickBooks error message: {reason}')


def required_name(kind: str, name: str | None) -> str:
    """``name`` as a list element's Name, refused with 3180 (``save_failed``) when QuickBooks would not
    save it. Every list Add/Mod that takes a Name calls this before any other check of the name.

    Blank: the schema lets an empty Name through, QuickBooks' forms require one. A colon: it separates
    the levels of a FullName, so ``Field:East`` as a Name would sit at Sublevel 0 while its FullName reads
    as a subclass of Field, and a reference by that FullName could resolve to another element; in the
    name lists a top-level name shares its namespace with the jobs' ``Customer:Job`` FullNames. Decision
    (no capture of either answer): 3180 ("refused to save") with reasons of our own wording; the
    hierarchical lists' reason points to ParentRef."""
    if not (name or "").strip():
        raise save_failed(kind, name or "", "A name is required.")
    if ":" in name:
        hint = "; use ParentRef to place an element under another." if kind in HIERARCHICAL else "."
        raise save_failed(kind, name, f"A name cannot contain a colon (:), which separates the levels of a "
                                      f"list{hint}")
    return name


def editable(ctx: Context, kind: str, mod: Element) -> Record:
    """The record a ``…Mod`` names by ListID: 3120 if there is none, 3200 if EditSequence is stale."""
    list_id = text(mod, "ListID") or ""
    found = ctx.company.get(list_id)
    if found is None or found[0] != kind:
        raise status.object_not_found(list_id)
    edit_sequence = text(mod, "EditSequence") or ""
    if edit_sequence != found[1]["EditSequence"]:
        raise status.stale_edit_sequence(edit_sequence)
    return found[1]


def parent_of(ctx: Context, kind: str, ref: Element | None, *, moving: Record | None = None) -> Record | None:
    """The parent a ParentRef names (None for top level), or 3130 naming the reference.

    An unknown or inactive parent is refused, as is (for ``moving``, the element being modified) the
    element itself or one of its descendants, which would make the tree a cycle. A ParentRef with
    neither ListID nor FullName text means top level (how a Mod moves an element up to level 0).
    """
    if ref is None or not ref_value(ref):
        return None
    list_id, full_name = text(ref, "ListID"), text(ref, "FullName")
    found = ctx.company.get(list_id) if list_id else ctx.company.find_by_name((kind,), full_name or "")
    parent = found[1] if found and found[0] == kind else None
    if parent is None or parent.get("IsActive") is False or _inside(ctx.company, parent, moving):
        raise status.invalid_parent(ref_value(ref), LIST_NAMES[kind])
    return parent


def place(company: CompanyFile, kind: str, name: str, parent: Record | None,
          *, moving: Record | None = None) -> Placement:
    """Where ``name`` lands under ``parent``: 3100 if the FullName is taken, 3180 if too deep.

    ``moving`` is the element being renamed or moved; it does not clash with itself, and its
    descendants move with it, so they count towards the depth limit (HIERARCHICAL: 5 levels).
    """
    full_name = f"{parent['FullName']}:{name}" if parent else name
    sublevel = parent["Sublevel"] + 1 if parent else 0
    moving_id = moving["ListID"] if moving else None
    if name_in_use(company, kind, full_name, exclude=moving_id):
        raise status.name_in_use(name)
    deepest = sublevel + (_height(company, kind, moving) if moving else 0)
    if deepest > HIERARCHICAL[kind]:
        # No capture of this case; 3180 is the save-refused code and the reason text is ours.
        raise save_failed(kind, full_name, f"A list element cannot have more than {HIERARCHICAL[kind]} "
                                           "levels of subelements.")
    return Placement(name, parent["ListID"] if parent else None, full_name, sublevel)


def replace(ctx: Context, kind: str, mod: Element, record: Record) -> Placement | None:
    """The new placement a ``…Mod`` asks for with Name and/or ParentRef, None if it asks for neither.
    A Name given is checked first (``required_name``: 3180 when blank or holding a colon)."""
    ref = mod.find("ParentRef")
    if mod.find("Name") is None and ref is None:
        return None
    name = required_name(kind, text(mod, "Name")) if mod.find("Name") is not None else record["Name"]
    if ref is not None:
        parent = parent_of(ctx, kind, ref, moving=record)
    else:
        parent = ctx.company.get(record["ParentRef"])[1] if record.get("ParentRef") else None
    return place(ctx.company, kind, name, parent, moving=record)


def move(company: CompanyFile, kind: str, record: Record, placement: Placement) -> None:
    """Give ``record`` its new placement and recompute the FullName and Sublevel of its descendants."""
    record.update(Name=placement.name, FullName=placement.full_name, ParentRef=placement.parent_id,
                  Sublevel=placement.sublevel)
    for child in _descendants(company, kind, record):
        parent = company.get(child["ParentRef"])[1]
        child["FullName"] = f"{parent['FullName']}:{child['Name']}"
        child["Sublevel"] = parent["Sublevel"] + 1


def boolean(parent: Element, tag: str, *, default: bool) -> bool:
    """A BOOLTYPE field (``true``/``false``/``1``/``0``); absent or empty keeps ``default``."""
    value = (text(parent, tag) or "").strip()
    return value in ("true", "1") if value else default


def reply(ctx: Context, rq: Element, kind: str, record: Record) -> Reply:
    """The Add/Mod reply: the record's Ret, limited to the request's IncludeRetElement names."""
    include = set(texts(rq, "IncludeRetElement")) or None
    return Reply([renderer(ctx, kind)(record, include)])


def _descendants(company: CompanyFile, kind: str, record: Record) -> Iterator[Record]:
    """Every element below ``record``, parents before their children."""
    for child in list(company.children_of(kind, record["ListID"])):
        yield child
        yield from _descendants(company, kind, child)


def _height(company: CompanyFile, kind: str, record: Record) -> int:
    """How many levels lie below ``record`` (0 for a leaf)."""
    children = company.children_of(kind, record["ListID"])
    return max((1 + _height(company, kind, child) for child in children), default=0)


def _inside(company: CompanyFile, candidate: Record, moving: Record | None) -> bool:
    """True if ``candidate`` is ``moving`` or lies below it."""
    if moving is None:
        return False
    node: Record | None = candidate
    while node is not None:
        if node["ListID"] == moving["ListID"]:
            return True
        found = company.get(node["ParentRef"]) if node.get("ParentRef") else None
        node = found[1] if found else None
    return False
