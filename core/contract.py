"""The plugin contract: what a handler for one QuickBooks object type gives the engine and gets back.

Rule: everything here is a frozen value or a Protocol — no I/O, no SQLAlchemy, no spyne. XML crosses the
contract as lxml elements, never as strings. A handler owns one object type; the engine routes every
QuickBooks answer back to the handler whose request it was, so no handler ever asks "is this mine?".
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
    ``drafts`` makes a newly submitted record a draft, never sent until the host finalizes it (T7).
    ``on_demand`` records go to QuickBooks only when records of another type need them (a part, the
    first time an invoice uses it): pending ones alone never start an update.
    """

    name: str
    qb_entity: str
    kind: Kind = Kind.TXN
    depends_on: tuple[str, ...] = ()
    label: str = "record"  # how one record is called in messages ("work block", "invoice")
    drafts: bool = False
    on_demand: bool = False


@dataclass(frozen=True, slots=True)
class CompanySetting:
    """A per-company setting of one object type, stored as ``"<object type>.<name>"`` in the company's
    settings and read by the handler from ``ctx.company.settings``.

    ``parse`` turns what an operator typed (a string on the command line, any JSON value from the API)
    into the stored value, or raises ``ValueError`` whose message names the problem. ``default`` applies
    while the setting is not set.
    """

    name: str
    help: str
    default: Any
    parse: Callable[[Any], Any]


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
    note: str = ""                                     # how it synced, e.g. "matched existing"


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
    context: Mapping[str, Any] = field(default_factory=dict)  # JSON data handed back with the answer


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
    context: Mapping[str, Any] = field(default_factory=dict)


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
    """A lookup found nothing matching: the record may be sent (again), in this update if it is still due.

    ``edit_sequence`` is the current EditSequence of the QuickBooks object the record is linked to, when
    the lookup re-read it (a Mod that must be sent again, or one refused as stale): the next Mod uses it.
    """

    local_key: str
    edit_sequence: str | None = None


@dataclass(frozen=True, slots=True)
class Stale:
    """QuickBooks refused a Mod because the EditSequence is out of date (status 3200).

    The record stays due without an EditSequence; the handler's ``export`` then yields its ``lookup``
    (a re-read by ListID/TxnID) and, once that answers ``Absent(key, edit_sequence=…)``, the Mod again.
    A second ``Stale`` in the same update counts as a failure with ``message``.
    """

    local_key: str
    message: str


@dataclass(frozen=True, slots=True)
class Facts:
    """What a READ taught the handler about QuickBooks, kept for this update only (``ctx.facts``).

    ``values`` must be JSON data. Merged per key into the facts of the handler's object type: lists are
    extended, mappings updated, anything else replaced. Use it for what ``export`` must know before it
    decides — the names a preflight found, the entries a duplicate check may match.
    """

    values: Mapping[str, Any]


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


Outcome = Linked | Failed | Absent | Imported | Stale | Facts


@dataclass(frozen=True, slots=True)
class Waiting:
    """A record that cannot go to QuickBooks yet because names it refers to are missing there.

    ``needs`` lists ``(what, name)`` pairs such as ``("customer/job", "Acme:Roof repair")``. The record
    stays pending and unsent. The engine gathers every waiting record of the update into one message
    ("3 work blocks wait for: customer/job 'Acme:Roof repair' (blocks 12, 15); …"); under the ``stop``
    policy the update stops before anything more of that type is sent.
    """

    local_key: str
    needs: tuple[tuple[str, str], ...]
    fix: str = ""  # what to do, when it is not adding the names in QuickBooks (e.g. a company setting)


ExportItem = QbRequest | Rejected | Waiting | Linked


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
    last_read_at: datetime | None  # when this type's list was last read into the importables
    now: datetime  # the server's clock at this call (compare with last_read_at, never the wall clock)

    def due(self) -> Iterator[Record]:
        """Records of this object type that are due, oldest first (for preflight queries); not claimed."""

    def others(self, object_type: str) -> Iterator[Record]:
        """Due records of another object type (e.g. the invoices that use a part), oldest first."""


@runtime_checkable
class ExportContext(Protocol):
    """Read-only view for ``export``; backed by the current unit of work, never written through."""

    company: CompanyInfo

    def due(self) -> Iterator[Record]:
        """Records of this object type that are due, oldest first, streamed from the store."""

    def record(self, ref: RecordRef) -> Record | None:
        """Any record of the outbox by reference (for dependencies), or None."""

    @property
    def facts(self) -> Mapping[str, Any]:
        """What this object type's READs of this update returned as ``Facts`` (empty if none)."""

    def linked_key(self, qb_id: str) -> str | None:
        """The local key of this object type already linked to QuickBooks id ``qb_id``, or None."""

    def others(self, object_type: str) -> Iterator[Record]:
        """Due records of another object type (e.g. the invoices that use a part), oldest first."""


class InvalidRecord(ValueError):
    """A host record that cannot be accepted; the message names the record and the field."""

    def __init__(self, local_key: str, field_name: str, problem: str) -> None:
        super().__init__(f"{local_key}: {field_name}: {problem}")
        self.local_key, self.field_name, self.problem = local_key, field_name, problem


@runtime_checkable
class ObjectTypeHandler(Protocol):
    """The read / export / acknowledge contract of one object type (``docs/writing_plugins.md``)."""

    object_type: ObjectType
    # optional: ``company_settings: tuple[CompanySetting, ...]`` (``BaseHandler`` gives ``()``)

    def validate(self, local_key: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        """Check a submitted record; return the payload to store or raise ``InvalidRecord``."""

    def read(self, ctx: ReadContext) -> Iterable[QbRequest]:
        """Query requests (purpose READ) to run this update; the engine runs iterators itself."""

    def export(self, ctx: ExportContext) -> Iterable[ExportItem]:
        """For each due record, in ``ctx.due()`` order, one of: an Add/Mod request; a LOOKUP request
        (re-read before a Mod); ``Rejected``; ``Waiting``; or ``Linked`` when this update's reads
        (``ctx.facts``) show it is already in QuickBooks. Yielding nothing for a record leaves it due."""

    def resend_edits(self, settings: Mapping[str, Any]) -> bool:
        """Whether a synced record the host edited is sent again (as a Mod) under these company
        settings; when False it only shows as "changed after sync"."""

    def lookup(self, record: Record) -> QbRequest | None:
        """A natural-key query (purpose LOOKUP) for a record whose fate is uncertain, or None."""

    def acknowledge(self, request: SentRequest, result: QbResult) -> Sequence[Outcome]:
        """Turn QuickBooks' answer to one of this handler's requests into outcomes. Pure."""


class BaseHandler:
    """Defaults for the optional parts of the contract: subclass and override what the type needs."""

    object_type: ObjectType
    company_settings: tuple[CompanySetting, ...] = ()

    def validate(self, local_key: str, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        return dict(payload)

    def read(self, ctx: ReadContext) -> Iterable[QbRequest]:
        return ()

    def export(self, ctx: ExportContext) -> Iterable[ExportItem]:
        return ()

    def resend_edits(self, settings: Mapping[str, Any]) -> bool:
        return False

    def lookup(self, record: Record) -> QbRequest | None:
        return None

    def acknowledge(self, request: SentRequest, result: QbResult) -> Sequence[Outcome]:
        return ()
