"""Host API tests: an app on each database (``database_url``) with the ledger test plugin only."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from qbbridge.core.app import build_app
from qbbridge.core.config import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ledger_plugin  # noqa: E402 - the test plugin next to this file

COMPANY = "acme"


@pytest.fixture
def app(database_url):
    """An app with the ``orders`` and ``items`` types and the company "acme"."""
    application = build_app(Settings(database_url=database_url), extra_plugins=[("ledger", ledger_plugin)],
                            load_entrypoints=False)
    application.host.add_company(COMPANY)
    yield application
    application.close()
