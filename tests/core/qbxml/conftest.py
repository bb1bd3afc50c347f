"""Fixtures for the qbXML tests: the shared reference folder and Intuit's 13.0 and 16.0 schemas."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

REFERENCE = Path(__file__).resolve().parents[4] / "shared" / "reference"


@pytest.fixture(scope="session")
def reference() -> Path:
    assert REFERENCE.is_dir(), f"the reference folder {REFERENCE} must sit beside the checkout"
    return REFERENCE


def _schema(reference: Path, version: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(reference / f"xsd/qbxml{version}/qbxmlops{version}.xsd")))


@pytest.fixture(scope="session")
def schemas(reference: Path) -> dict[str, etree.XMLSchema]:
    """Intuit's schemas by qbXML version ("13.0", "16.0")."""
    return {"13.0": _schema(reference, "130"), "16.0": _schema(reference, "160")}
