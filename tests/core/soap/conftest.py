"""Fixtures for the SOAP adapter's tests: ``fake`` (a recording ``FakeService``) and ``app`` serving it."""

from __future__ import annotations

import pytest
from soap_fakes import FakeService

from qbbridge.core.soap import make_wsgi_app


@pytest.fixture
def fake() -> FakeService:
    return FakeService()


@pytest.fixture
def app(fake: FakeService):
    return make_wsgi_app(fake)
