"""Helpers for the timesheets plugin's end-to-end tests (fixtures stay in the test modules).

Rule: the QuickBooks simulator's company file is the judge. A ``Block`` states one work block twice —
as the payload the host submits, and as the TimeTracking entry QuickBooks must then hold (names, date,
Duration as QuickBooks stores it, notes, billable status) — so a test compares the company file with
what was submitted, never with what the plugin says it did. Everything a QuickBooks *user* does (type an
entry by hand, edit one) goes through the simulator's own request processor under another application
name, so QuickBooks' rules apply to it too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from e2e_harness import COMPANY, PASSWORD, USER, Bridge
from lxml import etree
from lxml.builder import E

import qbbridge.plugins.timesheets as timesheets_plugin
from qbbridge.core.config import Settings
from qbbridge.mockqb.company import CompanyFile
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.qbxml import QBXML_PARSER
from qbbridge.mockqb.testing import Response, message_set
from qbbridge.mockqb.validation import find_schema_dir, validate_message_set

TYPE = "timesheets"
DATE = "2026-11-20"
#: The application a QuickBooks user's own changes are made under (not qbbridge's recovery records),
#: and the requestID that tells them apart from qbbridge's requests in QuickBooks' log.
BY_HAND = "QuickBooks user"
BY_HAND_REQUEST_ID = "by-hand"
#: Requests the Web Connector simulator itself sends on every update (strHCPResponse), not qbbridge's.
HCP_TAGS = frozenset({"HostQueryRq", "CompanyQueryRq", "PreferencesQueryRq"})
SCHEMA_VERSIONS = ("13.0", "16.0")


@dataclass(frozen=True)
class Block:
    """One work block: ``payload()`` is what the host submits, ``entry()`` what QuickBooks must hold.

    ``billable`` is QuickBooks' status word; None leaves it out of the payload (QuickBooks then marks
    time for a customer with a service item billable, other time not). ``duration_as`` picks how the
    payload gives the time: ``"minutes"`` (int), ``"hours"`` (a decimal string such as "7.5"),
    ``"clock"`` ("7:30") or ``"iso"`` ("PT7H30M") — the wire form is the same for all four.
    """

    employee: str = "Jane Doe"
    date: str = DATE
    minutes: int = 480
    customer: str | None = None
    item: str | None = None
    klass: str | None = None
    payroll_item: str | None = None
    notes: str | None = None
    billable: str | None = None
    duration_as: str = "minutes"

    def payload(self) -> dict[str, Any]:
        optional = {"customer": self.customer, "item": self.item, "class": self.klass,
                    "payroll_item": self.payroll_item, "notes": self.notes, "billable": self.billable}
        return {"employee": self.employee, "date": self.date, **self._duration(),
                **{name: value for name, value in optional.items() if value is not None}}

    def _duration(self) -> dict[str, Any]:
        hours, minutes = divmod(self.minutes, 60)
        if self.duration_as == "hours":
            return {"hours": f"{self.minutes / 60:g}"}
        if self.duration_as == "clock":
            return {"duration": f"{hours}:{minutes:02d}"}
        if self.duration_as == "iso":
            return {"duration": f"PT{hours}H{minutes}M"}
        return {"minutes": self.minutes}

    def entry(self) -> dict[str, Any]:
        """The entry as ``entry_view`` shows it (QuickBooks stores Duration as ``PT#H#M0S``)."""
        hours, minutes = divmod(self.minutes, 60)
        default = "Billable" if self.customer and self.item else "NotBillable"
        return {"employee": self.employee, "date": self.date, "duration": f"PT{hours}H{minutes}M0S",
                "customer": self.customer, "item": self.item, "class": self.klass,
                "payroll_item": self.payroll_item, "notes": self.notes,
                "billable": self.billable or default}

    def but(self, **changes: Any) -> Block:
        return replace(self, **changes)


#: A fully filled block: every field QuickBooks' TimeTrackingAdd carries.
FULL = Block(employee="Jane Doe", minutes=450, customer="Acme Corp:Roof repair", item="Labor:Overtime",
             klass="Field:North", payroll_item="Regular Pay", notes="Framing, east wall", billable="Billable",
             duration_as="hours")


# --- the bridge ----------------------------------------------------------------------------------------


def timesheets_bridge(database_url: str, **settings: Any) -> Bridge:
    """A started server loading only the timesheets plugin, with the company and its login set up
    (batches of 3, as the other e2e tests, so a handful of blocks spans several message sets)."""
    harness = Bridge(database_url=database_url,
                     settings=Settings(database_url=database_url, **{"batch_size": 3, **settings}),
                     plugins=[(TYPE, timesheets_plugin)])
    harness.start()
    harness.host.add_company(COMPANY)
    harness.host.add_user(USER, PASSWORD, COMPANY)
    return harness


def configure(bridge: Bridge, **values: Any) -> None:
    """Set timesheets company settings by short name: ``configure(bridge, preflight=False)``."""
    bridge.host.update_settings(COMPANY, **{f"{TYPE}.{name}": value for name, value in values.items()})


def submit(bridge: Bridge, blocks: Mapping[str, Block]) -> Any:
    """Submit blocks by key; the submission must refuse none."""
    report = bridge.host.submit(COMPANY, TYPE, [(key, block.payload()) for key, block in blocks.items()])
    assert report.invalid == [], report.invalid
    return report


def records(bridge: Bridge) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in bridge.host.records(COMPANY, TYPE)}


