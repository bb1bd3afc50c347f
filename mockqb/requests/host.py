"""HostQuery, CompanyQuery and PreferencesQuery: what the Web Connector sends as ``strHCPResponse``."""

from __future__ import annotations

from lxml import etree

from ..qbxml import Element, sub
from .base import Context, Reply


def host_query(ctx: Context, rq: Element) -> Reply:
    info = ctx.company.info
    ret = etree.Element("HostRet")
    for field in ("ProductName", "MajorVersion", "MinorVersion", "Country"):
        sub(ret, field, info[field])
    for version in info["SupportedQBXMLVersions"]:
        sub(ret, "SupportedQBXMLVersion", version)
    sub(ret, "IsAutomaticLogin", False)
    sub(ret, "QBFileMode", info["QBFileMode"])
    return Reply([ret])


def company_query(ctx: Context, rq: Element) -> Reply:
    info = ctx.company.info
    ret = etree.Element("CompanyRet")
    sub(ret, "IsSampleCompany", False)
    sub(ret, "CompanyName", info["CompanyName"])
    sub(ret, "LegalCompanyName", info["CompanyName"])
    return Reply([ret])


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
    return Reply([ret])


HANDLERS = {
    "HostQueryRq": host_query,
    "CompanyQueryRq": company_query,
    "PreferencesQueryRq": preferences_query,
}
