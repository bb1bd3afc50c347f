"""Fixtures of the service tests: ``svc`` — the real application on a real store (SQLite and
PostgreSQL, from tests/conftest.py ``database_url``) with the test plugin of ``service_plugin.py`` — and
``make_svc`` to build it with other settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from service_kit import COMPANY, PASSWORD, USER, Harness
from service_plugin import ServicePlugin

from qbbridge.core.app import build_app
from qbbridge.core.config import Settings
from qbbridge.core.testing import ManualClock
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.sample import sample_company


@pytest.fixture
def make_svc(database_url: str) -> Iterator[Callable[..., Harness]]:
    """``make_svc(plugin=None, **settings)``: one harness per test (call it once) with ``plugin`` (default:
    the ``ServicePlugin``); batch_size 3 unless given."""
    built: list[Harness] = []

    def make(plugin: Any = None, **overrides: Any) -> Harness:
        assert not built, "one harness per test: they would share the database"
        settings = Settings(database_url=database_url, **{"batch_size": 3, **overrides})
        plugin, clock = plugin or ServicePlugin(), ManualClock()
        app = build_app(settings, extra_plugins=[("svc", plugin)], load_entrypoints=False, clock=clock)
        app.host.add_company(COMPANY)
        app.host.add_user(USER, PASSWORD, COMPANY)
        built.append(Harness(app=app, clock=clock, quickbooks=QuickBooks(sample_company()), plugin=plugin))
        return built[-1]

    yield make
    for harness in built:
        harness.close()


@pytest.fixture
def svc(make_svc: Callable[..., Harness]) -> Harness:
    return make_svc()
