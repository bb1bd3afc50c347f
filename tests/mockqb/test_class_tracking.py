"""With class tracking turned off in QuickBooks, every request that names a class is refused (3250)."""

from __future__ import annotations

import pytest

from qbbridge.mockqb.testing import message_set

CLASS = "<ClassRef><FullName>Field:North</FullName></ClassRef>"
REQUESTS = {
    "TimeTrackingAdd": ("<TimeTrackingAddRq><TimeTrackingAdd><EntityRef><FullName>Jane Doe</FullName></EntityRef>"
                        f"<Duration>PT1H0M</Duration>{CLASS}</TimeTrackingAdd></TimeTrackingAddRq>"),
    "InvoiceAdd": ("<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Baker Bakery</FullName></CustomerRef>"
                   f"{CLASS}<InvoiceLineAdd><ItemRef><FullName>Labor</FullName></ItemRef>"
                   "<Quantity>1</Quantity></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>"),
    "CustomerAdd": f"<CustomerAddRq><CustomerAdd><Name>New Co</Name>{CLASS}</CustomerAdd></CustomerAddRq>",
    "ItemServiceAdd": (f"<ItemServiceAddRq><ItemServiceAdd><Name>New item</Name>{CLASS}<SalesOrPurchase>"
                       "<Price>1.00</Price><AccountRef><FullName>Services Income</FullName></AccountRef>"
                       "</SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>"),
}


@pytest.mark.parametrize("kind", sorted(REQUESTS))
def test_a_class_is_refused_when_class_tracking_is_off(process, company, kind):
    company.info["IsUsingClassTracking"] = False
    before = company.snapshot()
    answer = process(message_set(REQUESTS[kind]))[0]
    assert answer.code == 3250
    assert company.snapshot() == before


@pytest.mark.parametrize("kind", sorted(REQUESTS))
def test_the_same_request_passes_with_class_tracking_on(process, kind):
    assert process(message_set(REQUESTS[kind]))[0].code == 0


def test_preferences_report_class_tracking(process, company):
    company.info["IsUsingClassTracking"] = False
    answer = process(message_set("<PreferencesQueryRq/>"))[0]
    assert answer.ret().findtext("AccountingPreferences/IsUsingClassTracking") == "false"
