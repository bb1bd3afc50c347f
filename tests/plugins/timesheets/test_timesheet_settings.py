"""The timesheets company settings: defaults, parsing of what operators type, and the plugin's
registration through the hook the core calls."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import qbbridge.plugins.timesheets as timesheets_plugin
from qbbridge.core.plugins import make_plugin_manager
from qbbridge.core.registry import build_registry
from qbbridge.plugins.timesheets import TimesheetsHandler
from qbbridge.plugins.timesheets.settings import Options

HANDLER = TimesheetsHandler()
SETTINGS = {setting.name: setting for setting in HANDLER.company_settings}


def test_the_settings_and_their_defaults():
    assert {name: setting.default for name, setting in SETTINGS.items()} == {
        "period_start": None, "period_end": None, "edits": "keep", "duplicate_check": False,
        "preflight": True}
    assert all(setting.help for setting in SETTINGS.values())
    assert Options.of({}) == Options(None, None, "keep", False, True)


@pytest.mark.parametrize(("name", "typed", "parsed"), [
    ("period_start", "2026-11-01", "2026-11-01"), ("period_start", " 2026-11-01 ", "2026-11-01"),
    ("period_end", dt.date(2026, 11, 30), "2026-11-30"), ("period_end", "", None), ("period_end", None, None),
    ("edits", "keep", "keep"), ("edits", " Update ", "update"),
    ("duplicate_check", "yes", True), ("duplicate_check", "off", False), ("duplicate_check", True, True),
    ("preflight", "0", False), ("preflight", 1, True), ("preflight", "TRUE", True),
])
def test_parse_accepts_what_operators_type_and_returns_json(name, typed, parsed):
    value = SETTINGS[name].parse(typed)
    assert value == parsed and type(value) is type(parsed)
    assert SETTINGS[name].parse(value) == value  # its own output parses to itself
    json.dumps(value)


@pytest.mark.parametrize(("name", "typed", "message"), [
    ("period_start", "2026-13-01", "period_start: '2026-13-01' is not a date; give YYYY-MM-DD, or nothing "
                                   "for no bound"),
    ("period_end", dt.datetime(2026, 11, 1, 8), "period_end: datetime.datetime(2026, 11, 1, 8, 0) is not a "
                                                "date; give YYYY-MM-DD, or nothing for no bound"),
    ("edits", "overwrite", "edits: 'overwrite' is not one of keep, update"),
    ("duplicate_check", "sometimes", "duplicate_check: 'sometimes' is not true or false"),
    ("preflight", 2, "preflight: 2 is not true or false"),
])
def test_parse_refuses_with_a_message_naming_the_setting(name, typed, message):
    with pytest.raises(ValueError) as caught:
        SETTINGS[name].parse(typed)
    assert str(caught.value) == message


def test_options_read_stored_settings_parsed_or_as_typed():
    options = Options.of({"timesheets.period_start": "2026-11-01",
                          "timesheets.period_end": dt.date(2026, 11, 30),
                          "timesheets.edits": "UPDATE", "timesheets.duplicate_check": "yes",
                          "timesheets.preflight": False, "invoices.edits": "keep"})
    assert options == Options("2026-11-01", "2026-11-30", "update", True, False)


DAYS = {"2020-01-01", "2026-11-15", "2026-11-16", "2026-11-20", "2026-11-22", "2026-11-23", "2099-12-31"}


@pytest.mark.parametrize(("start", "end", "inside"), [
    (None, None, DAYS),
    ("2026-11-16", "2026-11-22", {"2026-11-16", "2026-11-20", "2026-11-22"}),
    ("2026-11-16", None, {"2026-11-16", "2026-11-20", "2026-11-22", "2026-11-23", "2099-12-31"}),
    (None, "2026-11-20", {"2020-01-01", "2026-11-15", "2026-11-16", "2026-11-20"}),
])
def test_the_period_is_inclusive_and_open_ended_without_bounds(start, end, inside):
    options = Options(period_start=start, period_end=end)
    assert {day for day in DAYS if options.in_period(day)} == inside


@pytest.mark.parametrize(("settings", "resend"), [
    ({}, False), ({"timesheets.edits": "keep"}, False), ({"timesheets.edits": "update"}, True),
    ({"timesheets.edits": "Update"}, True), ({"invoices.edits": "update"}, False),
])
def test_edits_after_sync_are_resent_only_under_the_update_policy(settings, resend):
    assert HANDLER.resend_edits(settings) is resend


def test_the_plugin_registers_the_timesheets_object_type():
    manager = make_plugin_manager(load_entrypoints=False, extra=[("timesheets", timesheets_plugin)])
    registry = build_registry(manager, {})
    handler = registry.handler("timesheets")
    assert isinstance(handler, TimesheetsHandler)
    assert (handler.object_type.name, handler.object_type.qb_entity, handler.object_type.kind.value,
            handler.object_type.label, handler.object_type.depends_on) == (
        "timesheets", "TimeTracking", "txn", "work block", ())
