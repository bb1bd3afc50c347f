"""What QuickBooks says about itself in ``strHCPResponse``, and the qbXML version we speak with it.

Rule: the HCP blob is informational. Text that is not a qbXML response is refused (``QbXmlError``);
inside a parseable response, missing or failed parts fall back to defaults (PROTOCOL.md §A.3).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from qbbridge.core.contract import QbResult
from qbbridge.core.errors import QbXmlError
from qbbridge.core.qbxml.parse import parse_response, ret_text

#: The qbXML versions qbbridge speaks, best first. 13.0 is the floor (QuickBooks Desktop 2014).
PREFERRED_VERSIONS = ("16.0", "15.0", "14.0", "13.0")
MIN_VERSION = (13, 0)
_PLAIN_VERSION = re.compile(r"([0-9]+)(?:\.([0-9]+))?")


@dataclass(frozen=True, slots=True)
class HostInfo:
    """QuickBooks' product, country and supported qbXML versions, and two facts about the company.

    ``company_file`` is the company's name as CompanyQuery reports it (``CompanyRet/CompanyName``):
    the HCP blob carries no file path (sendRequestXML's ``strCompanyFileName`` does). None when
    unknown, as is ``is_using_class_tracking``. ``country`` defaults to ``"US"``.
    """

    product_name: str
    major_version: str
    country: str
    supported_versions: tuple[str, ...]
    company_file: str | None
    is_using_class_tracking: bool | None


def parse_hcp(text: str) -> HostInfo:
    """Read HostQueryRs/HostRet, CompanyQueryRs/CompanyRet and PreferencesQueryRs/PreferencesRet.

    Raises ``QbXmlError`` when ``text`` is not a qbXML response (QBPOS, for one, sends a sentence).
    """
    by_tag: dict[str, QbResult] = {}
    for result in parse_response(text).results:
        by_tag.setdefault(result.tag, result)
    host = _ret(by_tag, "HostQueryRs", "HostRet")
    company = _ret(by_tag, "CompanyQueryRs", "CompanyRet")
    prefs = _ret(by_tag, "PreferencesQueryRs", "PreferencesRet")
    return HostInfo(
        product_name=_text(host, "ProductName") or "",
        major_version=_text(host, "MajorVersion") or "",
        country=_text(host, "Country") or "US",
        supported_versions=_versions(host),
        company_file=_text(company, "CompanyName") or None,
        is_using_class_tracking=_bool(_text(prefs, "AccountingPreferences/IsUsingClassTracking")),
    )


def _ret(by_tag: dict[str, QbResult], rs_tag: str, ret_tag: str) -> etree._Element | None:
    result = by_tag.get(rs_tag)
    if result is None or result.status.is_error:
        return None
    return next((ret for ret in result.rets if ret.tag == ret_tag), None)


def _text(ret: etree._Element | None, path: str) -> str | None:
    text = ret_text(ret, path) if ret is not None else None
    return text.strip() if text is not None else None


def _versions(host: etree._Element | None) -> tuple[str, ...]:
    if host is None:
        return ()
    texts = ((node.text or "").strip() for node in host.iterfind("SupportedQBXMLVersion"))
    return tuple(text for text in texts if text)


def _bool(text: str | None) -> bool | None:
    # BOOLTYPE is xsd:boolean: true/false/1/0. Anything else is treated as unknown.
    return {"true": True, "1": True, "false": False, "0": False}.get((text or "").lower())


def choose_version(supported: Sequence[str], *, preferred: Sequence[str] = PREFERRED_VERSIONS) -> str:
    """The numerically highest of ``preferred`` that QuickBooks lists in ``supported``.

    Entries of ``supported`` that are not plain numbers (``"CA3.0"``, ``"UK2.0"``) are ignored;
    ``"16"`` matches ``"16.0"``. Raises ``ValueError`` for a preferred version below 13.0 or not a
    number, and ``QbXmlError`` naming both lists when QuickBooks supports none of ours.
    """
    ours = sorted(((_our_number(v), v) for v in preferred), reverse=True)
    theirs = {number for v in supported if (number := _number(v)) is not None}
    for number, version in ours:
        if number in theirs:
            return version
    raise QbXmlError(
        f"QuickBooks supports qbXML {', '.join(supported) or '(none listed)'}; qbbridge needs one of "
        f"{', '.join(v for _, v in ours)} (QuickBooks Desktop 2014 or later). Update QuickBooks.")


def _number(version: str) -> tuple[int, int] | None:
    match = _PLAIN_VERSION.fullmatch(version.strip()) if isinstance(version, str) else None
    return (int(match[1]), int(match[2] or 0)) if match else None


def _our_number(version: str) -> tuple[int, int]:
    number = _number(version)
    if number is None or number < MIN_VERSION:
        raise ValueError(f"preferred qbXML version must be a number >= 13.0, not {version!r}")
    return number
