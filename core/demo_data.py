"""The demo's sample host data: a company, its Web Connector login, work blocks (one names a job that the
simulated QuickBooks does not have yet), parts and invoices, loaded through the host API as an
application would."""

from __future__ import annotations

from .app import App
from .errors import HandledError

COMPANY, USER, PASSWORD = "Demo Company", "demo", "demo-password-1"
MISSING_JOB = "Acme Corp:Gutters"

WORK_BLOCKS = [
    ("1842", {"employee": "Jane Doe", "customer": "Acme Corp:Roof repair", "item": "Installation",
              "class": "Field:North", "payroll_item": "Regular Pay", "date": "2026-11-16", "hours": 8,
              "notes": "Replaced flashing on the north side", "billable": True}),
    ("1843", {"employee": "John Smith", "customer": "Baker Bakery:Kitchen remodel", "item": "Labor",
              "payroll_item": "Regular Pay", "date": "2026-11-16", "hours": 4, "minutes": 30,
              "billable": True}),
    ("1844", {"employee": "Maria Garcia", "item": "Consulting", "class": "Office", "date": "2026-11-17",
              "duration": "1:45", "notes": "Estimate for Baker Bakery", "billable": False}),
    ("1845", {"employee": "Pat Contractor", "customer": MISSING_JOB, "item": "Labor", "date": "2026-11-17",
              "hours": 3, "notes": "Gutter inspection", "billable": True}),
]


PARTS = [
    ("PN-100", {"name": "Gutter guard", "description": "Aluminium gutter guard, installed",
                "price": "120.00"}),
    ("PN-200", {"name": "Consulting", "description": "Consulting hour"}),  # QuickBooks has this name already
]
COMPANY_SETTINGS = {"parts.income_account": "Services Income"}


def _class(value: str) -> list[dict[str, str]]:
    """The host's custom dimension named "class": its value is a QuickBooks class (seed rule T9)."""
    return [{"name": "class", "type": "custom", "value": value}]


INVOICES = [
    ("INV-1001", {"customer": "Baker Bakery", "date": "2026-11-18", "dimensions": _class("Field:North"),
                  "lines": [{"part": "PN-100", "quantity": "2", "rate": "120.00"},
                            {"part": "PN-200", "quantity": "1.5", "rate": "95.00"}]}),
    ("INV-1002", {"customer": "Acme Corp:Roof repair", "date": "2026-11-18", "dimensions": _class("Office"),
                  "lines": [{"part": "PN-100", "quantity": "1", "rate": "120.00"}]}),
    ("INV-1003", {"customer": "Acme Corp", "date": "2026-11-19", "lines": []}),  # a draft: never sent
]
FINALIZED = ["INV-1001", "INV-1002"]


def load(app: App, out) -> None:
    """Create the company and its login, and submit the sample records; finalize two invoices."""
    app.host.add_company(COMPANY, settings=COMPANY_SETTINGS)
    app.host.add_user(USER, PASSWORD, COMPANY)
    _submit(app, "timesheets", WORK_BLOCKS, out)
    _submit(app, "parts", PARTS, out)
    _submit(app, "invoices", INVOICES, out)
    report = app.host.finalize(COMPANY, "invoices", FINALIZED)
    if report.refused:
        raise HandledError(f"the demo could not finalize its invoices: {'; '.join(report.refused)}")
    out(f"Finalized invoices {', '.join(report.finalized)} (INV-1003 stays a draft)\n")


def _submit(app: App, object_type: str, records, out) -> None:
    report = app.host.submit(COMPANY, object_type, records)
    if report.invalid:
        raise HandledError(f"the demo's own {object_type} were refused: {'; '.join(report.invalid)}")
    out(f"Submitted {len(records)} {object_type}: {', '.join(key for key, _ in records)}")


def add_missing_job(company) -> str:
    """Do what the error told the user: add the job in QuickBooks (the simulated company)."""
    customer, job = MISSING_JOB.split(":")
    found = company.find_by_name(("Customer",), customer)
    if found is None:
        raise HandledError(f"the sample company has no customer {customer!r}")
    company.add_list_element("Customer", job, parent_id=found[1]["ListID"])
    return f"== In QuickBooks, the user adds the job '{MISSING_JOB}' (Customer Center > Add Job)\n"
