"""qbXML message-set error recovery (``newMessageSetID`` / ``oldMessageSetID``).

Rule: the simulator stores one recovery record per application — the id, a checksum of the request set
and the responses — replaced by every new ``newMessageSetID``. How many records QuickBooks keeps is not
documented (PROTOCOL.md §C.3); "one per application, the last one" is what Intuit's texts imply.
``plan()`` is pure: it reads the message set's attributes and the stored record and says what the
processor must do; ``remember()`` stores the outcome.

| request                                    | what QuickBooks does                                        |
|--------------------------------------------|-------------------------------------------------------------|
| new=X, requests, nothing stored as X       | run the set, store its responses under X                    |
| new=X, same requests as stored X           | do NOT run again; return the stored responses               |
| new=X, other requests than stored X        | messageSetStatusCode 9001 (checksum), nothing runs          |
| old=X new=X, requests                      | a resend: as new=X (never runs a stored set twice)          |
| old=X new=X, no requests                   | status query: stored responses of X, or 9002                |
| old=X alone                                | clear X (600 when X is not the stored id)                   |
| old=ClearAllMessageSets                    | clear every record of this application                      |
| an id longer than 23 characters            | messageSetStatusCode 9004                                   |
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from . import status
from .qbxml import Element, requests_in

CLEAR_ALL = "ClearAllMessageSets"
#: Intuit's attribute reference says 23 characters; its QBFC sample's 9004 text says "> 24". We refuse
#: anything over 23, so a client that works here works on either reading.
MAX_ID_LENGTH = 23


@dataclass
class Plan:
    """What to do with one message set. ``run`` False means answer with ``stored``/no responses."""

    run: bool
    attrs: dict[str, str] = field(default_factory=dict)
    stored_responses: list[str] = field(default_factory=list)
    store_as: str | None = None
    checksum: str = ""


def checksum(msgs_rq: Element) -> str:
    """A digest of the set (its requests as canonical XML, and its attributes other than the ids), to
    tell a resend from a different set: the same requests under another ``onError`` are another set."""
    digest = hashlib.sha256()
    for name in ("onError", "responseData"):
        digest.update(f"{name}={msgs_rq.get(name)};".encode())
    for request in requests_in(msgs_rq):
        digest.update(etree.tostring(request, method="c14n"))
    return digest.hexdigest()


def plan(records: dict[str, dict[str, Any]], app: str, msgs_rq: Element) -> Plan:
    """Decide how to treat ``msgs_rq`` given the stored recovery ``records``; clears what it must."""
    old, new = msgs_rq.get("oldMessageSetID"), msgs_rq.get("newMessageSetID")
    has_requests = bool(requests_in(msgs_rq))
    for value in (old, new):
        if value and value != CLEAR_ALL and len(value) > MAX_ID_LENGTH:
            return Plan(run=False, attrs=_code(status.MSGSET_ID_TOO_LONG))
    stored = records.get(app)
    if old and new == old:
        if not has_requests:
            return _status_query(stored, old)
        return _run_with_recovery(stored, new, checksum(msgs_rq))
    cleared = _clear(records, app, old)
    if not new:
        if old and not has_requests:
            return Plan(run=False, attrs=_code(status.MSGSET_OK if cleared else status.MSGSET_NO_MATCH))
        return Plan(run=True)
    return _run_with_recovery(records.get(app), new, checksum(msgs_rq))


def _status_query(stored: dict[str, Any] | None, set_id: str) -> Plan:
    if stored is None or stored["id"] != set_id:
        return Plan(run=False, attrs={"newMessageSetID": set_id, **_code(status.MSGSET_NOTHING_STORED)})
    return Plan(run=False, attrs={"newMessageSetID": set_id, **_code(stored["status"])},
                stored_responses=list(stored["responses"]))


def _clear(records: dict[str, dict[str, Any]], app: str, old: str | None) -> bool:
    if old == CLEAR_ALL:
        records.pop(app, None)
        return True  # clearing "all" succeeds even when nothing was stored
    if old and app in records and records[app]["id"] == old:
        del records[app]
        return True
    return False


def _run_with_recovery(stored: dict[str, Any] | None, new: str, digest: str) -> Plan:
    if stored is not None and stored["id"] == new:
        if stored["checksum"] != digest:
            return Plan(run=False, attrs={"newMessageSetID": new, **_code(status.MSGSET_BAD_CHECKSUM)})
        return Plan(run=False, attrs={"newMessageSetID": new, **_code(stored["status"])},
                    stored_responses=list(stored["responses"]))
    return Plan(run=True, attrs={"newMessageSetID": new, **_code(status.MSGSET_OK)}, store_as=new,
                checksum=digest)


def remember(records: dict[str, dict[str, Any]], app: str, plan_: Plan, responses: list[Element]) -> None:
    """Store the responses of a set that ran under ``plan_.store_as`` (replacing the app's record)."""
    if plan_.store_as is None:
        return
    records[app] = {
        "id": plan_.store_as,
        "checksum": plan_.checksum,
        "status": status.MSGSET_OK,
        "responses": [etree.tostring(r, encoding="unicode") for r in responses],
    }


def _code(code: int) -> dict[str, str]:
    return {"messageSetStatusCode": str(code)}
