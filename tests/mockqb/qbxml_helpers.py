"""Plain helpers shared by the simulator's request tests (no fixtures here; those are in conftest.py).

Test files import what they use: ``from qbxml_helpers import Books, ref, NOT_IN_LIST``. pytest's default
import mode puts this folder on ``sys.path``, so the module is found without an ``__init__.py``.
"""

from __future__ import annotations

import json

from lxml import etree

from qbbridge.mockqb.company import CompanyFile
from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.testing import Answer, Response, message_set

NOT_IN_LIST = "QuickBooks error message: Invalid argument.  The specified record does not exist in the list."


def schema_checked(schema: etree.XMLSchema, response_xml: str) -> etree._Element:
    """Parse a response message set, asserting it is valid against ``schema``."""
    document = etree.fromstring(response_xml.encode())
    assert schema.validate(document), schema.error_log
    return document


def ref(tag: str, name: str | None = None, list_id: str | None = None) -> str:
    """A reference element by FullName, or by ListID when ``list_id`` is given."""
    inner = f"<ListID>{list_id}</ListID>" if list_id is not None else f"<FullName>{name}</FullName>"
    return f"<{tag}>{inner}</{tag}>"


def list_mod(kind: str, record: dict, body: str, *, edit_sequence: str | None = None, rid: str = "m") -> str:
    """A ``{kind}ModRq`` for the stored ``record``; ``body`` is the Mod's fields after EditSequence."""
    sequence = record["EditSequence"] if edit_sequence is None else edit_sequence
    return (f'<{kind}ModRq requestID="{rid}"><{kind}Mod><ListID>{record["ListID"]}</ListID>'
            f"<EditSequence>{sequence}</EditSequence>{body}</{kind}Mod></{kind}ModRq>")


def list_id(company: CompanyFile, kind: str, name: str) -> str:
    return company.find_by_name((kind,), name)[1]["ListID"]


def list_element(company: CompanyFile, kind: str, full_name: str) -> dict:
    """The stored list element of ``kind`` called ``full_name``; it must exist."""
    found = company.find_by_name((kind,), full_name)
    assert found is not None, full_name
    return found[1]


def state(company: CompanyFile) -> str:
    """The whole company as canonical JSON text, to check that a refused request changed nothing."""
    return json.dumps(company.to_json(), sort_keys=True)


def status(rs: etree._Element) -> tuple[int, str, str]:
    return int(rs.get("statusCode")), rs.get("statusSeverity"), rs.get("statusMessage")


def assert_refused(send, company: CompanyFile, request: str, code: int, message: str) -> None:
    """One request through the ``send`` fixture must fail with ``code``/``message`` and change nothing."""
    before = state(company)
    (rs,) = send(request)
    assert status(rs) == (code, "Error", message)
    assert len(rs) == 0 and state(company) == before


class Books:
    """A company open in QuickBooks with one session; every answer is checked against ``schema``.

    The ``books`` fixture (conftest.py) gives one on the sample company; build one yourself for another
    company: ``Books(schema16, company)``.
    """

    def __init__(self, schema: etree.XMLSchema, company: CompanyFile) -> None:
        self.schema = schema
        self.company = company
        self.session = QuickBooks(company).open_session("t")

    def process(self, request_xml: str) -> Response:
        """Send a whole message set as written."""
        xml = self.session.process(request_xml)
        schema_checked(self.schema, xml)
        return Response.parse(xml)

    def one(self, request: str, version: str = "16.0") -> Answer:
        """Send one request in its own message set; return its answer."""
        return self.process(message_set(request, version=version))[0]

    def list_id(self, kind: str, name: str) -> str:
        return list_id(self.company, kind, name)

    def refused(self, request: str) -> Answer:
        """Send a request that must fail, and check it changed nothing."""
        before = self.company.snapshot()
        answer = self.one(request)
        assert answer.severity == "Error" and answer.rets() == []
        assert self.company.snapshot() == before
        return answer
