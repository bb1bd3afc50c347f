"""The object-type registry: which handler owns which object type, and in what order types run.

Rule: built once at start-up from ``qb_register_object_types`` and frozen; every inconsistency
(a handler that breaks the contract, a duplicate name, an unknown dependency, a dependency cycle)
is a ``PluginError`` naming the plugins and types involved, raised before any Web Connector call is
served. Order comes from declared ``depends_on`` only — never from registration order.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import pluggy

from qbbridge.core.contract import ObjectType, ObjectTypeHandler
from qbbridge.core.errors import PluginError


class ObjectTypeRegistry:
    """Handlers by object type name; iterates names in dependency order once frozen."""

    def __init__(self) -> None:
        self._handlers: dict[str, ObjectTypeHandler] = {}
        self._plugins: dict[str, str] = {}
        self._order: tuple[str, ...] | None = None

    def register(self, handler: ObjectTypeHandler, *, plugin: str) -> None:
        """Add ``plugin``'s handler. Raises ``PluginError`` after ``freeze``, for a handler that does
        not satisfy ``ObjectTypeHandler`` or lacks an ``ObjectType``, and for a name already taken."""
        if self._order is not None:
            raise PluginError(plugin, "registered an object type after start-up; register only from "
                                      "qb_register_object_types")
        object_type = _checked_object_type(handler, plugin)
        owner = self._plugins.get(object_type.name)
        if owner is not None:
            raise PluginError(plugin, f"object type {object_type.name!r} is registered by both plugins "
                                      f"{owner!r} and {plugin!r}; disable one of them")
        self._handlers[object_type.name] = handler
        self._plugins[object_type.name] = plugin

    def freeze(self) -> None:
        """Check dependencies, fix the order and refuse further registration (idempotent)."""
        if self._order is None:
            self._check_dependencies()
            self._order = _topological(self._dependencies())

    @property
    def frozen(self) -> bool:
        return self._order is not None

    def names(self) -> tuple[str, ...]:
        """Object type names, each after the types it depends on; ties broken by name."""
        if self._order is None:
            raise RuntimeError("the registry is not frozen yet; call freeze() (build_registry does)")
        return self._order

    def handler(self, name: str) -> ObjectTypeHandler:
        """The handler of ``name``; ``PluginError`` listing the known names if there is none."""
        try:
            return self._handlers[name]
        except KeyError:
            known = ", ".join(sorted(self._handlers)) or "none"
            raise PluginError(name, f"unknown object type {name!r}; known: {known}") from None

    def object_type(self, name: str) -> ObjectType:
        return self.handler(name).object_type

    def plugin_of(self, name: str) -> str:
        """The name of the plugin that registered object type ``name``."""
        self.handler(name)
        return self._plugins[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self._handlers)

    def __contains__(self, name: object) -> bool:
        return name in self._handlers

    def _dependencies(self) -> dict[str, tuple[str, ...]]:
        return {name: handler.object_type.depends_on for name, handler in self._handlers.items()}

    def _check_dependencies(self) -> None:
        for name, depends_on in sorted(self._dependencies().items()):
            for dependency in depends_on:
                if dependency not in self._handlers:
                    raise PluginError(self._plugins[name], f"object type {name!r} depends on {dependency!r}, "
                                      "which no plugin registered (is its plugin disabled or not installed?)")
        cycle = _find_cycle(self._dependencies())
        if cycle:
            plugins = ", ".join(sorted({self._plugins[name] for name in cycle}))
            msg = f"object types depend on each other in a cycle: {' -> '.join(cycle)} (plugins: {plugins})"
            raise PluginError(self._plugins[cycle[0]], msg)


def _checked_object_type(handler: object, plugin: str) -> ObjectType:
    if not isinstance(handler, ObjectTypeHandler):
        missing = [m for m in ("object_type", "validate", "read", "export", "lookup", "acknowledge")
                   if not hasattr(handler, m)]
        raise PluginError(plugin, f"registered {handler!r}, which is not an ObjectTypeHandler "
                                  f"(missing: {', '.join(missing)}); subclass BaseHandler")
    object_type = handler.object_type
    if not isinstance(object_type, ObjectType) or not object_type.name:
        raise PluginError(plugin, f"handler {type(handler).__name__} has no ObjectType with a name "
                                  f"(object_type = {object_type!r})")
    return object_type


def _find_cycle(graph: Mapping[str, tuple[str, ...]]) -> list[str]:
    """A dependency cycle as a path that returns to its start (``[a, b, a]``), or ``[]``."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str]:
        if node in path:
            return path[path.index(node):] + [node]
        if node in done:
            return []
        for dependency in graph[node]:
            cycle = visit(dependency, [*path, node])
            if cycle:
                return cycle
        done.add(node)
        return []

    for start in sorted(graph):
        cycle = visit(start, [])
        if cycle:
            return cycle
    return []


def _topological(graph: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Kahn's algorithm over an acyclic graph; a heap keeps ties in name order (deterministic)."""
    waiting = {name: set(depends_on) for name, depends_on in graph.items()}
    ready = [name for name, depends_on in waiting.items() if not depends_on]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        name = heapq.heappop(ready)
        order.append(name)
        for other, depends_on in waiting.items():
            if name in depends_on:
                depends_on.discard(name)
                if not depends_on:
                    heapq.heappush(ready, other)
    return tuple(order)


def build_registry(pm: pluggy.PluginManager, settings: Mapping[str, Mapping[str, Any]]) -> ObjectTypeRegistry:
    """Call each plugin's ``qb_register_object_types`` once, with its own settings section, and freeze.

    ``settings[plugin_name]`` (empty when absent) is what that plugin sees. Raises ``PluginError``
    naming the plugin for any failure, including an exception raised by the plugin itself.
    """
    registry = ObjectTypeRegistry()
    impls = pm.hook.qb_register_object_types.get_hookimpls()
    for impl in sorted(impls, key=lambda impl: impl.plugin_name):
        section = MappingProxyType(dict(settings.get(impl.plugin_name, {})))
        _call_registration(impl, _register_for(registry, impl.plugin_name), section)
    registry.freeze()
    return registry


def _register_for(registry: ObjectTypeRegistry, plugin: str) -> Callable[[ObjectTypeHandler], None]:
    def register(handler: ObjectTypeHandler) -> None:
        registry.register(handler, plugin=plugin)

    return register


def _call_registration(
    impl: pluggy.HookImpl, register: Callable[..., None], section: Mapping[str, Any]
) -> None:
    if impl.wrapper or impl.hookwrapper:
        raise PluginError(impl.plugin_name, "qb_register_object_types cannot be a hook wrapper")
    offered = {"register": register, "settings": section}
    try:
        impl.function(**{arg: offered[arg] for arg in impl.argnames})
    except PluginError:
        raise
    except Exception as exc:  # the plugin's own code: name it, keep the cause
        msg = f"qb_register_object_types failed: {type(exc).__name__}: {exc}"
        raise PluginError(impl.plugin_name, msg) from exc
