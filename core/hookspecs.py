"""The ``qb_*`` hook specifications: the whole plugin contract besides the handler Protocol.

Rule: every spec's docstring IS the contract — when the core calls it (in Web Connector terms), each
argument, what to return, whether the first non-None answer wins, and whether it may raise.
``docs/plugin_hooks.md`` repeats each signature; ``tests/core/plugins/test_hook_docs.py`` fails when one
is missing there. Implementations may accept any subset of a spec's arguments (pluggy opt-in arguments)
and must not give their parameters default values. No hook is historic; none is declared a wrapper.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pluggy

from qbbridge.core.contract import ObjectTypeHandler
from qbbridge.core.events import Event

PROJECT = "qbbridge"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# --- registration -------------------------------------------------------------------------------


@hookspec
def qb_register_object_types(
    register: Callable[[ObjectTypeHandler], None], settings: Mapping[str, Any]
) -> None:
    """Declare the object types this plugin owns, one handler each.

    Called once per plugin at start-up, by ``build_registry``, before any Web Connector call is served.

    :param register: call ``register(handler)`` once per object type; ``handler`` satisfies
        ``ObjectTypeHandler`` and carries its ``ObjectType`` (name, qbXML entity, dependencies).
        Registering after start-up raises ``PluginError``.
    :param settings: this plugin's own configuration section (empty when none is configured).

    Return nothing. Must do no I/O (no database, no network): handlers are built from ``settings``
    alone. May raise: an exception stops start-up as a ``PluginError`` naming the plugin.
    """


# --- authentication -----------------------------------------------------------------------------


@hookspec(firstresult=True)
def qb_authenticate(username: str, company: str) -> bool | None:
    """Decide whether a Web Connector user may start an update now.

    Called from ``authenticate`` after the user's password was checked and found right, before a
    ticket is issued. A veto answers the Web Connector ``nvu`` (the user sees "invalid user").

    :param username: the Web Connector user name (``strUserName``).
    :param company: the name of the company that user syncs.

    Return ``False`` to refuse the login (e.g. outside business hours), ``True`` to accept it without
    asking later plugins, ``None`` to defer. Stops at first non-None result; when every plugin defers,
    the login is accepted. May raise only for a bug: the exception ends the call as a server error.
    """


# --- errors -------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def qb_error_message(
    record_label: str, object_type: str, status_code: int | None, message: str
) -> str | None:
    """Reword the message people see for one failed record.

    Called from ``receiveResponseXML`` when QuickBooks refused a record (the handler's ``acknowledge``
    returned ``Failed``), before the message is stored and shown by ``getLastError`` and the status API.

    :param record_label: how the record is called for people ("Work block 1842 (Jane Doe, …)").
    :param object_type: the object type's name (``timesheets``, ``invoices``, ...).
    :param status_code: QuickBooks' ``statusCode``, or ``None`` when the outcome carries no status.
    :param message: the default message, which already names the record, the value and the fix.

    Return the message to use instead, or ``None`` to keep ``message``. Stops at first non-None result.
    Must not raise: an exception ends the Web Connector call as a server error.
    """


@hookspec(firstresult=True)
def qb_error_policy(object_type: str, status_code: int | None) -> str | None:
    """Choose whether the update stops or continues after one failed request.

    Called from ``receiveResponseXML`` for each record QuickBooks refused (after ``qb_error_message``),
    before the progress value is returned (a stop answers a negative progress, so the Web Connector
    shows ``getLastError``).

    :param object_type: the failed request's object type.
    :param status_code: QuickBooks' ``statusCode``, or ``None`` when the failure carries no status.

    Return ``"stop"`` or ``"continue"``, or ``None`` to use the configured policy. Stops at first
    non-None result. Any other string raises ``PluginError``; the hook itself must not raise.
    """


# --- auditing -----------------------------------------------------------------------------------


@hookspec
def qb_track_event(event: Event) -> None:
    """Observe one auditable state change (``qbbridge.core.events``).

    Every implementation is called, once the Web Connector call that records the change has
    committed (an auditor never sees a change that was rolled back): an update started or closed, a
    message set sent, uncertain or recovered, a record linked, failed, rejected or held, rows imported.

    :param event: a frozen event value; match on its type.

    Return nothing. May raise, and exceptions propagate: the Web Connector call fails as a server
    error (the committed change stays). Keep implementations cheap and safe.
    """


__all__ = [
    "PROJECT",
    "hookimpl",
    "hookspec",
    "qb_authenticate",
    "qb_error_message",
    "qb_error_policy",
    "qb_register_object_types",
    "qb_track_event",
]
