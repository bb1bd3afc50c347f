"""The plugin manager: one fresh pluggy manager per program run (and per test), never a global.

Rule: every plugin — the four built-ins included — arrives through the entry-point group ``qbbridge``
(or, in tests, through ``extra``) and the same ``register`` call; a plugin is disabled by blocking its
name before anything loads. Whatever goes wrong while loading becomes a ``PluginError`` naming the
plugin. The core calls cross-cutting hooks only through the typed ``Hooks`` facade.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import pluggy

from qbbridge.core import hookspecs
from qbbridge.core.errors import PluginError
from qbbridge.core.events import Event
from qbbridge.core.registry import ObjectTypeRegistry

BUILTIN_PLUGINS = ("timesheets", "invoices", "parts", "classes")
ERROR_POLICIES = ("stop", "continue")


def make_plugin_manager(
    *,
    load_entrypoints: bool = True,
    blocked: Iterable[str] = (),
    extra: Iterable[tuple[str, object]] = (),
) -> pluggy.PluginManager:
    """A new manager with the ``qb_*`` specs and every plugin that is not blocked, validated.

    ``blocked`` names never register, wherever they come from (an unknown name is allowed and listed
    as disabled by ``plugin_summary``). ``extra`` is ``(name, module-or-object)`` pairs registered
    before the entry points, so an extra plugin takes the place of an entry point of the same name.
    Raises ``PluginError`` naming the plugin that fails to import, register or validate.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for name in blocked:
        pm.set_blocked(name)
    for name, plugin in extra:
        _register(pm, name, plugin)
    if load_entrypoints:
        for name in sorted({ep.name for ep in _entry_points()}):
            _load_entrypoint(pm, name)
    _check_pending(pm)
    return pm


def _entry_points() -> tuple[EntryPoint, ...]:
    return tuple(entry_points(group=hookspecs.PROJECT))


def _register(pm: pluggy.PluginManager, name: str, plugin: object) -> None:
    try:
        pm.register(plugin, name=name)
    except (pluggy.PluginValidationError, ValueError) as exc:
        raise PluginError(name, f"cannot be registered: {exc}") from exc


def _load_entrypoint(pm: pluggy.PluginManager, name: str) -> None:
    # Loading by name lets the error name the plugin; pluggy still records its distribution.
    try:
        pm.load_setuptools_entrypoints(hookspecs.PROJECT, name=name)
    except pluggy.PluginValidationError as exc:
        raise PluginError(name, f"cannot be registered: {exc}") from exc
    except Exception as exc:  # a third-party module may raise anything while importing
        raise PluginError(name, f"cannot be loaded: {type(exc).__name__}: {exc}") from exc


def _check_pending(pm: pluggy.PluginManager) -> None:
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) or repr(exc.plugin)
        raise PluginError(name, f"{exc} (a misspelled qb_ hook?)") from exc


class Hooks:
    """Typed calls of the cross-cutting hooks; the core never calls ``pm.hook`` directly.

    Each method applies the hook's default when every plugin defers (returns ``None``).
    """

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self._pm = pm

    def authenticate(self, username: str, company: str) -> bool:
        """True unless a plugin vetoed this login (``qb_authenticate`` returned False)."""
        return self._pm.hook.qb_authenticate(username=username, company=company) is not False

    def error_message(
        self, record_label: str, object_type: str, status_code: int | None, message: str
    ) -> str:
        """The message to show for a failed record: a plugin's rewording, else ``message``."""
        result = self._pm.hook.qb_error_message(
            record_label=record_label, object_type=object_type, status_code=status_code, message=message)
        return message if result is None else str(result)

    def error_policy(self, object_type: str, status_code: int | None, configured: str) -> str:
        """``"stop"`` or ``"continue"``: a plugin's choice, else ``configured``.

        Raises ``PluginError`` (naming the implementing plugins) when a plugin answers anything else.
        """
        result = self._pm.hook.qb_error_policy(object_type=object_type, status_code=status_code)
        if result is None:
            return configured
        if result not in ERROR_POLICIES:
            names = ", ".join(_implementers(self._pm, "qb_error_policy"))
            msg = f"qb_error_policy returned {result!r}; expected 'stop', 'continue' or None"
            raise PluginError(names, msg)
        return result

    def track_event(self, event: Event) -> None:
        """Hand ``event`` to every ``qb_track_event`` implementation; their exceptions propagate."""
        self._pm.hook.qb_track_event(event=event)


def _implementers(pm: pluggy.PluginManager, hook_name: str) -> list[str]:
    return [impl.plugin_name for impl in getattr(pm.hook, hook_name).get_hookimpls()]


def plugin_summary(
    pm: pluggy.PluginManager, registry: ObjectTypeRegistry | None = None
) -> list[dict[str, Any]]:
    """One row per known plugin name, by name, for ``qbbridge plugins``.

    Each row: ``name``, ``module`` (import name, or the entry point's target when disabled), ``dist``
    (``"project version"`` for entry-point plugins, else None), ``hooks`` (sorted ``qb_*`` names it
    implements), ``disabled`` (blocked by name) and, when ``registry`` is given, ``object_types`` (the
    names it registered, in dependency order).
    """
    points = {ep.name: ep for ep in _entry_points()}
    dists = {id(plugin): f"{dist.project_name} {dist.version}" for plugin, dist in pm.list_plugin_distinfo()}
    rows = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            rows.append(_disabled_row(name, points.get(name)))
        else:
            callers = pm.get_hookcallers(plugin) or []
            rows.append({"name": name, "module": _module_name(plugin), "dist": dists.get(id(plugin)),
                         "hooks": sorted(caller.name for caller in callers), "disabled": False})
        if registry is not None:
            rows[-1]["object_types"] = [t for t in registry.names() if registry.plugin_of(t) == name]
    return sorted(rows, key=lambda row: row["name"])


def _disabled_row(name: str, point: EntryPoint | None) -> dict[str, Any]:
    dist = f"{point.dist.name} {point.dist.version}" if point is not None and point.dist else None
    module = point.value if point is not None else None
    return {"name": name, "module": module, "dist": dist, "hooks": [], "disabled": True}


def _module_name(plugin: object) -> str:
    if inspect.ismodule(plugin):
        return plugin.__name__
    owner = plugin if inspect.isclass(plugin) else type(plugin)
    return f"{owner.__module__}.{owner.__qualname__}"
