"""The company file: deterministic identifiers, EditSequence changes, JSON round trip, clear errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from qbbridge.mockqb.company import CompanyFile, CompanyFileError
from qbbridge.mockqb.sample import sample_company


def test_sample_company_is_the_same_on_every_run():
    assert sample_company().to_json() == sample_company().to_json()


def test_ids_look_like_quickbooks_ids():
    record = sample_company().records("Employee")[0]
    counter, stamp = record["ListID"].split("-")
    assert int(counter, 16) >= 0x80000001 and stamp.isdigit() and len(stamp) == 10


def test_edit_sequence_changes_on_every_modification():
    company = sample_company()
    record = company.records("Class")[0]
    seen = {record["EditSequence"]}
    for _ in range(3):
        company.touch(record)
        seen.add(record["EditSequence"])
    assert len(seen) == 4


class FrozenClock:
    def now(self):
        return dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)

    def sleep(self, seconds):
        pass


def test_edit_sequence_changes_even_within_one_second():
    company = sample_company()
    company.clock = FrozenClock()
    record = company.records("Class")[0]
    before = record["EditSequence"]
    company.touch(record)
    middle = record["EditSequence"]
    company.touch(record)
    assert len({before, middle, record["EditSequence"]}) == 3


def test_save_and_load_round_trip(tmp_path):
    company = sample_company()
    company.save(tmp_path / "company.json")
    loaded = CompanyFile.load(tmp_path / "company.json")
    assert loaded.to_json() == company.to_json()
    assert loaded.find_by_name(("Customer",), "acme corp:roof repair") is not None


def test_loading_a_missing_file_says_how_to_create_one(tmp_path):
    with pytest.raises(CompanyFileError, match="mockqb init"):
        CompanyFile.load(tmp_path / "nope.json")


@pytest.mark.parametrize("content, problem", [
    ("{not json", "cannot be read"),
    (json.dumps({"hello": 1}), "not a mockqb company file"),
    (json.dumps({"format": "qbbridge-mockqb-company/1", "company": {}}), "damaged"),
])
def test_a_bad_company_file_is_a_clear_error(tmp_path, content, problem):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CompanyFileError, match=problem):
        CompanyFile.load(path)


def test_names_are_found_case_insensitively_across_lists():
    company = sample_company()
    assert company.find_by_name(("Customer", "Employee", "Vendor", "OtherName"), "PAT CONTRACTOR")[0] == "Vendor"
