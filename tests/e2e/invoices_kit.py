"""Helpers for the end-to-end tests of the classes, parts and invoices plugins (issue 5; T1–T10).

Rule: the QuickBooks simulator's company file is the judge. ``Part``, ``Line`` and ``Invoice`` state
what the host submits (``payload()``) and, for an invoice, what QuickBooks must then hold
(``entry()``: names, numbers and classes as QuickBooks shows them), so a test compares the company file
with what was submitted, never with what a plugin says it did. Every request qbbridge hands to
QuickBooks in a test is checked against Intuit's qbXML 13.0 and 16.0 schemas afterwards (``serving``).
"""

from __future__ import annotations

import contextlib
import io
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from e2e_harness import COMPANY, PASSWORD, USER, Bridge
from timesheets_kit import assert_valid_in_both_schemas
from timesheets_kit import sent as sent  # the test modules take every helper from this kit

import qbbridge.plugins.classes as classes_plugin
import qbbridge.plugins.invoices as invoices_plugin
import qbbridge.plugins.parts as parts_plugin
from qbbridge.core import cli
from qbbridge.core.config import Settings
from qbbridge.mockqb.company import CompanyFile, Record
from qbbridge.mockqb.faults import FaultPlan
from qbbridge.mockqb.processor import QuickBooks

PLUGINS = [("classes", classes_plugin), ("parts", parts_plugin), ("invoices", invoices_plugin)]
DATE = "2026-11-20"
INCOME = "Services Income"  # an income account of the sample company
FOUND_NOTE = "found in QuickBooks after a lost answer"
LINKED_NOTE = "linked to existing QuickBooks item"


# --- what the host submits, and what QuickBooks must hold ---------------------------------------------


@dataclass(frozen=True)
class Part:
    """A host part number: the QuickBooks item it becomes is named ``name``."""

    name: str
    description: str | None = None
    price: str | None = None
    income_account: str | None = None

    def payload(self) -> dict[str, Any]:
        fields = {"name": self.name, "description": self.description, "price": self.price,
                  "income_account": self.income_account}
        return {key: value for key, value in fields.items() if value is not None}


def class_dimension(value: str, *, name: str = "class", kind: str = "custom") -> dict[str, str]:
    """A host dimension; only name "class" of type "custom" is the QuickBooks class (T9)."""
    return {"name": name, "type": kind, "value": value}


@dataclass(frozen=True)
class Line:
    part: str
    quantity: str = "1"
    rate: str = "10.00"
    description: str | None = None
    klass: str | None = None

    def payload(self) -> dict[str, Any]:
        line: dict[str, Any] = {"part": self.part, "quantity": self.quantity, "rate": self.rate}
        if self.description is not None:
            line["description"] = self.description
        if self.klass is not None:
            line["dimensions"] = [class_dimension(self.klass)]
        return line


@dataclass(frozen=True)
class Invoice:
    """A host invoice. ``dimensions`` are extra header dimensions, sent as given (T9: not a class)."""

    lines: tuple[Line, ...]
    customer: str = "Acme Corp"
    date: str = DATE
    ref_number: str | None = None
    memo: str | None = None
    klass: str | None = None
    dimensions: tuple[Mapping[str, str], ...] = ()

    def payload(self) -> dict[str, Any]:
        head = [class_dimension(self.klass)] if self.klass is not None else []
        payload: dict[str, Any] = {"customer": self.customer, "date": self.date,
                                   "dimensions": [*head, *map(dict, self.dimensions)],
                                   "lines": [line.payload() for line in self.lines]}
        if self.ref_number is not None:
            payload["ref_number"] = self.ref_number
        if self.memo is not None:
            payload["memo"] = self.memo
        return payload

    def entry(self, key: str, items: Mapping[str, str]) -> dict[str, Any]:
        """The invoice as ``invoice_view`` shows it; ``items`` maps each part key to its QuickBooks item."""
        lines = [(items[line.part], Decimal(line.quantity), Decimal(line.rate), line.klass)
                 for line in self.lines]
        return {"customer": self.customer, "date": self.date, "ref_number": self.ref_number or key,
                "memo": self.memo, "class": self.klass, "lines": lines}

    def but(self, **changes: Any) -> Invoice:
        return replace(self, **changes)


# --- the bridge -----------------------------------------------------------------------------------------


def lists_bridge(database_url: str, **settings: Any) -> Bridge:
    """A started server loading the classes, parts and invoices plugins, with the company and its login
    (batches of 3, as the other e2e tests)."""
    harness = Bridge(database_url=database_url,
                     settings=Settings(database_url=database_url, **{"batch_size": 3, **settings}),
                     plugins=list(PLUGINS))
    harness.start()
    harness.host.add_company(COMPANY)
    harness.host.add_user(USER, PASSWORD, COMPANY)
    return harness


def serving(database_url: str, quickbooks: QuickBooks) -> Iterator[Bridge]:
    """Body of each module's ``bridge`` fixture: a server for the test, with an income account for new
    items; afterwards every request it handed to QuickBooks must be valid qbXML 13.0 and 16.0."""
    harness = lists_bridge(database_url)
    configure(harness, parts={"income_account": INCOME})
    yield harness
    if harness.app is not None:
        harness.app.close()
    assert_valid_in_both_schemas(sent(quickbooks))


def configure(bridge: Bridge, **by_type: Mapping[str, Any]) -> None:
    """Company settings by object type: ``configure(bridge, parts={"income_account": "Sales"})``."""
    values = {f"{object_type}.{name}": value for object_type, named in by_type.items()
              for name, value in named.items()}
    bridge.host.update_settings(COMPANY, **values)


