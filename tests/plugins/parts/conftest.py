"""Fixtures for the parts plugin's tests: the handler, and the QuickBooks simulator at qbXML 13.0 and 16.0.

- ``handler``: a ``PartsHandler``.
- ``qb``: a ``parts_kit.Simulator`` on a fresh sample company; tests using it run once per version.
"""

from __future__ import annotations

import pytest
from parts_kit import Simulator

from qbbridge.mockqb.sample import sample_company
from qbbridge.plugins.parts.handler import PartsHandler


@pytest.fixture
def handler() -> PartsHandler:
    return PartsHandler()


@pytest.fixture(params=["13.0", "16.0"])
def qb(request) -> Simulator:
    return Simulator(sample_company(), request.param)
