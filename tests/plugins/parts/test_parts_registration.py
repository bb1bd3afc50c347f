"""The parts and classes plugins register their handlers through the hook, as the entry points load them."""

from __future__ import annotations

import qbbridge.plugins.classes as classes_plugin
import qbbridge.plugins.parts as parts_plugin
from qbbridge.core.plugins import make_plugin_manager
from qbbridge.core.registry import build_registry
from qbbridge.plugins.classes.handler import ClassesHandler
from qbbridge.plugins.parts.handler import PartsHandler


def test_each_plugin_registers_one_list_type_with_its_handler():
    plugins = [("classes", classes_plugin), ("parts", parts_plugin)]
    pm = make_plugin_manager(load_entrypoints=False, extra=plugins)
    registry = build_registry(pm, {})
    assert set(registry.names()) == {"classes", "parts"}
    assert isinstance(registry.handler("parts"), PartsHandler)
    assert isinstance(registry.handler("classes"), ClassesHandler)
    assert (registry.plugin_of("parts"), registry.plugin_of("classes")) == ("parts", "classes")
    assert registry.object_type("parts").kind.value == registry.object_type("classes").kind.value == "list"
