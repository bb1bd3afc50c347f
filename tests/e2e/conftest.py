"""End-to-end harness: qbbridge's real WSGI app (spyne SOAP) on a real store, driven by the Web Connector
simulator against the QuickBooks simulator, with the small test plugin in ``hours_plugin.py``.

``bridge`` runs on SQLite and on PostgreSQL (``database_url`` is parametrised in tests/conftest.py).
``bridge.restart()`` builds a new app on the same database — a server restart between any two calls —
while the Web Connector keeps talking to the same URL (``bridge.wsgi`` always routes to the live app).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import hours_plugin
import pytest

from qbbridge.core.app import App, build_app
from qbbridge.core.config import Settings
from qbbridge.mockqb.company import CompanyFile

USER, PASSWORD, COMPANY = "wc", "correct horse battery", "acme"


class ServerClock:
    """The server's clock, moved by tests (update takeover after a timeout) — never the wall clock."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Bridge:
    database_url: str
    settings: Settings
    clock: ServerClock = field(default_factory=ServerClock)
    app: App | None = None
    apps_built: int = 0

    def start(self, **overrides: Any) -> App:
        """(Re)build the app on the same database, as a restarted server process would."""
        if self.app is not None:
            self.app.close()
        if overrides:
            self.settings = replace(self.settings, **overrides)
        self.app = build_app(self.settings, extra_plugins=[("hours", hours_plugin)], load_entrypoints=False,
                             clock=self.clock)
        self.apps_built += 1
        return self.app

    restart = start

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        assert self.app is not None
        return self.app.wsgi()(environ, start_response)

    @property
    def host(self) -> Any:
        assert self.app is not None
        return self.app.host

    def submit_hours(self, keys: Any, *, employee: str = "Jane Doe", date: str = "2026-11-20",
                     **extra: Any) -> Any:
        records = [(key, {"date": date, "employee": employee, "minutes": 60 + n, **extra})
                   for n, key in enumerate(keys)]
        return self.host.submit(COMPANY, "hours", records)

    def states(self) -> dict[str, str]:
        return {row["id"]: row["state"] for row in self.host.records(COMPANY, "hours")}


def entries_by_key(company: CompanyFile) -> Counter[str]:
    """How many TimeTracking entries in the company file carry each record's marker."""
    return Counter(record.get("Notes", "").removeprefix("qbb:") for record in company.records("TimeTracking")
                   if str(record.get("Notes", "")).startswith("qbb:"))


@pytest.fixture
def bridge(database_url: str) -> Iterator[Bridge]:
    settings = Settings(database_url=database_url, batch_size=3)
    harness = Bridge(database_url=database_url, settings=settings)
    harness.start()
    harness.host.add_company(COMPANY)
    harness.host.add_user(USER, PASSWORD, COMPANY)
    yield harness
    if harness.app is not None:
        harness.app.close()


@pytest.fixture
def webconnector(bridge: Bridge, mockqb_webconnector: Any) -> Any:
    """A Web Connector simulator logged in as the test user, talking SOAP to ``bridge``."""
    return mockqb_webconnector(bridge.wsgi, user=USER, password=PASSWORD)