def states(bridge: Bridge) -> dict[str, str]:
    return {key: row["state"] for key, row in records(bridge).items()}


def status(bridge: Bridge) -> dict[str, Any]:
    return bridge.host.status(COMPANY)[TYPE]


# --- the company file ----------------------------------------------------------------------------------


def entry_view(company: CompanyFile, entry: Mapping[str, Any]) -> dict[str, Any]:
    """A TimeTracking entry with its references as the FullNames QuickBooks shows."""
    name = company.full_name_of
    return {"employee": name(entry["EntityRef"]), "date": entry["TxnDate"], "duration": entry["Duration"],
            "customer": name(entry.get("CustomerRef")), "item": name(entry.get("ItemServiceRef")),
            "class": name(entry.get("ClassRef")), "payroll_item": name(entry.get("PayrollItemWageRef")),
            "notes": entry.get("Notes"), "billable": entry.get("BillableStatus")}


def entry_of(company: CompanyFile, txn_id: str) -> dict[str, Any]:
    found = company.get(txn_id)
    assert found is not None and found[0] == "TimeTracking", f"no TimeTracking entry {txn_id}"
    return found[1]


def assert_landed_once(bridge: Bridge, company: CompanyFile, blocks: Mapping[str, Block],
                       *, also: Iterable[Block] = ()) -> None:
    """The company file holds exactly ``blocks``' entries (plus ``also``, entries made by hand), and each
    block is synced to its own entry, which has every field the block gave."""
    expected = Counter(_frozen(block.entry()) for block in [*blocks.values(), *also])
    actual = Counter(_frozen(entry_view(company, entry)) for entry in company.records("TimeTracking"))
    assert actual == expected, _diff(actual, expected)
    rows = records(bridge)
    for key, block in blocks.items():
        row = rows[key]
        assert row["state"] == "synced" and row["qb_id"], (key, row)
        assert entry_view(company, entry_of(company, row["qb_id"])) == block.entry(), key
    txn_ids = [rows[key]["qb_id"] for key in blocks]
    assert len(set(txn_ids)) == len(txn_ids), "two blocks are linked to one entry"


def _frozen(view: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(view.items()))


def _diff(actual: Counter[Any], expected: Counter[Any]) -> str:
    return f"unexpected entries: {list((actual - expected).elements())}; " \
           f"missing entries: {list((expected - actual).elements())}"


def enter_by_hand(quickbooks: QuickBooks, block: Block) -> str:
    """Type ``block`` into QuickBooks as a user would (a TimeTrackingAdd from another application);
    its TxnID."""
    add = E.TimeTrackingAdd(E.TxnDate(block.date), E.EntityRef(E.FullName(block.employee)),
                            *_optional_ref("CustomerRef", block.customer),
                            *_optional_ref("ItemServiceRef", block.item), E.Duration(_iso(block.minutes)),
                            *_optional_ref("ClassRef", block.klass),
                            *_optional_ref("PayrollItemWageRef", block.payroll_item),
                            *([E.Notes(block.notes)] if block.notes else []),
                            *([E.BillableStatus(block.billable)] if block.billable else []))
    ret = _run_by_hand(quickbooks, E.TimeTrackingAddRq(add, requestID=BY_HAND_REQUEST_ID))
    return ret.findtext("TxnID")


