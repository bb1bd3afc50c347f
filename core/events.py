"""Auditable events, handed to every ``qb_track_event`` implementation.

Rule: an event is a frozen value named in the past tense for something that has already happened and
been committed; it carries names and ids a person can read (company name, object type, local key), never
a database row or a session. ``Event`` is the union of them all; ``event_kind`` is its stable name in
the event log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class UpdateStarted:
    """A Web Connector update was authenticated and began (``authenticate`` answered with a ticket)."""

    company: str
    update_id: int


@dataclass(frozen=True, slots=True)
class RequestsSent:
    """A message set of ``count`` requests was committed and handed to the Web Connector."""

    company: str
    update_id: int
    message_set_id: str
    count: int


@dataclass(frozen=True, slots=True)
class RecordLinked:
    """A local record is now known to QuickBooks as ``qb_id`` (added, modified or matched)."""

    company: str
    object_type: str
    local_key: str
    qb_id: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class RecordFailed:
    """QuickBooks refused a record; it goes back to pending with ``message`` recorded."""

    company: str
    object_type: str
    local_key: str
    message: str


@dataclass(frozen=True, slots=True)
class RecordRejected:
    """A record failed local validation at export; it is not sent until the host edits it."""

    company: str
    object_type: str
    local_key: str
    reason: str


@dataclass(frozen=True, slots=True)
class RecordHeld:
    """A record was not sent because a record it depends on failed, was rejected or is held."""

    company: str
    object_type: str
    local_key: str
    reason: str


@dataclass(frozen=True, slots=True)
class RecordWaiting:
    """A record was not sent because QuickBooks lacks names it refers to (found by a preflight read)."""

    company: str
    object_type: str
    local_key: str
    reason: str


@dataclass(frozen=True, slots=True)
class RecordsImported:
    """``count`` objects of ``object_type`` were read from QuickBooks and stored as importables."""

    company: str
    object_type: str
    count: int


@dataclass(frozen=True, slots=True)
class MessageSetUncertain:
    """A message set's answer was lost; the next update asks QuickBooks what became of it."""

    company: str
    message_set_id: str


@dataclass(frozen=True, slots=True)
class MessageSetRecovered:
    """An uncertain message set was settled; ``how`` says by what (stored response, lookup, resend)."""

    company: str
    message_set_id: str
    how: str


@dataclass(frozen=True, slots=True)
class UpdateClosed:
    """A Web Connector update ended (``closeConnection`` or ``connectionError``) with ``summary``."""

    company: str
    update_id: int
    summary: str


Event = (UpdateStarted | RequestsSent | RecordLinked | RecordFailed | RecordRejected | RecordHeld
         | RecordWaiting | RecordsImported | MessageSetUncertain | MessageSetRecovered | UpdateClosed)

EVENT_TYPES: tuple[type, ...] = Event.__args__

_WORD_START = re.compile(r"(?<!^)(?=[A-Z])")


def event_kind(event: Event) -> str:
    """The event's stable snake_case name (``RecordLinked`` -> ``record_linked``) for the event log."""
    return _WORD_START.sub("_", type(event).__name__).lower()
