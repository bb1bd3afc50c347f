"""What a work block may carry, and its normalised form (``TimesheetsHandler.validate``).

Rule: ``normalise(local_key, payload)`` accepts exactly the fields in ``INPUT_FIELDS`` (JSON values or
CSV strings) and returns the stored payload, whose keys are exactly those of ``STORED_FIELDS`` that have
a value; anything else raises ``InvalidRecord(local_key, field, problem)``. Normalising a stored payload
again gives it back unchanged, so an unedited block re-submitted is "unchanged".

Limits are QuickBooks' own (PROTOCOL.md §C.4): EntityRef/CustomerRef FullName 209 (customer levels 41),
ItemServiceRef/ClassRef FullName 159 (levels 31), PayrollItemWageRef 31, Notes 4095, ListID 36.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from qbbridge.core import InvalidRecord

from . import values

#: (field, parser) of the optional reference fields, in the order they are checked.
NAME_FIELDS: tuple[tuple[str, Callable[[Any], str]], ...] = (
    ("employee", partial(values.text, max_length=209)),
    ("employee_id", values.list_id),
    ("customer", partial(values.full_name, max_length=209, segment_length=41)),
    ("customer_id", values.list_id),
    ("item", partial(values.full_name, max_length=159, segment_length=31)),
    ("item_id", values.list_id),
    ("class", partial(values.full_name, max_length=159, segment_length=31)),
    ("payroll_item", partial(values.text, max_length=31)),
)
DURATION_FIELDS = ("hours", "minutes", "duration")
#: ``billable_status`` is accepted too, so that a stored payload validates as itself.
INPUT_FIELDS = (*(name for name, _ in NAME_FIELDS), "date", *DURATION_FIELDS, "notes", "billable",
                "billable_status")
STORED_FIELDS = ("employee", "employee_id", "customer", "customer_id", "item", "item_id", "class",
                 "payroll_item", "date", "minutes", "notes", "billable_status")
MAX_NOTES = 4095
#: Pairs of fields that name the same thing; a block gives at most one of each.
ALTERNATIVES = (("employee", "employee_id"), ("customer", "customer_id"), ("item", "item_id"),
                ("billable", "billable_status"))


def normalise(local_key: str, payload: Any) -> dict[str, Any]:
    """The payload to store for block ``local_key``, or ``InvalidRecord`` naming the field."""
    if not isinstance(payload, Mapping):
        raise InvalidRecord(local_key, "record", "must be an object of fields such as employee, date, hours")
    _refuse_unknown(local_key, payload)  # before blanks are dropped: a misspelt field never vanishes
    given = {name: value for name, value in payload.items() if not _absent(value)}
    _refuse_both(local_key, given)
    clean: dict[str, Any] = {}
    for name, parse in NAME_FIELDS:
        if name in given:
            clean[name] = _parsed(local_key, name, parse, given[name])
    if "employee" not in clean and "employee_id" not in clean:
        raise InvalidRecord(local_key, "employee", "is required: give the employee's name (employee) or "
                                                   "QuickBooks ListID (employee_id)")
    if "date" not in given:
        raise InvalidRecord(local_key, "date", "is required (YYYY-MM-DD)")
    clean["date"] = _parsed(local_key, "date", values.iso_date, given["date"])
    clean["minutes"] = _duration(local_key, given)
    if "notes" in given:
        clean["notes"] = _parsed(local_key, "notes", partial(values.notes, max_length=MAX_NOTES),
                                 given["notes"])
    status_field = "billable" if "billable" in given else "billable_status"
    if status_field in given:
        clean["billable_status"] = _parsed(local_key, status_field, values.billable_status,
                                           given[status_field])
        _check_billable(local_key, status_field, clean)
    return {name: clean[name] for name in STORED_FIELDS if name in clean}


def _absent(value: Any) -> bool:
    """None and blank text mean "not given" (a CSV export of an empty column, a JSON null)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _refuse_unknown(local_key: str, given: Mapping[str, Any]) -> None:
    unknown = [name for name in given if name not in INPUT_FIELDS]
    if unknown:
        names = ", ".join(sorted(str(name) for name in unknown))
        raise InvalidRecord(local_key, names, f"unknown field{'s' if len(unknown) > 1 else ''}; a work "
                                              f"block has only {', '.join(INPUT_FIELDS)}")


def _refuse_both(local_key: str, given: Mapping[str, Any]) -> None:
    for first, second in ALTERNATIVES:
        if first in given and second in given:
            raise InvalidRecord(local_key, first, f"give either {first} or {second}, not both")


def _parsed(local_key: str, name: str, parse: Callable[[Any], Any], value: Any) -> Any:
    try:
        return parse(value)
    except ValueError as exc:
        raise InvalidRecord(local_key, name, str(exc)) from None


def _duration(local_key: str, given: Mapping[str, Any]) -> int:
    """Total minutes from ``hours`` and/or ``minutes``, or from ``duration``; 1 minute to 24 hours."""
    if "duration" in given and ("hours" in given or "minutes" in given):
        raise InvalidRecord(local_key, "duration", "give either duration or hours/minutes, not both")
    if "duration" in given:
        total = _parsed(local_key, "duration", values.duration_minutes, given["duration"])
    elif "hours" in given or "minutes" in given:
        total = (_parsed(local_key, "hours", values.hours_minutes, given.get("hours", 0))
                 + _parsed(local_key, "minutes", values.whole_minutes, given.get("minutes", 0)))
    else:
        raise InvalidRecord(local_key, "duration", "is required: give hours, minutes or duration (H:MM)")
    if total <= 0:
        raise InvalidRecord(local_key, "duration", f"{values.hours_text(total)} is no time; a work block "
                                                   "needs at least 1 minute")
    if total > values.MAX_MINUTES:
        raise InvalidRecord(local_key, "duration", f"{values.hours_text(total)} is more than a day")
    return total


def _check_billable(local_key: str, field: str, clean: Mapping[str, Any]) -> None:
    """Intuit's TimeTrackingAdd: billable time needs a customer:job and a service item."""
    has_customer = "customer" in clean or "customer_id" in clean
    has_item = "item" in clean or "item_id" in clean
    if clean["billable_status"] == "Billable" and not (has_customer and has_item):
        raise InvalidRecord(local_key, field, "billable time needs a customer/job and a service item "
                                              "(QuickBooks refuses it otherwise); add them or mark the "
                                              "block not billable")