def edit_by_hand(quickbooks: QuickBooks, txn_id: str, *, notes: str) -> str:
    """Change an entry's Notes in QuickBooks as a user would (a TimeTrackingMod from another
    application), which moves its EditSequence; the new EditSequence."""
    entry = entry_of(quickbooks.company, txn_id)
    mod = E.TimeTrackingMod(E.TxnID(txn_id), E.EditSequence(entry["EditSequence"]),
                            E.EntityRef(E.ListID(entry["EntityRef"])), E.Duration(entry["Duration"]),
                            E.Notes(notes))
    ret = _run_by_hand(quickbooks, E.TimeTrackingModRq(mod, requestID=BY_HAND_REQUEST_ID))
    return ret.findtext("EditSequence")


def _optional_ref(tag: str, full_name: str | None) -> list[etree._Element]:
    return [E(tag, E.FullName(full_name))] if full_name else []


def _iso(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"PT{hours}H{rest}M"


def _run_by_hand(quickbooks: QuickBooks, request: etree._Element) -> etree._Element:
    session = quickbooks.open_session(BY_HAND)
    try:
        answer = Response.parse(session.process(message_set(etree.tostring(request, encoding="unicode"))))
    finally:
        session.close()
    (only,) = answer.answers
    assert only.code == 0, only.message
    return only.ret()


# --- what qbbridge sent -------------------------------------------------------------------------------


def sent(quickbooks: QuickBooks, *tags: str) -> list[etree._Element]:
    """Every request element qbbridge handed to QuickBooks (all tags when none are named), in order;
    the Web Connector's own host/company/preferences queries and the changes made by hand are left out."""
    found = []
    for xml in quickbooks.requests_seen:
        msgs = etree.fromstring(xml.encode("utf-8"), QBXML_PARSER).find("QBXMLMsgsRq")
        for request in msgs if msgs is not None else ():
            ours = request.tag not in HCP_TAGS and request.get("requestID") != BY_HAND_REQUEST_ID
            if ours and (not tags or request.tag in tags):
                found.append(request)
    return found


def adds_sent(quickbooks: QuickBooks) -> Counter[str]:
    """How many TimeTrackingAdds qbbridge sent per Notes text (one note per block in these tests)."""
    adds = sent(quickbooks, "TimeTrackingAddRq")
    return Counter(add.findtext("TimeTrackingAdd/Notes") or "" for add in adds)


def assert_valid_in_both_schemas(requests: Iterable[etree._Element]) -> int:
    """Each request, alone in a message set, is valid qbXML 13.0 and 16.0 (Intuit's XSDs, plus the
    simulator's check that no element is newer than the declared version); how many were checked."""
    schema_dir = find_schema_dir()
    assert schema_dir is not None, "Intuit's qbXML XSDs were not found (shared/reference/xsd)"
    checked = 0
    for request in requests:
        text = etree.tostring(request, encoding="unicode")
        for version in SCHEMA_VERSIONS:
            document = etree.fromstring(message_set(text, version=version).encode("utf-8"), QBXML_PARSER)
            validate_message_set(document.getroottree(), version, schema_dir=schema_dir)
        checked += 1
    return checked


def serving(database_url: str, quickbooks: QuickBooks) -> Iterator[Bridge]:
    """Body of each module's ``bridge`` fixture: a timesheets server for the test; afterwards, every
    request it handed to QuickBooks must be valid qbXML 13.0 and 16.0."""
    harness = timesheets_bridge(database_url)
    yield harness
    if harness.app is not None:
        harness.app.close()
    assert_valid_in_both_schemas(sent(quickbooks))


def message_sets(*results: Any) -> int:
    """How many message sets these updates handed to QuickBooks (the count ``FaultPlan`` uses)."""
    return sum(1 for result in results for call in result.calls("sendRequestXML") if call.reply)
