"""A sample company: a few employees, customers with jobs, vendors, service items, classes, payroll
items and accounts — enough to exercise every request the simulator answers.

``qbbridge mockqb init FILE.json`` writes it; tests and the demo start from it.
"""

from __future__ import annotations

from .clock import Clock, SimulatedClock
from .company import CompanyFile

#: Nobody owes anything yet: a customer's Balance/TotalBalance and a vendor's Balance start at 0.00, as
#: CustomerAdd and VendorAdd set them (QuickBooks reports them on every CustomerRet/VendorRet); invoices
#: then post to the customers' balances (requests/balances.py).
NO_BALANCE = {"Customer": {"Balance": "0.00", "TotalBalance": "0.00"}, "Vendor": {"Balance": "0.00"}}


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
    company.add_list_element("Vendor", "Pat Contractor", CompanyName="Pat Contracting LLC",
                             **NO_BALANCE["Vendor"])
    company.add_list_element("OtherName", "Lee Partner")


def _customers(company: CompanyFile) -> None:
    def customer(name: str, parent: str | None = None, **fields: object) -> str:
        return company.add_list_element("Customer", name, parent_id=parent, **NO_BALANCE["Customer"],
                                        **fields)["ListID"]

    acme = customer("Acme Corp", CompanyName="Acme Corporation")
    roof = customer("Roof repair", acme, JobStatus="InProgress")
    customer("Phase 2", roof, JobStatus="Pending")
    baker = customer("Baker Bakery", CompanyName="Baker Bakery Inc.")
    customer("Kitchen remodel", baker, JobStatus="InProgress")
    customer("Closed Co", is_active=False)


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
