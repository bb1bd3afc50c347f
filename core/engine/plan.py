"""The plan of one update as a plain value, and the pure decisions made on it.

Rule: the plan is data (persisted as JSON with the update after every call, so any worker can serve
the next call); these functions decide and never touch the store. Order is fixed: recovery of
uncertain message sets, then natural-key lookups, then reads, then exports in dependency order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ..contract import QbResult

SUMMARY_KEYS = ("synced", "matched", "failed", "waiting", "rejected", "held", "imported", "recovered",
                "uncertain")


@dataclass
class Plan:
    """What remains to do in one update; every field is JSON-serialisable."""

    qbxml_version: str | None = None
    company_file: str = ""
    host: dict[str, Any] = field(default_factory=dict)          # product, country, class_tracking (HCP)
    recovery: list[str] = field(default_factory=list)        # uncertain message set ids to ask about
    asking: str | None = None                                # the set whose status is being asked
    lookups: list[dict[str, str]] = field(default_factory=list)  # {"object_type", "local_key"}
    reads: list[dict[str, Any]] = field(default_factory=list)    # {"object_type", "body", "iterate", "label"}
    exports: list[str] = field(default_factory=list)         # object types still to export, in order
    in_flight: str | None = None                             # the message set QuickBooks has now
    next_request: int = 1
    total: int = 0
    done: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SUMMARY_KEYS, 0))
    failures: list[str] = field(default_factory=list)        # messages reported at the end (continue policy)
    stop_message: str | None = None
    failed_keys: list[list[str]] = field(default_factory=list)  # [object_type, local_key] failed this update
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)  # object_type -> what its READs found
    waiting: list[list[str]] = field(default_factory=list)   # [object_type, label, key, what, name, fix]
    stale: list[list[str]] = field(default_factory=list)     # [object_type, local_key] re-read this update
    imported: list[str] = field(default_factory=list)        # object types whose list was read (Imported)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def next_request_ids(self, count: int) -> list[str]:
        """Allocate ``count`` short request ids, unique within the update (``r1``, ``r2``, …)."""
        ids = [f"r{n}" for n in range(self.next_request, self.next_request + count)]
        self.next_request += count
        return ids

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def advance(self, units: int = 1) -> None:
        self.done += units
        self.total = max(self.total, self.done)

    def progress(self) -> int:
        """0–99 while work remains; 100 is returned only by ``finish``."""
        if self.total <= 0:
            return 0
        return min(99, self.done * 100 // self.total)

    def has_failures(self) -> bool:
        return bool(self.failures or self.waiting)

    def add_facts(self, object_type: str, values: Mapping[str, Any]) -> None:
        """Merge one ``Facts`` outcome: lists extend, mappings update, anything else replaces."""
        known = self.facts.setdefault(object_type, {})
        for key, value in values.items():
            old = known.get(key)
            if isinstance(old, list) and isinstance(value, list | tuple):
                old.extend(value)
            elif isinstance(old, dict) and isinstance(value, Mapping):
                old.update(value)
            else:
                known[key] = list(value) if isinstance(value, tuple) else value


def pair_answers(request_ids: Sequence[str],
                 results: Sequence[QbResult]) -> list[tuple[str, QbResult | None]]:
    """Pair each sent request id with its answer, or None when QuickBooks did not process it.

    Under ``stopOnError`` QuickBooks answers the requests up to and including the failing one and
    processes none after it; those get None and go back to pending. Answers are matched by
    ``requestID``, never by position; an answer to an id we did not send is ignored by the caller.
    """
    by_id = {result.request_id: result for result in results}
    return [(request_id, by_id.get(request_id)) for request_id in request_ids]


def summary_text(counts: Mapping[str, int]) -> str:
    """One line for closeConnection and the event log, e.g. "3 synced, 1 failed"."""
    parts = [f"{counts[key]} {key}" for key in SUMMARY_KEYS if counts.get(key)]
    return ", ".join(parts) if parts else "nothing to do"


def waiting_text(waiting: Sequence[Sequence[str]]) -> str:
    """One message for every record that waits on missing QuickBooks names, per object type:
    "3 work blocks wait for: customer/job 'Acme:Roof repair' (blocks 12, 15); employee 'Jane Doe'
    (block 18). Add them in QuickBooks, then click Update Selected again.". An entry is
    ``[object_type, label, local_key, what, name]`` plus, optionally, the fix when it is not adding names
    in QuickBooks (each distinct fix is said once, at the end)."""
    by_type: dict[str, tuple[str, dict[tuple[str, str], list[str]], set[str]]] = {}
    fixes: list[str] = []
    for object_type, label, local_key, what, name, *fix in waiting:
        _, needs, keys = by_type.setdefault(object_type, (label, {}, set()))
        keys.add(local_key)
        listed = needs.setdefault((what, name), [])
        if local_key not in listed:
            listed.append(local_key)
        inactive = what.startswith("inactive")
        chosen = fix[0] if fix and fix[0] else (INACTIVE_WAITING_FIX if inactive else DEFAULT_WAITING_FIX)
        if chosen not in fixes:
            fixes.append(chosen)
    sentences = []
    for label, needs, keys in by_type.values():
        short = label.split()[-1]
        parts = [f"{what} '{name}' ({_plural(short, len(keys_of))} {', '.join(keys_of)})"
                 for (what, name), keys_of in needs.items()]
        sentences.append(f"{len(keys)} {_plural(label, len(keys))} {'waits' if len(keys) == 1 else 'wait'} "
                         f"for: {'; '.join(parts)}.")
    return " ".join(sentences + fixes)


DEFAULT_WAITING_FIX = "Add them in QuickBooks, then click Update Selected again."
INACTIVE_WAITING_FIX = "Make the inactive ones active in QuickBooks, then click Update Selected again."


def _plural(label: str, count: int) -> str:
    return label if count == 1 else label + "s"
