"""The .qwc file (qbbridge.core.qwc) against Intuit's samples and the rules of PROTOCOL.md §B."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from qbbridge.core.errors import ConfigError
from qbbridge.core.qwc import build_qwc, file_id_for, owner_id_for

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "reference" / "samples" / "qwc"
INTUIT_SAMPLE = SAMPLES / "intuit_WCWebService_HTTPSWebService.qwc"
REQUIRED = ["AppName", "AppID", "AppURL", "AppDescription", "AppSupport", "UserName", "OwnerID", "FileID",
            "QBType"]
GUID = re.compile(r"\{[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\}")  # qbXML's GUIDTYPE
BASE = {"app_name": "qbbridge", "app_url": "https://sync.example.com/qbwc", "username": "jane",
        "company": "Acme Roofing"}


def make_qwc(**changes: object) -> etree._Element:
    text = build_qwc(**{**BASE, **changes})
    return etree.fromstring(text.encode("utf-8"))


def values(root: etree._Element) -> dict[str, str]:
    return {child.tag: child.text or "" for child in root}


def sample_tags(path: Path) -> list[str]:
    return [child.tag for child in etree.parse(str(path)).getroot()]


@pytest.fixture(scope="module")
def all_sample_tags() -> set[str]:
    paths = sorted(SAMPLES.glob("*.qwc"))
    if not paths:
        pytest.skip(f"no .qwc samples in {SAMPLES}")
    return {tag for path in paths for tag in sample_tags(path)}


def test_output_is_a_qbwcxml_document_with_an_xml_declaration():
    text = build_qwc(**BASE)
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<QBWCXML>')
    assert etree.fromstring(text.encode()).tag == "QBWCXML"


def test_every_required_element_is_present_in_intuits_order():
    if not INTUIT_SAMPLE.exists():
        pytest.skip(f"missing {INTUIT_SAMPLE}")
    ours = [child.tag for child in make_qwc()]
    intuit = sample_tags(INTUIT_SAMPLE)
    assert set(REQUIRED) <= set(ours)
    assert [t for t in ours if t in intuit] == [t for t in intuit if t in ours]


def test_every_element_we_write_appears_in_a_real_sample(all_sample_tags):
    root = make_qwc()
    assert {child.tag for child in root} <= all_sample_tags
    assert [child.tag for child in root.find("Scheduler")] == ["RunEveryNMinutes"]


def test_values_land_in_their_elements():
    got = values(make_qwc(run_every_minutes=15, read_only=True, qb_type="QBPOS", description="Hours"))
    assert got["AppName"] == "qbbridge" and got["AppID"] == ""
    assert got["AppURL"] == "https://sync.example.com/qbwc"
    assert got["AppSupport"] == "https://sync.example.com/support"
    assert (got["UserName"], got["QBType"], got["IsReadOnly"], got["AppDescription"]) == (
        "jane", "QBPOS", "true", "Hours")
    assert make_qwc(run_every_minutes=15).findtext("Scheduler/RunEveryNMinutes") == "15"
    assert values(make_qwc())["IsReadOnly"] == "false"


def test_owner_and_file_ids_are_braced_guids_stable_across_runs():
    first, second = values(make_qwc()), values(make_qwc())
    assert GUID.fullmatch(first["OwnerID"]) and GUID.fullmatch(first["FileID"])
    assert (first["OwnerID"], first["FileID"]) == (second["OwnerID"], second["FileID"])
    assert first["OwnerID"] == owner_id_for("qbbridge")
    assert first["FileID"] == file_id_for("qbbridge", "Acme Roofing")


def test_owner_id_follows_the_application_and_file_id_the_company_too():
    base, other_company = values(make_qwc()), values(make_qwc(company="Beta Builders"))
    other_app = values(make_qwc(app_name="timeclock"))
    assert other_company["OwnerID"] == base["OwnerID"]
    assert other_company["FileID"] != base["FileID"]
    assert other_app["OwnerID"] != base["OwnerID"] and other_app["FileID"] != base["FileID"]


def test_given_guids_are_kept_with_exactly_one_pair_of_braces():
    got = values(make_qwc(owner_id="57F3B9B1-86F1-4fcc-B1EE-566DE1813D20",
                          file_id="{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}"))
    assert got["OwnerID"] == "{57F3B9B1-86F1-4fcc-B1EE-566DE1813D20}"
    assert got["FileID"] == "{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}"


@pytest.mark.parametrize("bad", ["", "not-a-guid", "{57F3B9B1-86F1-4fcc-B1EE}"])
def test_a_given_guid_that_is_not_one_is_refused(bad):
    with pytest.raises(ConfigError, match="OwnerID"):
        build_qwc(**BASE, owner_id=bad)


@pytest.mark.parametrize("url", ["http://sync.example.com/qbwc", "http://192.168.1.5/qbwc",
                                 "http://localhost.example.com/qbwc"])
def test_plain_http_is_refused_for_any_host_but_this_machine(url):
    with pytest.raises(ConfigError) as info:
        build_qwc(**{**BASE, "app_url": url})
    assert url in str(info.value) and "https" in str(info.value) and "localhost" in str(info.value)


@pytest.mark.parametrize("url", ["http://localhost:8080/qbwc", "http://127.0.0.1/qbwc",
                                 "http://[::1]:8080/qbwc", "https://sync.example.com:8443/qbwc"])
def test_https_or_local_http_is_accepted(url):
    got = values(make_qwc(app_url=url))
    assert got["AppURL"] == url
    assert got["AppSupport"] == url.rsplit("/", 1)[0] + "/support"


@pytest.mark.parametrize("url", ["sync.example.com/qbwc", "ftp://sync.example.com/qbwc", "https:///qbwc",
                                 "https://user:pw@sync.example.com/qbwc", "https://sync.example.com:99999/q"])
def test_an_unusable_app_url_is_refused(url):
    with pytest.raises(ConfigError, match="AppURL"):
        build_qwc(**{**BASE, "app_url": url})


def test_a_support_url_on_the_same_domain_is_kept():
    assert values(make_qwc(support_url="https://www.example.com/help"))["AppSupport"] == (
        "https://www.example.com/help")


@pytest.mark.parametrize("url", ["https://evil.example.org/support", "http://sync.example.com/support"])
def test_a_support_url_elsewhere_or_over_http_is_refused(url):
    with pytest.raises(ConfigError, match="AppSupport"):
        build_qwc(**BASE, support_url=url)


def test_markup_characters_are_escaped_and_read_back_unchanged():
    name = 'Smith & Sons <QB> "sync"'
    text = build_qwc(**{**BASE, "app_name": name, "username": "a&b"})
    assert "&amp;" in text and "&lt;QB&gt;" in text
    got = values(etree.fromstring(text.encode("utf-8")))
    assert (got["AppName"], got["UserName"]) == (name, "a&b")


def test_non_ascii_text_survives_the_utf8_round_trip():
    assert values(make_qwc(app_name="Café Zürich"))["AppName"] == "Café Zürich"


@pytest.mark.parametrize(("field", "value", "names"), [
    ("app_name", "", "AppName"), ("app_name", "   ", "AppName"), ("app_name", "two\nlines", "AppName"),
    ("username", "", "UserName"), ("company", "", "company"), ("description", "x" * 81, "AppDescription"),
    ("run_every_minutes", 0, "RunEveryNMinutes"), ("run_every_minutes", 1441, "RunEveryNMinutes"),
    ("run_every_minutes", True, "RunEveryNMinutes"), ("run_every_minutes", "10", "RunEveryNMinutes"),
    ("qb_type", "QBOE", "QBType"),
])
def test_values_the_web_connector_would_refuse_raise_config_error_naming_them(field, value, names):
    with pytest.raises(ConfigError, match=names):
        build_qwc(**{**BASE, field: value})


@pytest.mark.parametrize("minutes", [1, 1440])
def test_schedule_limits_are_inclusive(minutes):
    assert make_qwc(run_every_minutes=minutes).findtext("Scheduler/RunEveryNMinutes") == str(minutes)


def test_an_80_character_description_is_accepted():
    assert values(make_qwc(description="d" * 80))["AppDescription"] == "d" * 80
