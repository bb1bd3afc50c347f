"""QuickBooks status codes and their message texts, as data.

Texts follow the wording QuickBooks uses in captured responses (see ../shared/docs/PROTOCOL.md §D).
Where no capture exists the wording is modelled on the nearest documented one and marked below.
Each function returns a ``RequestFailed`` ready to raise, so handlers read like QuickBooks' rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import RequestFailed

INFO, WARN, ERROR = "Info", "Warn", "Error"


@dataclass(frozen=True, slots=True)
class Status:
    """A request's status as it appears on its ``…Rs`` element."""

    code: int
    severity: str
    message: str


OK = Status(0, INFO, "Status OK")
NO_MATCH = Status(1, INFO, "A query request did not find a matching object in QuickBooks")


def severity_of(code: int) -> str:
    """Severity by QuickBooks' code ranges: 0-499 Info, 500-999 Warn, the rest Error."""
    if code < 500:
        return INFO
    return WARN if code < 1000 else ERROR


def element_not_found(value: str) -> Status:
    """500: a query named a ListID/TxnID/FullName that does not exist (data for the others is returned)."""
    return Status(
        500,
        WARN,
        "The query request has not been fully completed. There was a required element "
        f'("{value}") that could not be found in QuickBooks.',
    )


def name_in_use(name: str) -> RequestFailed:
    return RequestFailed(3100, f'The name "{name}" of the list element is already in use.')


def object_not_found(object_id: str) -> RequestFailed:
    return RequestFailed(
        3120,
        f'Object "{object_id}" specified in the request cannot be found.  QuickBooks error message: '
        "Invalid argument.  The specified record does not exist in the list.",
    )


def invalid_parent(name: str, list_name: str) -> RequestFailed:
    return RequestFailed(
        3130,
        f'There is an invalid reference to a parent "{name}" in the {list_name} list.  '
        "QuickBooks error message: Invalid argument.  The specified record does not exist in the list.",
    )


#: The reasons a 3140 gives after "QuickBooks error message: ". NOT_IN_LIST is captured (PROTOCOL.md §D);
#: WRONG_TYPE is quoted by a vendor's help page for a CustomerRef naming a vendor (DOMAIN.md (b) problem 2).
NOT_IN_LIST = "Invalid argument.  The specified record does not exist in the list."
WRONG_TYPE = "The specified name is either invalid or of the wrong type."


def invalid_reference(list_label: str, value: str, where: str, reason: str = NOT_IN_LIST) -> RequestFailed:
    """3140, e.g. list_label="QuickBooks Customer", where="TimeTracking"; ``reason`` is NOT_IN_LIST or
    WRONG_TYPE."""
    return RequestFailed(
        3140,
        f'There is an invalid reference to {list_label} "{value}" in the {where}.  '
        f"QuickBooks error message: {reason}",
    )


def stale_edit_sequence(edit_sequence: str) -> RequestFailed:
    return RequestFailed(3200, f'The provided edit sequence "{edit_sequence}" is out-of-date.')


def invalid_value(field: str, value: str, reason: str) -> RequestFailed:
    return RequestFailed(
        3210, f'The "{field}" field has an invalid value "{value}".  QuickBooks error message: {reason}'
    )


def feature_disabled() -> RequestFailed:
    return RequestFailed(3250, "This feature is not enabled or not available in this version of QuickBooks.")


def closing_date(txn_label: str, closing: str) -> RequestFailed:
    # Wording modelled on 3180 "There was an error when saving a …" (no public capture of this case).
    return RequestFailed(
        3180,
        f"There was an error when saving a {txn_label}.  QuickBooks error message: The transaction date "
        f"is on or before the closing date ({closing}) of this company file.",
    )


def invalid_iterator(iterator_id: str) -> RequestFailed:
    # Captured in a Web Connector error report (consolibyte/quickbooks-php issue #183).
    return RequestFailed(3391, f'The iteratorID "{iterator_id}" is not valid.')


def request_id_too_long() -> RequestFailed:
    # Code and meaning from Intuit's status table ("Invalid request ID", max 50); the wording is modelled.
    return RequestFailed(1060, "Invalid request ID. The request ID must be 50 characters or fewer.")


def unsupported(what: str) -> RequestFailed:
    """1030 for what mockqb does not simulate: refused out loud rather than dropped silently."""
    return RequestFailed(1030, f"mockqb does not simulate {what}.")


def unsupported_on_error() -> RequestFailed:
    # QuickBooks Desktop does not implement rollbackOnError (qbXML "Attributes in QBXMLMsgs").
    return RequestFailed(1030, "The onError attribute value rollbackOnError is not supported by QuickBooks "
                               "Desktop.")


# Message-set status codes of qbXML error recovery (messageSetStatusCode), from Intuit's QBFC sample.
MSGSET_OK = 0
MSGSET_NO_MATCH = 600
MSGSET_BAD_CHECKSUM = 9001
MSGSET_NOTHING_STORED = 9002
MSGSET_ID_TOO_LONG = 9004
