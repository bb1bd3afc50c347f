"""ClassesHandler: QuickBooks classes (T9) read into the importables; qbbridge never creates a class.

Rule: classes are mastered in QuickBooks. Every class, active and inactive, is read on the schedule of
``classes.read_every_minutes`` and offered as an importable named by its FullName (``Field:North``);
importing one creates a synced ``classes`` record with that key and payload ``{"name": FullName}``.
A class record the host submits itself is rejected at export with the fix (add it in QuickBooks).
Invoices use a class by its FullName, through their ``class`` dimension, not through these records.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from qbbridge.core import (
    BaseHandler,
    ExportContext,
    Imported,
    InvalidRecord,
    Kind,
    ObjectType,
    Outcome,
    Purpose,
    QbRequest,
    QbResult,
    ReadContext,
    Rejected,
    SentRequest,
)
from qbbridge.core.qbxml import build

from .reading import list_row, read_every_setting, read_is_due

FULL_NAME_MAX = 159  # a ClassRef's FullName (qbXML ListRef)
READ_EVERY = read_every_setting("QuickBooks' classes")


class ClassesHandler(BaseHandler):
    object_type = ObjectType("classes", "Class", Kind.LIST, label="class")
    company_settings = (READ_EVERY,)

    def validate(self, local_key: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        """``{"name": FullName}`` (the key when no name is given), trimmed, at most 159 characters."""
        name = payload.get("name", local_key)
        name = name.strip() if isinstance(name, str) else ""
        if not name:
            raise InvalidRecord(local_key, "name", "is required: the class's full name in QuickBooks, "
                                                   "e.g. 'Field:North'")
        if len(name) > FULL_NAME_MAX:
            raise InvalidRecord(local_key, "name", f"{name!r} is {len(name)} characters; QuickBooks class "
                                                   f"full names hold at most {FULL_NAME_MAX}")
        return {"name": name}

    def read(self, ctx: ReadContext) -> Iterable[QbRequest]:
        """Every class, active and inactive, when the read is due. ClassQuery has no iterator."""
        if read_is_due(ctx, "classes.read_every_minutes", READ_EVERY):
            query = build.element("ClassQueryRq")
            build.child(query, "ActiveStatus", "All")
            yield QbRequest(body=query, purpose=Purpose.READ, label="QuickBooks classes")

    def export(self, ctx: ExportContext) -> Iterator[Rejected]:
        for record in ctx.due():
            yield Rejected(record.local_key,
                           f"Class {record.local_key!r} was not sent: qbbridge reads classes from QuickBooks "
                           "and never creates them. Add the class in QuickBooks; the next read lists it "
                           "among the importables, ready to import.")

    def acknowledge(self, request: SentRequest, result: QbResult) -> Sequence[Outcome]:
        """Imported rows for the read; nothing for a refused read (the next one tries again)."""
        if request.purpose is not Purpose.READ or result.status.is_error:
            return []
        rows = (list_row(ret, {"name": ret.findtext("FullName") or ""}) for ret in result.rets)
        return [Imported(tuple(row for row in rows if row is not None))]
