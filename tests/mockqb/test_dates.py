"""qbXML dates may carry a time zone (xsd:date allows it); QuickBooks keeps the day."""

from __future__ import annotations

import pytest

from qbbridge.mockqb.testing import message_set

TIME = ('<TimeTrackingAddRq><TimeTrackingAdd><TxnDate>{date}</TxnDate>'
        "<EntityRef><FullName>Jane Doe</FullName></EntityRef><Duration>PT1H0M</Duration>"
        "</TimeTrackingAdd></TimeTrackingAddRq>")


@pytest.mark.parametrize("date", ["2026-11-18Z", "2026-11-18+05:00", "2026-11-18-08:00"])
def test_a_date_with_a_time_zone_keeps_its_day(process, date):
    answer = process(message_set(TIME.format(date=date)))[0]
    assert answer.code == 0 and answer.ret().findtext("TxnDate") == "2026-11-18"


def test_a_date_filter_with_a_time_zone(process):
    process(message_set(TIME.format(date="2026-11-18")))
    query = ("<TimeTrackingQueryRq><TxnDateRangeFilter><FromTxnDate>2026-11-18+05:00</FromTxnDate>"
             "<ToTxnDate>2026-11-18Z</ToTxnDate></TxnDateRangeFilter></TimeTrackingQueryRq>")
    assert len(process(message_set(query))[0].rets()) == 1


def test_a_year_beyond_9999_is_status_3020(process, company):
    answer = process(message_set(TIME.format(date="12026-11-18")))[0]
    assert answer.code == 3020 and "12026-11-18" in answer.message
    assert company.records("TimeTracking") == []


def test_a_modified_date_with_a_time_zone(process):
    query = ("<ClassQueryRq><FromModifiedDate>2026-11-20T18:00:22+01:00</FromModifiedDate>"
             "<ToModifiedDate>2100-01-01</ToModifiedDate></ClassQueryRq>")
    # 18:00:22 at +01:00 is 09:00:22 at -08:00, the sample company's zone: "Field" (09:00:21) is older
    names = {ret.findtext("FullName") for ret in process(message_set(query))[0].rets()}
    assert names == {"Field:North", "Field:South", "Office"}
