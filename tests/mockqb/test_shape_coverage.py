"""Every request type the simulator handles is described for its own schema checks.

A handler may assume its request is schema-valid (requests/base.py), so a handled request without a shape
in ``shapes_data.REQUESTS`` would reach its handler unchecked when Intuit's XSDs are absent
(``schema_dir=None``) and could crash the processor instead of being refused as QuickBooks refuses it.
"""

from __future__ import annotations

import pytest
from lxml import etree

from qbbridge.mockqb.errors import QbXmlParseError
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.requests import HANDLERS
from qbbridge.mockqb.sample import sample_company
from qbbridge.mockqb.shapes_data import REQUESTS
from qbbridge.mockqb.testing import Response, message_set


def test_every_handled_request_has_a_shape():
    assert sorted(set(HANDLERS) - set(REQUESTS)) == []


@pytest.mark.parametrize("tag", sorted(HANDLERS))
def test_an_empty_request_is_a_parse_error_or_a_proper_answer(tag, schema16):
    """With only the own checks, ``<XRq/>`` is refused as a parse error exactly when Intuit's schema
    refuses it; otherwise it gets one schema-valid ``XRs``. Any other exception fails the test."""
    request_xml = message_set(f"<{tag}/>")
    valid_by_xsd = schema16.validate(etree.fromstring(request_xml.encode()))
    session = QuickBooks(sample_company(), schema_dir=None).open_session("coverage")
    try:
        response_xml = session.process(request_xml)
    except QbXmlParseError:
        assert not valid_by_xsd, f"the own checks refuse <{tag}/>, which the 16.0 schema allows"
        return
    assert valid_by_xsd, f"the own checks let <{tag}/> through, which the 16.0 schema refuses"
    assert schema16.validate(etree.fromstring(response_xml.encode())), schema16.error_log
    assert [answer.tag for answer in Response.parse(response_xml).answers] == [tag[:-2] + "Rs"]