def submit(bridge: Bridge, object_type: str, items: Mapping[str, Part | Invoice], *,
           finalized: bool = False) -> Any:
    """Submit parts or invoices by key; the submission must refuse none."""
    report = bridge.host.submit(COMPANY, object_type, [(key, item.payload()) for key, item in items.items()],
                                finalized=finalized)
    assert report.invalid == [], report.invalid
    return report


def records(bridge: Bridge, object_type: str) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in bridge.host.records(COMPANY, object_type)}


def states(bridge: Bridge, object_type: str) -> dict[str, str]:
    return {key: row["state"] for key, row in records(bridge, object_type).items()}


def importables(bridge: Bridge, object_type: str) -> dict[str, dict[str, Any]]:
    """The importables of a type by name (FullName)."""
    return {row["name"]: row for row in bridge.host.importables(COMPANY, object_type)}


@dataclass(frozen=True, slots=True)
class CliResult:
    code: int
    out: str
    err: str


def run_cli(bridge: Bridge, *argv: str) -> CliResult:
    """``qbbridge ARGV`` in-process against the bridge's database, with the plugins installed by entry
    point (all but timesheets, so it sees the object types the bridge serves)."""
    return run_command(*argv, "--database-url", bridge.database_url, "--disable-plugins", "timesheets")


def run_command(*argv: str) -> CliResult:
    """``qbbridge ARGV`` in-process: its exit status and what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return CliResult(code, out.getvalue(), err.getvalue())


# --- the company file ------------------------------------------------------------------------------------


def invoice_view(company: CompanyFile, invoice: Record) -> dict[str, Any]:
    """An invoice with its references as the FullNames QuickBooks shows, and its lines as (item,
    quantity, rate, class) with the numbers as Decimals."""
    name = company.full_name_of
    lines = [(name(line["ItemRef"]), Decimal(line["Quantity"]), Decimal(line["Rate"]),
              name(line["ClassRef"]) if line.get("ClassRef") else None)
             for line in invoice.get("InvoiceLineRet", [])]
    return {"customer": name(invoice["CustomerRef"]), "date": invoice["TxnDate"],
            "ref_number": invoice.get("RefNumber"), "memo": invoice.get("Memo"),
            "class": name(invoice["ClassRef"]) if invoice.get("ClassRef") else None, "lines": lines}


def invoice_of(company: CompanyFile, txn_id: str) -> Record:
    found = company.get(txn_id)
    assert found is not None and found[0] == "Invoice", f"no invoice {txn_id}"
    return found[1]


def line_descriptions(company: CompanyFile, txn_id: str) -> list[str | None]:
    return [line.get("Desc") for line in invoice_of(company, txn_id)["InvoiceLineRet"]]


def invoices_by_ref(company: CompanyFile) -> Counter[str]:
    """How many invoices the company file holds per RefNumber."""
    return Counter(invoice.get("RefNumber") for invoice in company.records("Invoice"))


def items_by_name(company: CompanyFile) -> Counter[str]:
    """How many service items the company file holds per FullName (case as stored)."""
    return Counter(item["FullName"] for item in company.records("ItemService"))


def item_named(company: CompanyFile, full_name: str) -> Record:
    (item,) = [item for item in company.records("ItemService") if item["FullName"] == full_name]
    return item


def assert_invoices_landed_once(bridge: Bridge, company: CompanyFile, invoices: Mapping[str, Invoice],
                                items: Mapping[str, str]) -> None:
    """The company file holds exactly these invoices, once each, and each is synced to its own one
    with every field it was given (``items``: part key -> QuickBooks item FullName)."""
    expected = {invoice.ref_number or key: 1 for key, invoice in invoices.items()}
    assert invoices_by_ref(company) == expected
    rows = records(bridge, "invoices")
    for key, invoice in invoices.items():
        row = rows[key]
        assert row["state"] == "synced" and row["qb_id"], (key, row)
        assert invoice_view(company, invoice_of(company, row["qb_id"])) == invoice.entry(key, items), key


def assert_parts_linked(bridge: Bridge, company: CompanyFile, items: Mapping[str, str]) -> None:
    """Each part is synced to the one service item of its name (``items``: part key -> FullName)."""
    rows = records(bridge, "parts")
    counts = items_by_name(company)
    for key, full_name in items.items():
        assert counts[full_name] == 1, (full_name, counts)
        list_id = item_named(company, full_name)["ListID"]
        assert (rows[key]["state"], rows[key]["qb_id"]) == ("synced", list_id), key


# --- what qbbridge sent ----------------------------------------------------------------------------------


def tags_sent(quickbooks: QuickBooks) -> list[str]:
    """The tags of qbbridge's requests, in the order QuickBooks ran them."""
    return [request.tag for request in sent(quickbooks)]


def lose_answer_to_set_with(faults: FaultPlan, quickbooks: QuickBooks, tag: str) -> None:
    """Lose the answer to the first message set holding a ``tag`` request: QuickBooks runs (and commits)
    it, the server never hears back. Decided as the Web Connector is about to deliver each answer, so a
    test need not count the sets before it."""
    lost: list[int] = []

    def maybe_lose(_op: str, n: int) -> None:  # n: this receiveResponseXML's set number
        if not lost and f"<{tag}" in quickbooks.requests_seen[-1]:
            lost.append(n)
            faults.lose_answer(n)

    faults.before("receiveResponseXML", None, maybe_lose)

