"""Tests for qbbridge.core.qbxml.hcp: strHCPResponse parsing and qbXML version choice."""

from __future__ import annotations

import pytest

from qbbridge.core.errors import QbXmlError
from qbbridge.core.qbxml.hcp import HostInfo, choose_version, parse_hcp
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.sample import sample_company
from qbbridge.mockqb.webconnector import hcp_request

SAMPLE = "samples/soap/qbwc-gem_strHCPResponse_QBPro2014.NOT-WELL-FORMED.xml"
ARTIFACT = "STR255TYPE<yzer/DataExtType>"  # the capture's one redaction artifact (reference/README.md)


@pytest.fixture(scope="module")
def captured(reference) -> str:
    return (reference / SAMPLE).read_text(encoding="utf-8")


def test_captured_sample_as_stored_is_refused_clearly(captured):
    assert ARTIFACT in captured
    expected = r"not well-formed XML: .*line 1, column 4354.* near .*STR255TYPE<yzer/DataExtType>"
    with pytest.raises(QbXmlError, match=expected):
        parse_hcp(captured)


def test_repaired_capture(captured):
    info = parse_hcp(captured.replace(ARTIFACT, "STR255TYPE</DataExtType>"))
    assert info == HostInfo(
        product_name="QuickBooks Pro 2014", major_version="24", country="US",
        supported_versions=("1.0", "1.1", "2.0", "2.1", "3.0", "4.0", "4.1", "5.0", "6.0", "7.0", "8.0",
                            "9.0", "10.0", "11.0", "12.0", "13.0"),
        company_file="myCompany", is_using_class_tracking=False)
    assert choose_version(info.supported_versions) == "13.0"


def test_what_mockqb_answers_to_the_web_connectors_hcp_query():
    company = sample_company()
    session = QuickBooks(company).open_session("t")
    info = parse_hcp(session.process(hcp_request("16.0")))
    assert info.product_name == company.info["ProductName"]
    assert info.major_version == company.info["MajorVersion"]
    assert info.country == company.info["Country"]
    assert info.supported_versions == tuple(company.info["SupportedQBXMLVersions"])
    assert info.company_file == company.info["CompanyName"]
    assert info.is_using_class_tracking is company.info["IsUsingClassTracking"] is True
    assert choose_version(info.supported_versions) == "16.0"


def test_missing_and_failed_parts_fall_back_to_defaults():
    text = ('<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>'
            '<HostQueryRs requestID="0" statusCode="1000" statusSeverity="Error" statusMessage="x">'
            "<HostRet><ProductName>ignored: the query failed</ProductName></HostRet></HostQueryRs>"
            '<PreferencesQueryRs requestID="2" statusCode="0" statusSeverity="Info"><PreferencesRet>'
            "<AccountingPreferences><IsUsingClassTracking>maybe</IsUsingClassTracking>"
            "</AccountingPreferences></PreferencesRet></PreferencesQueryRs></QBXMLMsgsRs></QBXML>")
    assert parse_hcp(text) == HostInfo(product_name="", major_version="", country="US",
                                       supported_versions=(), company_file=None,
                                       is_using_class_tracking=None)


def test_partial_host_ret():
    text = ('<QBXML><QBXMLMsgsRs><HostQueryRs statusCode="0" statusSeverity="Info"><HostRet>'
            "<ProductName> QuickBooks Premier Edition 2016 </ProductName><Country>CA</Country>"
            "<SupportedQBXMLVersion>CA3.0</SupportedQBXMLVersion><SupportedQBXMLVersion> 13.0 "
            "</SupportedQBXMLVersion><SupportedQBXMLVersion/></HostRet></HostQueryRs>"
            '<PreferencesQueryRs statusCode="0" statusSeverity="Info"><PreferencesRet><AccountingPreferences>'
            "<IsUsingClassTracking>1</IsUsingClassTracking></AccountingPreferences></PreferencesRet>"
            "</PreferencesQueryRs></QBXMLMsgsRs></QBXML>")
    info = parse_hcp(text)
    assert (info.product_name, info.country, info.supported_versions) == (
        "QuickBooks Premier Edition 2016", "CA", ("CA3.0", "13.0"))
    assert info.is_using_class_tracking is True
    assert choose_version(info.supported_versions) == "13.0"


@pytest.mark.parametrize("text", [
    "", "HOSTQUERY/COMPANYQUERY/PREFQUERY is currently not supported in QBPOS.", "<QBXML/>",
])
def test_unparseable_hcp(text):
    with pytest.raises(QbXmlError):
        parse_hcp(text)


@pytest.mark.parametrize(("supported", "preferred", "chosen"), [
    (["1.0", "13.0", "14.0"], None, "14.0"),
    (["13.0", "14.0", "15.0", "16.0"], None, "16.0"),
    (["CA3.0", "16"], None, "16.0"),
    ([" 15.0 ", "UK2.0"], None, "15.0"),
    (["13.0", "15.0", "16.0"], ("13.0", "15.0"), "15.0"),  # numeric order, not the order given
    (["17.0", "16.0"], None, "16.0"),  # newer than we speak: ignored
])
def test_choose_version(supported, preferred, chosen):
    kwargs = {} if preferred is None else {"preferred": preferred}
    assert choose_version(supported, **kwargs) == chosen


def test_choose_version_names_versions_when_none_fits():
    expected = r"supports qbXML 11\.0, 12\.0, CA3\.0; .*16\.0, 15\.0, 14\.0, 13\.0"
    with pytest.raises(QbXmlError, match=expected):
        choose_version(["11.0", "12.0", "CA3.0"])
    with pytest.raises(QbXmlError, match="none listed"):
        choose_version([])


@pytest.mark.parametrize("preferred", [("12.0",), ("16.0", "latest"), ("CA13.0",)])
def test_choose_version_refuses_preferences_below_the_floor(preferred):
    with pytest.raises(ValueError):
        choose_version(["12.0", "16.0"], preferred=preferred)
