"""Company settings through the host API: declared settings are parsed and checked, others refused."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from qbbridge.core import hookimpl
from qbbridge.core.app import build_app
from qbbridge.core.config import Settings
from qbbridge.core.contract import BaseHandler, CompanySetting, ObjectType
from qbbridge.core.errors import HandledError, PluginError
from qbbridge.core.store.models import Company
from qbbridge.core.store.uow import unit_of_work

COMPANY = "acme"  # the conftest's company


def stored(app, company: str = COMPANY) -> dict:
    with unit_of_work(app.session_factory) as session:
        return session.scalar(sa.select(Company.settings).where(Company.name == company))


def test_a_declared_setting_is_stored_parsed_and_a_free_key_as_given(app):
    app.host.update_settings(COMPANY, **{"orders.copies": "3", "orders.prefix": " SH "}, read_lists=False)
    assert stored(app) == {"orders.copies": 3, "orders.prefix": "SH", "read_lists": False}


@pytest.mark.parametrize(("values", "message"), [
    ({"orders.copies": "many"}, "setting 'orders.copies': 'many' is not valid: invalid literal for int() "
                                "with base 10: 'many' (How many copies QuickBooks prints.)"),
    ({"orders.copies": 0}, "setting 'orders.copies': 0 is not valid: must be 1 or more"),
    ({"orders.colour": "red"}, "object type 'orders' has no setting 'colour'; its settings are "
                               "orders.prefix, orders.copies"),
    ({"parts.filter": "x"}, "setting 'parts.filter' names object type 'parts', which no plugin registered "
                            "(known object types: items, orders); is its plugin disabled or not installed?"),
    ({"": 1}, "setting name '' is empty"),
])
def test_a_setting_that_cannot_be_stored_is_refused_by_name_and_nothing_changes(app, values, message):
    app.host.update_settings(COMPANY, **{"orders.copies": 2})
    with pytest.raises(HandledError, match=re.escape(message)) as caught:
        app.host.update_settings(COMPANY, **{"orders.prefix": "ok", **values})
    assert str(caught.value).endswith("; nothing was changed")
    assert stored(app) == {"orders.copies": 2}


def test_every_refused_key_is_named_at_once(app):
    with pytest.raises(HandledError) as caught:
        app.host.update_settings(COMPANY, **{"orders.copies": "x", "items.colour": "red"})
    assert "'orders.copies'" in str(caught.value) and "'colour'" in str(caught.value)


def test_none_removes_a_setting_even_one_no_plugin_declares(app):
    with unit_of_work(app.session_factory) as session:  # a key from a plugin version that declared it
        session.execute(sa.update(Company).values(settings={"orders.copies": 2, "orders.old": "x"}))
    app.host.update_settings(COMPANY, **{"orders.copies": None, "orders.old": None, "orders.prefix": None})
    assert stored(app) == {}
    with pytest.raises(HandledError, match="has no setting 'typo'"):
        app.host.update_settings(COMPANY, **{"orders.typo": None})


def test_add_company_checks_its_settings_the_same_way(app):
    app.host.add_company("globex", settings={"items.filter": "Parts:", "read_lists": True})
    assert stored(app, "globex") == {"items.filter": "Parts:", "read_lists": True}
    with pytest.raises(HandledError, match="not valid: must be 1 or more"):
        app.host.add_company("initech", settings={"orders.copies": -1})
    assert app.host.companies() == ["acme", "globex"]


def test_company_settings_shows_values_defaults_help_and_other_stored_keys(app):
    app.host.update_settings(COMPANY, **{"orders.copies": 4}, read_lists=False)
    view = [(row.key, row.value, row.default, row.is_set) for row in app.host.company_settings(COMPANY)]
    assert view == [("items.filter", "", "", False), ("orders.prefix", "", "", False),
                    ("orders.copies", 4, 1, True), ("read_lists", False, None, True)]
    helps = {row.key: row.help for row in app.host.company_settings(COMPANY)}
    assert helps["orders.copies"] == "How many copies QuickBooks prints."
    assert helps["read_lists"] == "a core setting (not declared by any plugin)"


class _SetHandler(BaseHandler):
    object_type = ObjectType("tags", "Class")
    company_settings = (CompanySetting("names", "Tag names.", [], lambda value: set(str(value).split(","))),)


class _BrokenPlugin:
    @hookimpl
    def qb_register_object_types(self, register):
        register(_SetHandler())


def test_a_parse_that_returns_no_json_is_reported_as_the_plugins_fault(sqlite_only_url):
    app = build_app(Settings(database_url=sqlite_only_url), extra_plugins=[("tagger", _BrokenPlugin())],
                    load_entrypoints=False)
    try:
        app.host.add_company(COMPANY)
        with pytest.raises(PluginError, match="plugin 'tagger': setting 'tags.names' parsed 'a,b'"):
            app.host.update_settings(COMPANY, **{"tags.names": "a,b"})
    finally:
        app.close()
