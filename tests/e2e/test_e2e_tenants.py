"""Several companies in one database: each Web Connector sees its own company and nothing else.

Rule: a login is bound to one company and its ticket to that login's update, so nothing a Web Connector
sends can name another company; companies' updates are independent (one being live never makes another
busy); a company bound to a QuickBooks file refuses a Web Connector that opened a different one.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from e2e_harness import COMPANY, PASSWORD, USER, entries_by_key, soap_call

from qbbridge.core.store.models import Company, Event, MessageSet, SyncRecord, Update
from qbbridge.mockqb.faults import FaultPlan
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.sample import sample_company
from qbbridge.mockqb.testing import message_set
from qbbridge.mockqb.transports import WsgiTransport
from qbbridge.mockqb.webconnector import WebConnector

pytestmark = pytest.mark.e2e

BETA, BETA_USER, BETA_PASSWORD = "beta", "wc-beta", "another long passphrase"
BETA_FILE = r"C:\Books\Beta Bakery.qbw"
BETA_ONLY_CUSTOMER = "Beta Only Customer"
A_KEYS, B_KEYS = [f"a{n}" for n in range(4)], [f"b{n}" for n in range(3)]


@pytest.fixture
def beta_quickbooks(mockqb_clock) -> QuickBooks:
    """Company B's own QuickBooks file: another path, and a customer company A does not have."""
    company = sample_company(clock=mockqb_clock, seed=1)
    company.info["FilePath"] = BETA_FILE
    session = QuickBooks(company).open_session("setup")
    session.process(message_set(f"<CustomerAddRq><CustomerAdd><Name>{BETA_ONLY_CUSTOMER}</Name></CustomerAdd>"
                                "</CustomerAddRq>"))
    session.close()
    return QuickBooks(company)


@pytest.fixture
def beta(bridge, beta_quickbooks, mockqb_clock):
    """Company B in the same database, with its login and its own Web Connector."""
    bridge.host.add_company(BETA)
    bridge.host.add_user(BETA_USER, BETA_PASSWORD, BETA)
    return WebConnector(WsgiTransport(bridge.wsgi), beta_quickbooks, user=BETA_USER, password=BETA_PASSWORD,
                        clock=mockqb_clock, faults=FaultPlan())


def send(bridge, ticket, company_file):
    """sendRequestXML after the first call (qbXML 13.0, no HCP response), naming ``company_file``."""
    return soap_call(bridge.wsgi, "sendRequestXML", ticket=ticket, strHCPResponse="",
                     strCompanyFileName=company_file, qbXMLCountry="US", qbXMLMajorVers=13, qbXMLMinorVers=0)


def submit(bridge, company, keys):
    bridge.host.submit(company, "hours", [(key, {"date": "2026-11-20", "employee": "Jane Doe", "minutes": 30})
                                          for key in keys])


def states(bridge, company):
    return {row["id"]: row["state"] for row in bridge.host.records(company, "hours")}


def company_ids(bridge) -> dict[str, int]:
    with bridge.app.session_factory() as session:
        return dict(session.execute(sa.select(Company.name, Company.id)).tuples().all())


def companies_of(bridge, model, **where) -> set[int]:
    """The companies owning the rows of ``model`` that match ``where``."""
    with bridge.app.session_factory() as session:
        query = sa.select(model.company_id).where(*(getattr(model, k) == v for k, v in where.items()))
        return set(session.scalars(query))


def test_each_web_connector_exchanges_only_its_own_companys_records(bridge, webconnector, beta,
                                                                     mockqb_company, beta_quickbooks):
    submit(bridge, COMPANY, A_KEYS)
    submit(bridge, BETA, B_KEYS)
    assert webconnector.run_update().ok
    assert states(bridge, BETA) == dict.fromkeys(B_KEYS, "pending")
    result = beta.run_update()
    assert result.ok, result.summary()
    assert entries_by_key(mockqb_company) == dict.fromkeys(A_KEYS, 1)
    assert entries_by_key(beta_quickbooks.company) == dict.fromkeys(B_KEYS, 1)
    assert states(bridge, COMPANY) == dict.fromkeys(A_KEYS, "synced")
    assert states(bridge, BETA) == dict.fromkeys(B_KEYS, "synced")
    a_names = {row["name"] for row in bridge.host.importables(COMPANY, "lists")}
    b_names = {row["name"] for row in bridge.host.importables(BETA, "lists")}
    assert BETA_ONLY_CUSTOMER in b_names and BETA_ONLY_CUSTOMER not in a_names


