"""Helpers of the CLI tests that use the ledger test plugin (tests/core/host/ledger_plugin.py).

Only the ledger plugin is loaded: the built-in plugins are disabled, so these tests see exactly the
object types ``orders`` (with drafts) and ``items`` (a list type with importables).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from qbbridge.core.app import build_app
from qbbridge.core.config import Settings
from qbbridge.core.contract import ImportRow
from qbbridge.core.store import outbox
from qbbridge.core.store.models import Company
from qbbridge.core.store.uow import unit_of_work

HOST_TESTS = Path(__file__).resolve().parents[1] / "host"
LEDGER = ["--plugin", "ledger_plugin", "--disable-plugins", "classes,invoices,parts,timesheets"]
NOW = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)


def use_ledger(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``--plugin ledger_plugin`` importable (sys.path is restored after the test)."""
    monkeypatch.syspath_prepend(str(HOST_TESTS))


def ledger_app():
    """The app on the working directory's database, as the commands see it."""
    return build_app(Settings(plugin_modules=("ledger_plugin",)), load_entrypoints=False, migrate=False)


def read_items(*rows: tuple[str, str]) -> None:
    """Store ``(qb_id, name)`` items as importables of company "acme", as an update's read would."""
    app = ledger_app()
    try:
        with unit_of_work(app.session_factory) as session:
            company_id = session.scalar(sa.select(Company.id).where(Company.name == "acme"))
            outbox.upsert_importables(session, company_id, "items", [ImportRow(qb_id, name, f"es-{qb_id}")
                                                                      for qb_id, name in rows], NOW)
    finally:
        app.close()


def record_states(object_type: str) -> dict[str, str]:
    app = ledger_app()
    try:
        return {row["id"]: row["state"] for row in app.host.records("acme", object_type)}
    finally:
        app.close()
