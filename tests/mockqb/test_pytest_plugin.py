"""The fixtures test authors get from the installed pytest11 plugin, exercised from a separate project."""

from __future__ import annotations

pytest_plugins = ["pytester"]

TEST_FILE = '''
from qbbridge.mockqb.scripted_server import ScriptedServer
from qbbridge.mockqb.testing import message_set

ADD = message_set('<ClassAddRq requestID="1"><ClassAdd><Name>Plugin Class</Name></ClassAdd></ClassAddRq>')


def test_an_update_through_the_fixtures(mockqb_webconnector, mockqb_company):
    server = ScriptedServer("u", "p", [ADD])
    result = mockqb_webconnector(server, user="u", password="p").run_update()
    assert result.ok and result.progress == 100
    assert mockqb_company.find_by_name(("Class",), "plugin class") is not None


def test_a_scripted_fault(mockqb_webconnector, mockqb_faults, mockqb_company):
    mockqb_faults.lose_answer(1)
    server = ScriptedServer("u", "p", [ADD])
    result = mockqb_webconnector(server, user="u", password="p").run_update()
    assert not result.ok and server.responses == []
    assert mockqb_company.find_by_name(("Class",), "Plugin Class") is not None


def test_the_company_file_fixture(mockqb_company_file):
    assert mockqb_company_file.exists()


def test_the_schema_fixture(mockqb_quickbooks, mockqb_schema):
    mockqb_schema(mockqb_quickbooks.open_session("t").process(message_set("<HostQueryRq/>")))
'''


def test_fixtures_are_available_without_imports(pytester):
    pytester.makepyfile(test_author=TEST_FILE)
    outcome = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    outcome.assert_outcomes(passed=4)
