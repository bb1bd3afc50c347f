"""Edits after sync, end to end over SOAP (seed rule S7, and the ``update`` policy).

Rule: by default an edited synced block leaves QuickBooks' entry as it is and shows "changed after
sync"; under ``timesheets.edits = update`` the edit is sent as a TimeTrackingMod of the same entry (same
TxnID, never a second entry), also when someone changed the entry in QuickBooks meanwhile (a stale
EditSequence: re-read, then the Mod again in the same update) and when the Mod's answer is lost.
"""

from __future__ import annotations

import pytest
from e2e_harness import forget_stored_answers
from timesheets_kit import (
    FULL,
    Block,
    adds_sent,
    assert_landed_once,
    configure,
    edit_by_hand,
    entry_of,
    entry_view,
    message_sets,
    records,
    sent,
    serving,
    status,
    submit,
)

pytestmark = pytest.mark.e2e

EDITED = FULL.but(minutes=510, notes="Framing, east and north walls", klass="Field:South")


@pytest.fixture
def bridge(database_url, mockqb_quickbooks):
    yield from serving(database_url, mockqb_quickbooks)


def _synced(bridge, webconnector, mockqb_company, block: Block = FULL):
    """Send ``block`` as block "b"; its entry's TxnID, once it landed."""
    submit(bridge, {"b": block})
    first = webconnector.run_update()
    assert first.ok, first.summary()
    assert_landed_once(bridge, mockqb_company, {"b": block})
    return first, records(bridge)["b"]["qb_id"]


def test_by_default_an_edit_after_sync_is_not_sent_and_shows_in_status(bridge, webconnector, mockqb_company,
                                                                       mockqb_quickbooks):
    _, txn_id = _synced(bridge, webconnector, mockqb_company)
    before = dict(entry_of(mockqb_company, txn_id))
    report = submit(bridge, {"b": EDITED})
    assert report.changed_after_sync == 1

    again = webconnector.run_update()
    assert again.ok and again.status == "No data exchange required", again.summary()
    assert entry_of(mockqb_company, txn_id) == before  # QuickBooks' entry is untouched (S7)
    assert_landed_once(bridge, mockqb_company, {"b": FULL})
    row = records(bridge)["b"]
    assert (row["state"], row["changed_after_sync"]) == ("synced", True)
    assert status(bridge)["changed_after_sync"] == 1
    assert sent(mockqb_quickbooks, "TimeTrackingModRq") == []


def test_under_the_update_policy_an_edit_is_sent_as_a_mod_of_the_same_entry(
        bridge, webconnector, mockqb_company, mockqb_quickbooks):
    configure(bridge, edits="update")
    _, txn_id = _synced(bridge, webconnector, mockqb_company)
    submit(bridge, {"b": EDITED})

    result = webconnector.run_update()
    assert result.ok, result.summary()
    assert_landed_once(bridge, mockqb_company, {"b": EDITED})
    row = records(bridge)["b"]
    assert row["qb_id"] == txn_id and row["edit_sequence"] == entry_of(mockqb_company, txn_id)["EditSequence"]
    (mod,) = sent(mockqb_quickbooks, "TimeTrackingModRq")
    assert mod.findtext("TimeTrackingMod/TxnID") == txn_id
    assert mod.findtext("TimeTrackingMod/Duration") == "PT8H30M"
    assert mod.find("TimeTrackingMod/ExternalGUID") is None
    assert adds_sent(mockqb_quickbooks) == {FULL.notes: 1}


def test_a_stale_edit_sequence_is_re_read_and_the_mod_lands_in_the_same_update(
        bridge, webconnector, mockqb_company, mockqb_quickbooks):
    configure(bridge, edits="update")
    _, txn_id = _synced(bridge, webconnector, mockqb_company)
    stored = records(bridge)["b"]["edit_sequence"]
    moved = edit_by_hand(mockqb_quickbooks, txn_id, notes="Checked by the office")
    assert moved != stored
    submit(bridge, {"b": EDITED})

    result = webconnector.run_update()
    assert result.ok and result.progress == 100, result.summary()
    assert_landed_once(bridge, mockqb_company, {"b": EDITED})
    mods = sent(mockqb_quickbooks, "TimeTrackingModRq")
    assert [mod.findtext("TimeTrackingMod/EditSequence") for mod in mods] == [stored, moved]
    rereads = [query for query in sent(mockqb_quickbooks, "TimeTrackingQueryRq") if query.findtext("TxnID")]
    assert [query.findtext("TxnID") for query in rereads] == [txn_id]
    assert records(bridge)["b"]["qb_id"] == txn_id


@pytest.mark.parametrize("stored_answer", [True, False], ids=["stored-answer", "no-stored-answer"])
def test_a_lost_answer_to_a_mod_leaves_one_entry_with_the_new_values(bridge, webconnector, mockqb_company,
                                                                     mockqb_quickbooks, mockqb_faults,
                                                                     stored_answer):
    """Preflight off, so the only message set of the second update is the Mod."""
    configure(bridge, edits="update", preflight=False)
    first, txn_id = _synced(bridge, webconnector, mockqb_company)
    submit(bridge, {"b": EDITED})
    mockqb_faults.lose_answer(message_sets(first) + 1)

    lost = webconnector.run_update()
    assert not lost.ok, lost.summary()
    assert entry_view(mockqb_company, entry_of(mockqb_company, txn_id)) == EDITED.entry()  # QuickBooks ran it
    if not stored_answer:
        forget_stored_answers(mockqb_quickbooks)

    bridge.take_over()
    recovered = webconnector.run_update()
    assert recovered.ok, recovered.summary()
    assert_landed_once(bridge, mockqb_company, {"b": EDITED})
    row = records(bridge)["b"]
    assert row["qb_id"] == txn_id and row["edit_sequence"] == entry_of(mockqb_company, txn_id)["EditSequence"]
    assert adds_sent(mockqb_quickbooks) == {FULL.notes: 1}
    assert len(sent(mockqb_quickbooks, "TimeTrackingModRq")) == 1  # the Mod was not sent twice


def test_under_the_update_policy_removed_notes_are_cleared_and_a_removed_job_is_refused(
        bridge, webconnector, mockqb_company, mockqb_quickbooks):
    """A Mod can clear Notes; it cannot clear a customer:job (QuickBooks keeps a reference a Mod leaves
    out), so that edit is refused with a message naming the block, the job and the fix."""
    configure(bridge, edits="update")
    noted, billed = FULL.but(notes="to be cleared"), FULL.but(notes="job goes", minutes=60)
    submit(bridge, {"noted": noted, "billed": billed})
    assert webconnector.run_update().ok
    job_txn = records(bridge)["billed"]["qb_id"]
    job_entry = dict(entry_of(mockqb_company, job_txn))

    unnoted = noted.but(notes=None)
    submit(bridge, {"noted": unnoted, "billed": billed.but(customer=None, item=None, billable="NotBillable")})
    result = webconnector.run_update()
    assert not result.ok, result.summary()
    assert_landed_once(bridge, mockqb_company, {"noted": unnoted}, also=[billed])
    assert entry_of(mockqb_company, job_txn) == job_entry  # the refused edit changed nothing
    row = records(bridge)["billed"]
    assert row["state"] == "rejected" and "Work block billed" in row["error"], row
    assert f"'{FULL.customer}'" in row["error"] and "QuickBooks" in row["error"], row
    assert row["error"] in result.status
    assert len(sent(mockqb_quickbooks, "TimeTrackingModRq")) == 1
