"""Submitting host records: validate each, store the valid ones, count what each did.

Rule: a refused record is named with its reason and never stops the valid ones of the same submission;
existing records are looked up one chunk at a time (one query per chunk, not one per record).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import orm as so

from .contract import InvalidRecord, ObjectTypeHandler, RecordRef
from .store import outbox

MAX_KEY_LENGTH = 200
SUBMIT_CHUNK = 500


@dataclass
class SubmitReport:
    """What one submission did: counts by outcome and every refused record with its reason."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_after_sync: int = 0
    invalid: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        name = outcome.replace(" ", "_")
        setattr(self, name, getattr(self, name) + 1)


def store_records(session: so.Session, company_id: int, handler: ObjectTypeHandler,
                  records: Iterable[tuple[str, Mapping[str, Any]]], now: datetime, *, resend_edits: bool,
                  as_draft: bool) -> SubmitReport:
    """Validate and store ``records`` of the handler's type (``outbox.submit_record`` says what an edit
    does in each state); the report counts outcomes and names every refused record."""
    object_type = handler.object_type.name
    report = SubmitReport()
    for chunk in _chunks(records, SUBMIT_CHUNK):
        valid = _validated(handler, object_type, chunk, report)
        known = outbox.records_by_keys(session, company_id, [RecordRef(object_type, key) for key, _ in valid])
        for local_key, clean in valid:
            outcome = outbox.submit_record(session, company_id, object_type, local_key, clean, now,
                                           known=known, resend_edits=resend_edits, as_draft=as_draft)
            _tally(report, object_type, local_key, outcome)
    return report


def _validated(handler: Any, object_type: str, chunk: Iterable[tuple[str, Mapping[str, Any]]],
               report: SubmitReport) -> list[tuple[str, Mapping[str, Any]]]:
    valid = []
    for local_key, payload in chunk:
        try:
            valid.append((local_key, handler.validate(_checked_key(object_type, local_key), payload)))
        except InvalidRecord as exc:
            report.invalid.append(f"{object_type} {exc.local_key!r}: {exc.field_name}: {exc.problem}")
    return valid


def _tally(report: SubmitReport, object_type: str, local_key: str, outcome: str) -> None:
    if outcome == "busy":
        report.invalid.append(f"{object_type} {local_key!r}: is being synced right now (its answer is "
                              "awaited or being recovered); submit the change again after the next "
                              "update")
    else:
        report.count(outcome)


def _chunks(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _checked_key(object_type: str, local_key: object) -> str:
    if not isinstance(local_key, str) or not local_key.strip():
        raise InvalidRecord(str(local_key), "id", "every record needs a non-empty id")
    if len(local_key) > MAX_KEY_LENGTH:
        raise InvalidRecord(local_key[:40] + "…", "id", f"ids are at most {MAX_KEY_LENGTH} characters")
    return local_key
