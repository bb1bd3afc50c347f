"""Rules shared by the transaction requests (TimeTracking, Invoice): Mod checks, the closing date, class
tracking, amounts, and the transaction-query filters with QuickBooks' date macros.

Rule: the check helpers only read the company and raise ``RequestFailed``, so a handler can run all of
them before it changes anything. Dates are ISO strings (``YYYY-MM-DD``) in records, ``datetime.date``
in the filters; "today" is the company clock's date, never the wall clock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from ..company import NAME_LISTS, CompanyFile, Record
from ..errors import RequestFailed
from ..qbxml import Element, text, texts
from ..shapes_types import AMT, PRICE
from ..status import (closing_date, feature_disabled, invalid_value, object_not_found, stale_edit_sequence,
                      unsupported)
from .base import Context
from .query import iso_date, modified_between, name_matches

CENTS = Decimal("0.01")
_DIGITS = re.compile(r"[0-9]+")


# -- statuses only transactions need ------------------------------------------------------------------
def save_error(label: str, reason: str) -> RequestFailed:
    # Modelled on the captured 3180 "There was an error when saving a …" (no capture of these rules);
    # QuickBooks' template always says "a" ("saving a Items list" is captured), so we do too.
    return RequestFailed(3180, f"There was an error when saving a {label}.  QuickBooks error message: "
                               f"{reason}")


def apply_fields(record: Record, fields: dict[str, object]) -> None:
    """Write a Mod's checked fields into ``record``; a None value clears that field."""
    for field, value in fields.items():
        if value is None:
            record.pop(field, None)
        else:
            record[field] = value


# -- checks before a change ---------------------------------------------------------------------------
def today(ctx: Context) -> dt.date:
    return ctx.company.clock.now().date()


def txn_date(element: Element, default: str | None) -> str | None:
    """The element's TxnDate normalised to ``YYYY-MM-DD``; ``default`` when absent or empty."""
    return iso_date(text(element, "TxnDate")) or default


def record_for_mod(ctx: Context, kind: str, mod: Element) -> Record:
    """The ``kind`` record a ``…Mod`` names: 3120 when unknown, 3200 when its EditSequence is stale."""
    txn_id = text(mod, "TxnID") or ""
    found = ctx.company.get(txn_id)
    if found is None or found[0] != kind:
        raise object_not_found(txn_id)
    edit_sequence = text(mod, "EditSequence") or ""
    if edit_sequence != found[1]["EditSequence"]:
        raise stale_edit_sequence(edit_sequence)
    return found[1]


def check_closing_date(ctx: Context, label: str, *dates: str | None) -> None:
    """Refuse when any of ``dates`` falls on or before the company's closing date: a Mod passes both
    the old and the new TxnDate, since QuickBooks locks the closed period in both directions."""
    closing = ctx.company.info.get("ClosingDate")
    if closing and any(day and day <= closing for day in dates):
        raise closing_date(label, closing)


def check_class_tracking(ctx: Context, element: Element) -> None:
    """A ClassRef anywhere in ``element`` while class tracking is off is 3250 (feature not enabled).

    Decision without a capture: QuickBooks hides the Class field when the preference is off, so we
    refuse rather than store a class the user cannot see."""
    if not ctx.company.info.get("IsUsingClassTracking") and element.find(".//ClassRef") is not None:
        raise feature_disabled()


def is_empty_ref(ref: Element) -> bool:
    """A ``…Ref`` with neither ListID nor FullName text: how a Mod clears a clearable reference."""
    return not (text(ref, "ListID") or text(ref, "FullName"))


# -- amounts ------------------------------------------------------------------------------------------
def decimal_of(value: str | None) -> Decimal | None:
    return Decimal(value) if value and value.strip() else None


def money(value: Decimal) -> str:
    """AMTTYPE as QuickBooks writes it: two decimals, half-up (``206`` → ``206.00``)."""
    return str(value.quantize(CENTS, rounding=ROUND_HALF_UP))


