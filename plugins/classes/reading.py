"""Reading a QuickBooks list into the importables on a schedule; shared by the classes and parts plugins.

Rule: a list's importables read runs in an update when its object type has no "Last Sync Date" yet, or
when that date is at least ``<type>.read_every_minutes`` old (0: every update). Between reads, an update
with nothing else to do is not started just to re-read lists, so ``authenticate`` can answer ``none``
(T1). A stored setting that no longer parses counts as unset: a read never fails on a setting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from lxml import etree

from qbbridge.core import CompanySetting, ImportRow, ReadContext

READ_EVERY_DEFAULT = 60
READ_EVERY_MAX = 525_600  # a year: larger values only overflow date arithmetic
_WHOLE_NUMBER = re.compile(r"[0-9]+")


def parse_minutes(value: Any) -> int:
    """A ``read_every_minutes`` value: a whole number of minutes, 0 to a year, as int or digits."""
    minutes = None
    if isinstance(value, int) and not isinstance(value, bool):
        minutes = value
    elif isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
        minutes = int(value.strip())
    if minutes is None or not 0 <= minutes <= READ_EVERY_MAX:
        raise ValueError(f"not a whole number of minutes from 0 to {READ_EVERY_MAX} (0 reads at every "
                         "update)")
    return minutes


def read_every_setting(what: str) -> CompanySetting:
    """The ``read_every_minutes`` company setting of a list plugin; ``what`` names the list read."""
    return CompanySetting(
        "read_every_minutes",
        f"Minutes between two reads of {what} into the importables (0: at every update).",
        READ_EVERY_DEFAULT, parse_minutes)


def setting(settings: Mapping[str, Any], key: str, spec: CompanySetting) -> Any:
    """The value of company setting ``key`` (``"<type>.<name>"``), parsed by ``spec``; its default when
    unset or when the stored value does not parse."""
    stored = settings.get(key)
    if stored is None:
        return spec.default
    try:
        return spec.parse(stored)
    except (ValueError, TypeError):
        return spec.default


def read_is_due(ctx: ReadContext, key: str, spec: CompanySetting) -> bool:
    """Whether the importables read of this update should run (see the module rule).

    Timed from ``ctx.last_read_at`` (the last time this list was read, not the last sync, which every
    clean update moves) by ``ctx.now``, the server's clock. A last read in the future means the clock
    was set back: the read runs rather than stay silent until it catches up.
    """
    minutes = setting(ctx.company.settings, key, spec)
    if ctx.last_read_at is None or minutes == 0:
        return True
    elapsed = ctx.now - ctx.last_read_at
    return elapsed < timedelta(0) or elapsed >= timedelta(minutes=minutes)


def list_row(ret: etree._Element, record: Mapping[str, Any]) -> ImportRow | None:
    """An importable from a list element's ``…Ret``: named by its FullName (``Parent:Child``), with
    ``data["record"]`` the host payload an import creates. None for a Ret without a ListID."""
    list_id = ret.findtext("ListID")
    if not list_id:
        return None
    return ImportRow(qb_id=list_id, name=ret.findtext("FullName") or ret.findtext("Name") or "",
                     edit_sequence=ret.findtext("EditSequence"),
                     is_active=ret.findtext("IsActive") != "false", data={"record": dict(record)})
