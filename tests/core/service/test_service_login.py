"""``authenticate`` through the service: nvu, none, busy, takeover of a silent or finished update, and
the ``qb_authenticate`` veto."""

from __future__ import annotations

import pytest
from service_kit import COMPANY, PASSWORD, USER, msgs_of

from qbbridge.core.login import FINISHED_GRACE_SECONDS
from qbbridge.core.service import NO_UPDATE


@pytest.mark.parametrize(("user", "password"), [("nobody", PASSWORD), (USER, "wrong password"), ("", ""),
                                                (USER, "")], ids=["unknown user", "wrong password",
                                                                  "empty", "no password"])
def test_bad_credentials_answer_nvu_and_open_no_update(svc, user, password):
    svc.submit_blocks(["b1"])
    ticket, status = svc.login(user, password)[:2]
    assert status == "nvu" and ticket  # QBWC needs a ticket even with nvu
    assert svc.updates() == []
    assert svc.service.send_request_xml(ticket, "", "", "", 16, 0) == ""  # the ticket opens nothing
    assert svc.service.get_last_error(ticket) == NO_UPDATE


def test_none_when_nothing_is_due(svc):
    svc.app.host.update_settings(COMPANY, read_lists=False)
    assert svc.login()[1] == "none"
    svc.submit_blocks(["b1"])
    svc.update()
    assert svc.states() == {"b1": "synced"}
    assert svc.login()[1] == "none"  # synced records are not due again
    assert len(svc.updates()) == 1


def test_reads_alone_are_reason_enough_for_an_update(svc):
    ticket, status = svc.login()
    assert status == "" and ticket  # [ticket, company file]; "" = the open company file


def test_busy_while_another_update_is_live_until_the_timeout(svc):
    svc.submit_blocks(["b1"])
    live = svc.start()
    assert svc.login()[1] == "busy"
    svc.clock.advance(svc.app.settings.update_timeout_seconds - 1)
    assert svc.login()[1] == "busy"
    exchange = svc.run(live)  # the live update was not disturbed
    assert exchange.progress[-1] == 100 and svc.states() == {"b1": "synced"}


def test_a_silent_update_is_taken_over_after_the_timeout_and_its_set_becomes_uncertain(svc):
    svc.app.host.update_settings(COMPANY, read_lists=False)
    svc.submit_blocks(["b1", "b2"])
    old = svc.start()
    lost = svc.send(old, first=True)
    set_id = msgs_of(lost).get("newMessageSetID")
    svc.clock.advance(svc.app.settings.update_timeout_seconds + 1)

    new, status = svc.login()[:2]
    assert status not in ("busy", "none", "nvu")
    assert svc.states() == {"b1": "uncertain", "b2": "uncertain"}
    assert svc.message_set(set_id).state == "uncertain"
    first = svc.updates()[0]
    assert first.state == "closed" and "taken over" in first.last_error
    # The old Web Connector wakes up: its ticket is dead, its answer changes nothing.
    assert svc.receive(old, svc.answer(lost)) == -1
    assert svc.states() == {"b1": "uncertain", "b2": "uncertain"}
    # The new update learns the set's fate from QuickBooks before anything else.
    assert msgs_of(svc.send(new, first=True)).get("oldMessageSetID") == set_id


@pytest.mark.parametrize("ending", ["done", "stopped"])
def test_an_update_that_ended_without_close_connection_is_taken_over_after_a_short_grace(svc, ending):
    svc.app.host.update_settings(COMPANY, read_lists=False)
    svc.submit_blocks(["b1"], employee="Jane Doe" if ending == "done" else "Nobody Known")
    exchange = svc.run(svc.start())
    assert exchange.progress[-1] == (100 if ending == "done" else -1)
    assert svc.updates()[0].state == ending
    svc.submit_blocks(["b2"])
    # Its getLastError/closeConnection normally follow at once: a moment later it is still its turn.
    assert svc.login()[1] == "busy"
    svc.clock.advance(FINISHED_GRACE_SECONDS + 1)  # nothing in flight: no need to wait the full timeout

    ticket, status = svc.login()[:2]
    assert status not in ("busy", "none", "nvu") and ticket
    first, second = svc.updates()
    assert (first.state, second.state) == ("closed", "authenticated")
    assert first.summary == ("1 synced" if ending == "done" else "1 failed")  # closed properly, not dropped
    last_sync = svc.app.host.status(COMPANY)["blocks"]["last_sync"]
    assert (last_sync is not None) == (ending == "done")


def test_a_vetoing_authenticate_hook_answers_nvu(svc):
    svc.submit_blocks(["b1"])
    svc.plugin.vetoed.add(USER)
    assert svc.login()[1] == "nvu"
    assert svc.updates() == []
    svc.plugin.vetoed.clear()
    assert svc.login()[1] == ""
