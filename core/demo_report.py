"""What the demo prints at the end: the simulated company's new entries, the importables qbbridge read from
it, and qbbridge's own status per object type."""

from __future__ import annotations

from collections import Counter

from qbbridge.mockqb.company import CompanyFile
from qbbridge.mockqb.sample import sample_company

from .app import App


def landed(company: CompanyFile) -> str:
    return "\n".join(["== What landed in QuickBooks", *_time_entries(company), *_new_items(company),
                      *_invoices(company)]) + "\n"


def _time_entries(company: CompanyFile) -> list[str]:
    lines = []
    for entry in company.records("TimeTracking"):
        names = [company.full_name_of(entry.get(ref) or "") or "-"
                 for ref in ("EntityRef", "CustomerRef", "ItemServiceRef", "ClassRef", "PayrollItemWageRef")]
        lines.append(f"   time entry {entry['TxnID']}: {entry['TxnDate']} {entry['Duration']:<9} "
                     f"{names[0]} | customer/job {names[1]} | item {names[2]} | class {names[3]} | "
                     f"payroll {names[4]} | {entry.get('BillableStatus') or '-'}")
    return lines


def _new_items(company: CompanyFile) -> list[str]:
    sample = {item["ListID"] for item in sample_company().records("ItemService")}
    return [f"   service item {item['ListID']}: {item['FullName']} (created by qbbridge)"
            for item in company.records("ItemService") if item["ListID"] not in sample]


def _invoices(company: CompanyFile) -> list[str]:
    lines = []
    for invoice in company.records("Invoice"):
        customer = company.full_name_of(invoice["CustomerRef"])
        klass = company.full_name_of(invoice.get("ClassRef") or "") or "-"
        lines.append(f"   invoice {invoice.get('RefNumber')}: {customer}, {invoice['TxnDate']}, "
                     f"class {klass}, total {invoice.get('Subtotal')}")
        for line in invoice.get("InvoiceLineRet", []):
            description = " / ".join((line.get("Desc") or "").splitlines())
            lines.append(f"      {company.full_name_of(line.get('ItemRef') or '') or '-'}: "
                         f"{line.get('Quantity')} x {line.get('Rate')} \"{description}\"")
    return lines


def importables(app: App, company_name: str) -> str:
    rows = app.host.importables(company_name)
    lines = [f"== Read from QuickBooks (importables): {len(rows)}"]
    for row in rows:
        active = "" if row["is_active"] else " (inactive)"
        lines.append(f"   {row['object_type']:<10} {row['name']}{active}: {row['status']}")
    return "\n".join(lines) + "\n"


STATUS_KEYS = ("synced", "pending", "draft", "rejected", "held", "uncertain", "changed_after_sync")


def status(app: App, company_name: str) -> str:
    lines = ["== qbbridge status"]
    for object_type, counts in app.host.status(company_name).items():
        shown = ", ".join(f"{counts[key]} {key.replace('_', ' ')}" for key in STATUS_KEYS if counts.get(key))
        last = counts.get("last_sync") or "never"
        lines.append(f"   {object_type:<10} last sync {last}; {shown or 'nothing'}")
    return "\n".join(lines) + "\n"


def blocks_landed(app: App, company_name: str, company: CompanyFile) -> Counter[str]:
    """How many QuickBooks time entries each submitted work block has (exactly one each when all went well);
    entries no block is linked to count under ""."""
    by_txn = Counter(entry["TxnID"] for entry in company.records("TimeTracking"))
    counts = Counter({row["id"]: by_txn.pop(row["qb_id"] or "", 0)
                      for row in app.host.records(company_name, "timesheets")})
    counts[""] = sum(by_txn.values())
    return counts


def synced_so_far(app: App, company_name: str) -> str:
    """One line: how many records of each type are in QuickBooks now."""
    counts = app.host.status(company_name)
    shown = ", ".join(f"{counts[name].get('synced', 0)} {name}" for name in counts)
    return f"   In QuickBooks so far: {shown}\n"
