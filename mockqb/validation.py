"""Schema validation of a request message set, as QuickBooks' request processor does before running it.

Real QuickBooks rejects a whole message set that breaks the qbXML schema with a parse error (no
response, HRESULT 0x80040400). The simulator does the same in three steps:

1. if Intuit's XSD files are available, validate against them (qbXML ≤ 13.0 → ``qbxml130/qbxmlops130.xsd``,
   higher → ``qbxml160/qbxmlops160.xsd``) and report the first schema error with its line;
2. always run the simulator's own checks (``shapes``), so it stays strict where the XSDs are absent;
3. refuse an element newer than the declared ``version`` (``shapes_versions``): the XSDs describe the
   latest shape of every request, QuickBooks validates against the declared version's spec.

Where the XSDs are: ``$QBBRIDGE_QBXML_XSD_DIR`` if set, else ``<ancestor>/shared/reference/xsd`` for the
nearest ancestor folder of this module that has one (the checkout layout, also used in CI).
"""

from __future__ import annotations

import os
import re
import threading
from functools import cache
from pathlib import Path
from typing import Literal

from lxml import etree

from .errors import QbXmlParseError
from .shapes import check_message_set
from .shapes_versions import check_versions

ENV_VAR = "QBBRIDGE_QBXML_XSD_DIR"
SchemaDir = Path | None | Literal["auto"]

_VERSION = re.compile(r"(?:[A-Z]{2})?([0-9]+)\.([0-9]+)")
# XMLSchema keeps the last validation's error log on itself, so one validation at a time per process.
_VALIDATING = threading.Lock()


def validate_message_set(doc: etree._ElementTree, version: str, *, schema_dir: SchemaDir = "auto") -> None:
    """Raise ``QbXmlParseError`` (its ``detail`` names the element and the problem) if the message set
    ``doc`` breaks the qbXML ``version`` schema; return None if it is valid.

    Also a parse error: an element the declared ``version`` does not have yet (``check_versions``).
    ``schema_dir``: ``"auto"`` finds the XSDs with ``find_schema_dir()``; a ``Path`` names the folder
    holding ``qbxml130/`` and ``qbxml160/`` (ValueError if the schema file is not there); ``None`` runs the
    own checks only.
    """
    directory = find_schema_dir() if schema_dir == "auto" else schema_dir
    root = doc.getroot() if isinstance(doc, etree._ElementTree) else doc
    if directory is not None:
        path = schema_path(Path(directory), version)
        _validate_with_xsd(root, load_schema(path), path.name)
    check_message_set(root)
    check_versions(root, version)


def find_schema_dir() -> Path | None:
    """The folder holding Intuit's qbXML XSDs, or None if there is none.

    ``$QBBRIDGE_QBXML_XSD_DIR`` wins when set (ValueError if it is not a directory); otherwise the first
    ``<parent>/shared/reference/xsd`` that exists, walking up from this module's folder.
    """
    configured = os.environ.get(ENV_VAR)
    if configured:
        path = Path(configured)
        if not path.is_dir():
            raise ValueError(f"{ENV_VAR}={configured!r} is not a directory")
        return path
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "reference" / "xsd"
        if candidate.is_dir():
            return candidate
    return None


def schema_path(schema_dir: Path, version: str) -> Path:
    """The entry XSD for qbXML ``version`` (``"13.0"``, ``"16.0"``, ``"CA3.0"`` …) under ``schema_dir``."""
    match = _VERSION.fullmatch(version)
    if match is None:
        raise QbXmlParseError(f"{version!r} is not a qbXML version")
    if (int(match[1]), int(match[2])) <= (13, 0):
        return schema_dir / "qbxml130" / "qbxmlops130.xsd"
    return schema_dir / "qbxml160" / "qbxmlops160.xsd"


@cache
def load_schema(path: Path) -> etree.XMLSchema:
    """Parse one entry XSD (with its includes), once per path; ValueError if the file is missing."""
    if not path.is_file():
        raise ValueError(f"qbXML schema not found: {path}")
    return etree.XMLSchema(etree.parse(str(path)))


def _validate_with_xsd(root: etree._Element, schema: etree.XMLSchema, schema_name: str) -> None:
    with _VALIDATING:
        if schema.validate(root):
            return
        error = schema.error_log[0]
    raise QbXmlParseError(f"{error.message} (line {error.line}; {schema_name})")
