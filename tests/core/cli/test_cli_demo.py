"""``qbbridge demo``, the README's main job: the built-in plugins end to end over HTTP, with the first
update stopped on a missing job, the job added, and the second update sending what waited."""

from __future__ import annotations

from qbbridge.core import demo_data
from qbbridge.core.app import build_app
from qbbridge.core.config import Settings


def test_the_demo_shows_the_error_then_lands_everything_once(run, tmp_path) -> None:
    result = run("demo", "--dir", str(tmp_path))
    assert result.code == 0, result.out + result.err
    first, second = result.out.split("== Update 2")
    assert "1 work block waits for: customer/job 'Acme Corp:Gutters' (block 1845)." in first
    assert "The Web Connector shows: Ok" in second
    assert "service item" in second and "Gutter guard (created by qbbridge)" in second
    assert "invoice INV-1001: Baker Bakery, 2026-11-18, class Field:North, total 382.50" in second
    assert "parts      Consulting: linked" in second
    app = build_app(Settings(database_url=f"sqlite:///{tmp_path / 'qbbridge-demo.db'}"))
    try:
        rows = app.host.records(demo_data.COMPANY)
        states = {(row["object_type"], row["id"]): row["state"] for row in rows}
    finally:
        app.close()
    assert [key for (kind, key), state in states.items() if kind == "timesheets" and state == "synced"] == [
        "1842", "1843", "1844", "1845"]
    assert states[("invoices", "INV-1003")] == "draft"
    assert states[("invoices", "INV-1001")] == states[("parts", "PN-100")] == "synced"


def test_the_demo_fails_when_the_job_is_never_added(run, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(demo_data, "add_missing_job", lambda company: "== (the user forgets the job)\n")
    result = run("demo", "--dir", str(tmp_path))
    assert result.code == 1
    assert result.out.count("waits for: customer/job 'Acme Corp:Gutters'") == 2


def test_a_dir_that_cannot_be_a_folder_is_one_clear_line(run, tmp_path) -> None:
    occupied = tmp_path / "a-file"
    occupied.write_text("")
    result = run("demo", "--dir", str(occupied))
    assert result.code == 2
    assert result.err.strip() == (f"qbbridge: error: cannot keep the demo's database in {occupied}: "
                                  "File exists; give --dir a folder you can write to")