def test_one_companys_live_update_does_not_make_another_busy(bridge, mockqb_webconnector, mockqb_faults, beta,
                                                            mockqb_company, beta_quickbooks):
    bridge.host.update_settings(COMPANY, read_lists=False)
    submit(bridge, COMPANY, A_KEYS[:3])
    submit(bridge, BETA, B_KEYS)
    mockqb_faults.lose_answer(1)
    alpha = mockqb_webconnector(bridge.wsgi, user=USER, password=PASSWORD)
    assert not alpha.run_update().ok  # A's Web Connector went silent: A's update stays live
    result = beta.run_update()
    assert result.ok and result.status == "Ok", result.summary()
    assert alpha.run_update().status == "Application Busy"
    assert states(bridge, BETA) == dict.fromkeys(B_KEYS, "synced")
    bridge.clock.advance(bridge.settings.update_timeout_seconds + 1)
    assert alpha.run_update().ok
    assert entries_by_key(mockqb_company) == dict.fromkeys(A_KEYS[:3], 1)
    assert entries_by_key(beta_quickbooks.company) == dict.fromkeys(B_KEYS, 1)


def test_a_ticket_acts_only_on_its_own_company(bridge, beta, mockqb_quickbooks, mockqb_company):
    bridge.host.update_settings(COMPANY, read_lists=False)
    submit(bridge, COMPANY, A_KEYS)
    submit(bridge, BETA, B_KEYS)
    ticket = soap_call(bridge.wsgi, "authenticate", strUserName=USER, strPassword=PASSWORD)[0]
    session = mockqb_quickbooks.open_session("qbbridge")
    sent = []
    for _ in range(len(A_KEYS)):  # naming B's file changes nothing: the ticket names the company
        request = send(bridge, ticket, BETA_FILE)
        sent.append(request)
        progress = soap_call(bridge.wsgi, "receiveResponseXML", ticket=ticket,
                             response=session.process(request), hresult="", message="")
        if progress == 100:
            break
    session.close()
    assert progress == 100
    assert "qbb:b" not in "".join(sent) and entries_by_key(mockqb_company) == dict.fromkeys(A_KEYS, 1)
    alpha = company_ids(bridge)[COMPANY]
    assert companies_of(bridge, Update) == {alpha}
    assert companies_of(bridge, MessageSet) == {alpha}
    assert companies_of(bridge, Event) == {alpha}  # B has no event: nothing happened to it
    assert companies_of(bridge, SyncRecord, state="synced") == {alpha}
    assert states(bridge, BETA) == dict.fromkeys(B_KEYS, "pending")
    assert {row["attempts"] for row in bridge.host.records(BETA, "hours")} == {0}


# --- a company bound to one QuickBooks file -------------------------------------------------------------

GAMMA, GAMMA_USER, GAMMA_PASSWORD = "gamma", "wc-gamma", "gamma's long passphrase"
GAMMA_FILE = r"C:\Books\Gamma.qbw"


@pytest.fixture
def gamma(bridge):
    bridge.host.add_company(GAMMA, qb_file=GAMMA_FILE, settings={"read_lists": False})
    bridge.host.add_user(GAMMA_USER, GAMMA_PASSWORD, GAMMA)
    submit(bridge, GAMMA, ["g1", "g2"])


def send_with_file(bridge, company_file):
    ticket, path = soap_call(bridge.wsgi, "authenticate", strUserName=GAMMA_USER, strPassword=GAMMA_PASSWORD)
    assert path == GAMMA_FILE  # the Web Connector is told which file to open
    return ticket, send(bridge, ticket, company_file)


def test_a_company_bound_to_a_file_refuses_a_web_connector_that_opened_another(bridge, gamma):
    ticket, request = send_with_file(bridge, r"C:\Books\Somebody Else.qbw")
    assert request == ""
    message = soap_call(bridge.wsgi, "getLastError", ticket=ticket)
    assert GAMMA_FILE in message and r"C:\Books\Somebody Else.qbw" in message, message
    assert soap_call(bridge.wsgi, "closeConnection", ticket=ticket)
    assert states(bridge, GAMMA) == {"g1": "pending", "g2": "pending"}
    assert {row["attempts"] for row in bridge.host.records(GAMMA, "hours")} == {0}
    assert companies_of(bridge, MessageSet) == set()
    _, request = send_with_file(bridge, GAMMA_FILE.upper())  # Windows paths: letter case does not matter
    assert "qbb:g1" in request and "qbb:g2" in request


def test_the_web_connector_with_another_file_open_sends_nothing(bridge, gamma, mockqb_webconnector,
                                                                mockqb_company):
    connector = mockqb_webconnector(bridge.wsgi, user=GAMMA_USER, password=GAMMA_PASSWORD)
    result = connector.run_update()
    assert not result.ok and "connectionError" in result.ops and "sendRequestXML" not in result.ops
    assert states(bridge, GAMMA) == {"g1": "pending", "g2": "pending"}
    mockqb_company.info["FilePath"] = GAMMA_FILE  # the user opens the right company file
    result = connector.run_update()
    assert result.ok, result.summary()
    assert entries_by_key(mockqb_company) == {"g1": 1, "g2": 1}
    assert states(bridge, GAMMA) == {"g1": "synced", "g2": "synced"}
