"""Customer balances as QuickBooks keeps them: a customer's (or job's) ``Balance`` is the open balance of
its own invoices; its ``TotalBalance`` is that Balance plus the Balances of all its jobs (descendants).

Rule: the balances are stored on the Customer records as AMTTYPE strings and brought up to date in the
request that changes them (InvoiceAdd, InvoiceMod, a CustomerMod that moves a job). Two steps: ``planned``
(or ``check_move``) works out the new balances among the request's checks and refuses with 3210 a
balance beyond AMTTYPE; ``apply`` (or ``refresh_totals``) stores them after every check has passed, so
a failed request changes no balance. Only invoices make balances: payments, credit memos, sales receipts,
statement charges and opening balances are not simulated (their requests, and CustomerAdd's
OpenBalance, are refused with 1030).

Decision (no capture): posting a balance is not an edit of the customer, so its TimeModified and
EditSequence stay as they are (a client holding the customer's EditSequence can still modify it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from ..company import CompanyFile, Record
from .txnquery import fitting_money, money

KIND = "Customer"


def amount(record: Record, field: str) -> Decimal:
    """``record[field]`` as a Decimal. Decision: a missing balance reads as 0.00 (a customer or vendor
    in a company file written before mockqb kept balances)."""
    return Decimal(record.get(field) or "0")


#: What an invoice adds to its customer's balance: (customer ListID, amount).
Posting = tuple[str | None, Decimal]
#: Balance changes ready to store: (customer record, {"Balance"/"TotalBalance": AMTTYPE text}).
Plan = list[tuple[Record, dict[str, str]]]


def posting(invoice: Record) -> Posting:
    """The invoice's contribution to its customer's Balance: its BalanceRemaining.

    Pending invoices (IsPending true) contribute nothing: QuickBooks' help on pending sales says they "do
    not appear in registers, do not affect account balances" — they are non-posting until marked final."""
    if invoice.get("IsPending"):
        return invoice.get("CustomerRef"), Decimal(0)
    return invoice.get("CustomerRef"), Decimal(invoice["BalanceRemaining"])


def planned(company: CompanyFile, before: Posting | None, after: Posting) -> Plan:
    """What moving an invoice's contribution from ``before`` (None for a new invoice) to ``after`` does to
    balances: the new Balance of the customers concerned and the new TotalBalance of each and of every
    ancestor. Changes nothing; 3210 naming the field when a new value is beyond AMTTYPE. Works by
    difference, so its cost does not grow with the number of invoices in the company."""
    deltas: dict[str, Decimal] = {}
    for customer_id, delta in ([(before[0], -before[1])] if before else []) + [after]:
        if customer_id and company.get(customer_id):
            deltas[customer_id] = deltas.get(customer_id, Decimal(0)) + delta
    balances = {cid: amount(company.get(cid)[1], "Balance") + delta for cid, delta in deltas.items()}
    plan = {cid: {"Balance": fitting_money("Balance", value)} for cid, value in balances.items()}
    customers = [company.get(cid)[1] for cid in balances]
    for customer in _with_ancestors(company, customers):
        total = _subtree_balance(company, customer, balances)
        plan.setdefault(customer["ListID"], {})["TotalBalance"] = fitting_money("TotalBalance", total)
    return [(company.get(cid)[1], fields) for cid, fields in plan.items()]


def apply(plan: Plan) -> None:
    """Store the balances ``planned`` worked out (once the request's every check has passed)."""
    for customer, fields in plan:
        customer.update(fields)


def check_move(company: CompanyFile, customer: Record, new_parent_id: str | None) -> None:
    """3210 when moving ``customer`` (with its jobs) under ``new_parent_id`` would take the TotalBalance
    of an ancestor it gains or leaves beyond AMTTYPE (the ancestors it keeps see no change)."""
    old, new = _ancestors(company, customer.get("ParentRef")), _ancestors(company, new_parent_id)
    moved = amount(customer, "TotalBalance")
    for ancestors, others, sign in ((old, new, -1), (new, old, 1)):
        for list_id, ancestor in ancestors.items():
            if list_id not in others:
                fitting_money("TotalBalance", amount(ancestor, "TotalBalance") + sign * moved)


def _ancestors(company: CompanyFile, parent_id: str | None) -> dict[str, Record]:
    """The customer ``parent_id`` and its ancestors, by ListID (empty for the top level)."""
    found = company.get(parent_id) if parent_id else None
    return {record["ListID"]: record for record in _lineage(company, found[1])} if found else {}


def refresh_totals(company: CompanyFile, customer_ids: Iterable[str | None]) -> None:
    """Recompute TotalBalance for these customers and all their ancestors (after balances changed or
    customers moved in the Customer list; None entries are skipped)."""
    customers = [found[1] for cid in customer_ids if cid and (found := company.get(cid))]
    for customer in _with_ancestors(company, customers):
        customer["TotalBalance"] = money(_subtree_balance(company, customer))


def _with_ancestors(company: CompanyFile, customers: Iterable[Record]) -> list[Record]:
    """``customers`` and all their ancestors, each once."""
    seen: dict[str, Record] = {}
    for customer in customers:
        for record in _lineage(company, customer):
            seen.setdefault(record["ListID"], record)
    return list(seen.values())


def _lineage(company: CompanyFile, customer: Record) -> Iterator[Record]:
    """The customer, its parent, its parent's parent … up to the top-level customer."""
    record: Record | None = customer
    while record is not None:
        yield record
        parent = company.get(record["ParentRef"]) if record.get("ParentRef") else None
        record = parent[1] if parent else None


def _subtree_balance(company: CompanyFile, customer: Record,
                     balances: dict[str, Decimal] | None = None) -> Decimal:
    """The customer's Balance plus the Balance of every job below it, at any depth; ``balances`` (by
    ListID) stand in for the stored Balances of the customers a planned posting changes."""
    balances = balances or {}
    children = company.children_of(KIND, customer["ListID"])
    own = balances.get(customer["ListID"], amount(customer, "Balance"))
    return own + sum((_subtree_balance(company, child, balances) for child in children), Decimal(0))
