"""make_plugin_manager and plugin_summary: loading, blocking, extra plugins, errors naming the plugin."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path

import pluggy
import pytest

from qbbridge.core.contract import BaseHandler, ObjectType
from qbbridge.core.errors import PluginError
from qbbridge.core.hookspecs import hookimpl
from qbbridge.core.plugins import BUILTIN_PLUGINS, make_plugin_manager, plugin_summary
from qbbridge.core.registry import build_registry

SPECS = {"qb_register_object_types", "qb_authenticate", "qb_error_message", "qb_error_policy",
         "qb_track_event"}


class Vetoer:
    @hookimpl
    def qb_authenticate(self, username: str) -> bool:
        return username != "mallory"


class Misspelled:
    @hookimpl
    def qb_autenticate(self, username: str) -> bool:
        return True


class UnknownArgument:
    @hookimpl
    def qb_authenticate(self, username: str, password: str) -> bool:
        return True


def hook_names(pm: pluggy.PluginManager) -> set[str]:
    return {name for name in vars(pm.hook) if not name.startswith("_")}


def test_a_bare_manager_has_every_spec_and_no_plugin() -> None:
    pm = make_plugin_manager(load_entrypoints=False)
    assert hook_names(pm) == SPECS
    assert all(getattr(pm.hook, name).has_spec() for name in SPECS)
    assert pm.get_plugins() == set()
    pm.check_pending()


def test_the_four_builtins_are_declared_as_entry_points() -> None:
    points = {ep.name: ep.value for ep in entry_points(group="qbbridge")}
    assert {name: points.get(name) for name in BUILTIN_PLUGINS} == {
        name: f"qbbridge.plugins.{name}" for name in BUILTIN_PLUGINS}


def test_entry_point_loading_registers_the_builtins_by_name() -> None:
    pm = make_plugin_manager()
    for name in BUILTIN_PLUGINS:
        assert pm.get_plugin(name).__name__ == f"qbbridge.plugins.{name}"
    pm.check_pending()


def test_a_blocked_builtin_never_registers_and_is_listed_as_disabled() -> None:
    pm = make_plugin_manager(blocked=["parts"])
    assert pm.get_plugin("parts") is None and pm.is_blocked("parts")
    rows = {row["name"]: row for row in plugin_summary(pm)}
    assert rows["parts"]["disabled"] is True
    assert rows["parts"]["module"] == "qbbridge.plugins.parts"
    assert rows["invoices"]["disabled"] is False


def test_a_blocked_extra_plugin_never_registers() -> None:
    pm = make_plugin_manager(load_entrypoints=False, blocked=["veto"], extra=[("veto", Vetoer())])
    assert pm.get_plugin("veto") is None
    assert pm.hook.qb_authenticate.get_hookimpls() == []


def test_an_unknown_blocked_name_is_allowed_and_shown_as_disabled() -> None:
    pm = make_plugin_manager(load_entrypoints=False, blocked=["nosuch"])
    assert plugin_summary(pm) == [
        {"name": "nosuch", "module": None, "dist": None, "hooks": [], "disabled": True}]


def test_extra_plugins_register_under_their_names() -> None:
    plugin = Vetoer()
    pm = make_plugin_manager(load_entrypoints=False, extra=[("veto", plugin)])
    assert pm.get_plugin("veto") is plugin
    assert pm.hook.qb_authenticate(username="mallory", company="Sample Co") is False
    (row,) = plugin_summary(pm)
    assert row == {"name": "veto", "module": f"{__name__}.Vetoer", "dist": None,
                   "hooks": ["qb_authenticate"], "disabled": False}


def test_an_extra_plugin_takes_the_place_of_an_entry_point_of_the_same_name() -> None:
    plugin = Vetoer()
    pm = make_plugin_manager(extra=[("timesheets", plugin)])
    assert pm.get_plugin("timesheets") is plugin


class Stock:
    @hookimpl
    def qb_register_object_types(self, register):
        for name, depends_on in (("parts", ("classes",)), ("classes", ())):
            handler = BaseHandler()
            handler.object_type = ObjectType(name, name.title(), depends_on=depends_on)
            register(handler)


def test_the_summary_lists_each_plugins_object_types_in_dependency_order() -> None:
    pm = make_plugin_manager(load_entrypoints=False, blocked=["gone"], extra=[("stock", Stock()),
                                                                             ("veto", Vetoer())])
    rows = {row["name"]: row for row in plugin_summary(pm, build_registry(pm, {}))}
    assert {name: row["object_types"] for name, row in rows.items()} == {
        "gone": [], "stock": ["classes", "parts"], "veto": []}


def test_builtins_are_listed_with_their_distribution() -> None:
    rows = {row["name"]: row for row in plugin_summary(make_plugin_manager())}
    assert set(BUILTIN_PLUGINS) <= set(rows)
    assert rows["classes"]["dist"].startswith("qbbridge ")


def test_a_misspelled_hook_is_a_plugin_error_naming_the_plugin() -> None:
    with pytest.raises(PluginError, match="qb_autenticate") as caught:
        make_plugin_manager(load_entrypoints=False, extra=[("typo", Misspelled())])
    assert caught.value.plugin_name == "typo"
    assert isinstance(caught.value.__cause__, pluggy.PluginValidationError)


def test_an_argument_the_spec_lacks_is_a_plugin_error_naming_the_plugin() -> None:
    with pytest.raises(PluginError, match="password") as caught:
        make_plugin_manager(load_entrypoints=False, extra=[("greedy", UnknownArgument())])
    assert caught.value.plugin_name == "greedy"


def test_two_extra_plugins_with_one_name_are_a_plugin_error() -> None:
    with pytest.raises(PluginError) as caught:
        make_plugin_manager(load_entrypoints=False, extra=[("veto", Vetoer()), ("veto", Vetoer())])
    assert caught.value.plugin_name == "veto"


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path where tests install a fake distribution with ``qbbridge`` entry points."""
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        if name.startswith("qbbridge_test_"):
            del sys.modules[name]


