"""Fixtures of the end-to-end tests; the harness they use lives in ``e2e_harness.py``.

Test modules import helpers from ``e2e_harness`` (a unique module name), never from ``conftest``: with
several ``conftest.py`` files in the tree, ``import conftest`` can pick the wrong one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from e2e_harness import PASSWORD, USER, Bridge, new_bridge


@pytest.fixture
def bridge(database_url: str) -> Iterator[Bridge]:
    harness = new_bridge(database_url)
    yield harness
    if harness.app is not None:
        harness.app.close()


@pytest.fixture
def webconnector(bridge: Bridge, mockqb_webconnector: Any) -> Any:
    """A Web Connector simulator logged in as the test user, talking SOAP to ``bridge``."""
    return mockqb_webconnector(bridge.wsgi, user=USER, password=PASSWORD)
