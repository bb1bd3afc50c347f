"""Customer balances as QuickBooks keeps them: a customer's (or job's) ``Balance`` is the open balance of
its own invoices; its ``TotalBalance`` is that Balance plus the Balances of all its jobs (descendants).

Rule: the balances are stored on the Customer records as AMTTYPE strings and brought up to date by
``post`` in the request that changes them (InvoiceAdd, InvoiceMod, a CustomerMod that moves a job),
after every check of that request has passed, so a failed request changes no balance. Only invoices
make balances: payments, credit memos, sales receipts, statement charges and opening balances are not
simulated (their requests, and CustomerAdd's OpenBalance, are refused with 1030).

Decision (no capture): posting a balance is not an edit of the customer, so its TimeModified and
EditSequence stay as they are (a client holding the customer's EditSequence can still modify it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from ..company import CompanyFile, Record
from .txnquery import money

KIND = "Customer"


def amount(record: Record, field: str) -> Decimal:
    """``record[field]`` as a Decimal. Decision: a missing balance reads as 0.00 (a customer or vendor
    in a company file written before mockqb kept balances)."""
    return Decimal(record.get(field) or "0")


#: What an invoice adds to its customer's balance: (customer ListID, amount).
Posting = tuple[str | None, Decimal]


def posting(invoice: Record) -> Posting:
    """The invoice's contribution to its customer's Balance: its BalanceRemaining.

    Pending invoices (IsPending true) contribute nothing: QuickBooks' help on pending sales says they "do
    not appear in registers, do not affect account balances" — they are non-posting until marked final."""
    if invoice.get("IsPending"):
        return invoice.get("CustomerRef"), Decimal(0)
    return invoice.get("CustomerRef"), Decimal(invoice["BalanceRemaining"])


def post(company: CompanyFile, before: Posting | None, after: Posting) -> None:
    """Move an invoice's contribution from ``before`` (None for a new invoice) to ``after``: adjust the
    Balance of the customers concerned, then the TotalBalance of each and of every ancestor. Works by
    difference, so its cost does not grow with the number of invoices in the company."""
    changes = [(before[0], -before[1])] if before else []
    changes.append(after)
    touched: dict[str, Record] = {}
    for customer_id, delta in changes:
        found = company.get(customer_id) if customer_id else None
        if found is not None:
            found[1]["Balance"] = money(amount(found[1], "Balance") + delta)
            touched[customer_id] = found[1]
    refresh_totals(company, touched)


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


def _subtree_balance(company: CompanyFile, customer: Record) -> Decimal:
    """The customer's Balance plus the Balance of every job below it, at any depth."""
    children = company.children_of(KIND, customer["ListID"])
    return amount(customer, "Balance") + sum((_subtree_balance(company, child) for child in children),
                                             Decimal(0))
