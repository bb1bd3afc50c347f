"""HostQuery, CompanyQuery and PreferencesQuery: what the Web Connector sends as ``strHCPResponse``.

Rule: IncludeRetElement keeps only the Ret's top-level elements it names, as in every other query.
HostQuery's IncludeListMetaData (list capacities) is refused with 1030: QuickBooks' capacities are not
simulated. CompanyQuery's OwnerID asks for the company's data extensions of that owner; the simulated
company has none (DataExtDef and DataExt requests are refused with 1030), so honouring it adds nothing.
"""

from __future__ import annotations

from lxml import etree

from ..qbxml import Element, sub, texts
from .base import Context, Reply, refuse_unsupported


def host_query(ctx: Context, rq: Element) -> Reply:
    refuse_unsupported(rq, ("IncludeRetElement",), "HostQuery")
    info = ctx.company.info
    ret = etree.Element("HostRet")
    for field in ("ProductName", "MajorVersion", "MinorVersion", "Country"):
        sub(ret, field, info[field])
    for version in info["SupportedQBXMLVersions"]:
        sub(ret, "SupportedQBXMLVersion", version)
    sub(ret, "IsAutomaticLogin", False)
    sub(ret, "QBFileMode", info["QBFileMode"])
    return _reply(rq, ret)


def company_query(ctx: Context, rq: Element) -> Reply:
    info = ctx.company.info
    ret = etree.Element("CompanyRet")
    sub(ret, "IsSampleCompany", False)
    sub(ret, "CompanyName", info["CompanyName"])
    sub(ret, "LegalCompanyName", info["CompanyName"])
    return _reply(rq, ret)


def preferences_query(ctx: Context, rq: Element) -> Reply:
    info = ctx.company.info
    ret = etree.Element("PreferencesRet")
    accounting = sub(ret, "AccountingPreferences")
    sub(accounting, "IsUsingAccountNumbers", False)
    sub(accounting, "IsRequiringAccounts", True)
    sub(accounting, "IsUsingClassTracking", bool(info["IsUsingClassTracking"]))
    sub(accounting, "IsUsingAuditTrail", True)
    sub(accounting, "IsAssigningJournalEntryNumbers", True)
    if info.get("ClosingDate"):
        sub(accounting, "ClosingDate", info["ClosingDate"])
    time_tracking = sub(ret, "TimeTrackingPreferences")
    sub(time_tracking, "FirstDayOfWeek", "Monday")
    return _reply(rq, ret)


def _reply(rq: Element, ret: Element) -> Reply:
    """The reply holding ``ret``, cut down to the top-level elements IncludeRetElement names (if any)."""
    include = set(texts(rq, "IncludeRetElement"))
    for child in list(ret) if include else []:
        if child.tag not in include:
            ret.remove(child)
    return Reply([ret])


HANDLERS = {
    "HostQueryRq": host_query,
    "CompanyQueryRq": company_query,
    "PreferencesQueryRq": preferences_query,
}
