"""Request handlers of the QuickBooks simulator, one module per QuickBooks area.

``HANDLERS`` is the dispatch table: ``…Rq`` element name -> handler (see ``base.py`` for the contract).
"""

from __future__ import annotations

from . import classes, entities, host, invoices, items, lists, names_lists, timetracking
from .base import Context, Handler, Reply, SessionState

HANDLERS: dict[str, Handler] = {
    **host.HANDLERS,
    **lists.HANDLERS,
    **entities.HANDLERS,
    **items.HANDLERS,
    **classes.HANDLERS,
    **names_lists.HANDLERS,
    **timetracking.HANDLERS,
    **invoices.HANDLERS,
}

__all__ = ["HANDLERS", "Context", "Handler", "Reply", "SessionState"]
