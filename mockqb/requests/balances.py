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


def open_balance(company: CompanyFile, customer_id: str) -> Decimal:
    """The sum of BalanceRemaining over the customer's own invoices (not its jobs').

    Pending invoices (IsPending true) are left out: QuickBooks' help on pending sales says they "do not
    appear in registers, do not affect account balances" — they are non-posting until marked final."""
    return sum((Decimal(invoice["BalanceRemaining"]) for invoice in company.records("Invoice")
                if invoice.get("CustomerRef") == customer_id and not invoice.get("IsPending")), Decimal(0))


def post(company: CompanyFile, customer_ids: Iterable[str | None]) -> None:
    """Bring the balances up to date after invoices of ``customer_ids`` (None entries are skipped)
    changed, or after those customers moved in the Customer list: each one's Balance, then the
    TotalBalance of each one and of every ancestor (a job's balance counts in all of them)."""
    customers = {cid: company.get(cid)[1] for cid in customer_ids if cid and company.get(cid)}
    for customer_id, customer in customers.items():
        customer["Balance"] = money(open_balance(company, customer_id))
    for customer in _with_ancestors(company, customers.values()):
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
