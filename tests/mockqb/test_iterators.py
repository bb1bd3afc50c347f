"""Iterators: Start fixes the result set, Continue pages through it, they die with the session."""

from __future__ import annotations

from qbbridge.mockqb.processor import QuickBooks
from qbbridge.mockqb.testing import Response, message_set

START = ('<CustomerQueryRq requestID="1" iterator="Start"><MaxReturned>{n}</MaxReturned>'
         '<ActiveStatus>All</ActiveStatus></CustomerQueryRq>')
CONTINUE = ('<CustomerQueryRq requestID="2" iterator="Continue" iteratorID="{it}">'
            '<MaxReturned>{n}</MaxReturned></CustomerQueryRq>')


def names(answer):
    return [ret.findtext("FullName") for ret in answer.rets()]


def test_start_and_continue_page_through_every_customer_once(process, company):
    first = process(message_set(START.format(n=4)))[0]
    iterator_id = first.element.get("iteratorID")
    assert iterator_id.startswith("{") and first.element.get("iteratorRemainingCount") == "2"
    rest = process(message_set(CONTINUE.format(it=iterator_id, n=4)))[0]
    assert rest.element.get("iteratorRemainingCount") == "0"
    seen = names(first) + names(rest)
    assert sorted(seen) == sorted(r["FullName"] for r in company.records("Customer"))


def test_the_result_set_is_fixed_at_start(process, company):
    first = process(message_set(START.format(n=2)))[0]
    company.add_list_element("Customer", "Zed Added Later")
    pages = []
    iterator_id = first.element.get("iteratorID")
    while True:
        page = process(message_set(CONTINUE.format(it=iterator_id, n=2)))[0]
        pages += names(page)
        if page.element.get("iteratorRemainingCount") == "0":
            break
    assert "Zed Added Later" not in pages


def test_an_unknown_iterator_is_3391(process):
    answer = process(message_set(CONTINUE.format(it="{00000000-0000-0000-0000-000000000000}", n=2)))[0]
    assert answer.code == 3391
    assert answer.message == 'The iteratorID "{00000000-0000-0000-0000-000000000000}" is not valid.'


def test_an_iterator_dies_with_its_session(company):
    quickbooks = QuickBooks(company)
    session = quickbooks.open_session("t")
    first = Response.parse(session.process(message_set(START.format(n=2))))[0]
    session.close()
    later = quickbooks.open_session("t")
    answer = Response.parse(later.process(message_set(CONTINUE.format(it=first.element.get("iteratorID"), n=2))))[0]
    assert answer.code == 3391


def test_stop_ends_the_iterator(process):
    first = process(message_set(START.format(n=1)))[0]
    iterator_id = first.element.get("iteratorID")
    stop = ('<CustomerQueryRq requestID="3" iterator="Stop" iteratorID="{it}"></CustomerQueryRq>'
            .format(it=iterator_id))
    assert process(message_set(stop))[0].code == 0
    assert process(message_set(CONTINUE.format(it=iterator_id, n=1)))[0].code == 3391


def test_the_intuit_iterator_sample_is_answered_like_quickbooks(process, reference_dir, company):
    request = (reference_dir / "samples/qbxml/requests/qbwc-qbxml_customer_query_iterator_rq.xml").read_text()
    answer = process(request)[0]
    assert answer.code == 0 and len(answer.rets()) <= 5
    assert answer.element.get("iteratorID")
    active = [r for r in company.records("Customer") if r["IsActive"]]
    assert int(answer.element.get("iteratorRemainingCount")) == max(0, len(active) - 5)


def test_a_start_that_returns_everything_leaves_no_iterator(process):
    first = process(message_set(START.format(n=100)))[0]
    assert first.element.get("iteratorRemainingCount") == "0"
    assert process(message_set(CONTINUE.format(it=first.element.get("iteratorID"), n=1)))[0].code == 3391