def price(value: Decimal) -> str:
    """PRICETYPE: at least two decimals, at most five, as in the real InvoiceRet (``Rate 103.00``)."""
    value = value.quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP).normalize()
    return money(value) if -value.as_tuple().exponent <= 2 else format(value, "f")


def fitting_money(field: str, value: Decimal) -> str:
    """``money(value)`` when it fits AMTTYPE (at most 13 digits before the point), else 3210 naming
    ``field``: a result QuickBooks works out (Quantity × Rate, a subtotal, a balance) must still be an
    amount qbXML can carry. Decision (no capture): the reason's wording is ours."""
    written = money(value)
    if AMT.problem(written):
        raise invalid_value(field, written, "The result is out of range: a QuickBooks amount has at most "
                                            "13 digits before the decimal point.")
    return written


def fitting_price(field: str, value: Decimal) -> str:
    """``price(value)`` when it fits PRICETYPE (at most 10 digits before the point), else 3210 naming
    ``field`` (a Rate worked out as Amount / Quantity). Decision (no capture): the reason's wording is
    ours."""
    written = price(value)
    if PRICE.problem(written):
        raise invalid_value(field, written, "The result is out of range: a QuickBooks rate has at most "
                                            "10 digits before the decimal point.")
    return written


def quantity(value: Decimal) -> str:
    """QUANTYPE without trailing zeros, as QuickBooks returns it (``<Quantity>2</Quantity>``)."""
    return format(value.normalize(), "f")


# -- transaction queries ------------------------------------------------------------------------------
def in_txn_order(records: Iterable[Record]) -> list[Record]:
    """Query results in TxnDate order, then by TxnNumber (entry order within a day)."""
    return sorted(records, key=lambda r: (r["TxnDate"], r["TxnNumber"]))


def date_filtered(ctx: Context, rq: Element, records: list[Record]) -> list[Record]:
    """Apply ModifiedDateRangeFilter or TxnDateRangeFilter (the schema allows one of them)."""
    modified = rq.find("ModifiedDateRangeFilter")
    if modified is not None:
        return modified_between(records, text(modified, "FromModifiedDate"), text(modified, "ToModifiedDate"))
    dates = rq.find("TxnDateRangeFilter")
    if dates is None:
        return records
    macro = text(dates, "DateMacro")
    if macro:
        start, end = macro_range(macro, today(ctx))
    else:
        start, end = (_date(text(dates, tag)) for tag in ("FromTxnDate", "ToTxnDate"))
    return [r for r in records if (not start or r["TxnDate"] >= start.isoformat())
            and (not end or r["TxnDate"] <= end.isoformat())]


def _date(value: str | None) -> dt.date | None:
    day = iso_date(value)
    return dt.date.fromisoformat(day) if day else None


def named_ids(company: CompanyFile, element: Element, kinds: tuple[str, ...] = NAME_LISTS) -> set[str]:
    """ListIDs an EntityFilter/AccountFilter/TimeTrackingEntityFilter names: ListID*, FullName*
    (case-insensitive) or ListIDWithChildren/FullNameWithChildren (the element and its descendants).
    Names that do not exist simply match nothing."""
    ids = {value for value in texts(element, "ListID") if company.get(value)}
    for name in texts(element, "FullName"):
        found = company.find_by_name(kinds, name)
        ids |= {found[1]["ListID"]} if found else set()
    parent = text(element, "ListIDWithChildren")
    if parent is None and text(element, "FullNameWithChildren") is not None:
        found = company.find_by_name(kinds, text(element, "FullNameWithChildren"))
        parent = found[1]["ListID"] if found else None
    return ids | (_with_descendants(company, parent) if parent else set())


def _with_descendants(company: CompanyFile, list_id: str) -> set[str]:
    found = company.get(list_id)
    if found is None:
        return set()
    ids = {list_id}
    for child in company.children_of(found[0], list_id):
        ids |= _with_descendants(company, child["ListID"])
    return ids


