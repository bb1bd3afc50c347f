"""ObjectTypeRegistry and build_registry: contract checks, named errors, dependency order, freezing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qbbridge.core.contract import BaseHandler, Kind, ObjectType
from qbbridge.core.errors import PluginError
from qbbridge.core.hookspecs import hookimpl
from qbbridge.core.plugins import make_plugin_manager
from qbbridge.core.registry import ObjectTypeRegistry, build_registry


def make_handler(name: str, *depends_on: str) -> BaseHandler:
    handler = BaseHandler()
    handler.object_type = ObjectType(name, name.title(), kind=Kind.LIST, depends_on=depends_on)
    return handler


class TypesPlugin:
    """A test plugin registering the handlers it is given; it remembers ``register`` and ``settings``."""

    def __init__(self, *handlers: object) -> None:
        self.handlers = handlers
        self.register: Callable[[Any], None] | None = None
        self.settings: Mapping[str, Any] | None = None

    @hookimpl
    def qb_register_object_types(self, register, settings):
        self.register, self.settings = register, settings
        for handler in self.handlers:
            register(handler)


def registry_of(
    settings: Mapping[str, Mapping[str, Any]] | None = None, **plugins: object
) -> ObjectTypeRegistry:
    pm = make_plugin_manager(load_entrypoints=False, extra=list(plugins.items()))
    return build_registry(pm, settings or {})


BUILTIN_SHAPE = {"classes": (), "parts": (), "invoices": ("parts", "classes"), "timesheets": ("classes",)}


def test_dependency_order_puts_each_type_after_its_dependencies_ties_by_name() -> None:
    handlers = [make_handler(name, *deps) for name, deps in BUILTIN_SHAPE.items()]
    registry = registry_of(one=TypesPlugin(*handlers[2:]), two=TypesPlugin(*handlers[:2]))
    assert registry.names() == ("classes", "parts", "invoices", "timesheets")
    assert list(registry) == list(registry.names())


@st.composite
def acyclic_graphs(draw: st.DrawFn) -> dict[str, tuple[str, ...]]:
    names = draw(st.lists(st.from_regex(r"[a-z]{1,6}", fullmatch=True), min_size=1, max_size=8, unique=True))
    # Each type may depend only on types earlier in this shuffled list, so the graph is acyclic.
    names = draw(st.permutations(names))
    return {name: tuple(draw(st.sets(st.sampled_from(names[:i])))) if i else ()
            for i, name in enumerate(names)}


@given(graph=acyclic_graphs(), data=st.data())
def test_order_respects_depends_on_whatever_the_registration_order(graph, data) -> None:
    shuffled = data.draw(st.permutations(sorted(graph)))
    handlers = [make_handler(name, *graph[name]) for name in shuffled]
    order = registry_of(types=TypesPlugin(*handlers)).names()
    assert sorted(order) == sorted(graph)
    for name, depends_on in graph.items():
        assert all(order.index(dep) < order.index(name) for dep in depends_on)
    reference = registry_of(types=TypesPlugin(*(make_handler(n, *graph[n]) for n in sorted(graph)))).names()
    assert order == reference


def test_a_duplicate_type_name_names_both_plugins() -> None:
    with pytest.raises(PluginError, match="'alpha'.*'beta'") as caught:
        registry_of(alpha=TypesPlugin(make_handler("parts")), beta=TypesPlugin(make_handler("parts")))
    assert caught.value.plugin_name == "beta"
    assert "'parts'" in str(caught.value)


def test_an_unknown_dependency_names_the_type_the_dependency_and_a_disabled_plugin() -> None:
    with pytest.raises(PluginError) as caught:
        registry_of(inv=TypesPlugin(make_handler("invoices", "parts")))
    message = str(caught.value)
    assert caught.value.plugin_name == "inv"
    assert "'invoices' depends on 'parts'" in message and "disabled" in message


def test_a_dependency_whose_plugin_is_blocked_is_reported() -> None:
    plugins = [("parts", TypesPlugin(make_handler("parts"))),
               ("invoices", TypesPlugin(make_handler("invoices", "parts")))]
    pm = make_plugin_manager(load_entrypoints=False, blocked=["parts"], extra=plugins)
    with pytest.raises(PluginError, match="'invoices' depends on 'parts'"):
        build_registry(pm, {})


def test_a_cycle_names_its_path() -> None:
    handlers = TypesPlugin(make_handler("a", "b"), make_handler("b", "c"), make_handler("c", "a"),
                           make_handler("d"))
    with pytest.raises(PluginError, match="a -> b -> c -> a") as caught:
        registry_of(loop=handlers)
    assert caught.value.plugin_name == "loop"


def test_a_type_depending_on_itself_is_a_cycle() -> None:
    with pytest.raises(PluginError, match="cycle: self -> self"):
        registry_of(p=TypesPlugin(make_handler("self", "self")))


def test_a_handler_that_breaks_the_contract_is_refused() -> None:
    class NoAcknowledge:
        object_type = ObjectType("vendors", "Vendor")

        def validate(self, local_key, payload): ...
        def read(self, ctx): ...
        def export(self, ctx): ...
        def lookup(self, record): ...

    with pytest.raises(PluginError, match="not an ObjectTypeHandler.*acknowledge") as caught:
        registry_of(bad=TypesPlugin(NoAcknowledge()))
    assert caught.value.plugin_name == "bad"


def test_a_handler_without_an_object_type_value_is_refused() -> None:
    handler = BaseHandler()
    handler.object_type = "vendors"
    with pytest.raises(PluginError, match="no ObjectType"):
        registry_of(bad=TypesPlugin(handler))


def test_each_plugin_gets_its_own_read_only_settings_section() -> None:
    alpha, beta = TypesPlugin(make_handler("a")), TypesPlugin(make_handler("b"))
    registry_of({"alpha": {"filter": "P-*"}, "gamma": {"x": 1}}, alpha=alpha, beta=beta)
    assert dict(alpha.settings) == {"filter": "P-*"} and dict(beta.settings) == {}
    with pytest.raises(TypeError):
        alpha.settings["filter"] = "changed"


def test_registering_after_start_up_is_refused() -> None:
    plugin = TypesPlugin(make_handler("a"))
    registry = registry_of(late=plugin)
    assert registry.frozen
    with pytest.raises(PluginError, match="after start-up") as caught:
        plugin.register(make_handler("b"))
    assert caught.value.plugin_name == "late"
    assert "b" not in registry and len(registry) == 1


def test_an_exception_in_the_hook_becomes_a_plugin_error_naming_the_plugin() -> None:
    class Broken:
        @hookimpl
        def qb_register_object_types(self, settings):
            return settings["missing"]

    with pytest.raises(PluginError, match="KeyError") as caught:
        registry_of(broken=Broken())
    assert caught.value.plugin_name == "broken"
    assert isinstance(caught.value.__cause__, KeyError)


def test_lookups_by_name() -> None:
    handler = make_handler("parts")
    registry = registry_of(stock=TypesPlugin(handler, make_handler("classes")))
    assert registry.handler("parts") is handler
    assert registry.object_type("parts") is handler.object_type
    assert registry.plugin_of("parts") == "stock"
    assert "parts" in registry and "invoices" not in registry and len(registry) == 2


def test_an_unknown_object_type_lists_the_known_ones() -> None:
    registry = registry_of(stock=TypesPlugin(make_handler("parts"), make_handler("classes")))
    with pytest.raises(PluginError, match="unknown object type 'invoices'; known: classes, parts"):
        registry.handler("invoices")
    with pytest.raises(PluginError, match="unknown object type"):
        registry.plugin_of("invoices")


def test_an_empty_plugin_set_builds_an_empty_registry() -> None:
    registry = build_registry(make_plugin_manager(load_entrypoints=False), {})
    assert (registry.names(), len(registry)) == ((), 0)


def test_names_before_freeze_is_a_usage_error() -> None:
    registry = ObjectTypeRegistry()
    registry.register(make_handler("a"), plugin="p")
    with pytest.raises(RuntimeError, match="not frozen"):
        registry.names()
    registry.freeze()
    assert registry.names() == ("a",)
