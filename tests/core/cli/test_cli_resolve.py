"""``qbbridge resolve``: an operator settles an uncertain record after checking QuickBooks."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from qbbridge.core.store.models import RecordState, SyncRecord
from qbbridge.core.store.uow import make_engine


def _submit_uncertain(run, tmp_path, keys):
    lines = "".join(json.dumps({"id": key, "date": "2026-11-20", "employee": "Jane Doe", "minutes": 60}) + "\n"
                    for key in keys)
    (tmp_path / "blocks.jsonl").write_text(lines)
    assert run("submit", "hours", "blocks.jsonl", "--plugin", "hours_plugin").code == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'qbbridge.db'}")
    with engine.begin() as connection:  # as a lost answer no lookup could settle leaves them
        connection.execute(sa.update(SyncRecord).values(state=RecordState.UNCERTAIN, last_error="answer lost"))
    engine.dispose()


def _states(run):
    result = run("status", "--json", "--plugin", "hours_plugin")
    return json.loads(result.out)["object_types"]["hours"]


def test_resolve_links_a_record_found_in_quickbooks_and_requeues_one_that_is_not(run, acme, tmp_path):
    _submit_uncertain(run, tmp_path, ["b1", "b2"])
    assert _states(run)["uncertain"] == 2

    found = run("resolve", "hours", "b1", "--qb-id", "1A-1795194010", "--plugin", "hours_plugin")
    absent = run("resolve", "hours", "b2", "--not-in-quickbooks", "--plugin", "hours_plugin")

    assert (found.code, absent.code) == (0, 0)
    assert "now synced" in found.out and "now pending" in absent.out
    states = _states(run)
    assert (states["synced"], states["pending"], states["uncertain"]) == (1, 1, 0)


def test_resolve_names_an_unknown_record(run, acme, tmp_path):
    _submit_uncertain(run, tmp_path, ["b1"])
    result = run("resolve", "hours", "nope", "--not-in-quickbooks", "--plugin", "hours_plugin")
    assert result.code == 2 and "no hours record 'nope'" in result.err and "Traceback" not in result.err


def test_resolve_needs_to_be_told_what_quickbooks_holds(run, acme, tmp_path):
    _submit_uncertain(run, tmp_path, ["b1"])
    with pytest.raises(SystemExit) as exit_info:  # argparse: a usage error, exit 2
        run("resolve", "hours", "b1", "--plugin", "hours_plugin")
    assert exit_info.value.code == 2
    assert _states(run)["uncertain"] == 1


def test_resolve_refuses_a_record_that_is_not_uncertain(run, acme, tmp_path):
    _submit_uncertain(run, tmp_path, ["b1"])
    assert run("resolve", "hours", "b1", "--not-in-quickbooks", "--plugin", "hours_plugin").code == 0
    again = run("resolve", "hours", "b1", "--not-in-quickbooks", "--plugin", "hours_plugin")
    assert again.code == 2 and "is pending, not uncertain" in again.err
