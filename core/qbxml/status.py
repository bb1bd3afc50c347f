"""QuickBooks status codes as data: what a request's statusCode means and what to do about it.

Rule: only codes that ../shared/docs/PROTOCOL.md §D lists with a source are in ``KNOWN``; everything
else is classified by the documented code ranges or reported as UNKNOWN, never guessed.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType


class Severity(enum.Enum):
    """``statusSeverity`` of a response; ``Severity("info")`` and ``Severity("INFO")`` both work."""

    INFO = "Info"
    WARN = "Warn"
    ERROR = "Error"

    @classmethod
    def _missing_(cls, value: object) -> Severity | None:
        if isinstance(value, str):
            for member in cls:
                if member.value.lower() == value.strip().lower():
                    return member
        return None


class Category(enum.Enum):
    """What a status code asks of us."""

    OK = "ok"                # processed; with severity Warn the data may not be exactly as expected
    NOT_FOUND = "not_found"  # a query matched nothing (or not everything it named)
    DATA = "data"            # a person must fix something (the record, a QuickBooks list, a setting)
    TRANSIENT = "transient"  # QuickBooks was busy or locked: send the same request again later
    FATAL = "fatal"          # our request is wrong or unsupported: resending it cannot help
    UNKNOWN = "unknown"      # a code we have no reliable source for


_C = Category
# PROTOCOL.md §D (sources cited there: Intuit's status-code table [SC], captured responses, [CONSOL]).
# 3270 is listed there as "not verified in any source found", so it is deliberately absent.
KNOWN: Mapping[int, tuple[Category, str]] = MappingProxyType({
    0: (_C.OK, "status OK"),
    1: (_C.NOT_FOUND, "no matching object found"),
    500: (_C.NOT_FOUND, "query not fully completed: a requested element was not found"),
    501: (_C.FATAL, "object not in this qbXML specification"),
    510: (_C.OK, "processed, but the object could not be returned"),
    530: (_C.OK, "a field is not supported by this QuickBooks and was ignored"),
    531: (_C.OK, "an enumerated value is not supported by this QuickBooks"),
    550: (_C.OK, "notes were not saved"),
    560: (_C.OK, "a deprecated field was used"),
    570: (_C.OK, "cannot link to a closed transaction"),
    1000: (_C.TRANSIENT, "QuickBooks internal error"),
    1010: (_C.TRANSIENT, "system not available"),
    1030: (_C.FATAL, "unsupported message"),
    1060: (_C.FATAL, "invalid request ID (at most 50 characters)"),
    3000: (_C.DATA, "invalid object ID"),
    3010: (_C.DATA, "invalid boolean value"),
    3020: (_C.DATA, "invalid date value"),
    3030: (_C.DATA, "invalid date range"),
    3031: (_C.DATA, "invalid string range"),
    3100: (_C.DATA, "name of the list element is already in use"),
    3120: (_C.DATA, "object specified in the request cannot be found"),
    3130: (_C.DATA, "invalid reference to a parent"),
    3140: (_C.DATA, "invalid reference to a list element"),
    3170: (_C.TRANSIENT, "list modified by another user"),
    3175: (_C.TRANSIENT, "list element locked or in use"),  # exact Intuit wording not verified
    3176: (_C.TRANSIENT, "list element locked or in use"),  # exact Intuit wording not verified
    3180: (_C.DATA, "error when saving the object"),  # TRANSIENT when the message says "locked" (below)
    3200: (_C.DATA, "edit sequence out of date: re-query for the current one"),
    3210: (_C.DATA, "a field has an invalid value"),
    3250: (_C.DATA, "feature not enabled or not available in this version of QuickBooks"),
    3260: (_C.DATA, "insufficient permission level to perform this action"),
    3261: (_C.DATA, "the integrated application has no permission to access this data"),
})

# Phrases with which consolibyte retries 3180 (and 3170/3175/3176): the save failed on a lock, not on
# the data (PROTOCOL.md §D, [CONSOL SQL/Errors.php]).
_LOCK_PHRASES = ("list has been modified by another user", "internals could not be locked",
                 "failed to acquire the lock", "list element is in use")
# Documented ranges (PROTOCOL.md §D) for codes not in KNOWN.
_RANGES = ((range(2000, 3000), _C.FATAL), (range(3000, 3100), _C.DATA))


def classify(code: int, message: str | None = None) -> Category:
    """The category of ``code``; pass QuickBooks' ``statusMessage`` to tell a 3180 caused by a lock
    (TRANSIENT) from one caused by the data (DATA)."""
    if code == 3180 and message and any(p in message.lower() for p in _LOCK_PHRASES):
        return _C.TRANSIENT
    if code in KNOWN:
        return KNOWN[code][0]
    return next((category for codes, category in _RANGES if code in codes), _C.UNKNOWN)


def meaning(code: int) -> str:
    """A short English meaning of ``code`` for messages, or ``"status code N"`` when unknown."""
    return KNOWN[code][1] if code in KNOWN else f"status code {code}"


# --- messageSetStatusCode (error recovery, PROTOCOL.md §C.3 item 4, [INVADD], [SC]) ---------------

MSGSET_NO_MATCH = 600          # oldMessageSetID matches no stored id and no newMessageSetID was given
MSGSET_BAD_CHECKSUM = 9001     # newMessageSetID matches the stored id but the checksum fails
MSGSET_NOTHING_STORED = 9002   # no stored response was found
MSGSET_ID_TOO_LONG = 9004      # message set id longer than 23 characters
MSGSET_NOT_STORED = 9005       # QuickBooks was unable to store the response

MSGSET_MEANINGS: Mapping[int, str] = MappingProxyType({
    MSGSET_NO_MATCH: "the old message set id matches no stored message set",
    MSGSET_BAD_CHECKSUM: "the message set id matches the stored one but its checksum fails",
    MSGSET_NOTHING_STORED: "no stored response was found for the message set",
    MSGSET_ID_TOO_LONG: "the message set id is longer than QuickBooks accepts",
    MSGSET_NOT_STORED: "QuickBooks was unable to store the response",
})
