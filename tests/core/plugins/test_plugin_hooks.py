"""Every qb_* hook, exercised through a test plugin and the typed Hooks facade (one test_hook_<name> each)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from qbbridge.core.contract import BaseHandler, ObjectType
from qbbridge.core.errors import PluginError
from qbbridge.core.events import RecordFailed, RecordLinked, UpdateStarted
from qbbridge.core.hookspecs import hookimpl
from qbbridge.core.plugins import Hooks, make_plugin_manager
from qbbridge.core.registry import build_registry


def hooks_with(*plugins: tuple[str, object]) -> Hooks:
    return Hooks(make_plugin_manager(load_entrypoints=False, extra=plugins))


class VendorHandler(BaseHandler):
    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.object_type = ObjectType("vendors", "Vendor", label=str(settings.get("label", "vendor")))


class Vendors:
    @hookimpl
    def qb_register_object_types(self, register, settings):
        register(VendorHandler(settings))


class OnlyRegister:
    """Takes only the ``register`` argument (pluggy opt-in arguments)."""

    @hookimpl
    def qb_register_object_types(self, register):
        register(type("Classes", (BaseHandler,), {"object_type": ObjectType("classes", "Class")})())


def test_hook_qb_register_object_types() -> None:
    plugins = [("vendors", Vendors()), ("classes", OnlyRegister())]
    pm = make_plugin_manager(load_entrypoints=False, extra=plugins)
    registry = build_registry(pm, {"vendors": {"label": "supplier"}, "other": {"label": "wrong"}})
    assert registry.names() == ("classes", "vendors")
    assert registry.object_type("vendors").label == "supplier"
    assert registry.plugin_of("classes") == "classes"


class BusinessHours:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    @hookimpl
    def qb_authenticate(self, username, company):
        self.calls.append((username, company))
        return False if username == "night-shift" else None


class AlwaysAccept:
    @hookimpl(tryfirst=True)
    def qb_authenticate(self, username):
        return True if username == "admin" else None


def test_hook_qb_authenticate() -> None:
    veto = BusinessHours()
    hooks = hooks_with(("hours", veto), ("admins", AlwaysAccept()))
    assert hooks.authenticate("night-shift", "Sample Co") is False
    assert hooks.authenticate("day-shift", "Sample Co") is True  # every plugin deferred
    assert hooks.authenticate("admin", "Sample Co") is True
    # firstresult: the tryfirst plugin's True means the veto plugin was never asked about admin.
    assert veto.calls == [("night-shift", "Sample Co"), ("day-shift", "Sample Co")]


def test_hook_qb_authenticate_without_plugins_accepts() -> None:
    assert hooks_with().authenticate("anyone", "Sample Co") is True


class Friendlier:
    @hookimpl
    def qb_error_message(self, record_label, object_type, status_code, message):
        if status_code == 3140:
            return f"{record_label}: add the missing {object_type} reference in QuickBooks."
        return None


def test_hook_qb_error_message() -> None:
    hooks = hooks_with(("friendly", Friendlier()))
    assert hooks.error_message("Invoice 7", "invoices", 3140, "default") == (
        "Invoice 7: add the missing invoices reference in QuickBooks.")
    assert hooks.error_message("Invoice 7", "invoices", 3100, "default") == "default"
    assert hooks.error_message("Invoice 7", "invoices", None, "local") == "local"


class ContinueOnMissingReferences:
    @hookimpl
    def qb_error_policy(self, object_type, status_code):
        if object_type == "timesheets" and status_code == 3140:
            return "continue"
        if status_code is None:
            return "stop"
        return None


def test_hook_qb_error_policy() -> None:
    hooks = hooks_with(("policy", ContinueOnMissingReferences()))
    assert hooks.error_policy("timesheets", 3140, configured="stop") == "continue"
    assert hooks.error_policy("invoices", 3140, configured="stop") == "stop"
    assert hooks.error_policy("invoices", 3140, configured="continue") == "continue"
    assert hooks.error_policy("invoices", None, configured="continue") == "stop"


class Skipper:
    @hookimpl
    def qb_error_policy(self, status_code):
        return "skip"


def test_hook_qb_error_policy_refuses_an_unknown_answer_naming_the_plugin() -> None:
    with pytest.raises(PluginError, match="'skip'") as caught:
        hooks_with(("skipper", Skipper())).error_policy("invoices", 3100, configured="stop")
    assert caught.value.plugin_name == "skipper"


class Recorder:
    def __init__(self) -> None:
        self.events: list[object] = []

    @hookimpl
    def qb_track_event(self, event):
        self.events.append(event)


class Exploding:
    @hookimpl
    def qb_track_event(self, event):
        if isinstance(event, RecordFailed):
            raise RuntimeError("audit log is down")


def test_hook_qb_track_event() -> None:
    first, second = Recorder(), Recorder()
    hooks = hooks_with(("first", first), ("second", second))
    events = [UpdateStarted("Sample Co", 1), RecordLinked("Sample Co", "invoices", "INV-7", "1A-1", "")]
    for event in events:
        hooks.track_event(event)
    assert first.events == events and second.events == events  # every implementation, not the first


def test_hook_qb_track_event_exceptions_propagate() -> None:
    recorder = Recorder()
    hooks = hooks_with(("recorder", recorder), ("exploding", Exploding()))
    hooks.track_event(UpdateStarted("Sample Co", 1))
    with pytest.raises(RuntimeError, match="audit log is down"):
        hooks.track_event(RecordFailed("Sample Co", "invoices", "INV-7", "refused"))


HOOKS = sorted(name for name in vars(make_plugin_manager(load_entrypoints=False).hook)
               if not name.startswith("_"))


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test(hook: str) -> None:
    assert callable(globals().get(f"test_hook_{hook}")), f"write test_hook_{hook} in {__name__}"
