"""The ``timesheets`` plugin: work blocks (hours of one person on one day) sent to QuickBooks Desktop as
TimeTracking entries, exactly once, with messages people can act on.

Modules: ``handler`` (the object type's handler), ``payload`` and ``values`` (what a block may carry),
``settings`` (the company settings), ``requests`` (qbXML), ``preflight`` (names checked before sending),
``duplicates`` (time already in QuickBooks), ``entries`` (comparing QuickBooks' entries with blocks),
``messages`` (what people read). User guide:
docs/plugins/timesheets.md.
"""

from __future__ import annotations

from collections.abc import Callable

from qbbridge.core import ObjectTypeHandler, hookimpl

from .handler import TimesheetsHandler

__all__ = ["TimesheetsHandler", "qb_register_object_types"]


@hookimpl
def qb_register_object_types(register: Callable[[ObjectTypeHandler], None]) -> None:
    """Register the ``timesheets`` object type (the plugin has no plugin-level settings)."""
    register(TimesheetsHandler())
