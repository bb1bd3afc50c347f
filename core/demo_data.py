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


def load(app: App, out) -> None:
    """Create the company and its login, and submit the sample records."""
    app.host.add_company(COMPANY)
    app.host.add_user(USER, PASSWORD, COMPANY)
    _submit(app, "timesheets", WORK_BLOCKS, out)


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
