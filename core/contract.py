"""The plugin contract: what a handler for one QuickBooks object type gives the engine and gets back.

Rule: everything here is a frozen value or a Protocol — no I/O, no SQLAlchemy, no spyne. XML crosses the
contract as lxml elements, never as strings. A handler owns one object type; the engine routes every
QuickBooks answer back to the handler whose request it was, so no handler ever asks "is this mine?".
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from lxml import etree


class Kind(enum.Enum):
    """Whether the QuickBooks entity is a list element (ListID) or a transaction (TxnID)."""

    LIST = "list"
    TXN = "txn"


class Purpose(enum.Enum):
    """Why a request was sent; the engine persists it with the request and hands it back on acknowledge."""

    READ = "read"        # a query whose rows become importables
    EXPORT = "export"    # an Add or Mod of one local record
    LOOKUP = "lookup"    # a natural-key query deciding whether an uncertain record already exists


@dataclass(frozen=True, slots=True)
class ObjectType:
    """Identity and ordering of one object type.

    ``name`` is the plugin's folder name and the key used by the CLI, the API and the store;
    ``qb_entity`` is the QuickBooks entity (``TimeTracking``, ``Invoice``, ``ItemService``, ``Class``).
    ``depends_on`` names object types whose exports must run earlier in the same update.
    """

    name: str
    qb_entity: str
    kind: Kind = Kind.TXN
    depends_on: tuple[str, ...] = ()
    label: str = "record"  # how one record is called in messages ("work block", "invoice")


@dataclass(frozen=True, slots=True)
class RecordRef:
    """A local record by its object type and the host's stable key."""

    object_type: str
    local_key: str


@dataclass(frozen=True, slots=True)
class Record:
    """A record of the outbox as handlers see it (read-only)."""

    object_type: str
    local_key: str
    payload: Mapping[str, Any]
    state: str
    qb_id: str | None = None
    edit_sequence: str | None = None
    attempts: int = 0
    last_error: str | None = None
    synced_payload: Mapping[str, Any] | None = None  # what QuickBooks was given, once synced
    changed_after_sync: bool = False                   # the host edited it after it synced


@dataclass(frozen=True, slots=True)
class QbRequest:
    """One qbXML request a handler wants sent.

    ``body`` is the whole ``<...Rq>`` element (``<TimeTrackingAddRq>…``); the engine sets its
    ``requestID`` (and the iterator attributes when ``iterate`` is true) and wraps it in a message set.
    ``local_key`` names the record an EXPORT or LOOKUP request is about. ``depends_on`` lists records
    that must be synced before this one may be sent (an invoice's new part); if one failed, was rejected
    or is held, the engine holds this record instead of sending a broken reference. ``label`` describes
    the record for people ("Work block 1842 (Jane Doe, 2026-11-20, 8h00)").
    """

    body: etree._Element
    purpose: Purpose = Purpose.EXPORT
    local_key: str | None = None
    depends_on: tuple[RecordRef, ...] = ()
    iterate: bool = False
    label: str = ""


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record that failed local validation; it is never sent until the host edits it."""

    local_key: str
    reason: str


@dataclass(frozen=True, slots=True)
class QbStatus:
    """The status attributes of one response (``statusCode``, ``statusSeverity``, ``statusMessage``)."""

    code: int
    severity: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity.lower() == "error"


@dataclass(frozen=True, slots=True)
class QbResult:
    """QuickBooks' answer to one request: its status and its ``...Ret`` elements."""

    request_id: str
    tag: str
    status: QbStatus
    rets: tuple[etree._Element, ...] = ()
    iterator_id: str | None = None
    remaining: int | None = None


@dataclass(frozen=True, slots=True)
class SentRequest:
    """A request as the engine sent it, handed back to its handler with the answer."""

    request_id: str
    object_type: str
    purpose: Purpose
    body: etree._Element
    local_key: str | None = None
    label: str = ""


# --- outcomes: what acknowledge returns; the core persists them ------------------------------------


