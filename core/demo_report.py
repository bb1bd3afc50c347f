"""What the demo prints at the end: the simulated company's new entries, the importables qbbridge read from
it, and qbbridge's own status per object type."""

from __future__ import annotations

from collections import Counter

from qbbridge.mockqb.company import CompanyFile

from .app import App


def landed(company: CompanyFile) -> str:
    lines = ["== What landed in QuickBooks"]
    for entry in company.records("TimeTracking"):
        names = [company.full_name_of(entry.get(ref) or "") or "-"
                 for ref in ("EntityRef", "CustomerRef", "ItemServiceRef", "ClassRef", "PayrollItemWageRef")]
        lines.append(f"   time entry {entry['TxnID']}: {entry['TxnDate']} {entry['Duration']:<9} "
                     f"{names[0]} | customer/job {names[1]} | item {names[2]} | class {names[3]} | "
                     f"payroll {names[4]} | {entry.get('BillableStatus') or '-'}")
    return "\n".join(lines) + "\n"


def importables(app: App, company_name: str) -> str:
    rows = app.host.importables(company_name)
    lines = [f"== Read from QuickBooks (importables): {len(rows)}"]
    for row in rows:
        active = "" if row["is_active"] else " (inactive)"
        lines.append(f"   {row['object_type']:<10} {row['name']}{active}: {row['status']}")
    return "\n".join(lines) + "\n"


def status(app: App, company_name: str) -> str:
    lines = ["== qbbridge status"]
    for object_type, counts in app.host.status(company_name).items():
        shown = ", ".join(f"{counts[key]} {key.replace('_', ' ')}" for key in
                          ("synced", "pending", "rejected", "held", "uncertain", "changed_after_sync")
                          if counts.get(key))
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
