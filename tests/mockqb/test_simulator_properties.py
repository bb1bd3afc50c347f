"""Property-based checks of the QuickBooks simulator over random message sets.

Whatever the mix of adds, failures, queries, onError modes and error-recovery ids: every response is
valid qbXML 16.0, each processed request gets exactly one response in order, a resent recovery set never
runs twice, and list names stay unique case-insensitively.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.sample import sample_company
from qbbridge.mockqb.testing import Response, message_set

CLASS_NAMES = st.sampled_from(["Alpha", "alpha", "Beta", "Field", "Gamma"])
PEOPLE = st.sampled_from(["Jane Doe", "John Smith", "Pat Contractor", "Nobody Here"])
JOBS = st.sampled_from(["Acme Corp:Roof repair", "Baker Bakery", "acme corp", "Missing Co:Job"])


@st.composite
def requests(draw):
    kind = draw(st.sampled_from(["class", "time", "query"]))
    rid = draw(st.integers(min_value=1, max_value=99))
    if kind == "class":
        return f'<ClassAddRq requestID="{rid}"><ClassAdd><Name>{draw(CLASS_NAMES)}</Name></ClassAdd></ClassAddRq>'
    if kind == "time":
        hours = draw(st.integers(min_value=0, max_value=12))
        return (f'<TimeTrackingAddRq requestID="{rid}"><TimeTrackingAdd><TxnDate>2026-11-20</TxnDate>'
                f"<EntityRef><FullName>{draw(PEOPLE)}</FullName></EntityRef>"
                f"<CustomerRef><FullName>{draw(JOBS)}</FullName></CustomerRef>"
                f"<Duration>PT{hours}H30M</Duration></TimeTrackingAdd></TimeTrackingAddRq>")
    return f'<ClassQueryRq requestID="{rid}"><ActiveStatus>All</ActiveStatus></ClassQueryRq>'


message_sets = st.lists(
    st.tuples(st.lists(requests(), min_size=1, max_size=5),
              st.sampled_from(["stopOnError", "continueOnError"]),
              st.sampled_from([None, "set-a", "set-b"]),
              st.booleans()),  # resend the same set right away (a lost answer, replayed)
    min_size=1, max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=message_sets)
def test_random_message_sets_keep_quickbooks_invariants(plan, schema16):
    company = sample_company()
    session = QuickBooks(company).open_session("props")
    for body, on_error, set_id, resend in plan:
        attrs = {"newMessageSetID": set_id} if set_id else {}
        xml = message_set(*body, on_error=on_error, **attrs)
        response = _checked(session.process(xml), schema16)
        _assert_one_response_per_processed_request(response, len(body), on_error)
        if resend and set_id:
            before = json.dumps(company.to_json(), sort_keys=True)
            replay = _checked(session.process(xml), schema16)
            assert replay.xml() == response.xml()
            assert json.dumps(company.to_json(), sort_keys=True) == before
    names = [r["FullName"].casefold() for r in company.records("Class")]
    assert len(names) == len(set(names))


def _checked(response_xml: str, schema) -> Response:
    assert schema.validate(etree.fromstring(response_xml.encode())), schema.error_log
    return Response.parse(response_xml)


def _assert_one_response_per_processed_request(response: Response, sent: int, on_error: str) -> None:
    if response.message_set_status not in (None, 0):
        return
    severities = [answer.severity for answer in response]
    if on_error == "continueOnError":
        assert len(severities) == sent
    else:
        first_error = severities.index("Error") + 1 if "Error" in severities else sent
        assert len(severities) == first_error and "Error" not in severities[:-1]
