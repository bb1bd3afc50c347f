"""Building qbXML request message sets (sans-IO).

Rule: XML is made with lxml, never by formatting data into strings, and no function mutates what it is
given: each returns a new element or a new string. Values enter documents through the ``qb_*``
formatters, which produce exactly the lexical forms Intuit's qbXML schemas accept (PROTOCOL.md §C).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

#: QuickBooks Desktop accepts these two; the schema also allows rollbackOnError, which QuickBooks
#: rejects at run time (PROTOCOL.md §C.1).
ON_ERROR = ("stopOnError", "continueOnError")
#: newMessageSetID/oldMessageSetID limit (PROTOCOL.md §C.3 item 2; longer ids get status 9004).
MAX_MESSAGE_SET_ID = 23
#: requestID limit (PROTOCOL.md §C.1, status 1060).
MAX_REQUEST_ID = 50
#: Query requests whose schema type carries the ``iterator``/``iteratorID`` attributes. Identical in
#: qbXML 13.0 and 16.0 (qbxmlops130.xsd, qbxmlops160.xsd); a test compares this set with both schemas.
ITERATOR_QUERIES: frozenset[str] = frozenset(
    f"{name}QueryRq"
    for name in (
        "ARRefundCreditCard", "BarCode", "BillPaymentCheck", "BillPaymentCreditCard", "Bill",
        "BuildAssembly", "Charge", "Check", "CreditCardCharge", "CreditCardCredit", "CreditMemo",
        "Customer", "Deposit", "Entity", "Estimate", "InventoryAdjustment", "Invoice", "ItemDiscount",
        "ItemFixedAsset", "ItemGroup", "ItemInventoryAssembly", "ItemInventory", "ItemNonInventory",
        "ItemOtherCharge", "ItemPayment", "Item", "ItemReceipt", "ItemSalesTaxGroup", "ItemSalesTax",
        "ItemService", "ItemSites", "ItemSubtotal", "JournalEntry", "Lead", "PurchaseOrder",
        "ReceivePayment", "SalesOrder", "SalesReceipt", "SalesTaxPaymentCheck", "TimeTracking",
        "Transaction", "TransferInventory", "Transfer", "VehicleMileage", "VendorCredit", "Vendor",
    )
)
_XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
_VERSION = re.compile(r"[0-9]{1,3}\.[0-9]{1,2}")
_AMOUNT_DIGITS = 13  # AMTTYPE: [+-]?[0-9]{1,13}(\.[0-9]{2})? (qbxmltypes160.xsd)
_CENT = Decimal("0.01")


# --- message sets ----------------------------------------------------------------------------------


def message_set(requests: Sequence[etree._Element], *, version: str, on_error: str = "stopOnError",
                new_message_set_id: str | None = None, old_message_set_id: str | None = None) -> str:
    """Serialise ``requests`` (``…Rq`` elements, copied) into one qbXML request document.

    The text starts with the XML declaration and the ``<?qbxml version=…?>`` instruction that selects
    the spec level. ``new_message_set_id`` enables QuickBooks' error recovery for the set; with
    ``old_message_set_id`` alone and no requests it clears a stored set. Raises ``ValueError`` for an
    unknown ``on_error``, a malformed ``version``, a set id that is empty or longer than 23 characters,
    an element that is not a request, or two requests sharing a ``requestID``.
    """
    if on_error not in ON_ERROR:
        raise ValueError(f"on_error must be one of {ON_ERROR}, not {on_error!r}")
    root = etree.Element("QBXML")
    msgs = etree.SubElement(root, "QBXMLMsgsRq", onError=on_error)
    for name, value in (("newMessageSetID", new_message_set_id), ("oldMessageSetID", old_message_set_id)):
        if value is not None:
            msgs.set(name, _message_set_id(name, value))
    for request in _checked_requests(requests):
        copied = copy.deepcopy(request)
        copied.tail = None
        msgs.append(copied)
    pi = etree.ProcessingInstruction("qbxml", f'version="{_version(version)}"')
    return "\n".join((_XML_DECLARATION, etree.tostring(pi, encoding="unicode"),
                      etree.tostring(root, encoding="unicode")))


def status_query(message_set_id: str, *, version: str) -> str:
    """The empty message set asking QuickBooks for the stored responses of ``message_set_id``.

    Both ``oldMessageSetID`` and ``newMessageSetID`` carry the id (Intuit's ErrRecovery2 sample,
    PROTOCOL.md §C.3 item 3); ``onError`` is still required by the schema.
    """
    return message_set((), version=version, on_error="continueOnError",
                       new_message_set_id=message_set_id, old_message_set_id=message_set_id)


def _message_set_id(name: str, value: str) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_MESSAGE_SET_ID:
        raise ValueError(f"{name} must be 1-{MAX_MESSAGE_SET_ID} characters, not {value!r}")
    return value


def _version(version: str) -> str:
    if not isinstance(version, str) or not _VERSION.fullmatch(version):
        raise ValueError(f"qbXML version must look like '16.0', not {version!r}")
    return version


def _checked_requests(requests: Sequence[etree._Element]) -> tuple[etree._Element, ...]:
    requests = tuple(requests)  # iterated twice: a generator must not run dry
    seen: set[str] = set()
    for request in requests:
        _require_request(request)
        request_id = request.get("requestID")
        if request_id:
            if request_id in seen:
                raise ValueError(f"requestID {request_id!r} is used twice in one message set")
            seen.add(request_id)
    return requests


def _require_request(body: object) -> None:
    if not isinstance(body, etree._Element) or not isinstance(body.tag, str) or not body.tag.endswith("Rq"):
        raise ValueError(f"expected a qbXML request element (<…Rq>), got {body!r}")


# --- request attributes --------------------------------------------------------------------------


def with_request_id(body: etree._Element, request_id: str) -> etree._Element:
    """A copy of ``body`` with ``requestID`` set (1-50 characters; QuickBooks echoes it back)."""
    _require_request(body)
    if not isinstance(request_id, str) or not request_id or len(request_id) > MAX_REQUEST_ID:
        raise ValueError(f"requestID must be 1-{MAX_REQUEST_ID} characters, not {request_id!r}")
    copied = copy.deepcopy(body)
    copied.set("requestID", request_id)
    return copied


def iterator_start(body: etree._Element) -> etree._Element:
    """A copy of the query ``body`` with ``iterator="Start"`` (and no ``iteratorID``).

    Only queries in ``ITERATOR_QUERIES`` accept iterators (``ValueError`` otherwise); give the query a
    ``MaxReturned`` child to set the page size.
    """
    copied = _iterable_copy(body)
    copied.set("iterator", "Start")
    copied.attrib.pop("iteratorID", None)
    return copied


def iterator_continue(body: etree._Element, iterator_id: str) -> etree._Element:
    """A copy of the query ``body`` asking for the next page of iterator ``iterator_id``."""
    if not isinstance(iterator_id, str) or not iterator_id:
        raise ValueError(f"iterator_id must be a non-empty string, not {iterator_id!r}")
    copied = _iterable_copy(body)
    copied.set("iterator", "Continue")
    copied.set("iteratorID", iterator_id)
    return copied


def _iterable_copy(body: etree._Element) -> etree._Element:
    _require_request(body)
    if body.tag not in ITERATOR_QUERIES:
        raise ValueError(f"{body.tag} does not accept an iterator (qbXML schema)")
    return copy.deepcopy(body)


# --- elements ------------------------------------------------------------------------------------


def element(tag: str, text: str | None = None, **attrs: str | None) -> etree._Element:
    """A new ``<tag attr=…>text</tag>``; attributes whose value is None are left out."""
    made = etree.Element(tag, {name: _text(name, v) for name, v in attrs.items() if v is not None})
    if text is not None:
        made.text = _text(tag, text)
    return made


def child(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element | None:
    """Append ``<tag>text</tag>`` to ``parent`` and return it; when ``text`` is None (an optional field
    without a value) nothing is appended and None is returned, while ``""`` writes an empty element
    (which clears the field in a Mod). Use ``parent.append(...)`` for containers such as references."""
    if text is None:
        return None
    made = element(tag, text)
    parent.append(made)
    return made


def ref(tag: str, *, full_name: str | None = None, list_id: str | None = None) -> etree._Element:
    """A list reference: ``<tag><ListID>…</ListID><FullName>…</FullName></tag>`` with whichever parts are
    given, in schema order. At least one is required (``ValueError``)."""
    if not full_name and not list_id:
        raise ValueError(f"{tag} needs a full_name or a list_id")
    made = etree.Element(tag)
    child(made, "ListID", list_id or None)
    child(made, "FullName", full_name or None)
    return made


def _text(name: str, value: object) -> str:
    # Only strings go in: a Decimal, date or bool must pass through its qb_* formatter first.
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected str, got {type(value).__name__} (use qb_amount/qb_date/qb_bool)")
    return value


# --- value formatters ----------------------------------------------------------------------------


def qb_duration(hours: int, minutes: int) -> str:
    """TIMEINTERVALTYPE text, e.g. ``qb_duration(8, 0) == "PT8H0M"``; minutes must be 0-59."""
    for name, value in (("hours", hours), ("minutes", minutes)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a non-negative int, not {value!r}")
    if minutes > 59:
        raise ValueError(f"minutes must be 0-59, not {minutes}")
    return f"PT{hours}H{minutes}M"


def qb_date(value: date) -> str:
    """DATETYPE text ``YYYY-MM-DD``. A ``datetime`` is refused: convert it to the company's local date
    first, since the day depends on the time zone."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"expected a datetime.date, got {type(value).__name__}")
    return value.isoformat()


def qb_amount(value: Decimal | int) -> str:
    """AMTTYPE text with two decimals, rounded half up: ``Decimal("12.5")`` -> ``"12.50"``.

    Floats are refused (binary fractions are not money); so are non-finite values and amounts beyond
    the schema's 13 integer digits.
    """
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"expected Decimal or int, got {type(value).__name__}")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"amount must be finite, not {value!r}")
    # Checked before rounding (quantize fails past the context precision) and after (….995 rounds up).
    too_long = ValueError(f"amount {value} has more than {_AMOUNT_DIGITS} integer digits")
    if amount.adjusted() >= _AMOUNT_DIGITS:
        raise too_long
    rounded = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    if rounded.adjusted() >= _AMOUNT_DIGITS:
        raise too_long
    return format(rounded if rounded else abs(rounded), "f")  # abs: no "-0.00"


def qb_bool(value: bool) -> str:
    """BOOLTYPE text: ``"true"`` or ``"false"``."""
    if not isinstance(value, bool):
        raise TypeError(f"expected bool, got {type(value).__name__}")
    return "true" if value else "false"