def by_names(ctx: Context, rq: Element, records: list[Record], entity_field: str,
             account_field: str | None = None) -> list[Record]:
    """TxnFilter's EntityFilter (on ``entity_field``) and AccountFilter (on ``account_field``)."""
    for tag, field, kinds in (("EntityFilter", entity_field, NAME_LISTS),
                              ("AccountFilter", account_field, ("Account",))):
        element = rq.find(tag)
        if element is not None and field:
            ids = named_ids(ctx.company, element, kinds)
            records = [r for r in records if r.get(field) in ids]
    return records


def by_ref_number(rq: Element, records: list[Record]) -> list[Record]:
    """RefNumberFilter (MatchCriterion, case-insensitive) or RefNumberRangeFilter (inclusive)."""
    match = rq.find("RefNumberFilter")
    if match is not None:
        criterion, wanted = text(match, "MatchCriterion") or "Contains", text(match, "RefNumber") or ""
        return [r for r in records if name_matches(r.get("RefNumber") or "", criterion, wanted)]
    span = rq.find("RefNumberRangeFilter")
    if span is None:
        return records
    low, high = text(span, "FromRefNumber"), text(span, "ToRefNumber")
    return [r for r in records if r.get("RefNumber") is not None
            and (not low or _ref_key(low) <= _ref_key(r["RefNumber"]))
            and (not high or _ref_key(r["RefNumber"]) <= _ref_key(high))]


def _ref_key(value: str) -> tuple[int, int, str]:
    """Decision: all-digit RefNumbers compare as numbers (so 9 < 10), others as case-insensitive text."""
    return (0, int(value), "") if _DIGITS.fullmatch(value) else (1, 0, value.casefold())


# -- DateMacro ----------------------------------------------------------------------------------------
_PERIOD = re.compile(r"(This|Last|Next)(Week|Month|CalendarQuarter|FiscalQuarter|CalendarYear|FiscalYear)"
                     r"(ToDate)?")
_OFFSET = {"This": 0, "Last": -1, "Next": 1}
_MONTHS = {"Month": 1, "CalendarQuarter": 3, "FiscalQuarter": 3, "CalendarYear": 12, "FiscalYear": 12}


def macro_range(macro: str, day: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The inclusive date range a DateMacro names, relative to ``day``.

    Weeks start on Monday (the FirstDayOfWeek our PreferencesQuery reports); the fiscal year is the
    calendar year (the simulated company has no other fiscal-year preference). ``…ToDate`` runs from
    the period's start as many days as ``day`` is into the current period (so LastMonthToDate on
    Nov 20 is Oct 1 – Oct 20). NextFourWeeks is refused: its exact span is not documented.
    """
    if macro == "All":
        return None, None
    if macro in ("Today", "Yesterday"):
        single = day - dt.timedelta(days=macro == "Yesterday")
        return single, single
    match = _PERIOD.fullmatch(macro)
    if match is None:
        raise unsupported(f"the DateMacro {macro}")
    which, unit, to_date = match.groups()
    start, end = _period(unit, day, _OFFSET[which])
    if to_date:
        elapsed = day - _period(unit, day, 0)[0]
        end = min(end, start + elapsed)
    return start, end


def _period(unit: str, day: dt.date, offset: int) -> tuple[dt.date, dt.date]:
    if unit == "Week":
        start = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=offset)
        return start, start + dt.timedelta(days=6)
    length = _MONTHS[unit]
    index = (day.year * 12 + day.month - 1) // length * length + offset * length
    start = dt.date(index // 12, index % 12 + 1, 1)
    after = index + length
    return start, dt.date(after // 12, after % 12 + 1, 1) - dt.timedelta(days=1)


def visible_order(ctx: Context, order: tuple[str, ...], since: dict[str, str]) -> tuple[str, ...]:
    """``order`` without the fields newer than the request's qbXML version (``since``: field → the
    version that added it, from Intuit's catalogue), as QuickBooks answers each version in its own shape."""
    return tuple(f for f in order if f not in since or ctx.version_at_least(since[f]))
