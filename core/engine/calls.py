"""One frozen value per inbound QBWC call that acts on an existing update (h11's events).

Rule: these carry exactly what the Web Connector sent, already decoded; ``authenticate`` is not here
because it creates an update rather than acting on one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SendRequestXml:
    hcp_response: str = ""
    company_file: str = ""
    country: str = ""
    major: int | None = None
    minor: int | None = None


@dataclass(frozen=True, slots=True)
class ReceiveResponseXml:
    response: str = ""
    hresult: str = ""
    message: str = ""


@dataclass(frozen=True, slots=True)
class ConnectionErrorReported:
    """``connectionError``: the Web Connector could not reach QuickBooks.

    Named so as not to shadow the builtin ``ConnectionError``.
    """

    hresult: str = ""
    message: str = ""


@dataclass(frozen=True, slots=True)
class GetLastError:
    pass


@dataclass(frozen=True, slots=True)
class CloseConnection:
    pass


Call = SendRequestXml | ReceiveResponseXml | ConnectionErrorReported | GetLastError | CloseConnection
ALL_CALLS: tuple[type, ...] = (SendRequestXml, ReceiveResponseXml, ConnectionErrorReported, GetLastError,
                               CloseConnection)
