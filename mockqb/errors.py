"""Errors raised inside the QuickBooks simulator.

Rule: a *status* is not an exception for the caller. ``RequestFailed`` is raised by a request handler and
turned by the processor into an ``…Rs`` element with that status code; ``QbXmlParseError`` is the one
error that escapes ``process()``, because real QuickBooks rejects a malformed message set as a whole
(the qbXML request processor throws, and the Web Connector passes the HRESULT to ``receiveResponseXML``).
"""

from __future__ import annotations

#: HRESULT the request processor throws for a message set it cannot parse or that breaks the schema.
PARSE_ERROR_HRESULT = "0x80040400"
PARSE_ERROR_MESSAGE = "QuickBooks found an error when parsing the provided XML text stream."


class MockQbError(Exception):
    """Base class of the simulator's exceptions."""


class QbXmlParseError(MockQbError):
    """The whole message set was rejected before any request ran.

    ``hresult`` and ``message`` are what the Web Connector reports; ``detail`` says what was wrong (as the
    QuickBooks SDK log, qbsdklog.txt, would) so test authors can see why.
    """

    def __init__(self, detail: str) -> None:
        super().__init__(f"{PARSE_ERROR_MESSAGE} ({detail})")
        self.hresult = PARSE_ERROR_HRESULT
        self.message = PARSE_ERROR_MESSAGE
        self.detail = detail


class RequestFailed(MockQbError):
    """One request failed with a QuickBooks status code; the message set goes on per ``onError``."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class QuickBooksUnavailable(MockQbError):
    """QuickBooks could not be opened (the Web Connector reports this through ``connectionError``)."""

    def __init__(self, hresult: str, message: str) -> None:
        super().__init__(f"{hresult}: {message}")
        self.hresult = hresult
        self.message = message
