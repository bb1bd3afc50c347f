"""qbbridge.core: the QBWC session engine, qbXML, store, SOAP service and command line.

The public API for plugin authors is re-exported here: the ``hookimpl`` marker, the handler contract and
its value types, the events and the errors. It stays free of I/O, SQLAlchemy and spyne imports so that
``import qbbridge.core`` is cheap (tests/test_layout.py checks this).
"""

from .contract import (
    Absent,
    BaseHandler,
    CompanyInfo,
    CompanySetting,
    ExportContext,
    ExportItem,
    Facts,
    Failed,
    Imported,
    ImportRow,
    InvalidRecord,
    Kind,
    Linked,
    ObjectType,
    ObjectTypeHandler,
    Outcome,
    Purpose,
    QbRequest,
    QbResult,
    QbStatus,
    ReadContext,
    Record,
    RecordRef,
    Rejected,
    SentRequest,
    Stale,
    Waiting,
)
from .errors import HandledError, PluginError, QbBridgeError, QbXmlError
from .hookspecs import hookimpl

__all__ = [
    "Absent",
    "BaseHandler",
    "CompanyInfo",
    "CompanySetting",
    "ExportContext",
    "ExportItem",
    "Facts",
    "Failed",
    "HandledError",
    "ImportRow",
    "Imported",
    "InvalidRecord",
    "Kind",
    "Linked",
    "ObjectType",
    "ObjectTypeHandler",
    "Outcome",
    "PluginError",
    "Purpose",
    "QbBridgeError",
    "QbRequest",
    "QbResult",
    "QbStatus",
    "QbXmlError",
    "ReadContext",
    "Record",
    "RecordRef",
    "Rejected",
    "SentRequest",
    "Stale",
    "Waiting",
    "hookimpl",
]
