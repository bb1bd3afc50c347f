"""docs/plugin_hooks.md documents every hookspec and every ObjectTypeHandler member, with exact signatures."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from qbbridge.core import hookspecs
from qbbridge.core.contract import ObjectTypeHandler
from qbbridge.core.plugins import make_plugin_manager

DOCS = (Path(__file__).resolve().parents[3] / "docs" / "plugin_hooks.md").read_text(encoding="utf-8")
HOOKS = sorted(name for name in vars(make_plugin_manager(load_entrypoints=False).hook)
               if not name.startswith("_"))
METHODS = sorted(name for name, value in vars(ObjectTypeHandler).items()
                 if inspect.isfunction(value) and not name.startswith("_"))


def call_signature(func: Callable[..., object]) -> str:
    """``name(arg, …)``, as in a heading (without ``self``)."""
    names = [name for name in inspect.signature(func).parameters if name != "self"]
    return f"{func.__name__}({', '.join(names)})"


def typed_signature(func: Callable[..., object]) -> str:
    """``def name(arg: T, …) -> R`` as the source spells the annotations (they are strings here)."""
    signature = inspect.signature(func)
    params = ", ".join(name if param.annotation is inspect.Parameter.empty else f"{name}: {param.annotation}"
                       for name, param in signature.parameters.items())
    return f"def {func.__name__}({params}) -> {signature.return_annotation}"


def test_the_hook_list_is_the_hookspec_module() -> None:
    declared = sorted(name for name, value in vars(hookspecs).items()
                      if callable(value) and hasattr(value, "qbbridge_spec"))
    assert HOOKS == declared and len(HOOKS) == 5


def test_the_handler_contract_has_the_six_methods() -> None:
    assert METHODS == ["acknowledge", "export", "lookup", "read", "resend_edits", "validate"]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hookspec_is_documented_with_its_exact_signature(hook: str) -> None:
    spec = getattr(hookspecs, hook)
    assert f"### `{call_signature(spec)}`" in DOCS
    assert typed_signature(spec) in DOCS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hookspec_docstring_states_its_contract(hook: str) -> None:
    spec = getattr(hookspecs, hook)
    doc = " ".join(inspect.getdoc(spec).split())
    for name in inspect.signature(spec).parameters:
        assert f":param {name}:" in doc
    assert "Return" in doc
    assert re.search(r"\b(May|Must not|must not) raise\b", doc), "say whether the hook may raise"
    firstresult = spec.qbbridge_spec["firstresult"]
    assert ("Stops at first non-None result" in doc) is firstresult
    assert ("*firstresult.*" in DOCS.split(f"### `{call_signature(spec)}`")[1].split("###")[0]) is firstresult


@pytest.mark.parametrize("method", METHODS)
def test_every_handler_method_is_documented_with_its_exact_signature(method: str) -> None:
    func = getattr(ObjectTypeHandler, method)
    assert f"### `{call_signature(func)}`" in DOCS
    assert typed_signature(func) in DOCS


def test_the_handler_object_type_attribute_is_documented() -> None:
    assert ObjectTypeHandler.__annotations__["object_type"] == "ObjectType"
    assert "### `object_type`" in DOCS and "object_type: ObjectType" in DOCS
