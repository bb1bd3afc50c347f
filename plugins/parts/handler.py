"""PartsHandler: host part numbers <-> QuickBooks service items (ItemService; T5, T6).

Rule: a part goes to QuickBooks only when a finalized invoice due in this update uses it (the invoices
type depends on parts, so the part is exported earlier in the same update); until then it stays due
and untouched. A part whose name QuickBooks already has as a service item is linked to that item,
never added again: the same-name check (a READ of the due parts' names) and every answer that shows an
item feed ``ctx.facts["items"]``. A new item needs an income account (the part's, else the company
setting); without one the part waits. Service items read on the schedule become importables.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from qbbridge.core import (
    BaseHandler,
    ExportContext,
    ExportItem,
    Kind,
    Linked,
    ObjectType,
    Outcome,
    Purpose,
    QbRequest,
    QbResult,
    ReadContext,
    Record,
    SentRequest,
    Waiting,
)
from qbbridge.plugins.classes.reading import read_is_due, setting
from qbbridge.plugins.invoices.rules import t10_problem

from .answers import add_outcomes, lookup_outcomes, read_outcomes
from .payload import validate_part
from .qbxml import all_items, item_add, items_named, name_key
from .settings import IMPORT_FILTER, INCOME_ACCOUNT, READ_EVERY, SETTINGS, name_filter

NAMES_PER_QUERY = 100  # names per same-name check, so one query never grows without bound
LINKED_NOTE = "linked to existing QuickBooks item"
NEEDS_ACCOUNT = ("company setting", "parts.income_account")
SET_ACCOUNT = ("Set the income account for new items: qbbridge company set <company> "
               "parts.income_account=<account>, then click Update Selected again.")


class PartsHandler(BaseHandler):
    object_type = ObjectType("parts", "ItemService", Kind.LIST, label="part", on_demand=True)
    company_settings = SETTINGS

    def validate(self, local_key: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        return validate_part(local_key, payload)

    def read(self, ctx: ReadContext) -> Iterable[QbRequest]:
        """The importables read when due (``parts.read_every_minutes``), then the same-name check of
        the due parts not linked yet that due invoices use."""
        if read_is_due(ctx, "parts.read_every_minutes", READ_EVERY):
            criterion = name_filter(setting(ctx.company.settings, "parts.import_filter", IMPORT_FILTER))
            yield QbRequest(body=all_items(criterion), purpose=Purpose.READ, iterate=True,
                            label="QuickBooks service items")
        used = used_part_keys(ctx.others("invoices"))
        names = distinct_names(record for record in ctx.due()
                               if not record.qb_id and record.local_key in used)
        for start in range(0, len(names), NAMES_PER_QUERY):
            yield QbRequest(body=items_named(names[start:start + NAMES_PER_QUERY]), purpose=Purpose.READ,
                            label="service items named like due parts")

    def export(self, ctx: ExportContext) -> Iterator[ExportItem]:
        """For each due part a due invoice uses: Linked (same name in QuickBooks), Waiting (no income
        account), or ItemServiceAdd. A part whose name is being added earlier in this batch is left due:
        that Add's answer links it in the next batch."""
        used = used_part_keys(ctx.others("invoices"))
        if not used:
            return
        known: Mapping[str, Mapping[str, Any]] = ctx.facts.get("items", {})
        default_account = setting(ctx.company.settings, "parts.income_account", INCOME_ACCOUNT)
        adding: set[str] = set()
        for record in ctx.due():
            if record.local_key in used:
                item = _decide(record, known, default_account, adding)
                if item is not None:
                    yield item

    def lookup(self, record: Record) -> QbRequest | None:
        """After a lost answer: the service item of the part's name, if QuickBooks has one."""
        return QbRequest(body=items_named([record.payload["name"]]), purpose=Purpose.LOOKUP,
                         local_key=record.local_key, label=label(record))

    def acknowledge(self, request: SentRequest, result: QbResult) -> Sequence[Outcome]:
        if request.purpose is Purpose.READ:
            return read_outcomes(request, result)
        if request.purpose is Purpose.LOOKUP:
            return lookup_outcomes(request, result)
        return add_outcomes(request, result)


def _decide(record: Record, known: Mapping[str, Mapping[str, Any]], default_account: str,
            adding: set[str]) -> ExportItem | None:
    """One used part's export item; None leaves it due (its name is in an Add of this batch)."""
    key = name_key(record.payload["name"])
    found = known.get(key)
    account = record.payload.get("income_account") or default_account
    if found:
        return Linked(record.local_key, found["list_id"], found.get("edit_sequence"), note=_note(found))
    if key in adding:
        return None
    if not account:
        return Waiting(record.local_key, (NEEDS_ACCOUNT,), fix=SET_ACCOUNT)
    adding.add(key)
    return QbRequest(body=item_add(record.payload, account), local_key=record.local_key, label=label(record))


def distinct_names(parts: Iterable[Record]) -> list[str]:
    """The parts' names, one per QuickBooks name (case ignored), sorted."""
    by_key = {name_key(record.payload["name"]): record.payload["name"] for record in parts}
    return [by_key[key] for key in sorted(by_key)]


def used_part_keys(invoices: Iterable[Record]) -> set[str]:
    """The part keys the lines of these invoices name (``lines[].part``), leaving out invoices the
    invoices plugin will reject (T10): no item is created for an invoice that never goes."""
    keys: set[str] = set()
    for invoice in invoices:
        if _rejected(invoice):
            continue
        lines = invoice.payload.get("lines")
        for line in lines if isinstance(lines, list) else ():
            part = line.get("part") if isinstance(line, Mapping) else None
            if part is not None and part != "":
                keys.add(str(part))
    return keys


def _rejected(invoice: Record) -> bool:
    """Whether the invoices plugin will reject this invoice (T10). A payload of another shape (not
    validated by the invoices plugin) cannot be judged here, so its parts count as used."""
    try:
        return t10_problem(invoice.local_key, invoice.payload) is not None
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return False


def label(record: Record) -> str:
    """How people see the part: ``Part PN-100 (Hex bolt M8)``."""
    return f"Part {record.local_key} ({record.payload['name']})"


def _note(found: Mapping[str, Any]) -> str:
    return LINKED_NOTE if found.get("is_active", True) else f"{LINKED_NOTE} (inactive in QuickBooks)"
