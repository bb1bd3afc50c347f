"""The schedule (T1) and the "Last Sync Date" per object type (T2), end to end over SOAP.

Rule: the .qwc asks the Web Connector to run every 10 minutes unless the ``run_every_minutes`` setting
(or ``qbbridge qwc --run-every``) says otherwise. ``authenticate`` answers ``none`` — no update at all —
while nothing is due: drafts and parts no due invoice uses do not count, and the lists are read only
when their ``read_every_minutes`` has passed. Each object type keeps its own last sync date, moved only
by an update in which all its records went through, and ``host.status`` and ``qbbridge status`` show it.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from e2e_harness import COMPANY
from invoices_kit import (
    INCOME,
    Invoice,
    Line,
    Part,
    configure,
    run_cli,
    run_command,
    serving,
    states,
    submit,
    tags_sent,
)
from lxml import etree

from qbbridge.core.config import Settings

pytestmark = pytest.mark.e2e

MINUTE = 60
TYPES = ("classes", "parts", "invoices")


@pytest.fixture
def bridge(database_url, mockqb_quickbooks):
    yield from serving(database_url, mockqb_quickbooks)


# --- T1 -------------------------------------------------------------------------------------------------


def _run_every(*options: str) -> str:
    result = run_command("qwc", "--user", "wc", "--company", COMPANY, *options)
    assert result.code == 0, result.err
    return etree.fromstring(result.out.encode("utf-8")).findtext("Scheduler/RunEveryNMinutes")


def test_the_qwc_runs_every_10_minutes_by_default_and_the_interval_is_a_setting(tmp_path, monkeypatch):
    monkeypatch.delenv("QBBRIDGE_RUN_EVERY_MINUTES", raising=False)
    assert Settings().run_every_minutes == 10
    assert _run_every() == "10"
    config = tmp_path / "qbbridge.toml"
    config.write_text("[qbbridge]\nrun_every_minutes = 30\n", encoding="utf-8")
    assert _run_every("--config", str(config)) == "30"
    monkeypatch.setenv("QBBRIDGE_RUN_EVERY_MINUTES", "45")
    assert _run_every() == "45"
    assert _run_every("--run-every", "5") == "5"
    refused = run_command("qwc", "--user", "wc", "--company", COMPANY, "--run-every", "0")
    assert refused.code == 2 and "RunEveryNMinutes 0" in refused.err and "Traceback" not in refused.err


def _authenticate_answer(update) -> str:
    (call,) = update.calls("authenticate")
    return call.reply[1]


def test_authenticate_answers_none_while_nothing_is_due(bridge, webconnector, mockqb_quickbooks):
    submit(bridge, "parts", {"PN-U": Part("Unused part")})
    submit(bridge, "invoices", {"INV-D": Invoice(lines=(Line("PN-U"),))})  # a draft

    first = webconnector.run_update()  # the lists have never been read: they are due
    assert first.ok and first.status == "Ok", first.summary()
    assert sorted(tags_sent(mockqb_quickbooks)) == ["ClassQueryRq", "ItemServiceQueryRq"]

    bridge.clock.advance(59 * MINUTE)
    quiet = webconnector.run_update()
    assert quiet.ok and quiet.status == "No data exchange required", quiet.summary()
    assert _authenticate_answer(quiet) == "none" and quiet.calls("sendRequestXML") == []

    bridge.clock.advance(2 * MINUTE)  # an hour after the read: the lists are read again, nothing else
    reread = webconnector.run_update()
    assert reread.ok and reread.status == "Ok", reread.summary()
    assert sorted(tags_sent(mockqb_quickbooks)) == ["ClassQueryRq"] * 2 + ["ItemServiceQueryRq"] * 2

    configure(bridge, classes={"read_every_minutes": "0"})  # classes at every update, items hourly
    every = webconnector.run_update()
    assert every.ok and _authenticate_answer(every) != "none", every.summary()
    assert tags_sent(mockqb_quickbooks).count("ClassQueryRq") == 3
    assert tags_sent(mockqb_quickbooks).count("ItemServiceQueryRq") == 2
    assert states(bridge, "parts") == {"PN-U": "pending"} and states(bridge, "invoices") == {"INV-D": "draft"}


def test_lists_are_read_again_on_their_schedule_while_invoices_keep_every_update_busy(
        bridge, webconnector, mockqb_quickbooks):
    submit(bridge, "parts", {"PN-1": Part("Unused part")})
    for n in range(5):  # an update every 50 minutes, each with an invoice to send
        submit(bridge, "invoices", {f"INV-{n}": Invoice(lines=(Line("PN-1"),))}, finalized=True)
        assert webconnector.run_update().ok
        bridge.clock.advance(50 * MINUTE)
    # read at 0, then at 100 and 200 minutes: the hour is timed from the last read, not the last sync
    assert tags_sent(mockqb_quickbooks).count("ClassQueryRq") == 3
    assert tags_sent(mockqb_quickbooks).count("InvoiceAddRq") == 5


# --- T2 -------------------------------------------------------------------------------------------------


def _last_syncs(bridge) -> dict[str, datetime | None]:
    status = bridge.host.status(COMPANY)
    return {name: status[name]["last_sync"] and datetime.fromisoformat(status[name]["last_sync"])
            for name in TYPES}


def _shown(bridge) -> dict[str, str]:
    """The "last sync" column of ``qbbridge status``, per object type."""
    result = run_cli(bridge, "status")
    assert result.code == 0, result.err
    table = result.out.split("\n\n")[0]  # the errors, if any, follow after a blank line
    rows = [line.split() for line in table.splitlines()]
    return {row[0]: row[1] for row in rows if row and row[0] in TYPES}


def test_the_last_sync_date_is_kept_per_object_type_and_shown(bridge, webconnector, mockqb_company):
    assert _last_syncs(bridge) == dict.fromkeys(TYPES)
    assert _shown(bridge) == dict.fromkeys(TYPES, "never")

    submit(bridge, "parts", {"PN-G": Part("Gasket", income_account="Gasket Sales")})  # QuickBooks refuses
    submit(bridge, "invoices", {"INV-1": Invoice(lines=(Line("PN-G"),))}, finalized=True)
    started = bridge.clock.now
    failed = webconnector.run_update()
    assert not failed.ok, failed.summary()
    first = _last_syncs(bridge)
    assert first["parts"] is None and first["invoices"] is None
    assert started < first["classes"] <= bridge.clock.now
    assert _shown(bridge) == {"classes": first["classes"].isoformat(), "parts": "never", "invoices": "never"}

    bridge.clock.advance(5 * MINUTE)
    submit(bridge, "parts", {"PN-G": Part("Gasket", income_account=INCOME)})
    started = bridge.clock.now
    fixed = webconnector.run_update()
    assert fixed.ok, fixed.summary()
    second = _last_syncs(bridge)
    assert all(started < second[name] <= bridge.clock.now for name in TYPES), second
    assert _shown(bridge) == {name: second[name].isoformat() for name in TYPES}
    shown_json = json.loads(run_cli(bridge, "status", "--json").out)["object_types"]
    assert {name: shown_json[name]["last_sync"] for name in TYPES} == {
        name: second[name].isoformat() for name in TYPES}