def install(folder: Path, points: dict[str, str], modules: dict[str, str]) -> None:
    info = folder / "qbbridge_test_dist-1.2.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: qbbridge-test-dist\nVersion: 1.2\n")
    lines = "".join(f"{name} = {target}\n" for name, target in points.items())
    (info / "entry_points.txt").write_text(f"[qbbridge]\n{lines}")
    for module, source in modules.items():
        (folder / f"{module}.py").write_text(textwrap.dedent(source))


GOOD_PLUGIN = """
    from qbbridge.core.hookspecs import hookimpl

    @hookimpl
    def qb_error_policy(object_type, status_code):
        return "continue"
"""


def test_a_third_party_entry_point_loads_with_its_distribution(installed: Path) -> None:
    install(installed, {"thirdparty": "qbbridge_test_good"}, {"qbbridge_test_good": GOOD_PLUGIN})
    pm = make_plugin_manager()
    assert pm.hook.qb_error_policy(object_type="invoices", status_code=3140) == "continue"
    row = next(row for row in plugin_summary(pm) if row["name"] == "thirdparty")
    assert row == {"name": "thirdparty", "module": "qbbridge_test_good", "dist": "qbbridge-test-dist 1.2",
                   "hooks": ["qb_error_policy"], "disabled": False}


def test_a_blocked_third_party_entry_point_is_never_imported(installed: Path) -> None:
    install(installed, {"thirdparty": "qbbridge_test_blocked"}, {"qbbridge_test_blocked": "raise SystemExit"})
    pm = make_plugin_manager(blocked=["thirdparty"])
    assert "qbbridge_test_blocked" not in sys.modules
    row = next(row for row in plugin_summary(pm) if row["name"] == "thirdparty")
    assert (row["disabled"], row["dist"]) == (True, "qbbridge-test-dist 1.2")


def test_an_entry_point_that_fails_to_import_is_a_plugin_error_naming_it(installed: Path) -> None:
    install(installed, {"broken": "qbbridge_test_missing_module"}, {})
    with pytest.raises(PluginError, match="ModuleNotFoundError") as caught:
        make_plugin_manager()
    assert caught.value.plugin_name == "broken"
    assert str(caught.value).startswith("plugin 'broken': cannot be loaded")


def test_plugin_modules_import_neither_sqlalchemy_nor_spyne() -> None:
    modules = "qbbridge.core.hookspecs, qbbridge.core.plugins, qbbridge.core.registry, qbbridge.core.events"
    code = (f"import sys, {modules}; bad = sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('sqlalchemy', 'spyne')); print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
