"""The plugin's registration and its company settings (T8)."""

from __future__ import annotations

import pytest

from qbbridge.core.contract import Kind
from qbbridge.plugins import invoices
from qbbridge.plugins.invoices.handler import InvoiceHandler
from qbbridge.plugins.invoices.settings import parse_bool, setting


def test_the_hook_registers_one_invoice_handler_after_parts_with_drafts():
    registered = []
    invoices.qb_register_object_types(register=registered.append)
    (handler,) = registered
    kind = handler.object_type
    assert isinstance(handler, InvoiceHandler)
    assert (kind.name, kind.qb_entity, kind.kind, kind.depends_on, kind.label, kind.drafts) == (
        "invoices", "Invoice", Kind.TXN, ("parts",), "invoice", True)


def test_the_two_description_settings_are_declared_on_by_default():
    declared = {s.name: s.default for s in InvoiceHandler.company_settings}
    assert declared == {"include_part_name": True, "include_part_description": True}


@pytest.mark.parametrize(("given", "expected"), [
    (True, True), (False, False), (1, True), (0, False), ("TRUE", True), (" yes ", True), ("on", True),
    ("1", True), ("False", False), ("no", False), ("OFF", False), ("0", False)])
def test_parse_accepts_booleans_and_operators_words(given, expected):
    assert parse_bool(given) is expected


@pytest.mark.parametrize("given", ["maybe", "", None, 2, 0.5, []])
def test_parse_refuses_anything_else_naming_the_value(given):
    with pytest.raises(ValueError, match="use true or false"):
        parse_bool(given)


def test_a_setting_reads_the_stored_value_or_its_default():
    assert setting({}, "include_part_name") is True
    assert setting({"invoices.include_part_name": False}, "include_part_name") is False
    assert setting({"invoices.include_part_name": "garbled"}, "include_part_name") is True


def test_edits_after_sync_are_not_resent_seed_rule_s7():
    assert InvoiceHandler().resend_edits({"invoices.include_part_name": True}) is False
