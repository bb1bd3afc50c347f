"""Drafts and finalizing (T7): records of an object type with drafts wait until the host finalizes them.

Rule: finalizing turns drafts — and rejected records, played again once the host fixed what they lacked —
into pending (due) records: the named ones (the "play") or every one of the type (the "double play"). A
key that names no record, or a record that is neither (already finalized, synced, …), is refused by name;
the other keys are finalized all the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import orm as so

from .contract import RecordRef
from .store import outbox
from .store.models import RecordState, SyncRecord


@dataclass
class FinalizeReport:
    """The drafts finalized (now due), and every key refused with its reason."""

    finalized: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def finalize(session: so.Session, company_id: int, company: str, object_type: str,
             keys: Sequence[str] | None, now: datetime) -> FinalizeReport:
    """Finalize the drafts ``keys`` name (each once, in the order given), or all when None."""
    wanted = None if keys is None else list(dict.fromkeys(keys))
    done = set(outbox.finalize_drafts(session, company_id, object_type, wanted, now))
    if wanted is None:
        return FinalizeReport(finalized=sorted(done))
    rest = [key for key in wanted if key not in done]
    rows = outbox.records_by_keys(session, company_id, [RecordRef(object_type, key) for key in rest])
    return FinalizeReport(finalized=[key for key in wanted if key in done],
                          refused=[_not_a_draft(object_type, company, key, rows.get((object_type, key)))
                                   for key in rest])


def _not_a_draft(object_type: str, company: str, key: str, row: SyncRecord | None) -> str:
    if row is None:
        return f"{object_type} {key!r}: no such record in company {company!r}; submit it first"
    if row.state == RecordState.PENDING:
        return f"{object_type} {key!r}: finalized already (pending: the next update sends it)"
    state = row.state.replace("_", " ")
    return f"{object_type} {key!r}: not a draft (it is {state}), so there is nothing to finalize"