@dataclass(frozen=True, slots=True)
class Linked:
    """The record exists in QuickBooks as ``qb_id`` (added, modified, or found by natural key)."""

    local_key: str
    qb_id: str
    edit_sequence: str | None = None
    note: str = ""  # e.g. "matched existing" when a lookup found it


@dataclass(frozen=True, slots=True)
class Failed:
    """QuickBooks refused the record; ``message`` names the record, the value and the fix."""

    local_key: str
    message: str
    status: QbStatus | None = None


@dataclass(frozen=True, slots=True)
class Absent:
    """A natural-key lookup found nothing: the record never reached QuickBooks and may be sent again."""

    local_key: str


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One QuickBooks object read by a query, offered as an importable."""

    qb_id: str
    name: str
    edit_sequence: str | None = None
    is_active: bool = True
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Imported:
    """Rows read from QuickBooks by a READ request."""

    rows: tuple[ImportRow, ...]


Outcome = Linked | Failed | Absent | Imported


# --- contexts -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompanyInfo:
    """What a handler may know about the company being updated.

    ``country``, ``product`` and ``class_tracking`` come from the Web Connector's first
    ``strHCPResponse`` (QuickBooks' HostQuery, CompanyQuery and PreferencesQuery answers); before it
    arrives, and when QuickBooks does not say, ``product`` is "" and ``class_tracking`` None.
    """

    name: str
    qbxml_version: str
    settings: Mapping[str, Any]
    country: str = "US"
    product: str = ""
    class_tracking: bool | None = None


@runtime_checkable
class ReadContext(Protocol):
    """Read-only view for ``read``."""

    company: CompanyInfo
    last_sync_at: datetime | None


@runtime_checkable
class ExportContext(Protocol):
    """Read-only view for ``export``; backed by the current unit of work, never written through."""

    company: CompanyInfo

    def due(self) -> Iterator[Record]:
        """Records of this object type that are due, oldest first, streamed from the store."""

    def record(self, ref: RecordRef) -> Record | None:
        """Any record of the outbox by reference (for dependencies), or None."""


class InvalidRecord(ValueError):
    """A host record that cannot be accepted; the message names the record and the field."""

    def __init__(self, local_key: str, field_name: str, problem: str) -> None:
        super().__init__(f"{local_key}: {field_name}: {problem}")
        self.local_key, self.field_name, self.problem = local_key, field_name, problem


@runtime_checkable
class ObjectTypeHandler(Protocol):
    """The read / export / acknowledge contract of one object type (``docs/writing_plugins.md``)."""

    object_type: ObjectType

    def validate(self, local_key: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        """Check a submitted record; return the payload to store or raise ``InvalidRecord``."""

    def read(self, ctx: ReadContext) -> Iterable[QbRequest]:
        """Query requests (purpose READ) to run this update; the engine runs iterators itself."""

    def export(self, ctx: ExportContext) -> Iterable[QbRequest | Rejected]:
        """One Add/Mod request or one ``Rejected`` per due record, in ``ctx.due()`` order."""

    def lookup(self, record: Record) -> QbRequest | None:
        """A natural-key query (purpose LOOKUP) for a record whose fate is uncertain, or None."""

    def acknowledge(self, request: SentRequest, result: QbResult) -> Sequence[Outcome]:
        """Turn QuickBooks' answer to one of this handler's requests into outcomes. Pure."""


class BaseHandler:
    """Defaults for the optional parts of the contract: subclass and override what the type needs."""

    object_type: ObjectType

    def validate(self, local_key: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        return dict(payload)

    def read(self, ctx: ReadContext) -> Iterable[QbRequest]:
        return ()

    def export(self, ctx: ExportContext) -> Iterable[QbRequest | Rejected]:
        return ()

    def lookup(self, record: Record) -> QbRequest | None:
        return None

    def acknowledge(self, request: SentRequest, result: QbResult) -> Sequence[Outcome]:
        return ()
