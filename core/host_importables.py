"""Acting on importables (T5): import one, several or all of a type, or ignore them.

Rule: importing an importable makes it a host record of its object type that is already synced and
linked — local key = the importable's name (its FullName), payload = the plugin's ``data["record"]``
checked by the type's ``validate`` (or ``{"name": name}`` when the plugin gave none). When a record with
that key exists, an unsynced one (draft, pending, rejected, held) is linked to the importable and one
synced to the same QuickBooks id counts as linked; one synced to another id, in flight or uncertain is
refused by name. Importables are chosen by QuickBooks id or by name; None chooses every ``new`` one.
A selector that matches nothing, or several importables, is refused by name; the others still proceed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import orm as so

from .contract import InvalidRecord, ObjectTypeHandler
from .host_submit import MAX_KEY_LENGTH
from .store import importables as store
from .store import outbox
from .store.models import Importable, ImportStatus, RecordState, SyncRecord

IMPORT_NOTE = "imported from QuickBooks"
LINK_NOTE = "linked on import to the QuickBooks object of the same name"


@dataclass
class ImportReport:
    """Names of the importables imported (new host records), linked (to an existing host record),
    unchanged (imported or linked already), and every refusal with its reason."""

    imported: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@dataclass
class IgnoreReport:
    """Names of the importables now ignored, those ignored already, and every refusal with its reason."""

    ignored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Scope:
    """The company and object type an action is about (every message names both)."""

    company_id: int
    company: str
    object_type: str


def chosen(session: so.Session, scope: Scope, selectors: Sequence[str] | None,
           refused: list[str]) -> list[Importable]:
    """The importables ``selectors`` name (by QuickBooks id, else by name), each once, in the order
    given; every selector naming none or several is added to ``refused``. None: every new one."""
    store.mark_linked(session, scope.company_id, scope.object_type)
    if selectors is None:
        return store.listed(session, scope.company_id, scope.object_type, ImportStatus.NEW.value)
    rows = store.matching(session, scope.company_id, scope.object_type, selectors)
    by_id = {row.qb_id: row for row in rows}
    found: dict[int, Importable] = {}
    for selector in dict.fromkeys(selectors):
        named = [by_id[selector]] if selector in by_id else [row for row in rows if row.name == selector]
        if len(named) == 1:
            found.setdefault(named[0].id, named[0])
        elif not named:
            refused.append(f"{scope.object_type} {selector!r}: no importable with this QuickBooks id or "
                           f"name in company {scope.company!r}; run an update to read QuickBooks, then "
                           f"list them with `qbbridge importables {scope.object_type}`")
        else:
            ids = ", ".join(row.qb_id for row in named)
            refused.append(f"{scope.object_type} {selector!r}: {len(named)} importables have this name "
                           f"(QuickBooks ids {ids}); choose one by its id")
    return list(found.values())


def import_rows(session: so.Session, scope: Scope, handler: ObjectTypeHandler, items: list[Importable],
                report: ImportReport, now: datetime) -> None:
    """Import ``items`` (see the module rule), filling ``report``."""
    keys = [item.name for item in items if _key_problem(item.name) is None]
    known = store.records_for_update(session, scope.company_id, scope.object_type, keys)
    for item in items:
        if item.status in (ImportStatus.IMPORTED, ImportStatus.LINKED):
            report.unchanged.append(item.name)
            continue
        problem = _key_problem(item.name) or _conflict(known.get(item.name), item)
        if problem:
            report.refused.append(f"{_named(scope, item)}: {problem}")
        elif item.name in known:
            _link_one(session, known[item.name], item, report, now)
        else:
            _import_one(session, scope, handler, item, known, report, now)


def ignore_rows(items: list[Importable], scope: Scope, report: IgnoreReport) -> None:
    """Mark ``items`` ignored; one already imported or linked is refused (it is a host record)."""
    for item in items:
        if item.status == ImportStatus.IGNORED:
            report.unchanged.append(item.name)
        elif item.status == ImportStatus.NEW:
            item.status = ImportStatus.IGNORED.value
            report.ignored.append(item.name)
        else:
            report.refused.append(f"{_named(scope, item)}: is {item.status} already (a host record is "
                                  "linked to it); there is nothing to ignore")


def _import_one(session: so.Session, scope: Scope, handler: ObjectTypeHandler, item: Importable,
                known: dict[str, SyncRecord], report: ImportReport, now: datetime) -> None:
    try:
        payload = _payload(handler, item)
    except InvalidRecord as exc:
        report.refused.append(f"{_named(scope, item)}: {exc.field_name}: {exc.problem}; fix it in "
                              "QuickBooks, run an update, then import it again")
        return
    known[item.name] = outbox.add_synced(session, scope.company_id, scope.object_type, item.name, payload,
                                         item.qb_id, item.edit_sequence, IMPORT_NOTE, now)
    item.status = ImportStatus.IMPORTED.value
    report.imported.append(item.name)


def _link_one(session: so.Session, row: SyncRecord, item: Importable, report: ImportReport,
              now: datetime) -> None:
    """An unsynced host record of the same name becomes this object (or already is it)."""
    if row.state != RecordState.SYNCED:
        outbox.mark_synced(session, row, item.qb_id, item.edit_sequence, LINK_NOTE, now)
    item.status = ImportStatus.LINKED.value
    report.linked.append(item.name)


def _payload(handler: ObjectTypeHandler, item: Importable) -> Mapping[str, Any]:
    record = (item.data or {}).get("record")
    if record is None:
        return {"name": item.name}
    if not isinstance(record, Mapping):
        raise InvalidRecord(item.name, "record", f"the plugin offered {type(record).__name__} instead of "
                                                 "a record; report this to the plugin's authors")
    return handler.validate(item.name, record)


def _key_problem(name: str) -> str | None:
    if not name.strip():
        return "its name is empty, so it cannot be a host record's id; give it a name in QuickBooks"
    if len(name) > MAX_KEY_LENGTH:
        return f"its name is longer than {MAX_KEY_LENGTH} characters, the longest id a host record can have"
    return None


def _conflict(row: SyncRecord | None, item: Importable) -> str | None:
    """Why an existing host record with the importable's name cannot take it, or None."""
    if row is None or row.state not in (RecordState.SYNCED, RecordState.IN_FLIGHT, RecordState.UNCERTAIN):
        return None
    if row.state != RecordState.SYNCED:
        return (f"the host record {row.local_key!r} is being synced right now (its answer is awaited or "
                "being recovered); import it again after the next update")
    if row.qb_id != item.qb_id:
        return (f"the host record {row.local_key!r} is already linked to another QuickBooks object "
                f"(id {row.qb_id}); rename one of the two, or ignore this importable")
    return None


def _named(scope: Scope, item: Importable) -> str:
    return f"{scope.object_type} {item.name!r} (QuickBooks id {item.qb_id})"
