"""A sample company: a few employees, customers with jobs, vendors, service items, classes, payroll
items and accounts — enough to exercise every request the simulator answers.

``qbbridge mockqb init FILE.json`` writes it; tests and the demo start from it.
"""

from __future__ import annotations

from .clock import Clock, SimulatedClock
from .company import CompanyFile


def sample_company(*, clock: Clock | None = None, seed: int = 0) -> CompanyFile:
    """Build the sample company. With the default simulated clock the result is the same on every run."""
    company = CompanyFile(seed=seed, clock=clock or SimulatedClock())
    accounts = _accounts(company)
    _people(company)
    _customers(company)
    _items(company, accounts["Services Income"])
    _classes(company)
    _payroll_items(company, accounts["Payroll Expenses"])
    return company


def _accounts(company: CompanyFile) -> dict[str, str]:
    rows = [("Checking", "Bank"), ("Accounts Receivable", "AccountsReceivable"),
            ("Services Income", "Income"), ("Payroll Expenses", "Expense")]
    return {name: company.add_list_element("Account", name, AccountType=kind)["ListID"]
            for name, kind in rows}


def _people(company: CompanyFile) -> None:
    for first, last in (("Jane", "Doe"), ("John", "Smith"), ("Maria", "Garcia")):
        company.add_list_element("Employee", f"{first} {last}", FirstName=first, LastName=last)
    company.add_list_element("Employee", "Former Worker", is_active=False, FirstName="Former",
                             LastName="Worker")
    company.add_list_element("Vendor", "Pat Contractor", CompanyName="Pat Contracting LLC")
    company.add_list_element("OtherName", "Lee Partner")


def _customers(company: CompanyFile) -> None:
    acme = company.add_list_element("Customer", "Acme Corp", CompanyName="Acme Corporation")["ListID"]
    roof = company.add_list_element("Customer", "Roof repair", parent_id=acme, JobStatus="InProgress")
    company.add_list_element("Customer", "Phase 2", parent_id=roof["ListID"], JobStatus="Pending")
    baker = company.add_list_element("Customer", "Baker Bakery", CompanyName="Baker Bakery Inc.")["ListID"]
    company.add_list_element("Customer", "Kitchen remodel", parent_id=baker, JobStatus="InProgress")
    company.add_list_element("Customer", "Closed Co", is_active=False)


def _items(company: CompanyFile, income_account: str) -> None:
    for name, desc, price in (("Consulting", "Consulting services", "125.00"),
                              ("Installation", "Installation labor", "85.00"),
                              ("Labor", "General labor", "60.00")):
        item = company.add_list_element("ItemService", name, SalesOrPurchase={
            "Desc": desc, "Price": price, "AccountRef": income_account})
    company.add_list_element("ItemService", "Overtime", parent_id=item["ListID"], SalesOrPurchase={
        "Desc": "Overtime labor", "Price": "90.00", "AccountRef": income_account})
    company.add_list_element("ItemService", "Discontinued service", is_active=False, SalesOrPurchase={
        "Desc": "No longer offered", "Price": "10.00", "AccountRef": income_account})


def _classes(company: CompanyFile) -> None:
    field = company.add_list_element("Class", "Field")["ListID"]
    company.add_list_element("Class", "North", parent_id=field)
    company.add_list_element("Class", "South", parent_id=field)
    company.add_list_element("Class", "Office")
    company.add_list_element("Class", "Old Projects", is_active=False)


def _payroll_items(company: CompanyFile, expense_account: str) -> None:
    company.add_list_element("PayrollItemWage", "Regular Pay", WageType="HourlyRegular",
                             ExpenseAccountRef=expense_account)
    company.add_list_element("PayrollItemWage", "Overtime Pay", WageType="HourlyOvertime",
                             ExpenseAccountRef=expense_account)
