"""The simulated company file: lists, transactions, preferences, and QuickBooks' identifiers.

Rule: records are plain dicts keyed by qbXML field names, in the order their ``…Ret`` element lists them.
A reference to another object is stored as that object's ListID under the reference's element name
(``"CustomerRef": "80000003-1763658000"``) and rendered with the referenced object's *current* FullName,
as QuickBooks does. Identifiers are deterministic: ListID/TxnID = hex counter + creation time, and the
EditSequence changes on every modification, so given a seed and a clock two runs produce the same file.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .clock import Clock, SystemClock

FORMAT = "qbbridge-mockqb-company/1"

#: Lists whose names must be unique among each other, case-insensitively (QuickBooks' "name" lists).
NAME_LISTS = ("Customer", "Employee", "Vendor", "OtherName")
LISTS = (*NAME_LISTS, "ItemService", "Class", "PayrollItemWage", "Account")
TRANSACTIONS = ("TimeTracking", "Invoice")
#: Lists whose FullName is a ``Parent:Child`` path, and their deepest Sublevel.
HIERARCHICAL = {"Customer": 4, "ItemService": 4, "Class": 4, "Account": 4}

Record = dict[str, Any]


class CompanyFileError(ValueError):
    """The company JSON file is missing, unreadable or not a company file; the message says which."""


def default_info() -> dict[str, Any]:
    """Company-wide settings of a new company file (what HostQuery/CompanyQuery/PreferencesQuery report)."""
    return {
        "CompanyName": "Sample Company",
        "FilePath": "C:\\Users\\Public\\Documents\\Intuit\\QuickBooks\\Company Files\\Sample Company.qbw",
        "ProductName": "QuickBooks Enterprise Solutions 22.0",
        "MajorVersion": "32",
        "MinorVersion": "0",
        "Country": "US",
        "SupportedQBXMLVersions": ["1.0", "2.0", "3.0", "4.0", "5.0", "6.0", "7.0", "8.0", "9.0",
                                   "10.0", "11.0", "12.0", "13.0", "14.0", "15.0", "16.0"],
        "QBFileMode": "SingleUser",
        "IsUsingClassTracking": True,
        "ClosingDate": None,
    }


class CompanyFile:
    """An open company file. Mutate it only through the methods here so identifiers stay consistent."""

    def __init__(self, *, info: dict[str, Any] | None = None, seed: int = 0, clock: Clock | None = None):
        self.info: dict[str, Any] = {**default_info(), **(info or {})}
        self.seed = seed
        self.clock: Clock = clock or SystemClock()
        self.lists: dict[str, list[Record]] = {name: [] for name in LISTS}
        self.transactions: dict[str, list[Record]] = {name: [] for name in TRANSACTIONS}
        #: qbXML error-recovery records, per application name (see recovery.py).
        self.recovery: dict[str, dict[str, Any]] = {}
        #: Derived values handlers keep to avoid rescanning (never saved; rebuilt after a load).
        self.cache: dict[str, Any] = {}
        self._next_id = 0x80000001
        self._by_id: dict[str, tuple[str, Record]] = {}

    # -- identifiers and time ---------------------------------------------------------------------------
    def timestamp(self) -> str:
        """The current time as QuickBooks writes it (``2026-11-20T09:00:00-08:00``)."""
        return self.clock.now().isoformat(timespec="seconds")

    def new_id(self, created: dt.datetime) -> str:
        """Allocate the next ListID/TxnID (also used for TxnLineIDs, which share the counter)."""
        object_id = f"{self._next_id:X}-{int(created.timestamp())}"
        self._next_id += 1
        return object_id

    @staticmethod
    def _next_edit_sequence(now: dt.datetime, previous: str | None) -> str:
        value = int(now.timestamp())
        if previous is not None and value <= int(previous):
            value = int(previous) + 1
        return str(value)

    # -- creating and changing records --------------------------------------------------------------------
    def add(self, kind: str, fields: Record) -> Record:
        """Create a list element or transaction of ``kind`` with QuickBooks' bookkeeping fields first."""
        now = self.clock.now()
        id_field = "TxnID" if kind in TRANSACTIONS else "ListID"
        record: Record = {
            id_field: self.new_id(now),
            "TimeCreated": now.isoformat(timespec="seconds"),
            "TimeModified": now.isoformat(timespec="seconds"),
            "EditSequence": self._next_edit_sequence(now, None),
        }
        if kind in TRANSACTIONS:
            record["TxnNumber"] = len(self.transactions[kind]) + 1
        record.update(fields)
        self._table(kind).append(record)
        self._by_id[record[id_field]] = (kind, record)
        return record

    def add_list_element(self, kind: str, name: str, *, parent_id: str | None = None,
                         is_active: bool = True, **fields: Any) -> Record:
        """Add a list element with Name, FullName (``Parent:Child`` for hierarchical lists), IsActive,
        ParentRef and Sublevel filled in. Callers check QuickBooks' rules (uniqueness, depth) first."""
        base: Record = {"Name": name, "FullName": name, "IsActive": is_active}
        if kind in HIERARCHICAL:
            parent = self._by_id[parent_id][1] if parent_id else None
            base["FullName"] = f"{parent['FullName']}:{name}" if parent else name
            base["ParentRef"] = parent_id
            base["Sublevel"] = parent["Sublevel"] + 1 if parent else 0
        return self.add(kind, {**base, **fields})

    def touch(self, record: Record) -> None:
        """Mark ``record`` modified: new TimeModified and a new EditSequence."""
        now = self.clock.now()
        record["TimeModified"] = now.isoformat(timespec="seconds")
        record["EditSequence"] = self._next_edit_sequence(now, record["EditSequence"])

    def _table(self, kind: str) -> list[Record]:
        if kind in self.lists:
            return self.lists[kind]
        if kind in self.transactions:
            return self.transactions[kind]
        raise KeyError(f"unknown object kind {kind!r}")

    # -- lookups ------------------------------------------------------------------------------------------
    def records(self, kind: str) -> list[Record]:
        return self._table(kind)

    def get(self, object_id: str) -> tuple[str, Record] | None:
        """The (kind, record) with this ListID or TxnID, if any."""
        return self._by_id.get(object_id)

    def find_by_name(self, kinds: tuple[str, ...], full_name: str) -> tuple[str, Record] | None:
        """The list element whose FullName matches, case-insensitively, in any of ``kinds``."""
        wanted = full_name.casefold()
        for kind in kinds:
            for record in self.lists[kind]:
                if record["FullName"].casefold() == wanted:
                    return kind, record
        return None

    def full_name_of(self, object_id: str) -> str | None:
        found = self.get(object_id)
        return found[1].get("FullName") if found else None

    def children_of(self, kind: str, list_id: str) -> Iterator[Record]:
        return (r for r in self.lists[kind] if r.get("ParentRef") == list_id)

    # -- persistence --------------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "seed": self.seed,
            "next_id": self._next_id,
            "company": self.info,
            "lists": self.lists,
            "transactions": self.transactions,
            "recovery": self.recovery,
        }

    @classmethod
    def from_json(cls, data: Any, *, clock: Clock | None = None, source: str = "company data") -> CompanyFile:
        """Build a company from ``to_json()`` output; a wrong shape is a ``CompanyFileError``."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise CompanyFileError(f"{source} is not a mockqb company file (expected \"format\": \"{FORMAT}\")")
        try:
            company = cls(info=data["company"], seed=int(data.get("seed", 0)), clock=clock)
            company._next_id = int(data["next_id"])
            for kind in LISTS:
                company.lists[kind] = list(data["lists"].get(kind, []))
            for kind in TRANSACTIONS:
                company.transactions[kind] = list(data["transactions"].get(kind, []))
            company.recovery = dict(data.get("recovery", {}))
            company._reindex()
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CompanyFileError(f"{source} is damaged: {exc.__class__.__name__}: {exc}") from exc
        return company

    def _reindex(self) -> None:
        self._by_id = {}
        for kind in (*LISTS, *TRANSACTIONS):
            id_field = "TxnID" if kind in TRANSACTIONS else "ListID"
            for record in self._table(kind):
                if id_field not in record:
                    raise ValueError(f"a {kind} record has no {id_field}")
                self._by_id[record[id_field]] = (kind, record)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, clock: Clock | None = None) -> CompanyFile:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CompanyFileError(f"company file {path} does not exist "
                                   f"(create one with `qbbridge mockqb init {path}`)") from exc
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CompanyFileError(f"company file {path} cannot be read: {exc}") from exc
        return cls.from_json(data, clock=clock, source=f"company file {path}")

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write atomically (temp file + rename), so an interrupted save never leaves half a company."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(self.to_json(), handle, indent=1, sort_keys=False)
            handle.write("\n")
        os.replace(tmp, path)

    @classmethod
    @contextlib.contextmanager
    def opened(cls, path: str | os.PathLike[str], *, clock: Clock | None = None) -> Iterator[CompanyFile]:
        """Open the company file in single-user mode, as QuickBooks does: load it, hold a lock beside it
        so another run cannot open it meanwhile, and save it on the way out — also after an error, since
        what QuickBooks committed stays committed. A second opener gets ``CompanyFileError``."""
        path = Path(path)
        with _exclusive_lock(path):
            company = cls.load(path, clock=clock)
            try:
                yield company
            finally:
                company.save(path)

    def snapshot(self) -> dict[str, Any]:
        """A deep copy of the whole state, for ``restore`` (tests use it to prove a failure changed nothing)."""
        return copy.deepcopy(self.to_json())

    def restore(self, snapshot: dict[str, Any]) -> None:
        restored = CompanyFile.from_json(copy.deepcopy(snapshot), clock=self.clock)
        self.__dict__.update({k: v for k, v in restored.__dict__.items() if k != "clock"})


@contextlib.contextmanager
def _exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive, non-blocking lock on ``<path>.lock`` (POSIX); elsewhere, no lock."""
    try:
        import fcntl
    except ImportError:  # not POSIX: single-user mode is not enforced
        yield
        return
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise CompanyFileError(f"company file {path} is open in another run (QuickBooks single-user "
                                   "mode); wait for it to finish") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
